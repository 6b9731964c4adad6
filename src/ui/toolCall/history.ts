// Recent tool calls of this workspace (newest first), kept in the extension's workspaceState.
// Pure (no `vscode`): it takes any Memento-shaped store, so it is unit-tested with a Map.
//
// What is stored: server and tool names, the arguments exactly as they were sent, when, how long,
// and the outcome. Arguments are user input and are stored as given (workspaceState is plain,
// unencrypted storage on this machine): do not type secrets into tool arguments you want kept out
// of it. Nothing from the server configuration (env, headers, ${input:} values) is ever stored.
// Results are not stored either, only what "Save as Test..." prefills from one (ResultSummary:
// the first line of its text and its structured content, both bounded, and left out when they
// hold a value the server's masker hides). Very large arguments are not stored at all
// (argsOmitted), so a pasted document cannot bloat the workspace state; such an entry can be
// edited but not rerun as is.
import type { CallStatus } from './callRunner';
import { formatDuration } from '../../core';
import { resultText, type CallRecord } from '../../core/tests';

/** A tool call's result as the core's test code takes it. */
type ToolResult = NonNullable<CallRecord['result']>;

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryEntry {
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  /** The arguments sent; undefined when they were too large to keep (argsOmitted). */
  readonly args?: Record<string, unknown>;
  readonly argsOmitted?: boolean;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly status: CallStatus;
  /** Error text or the first line of the result, shortened. */
  readonly summary?: string;
  /** What a test's expectations are prefilled from (see summarizeResult); absent in older entries. */
  readonly result?: ResultSummary;
}

/**
 * The part of a result "Save as Test..." prefills expectations from (expectationsFromResult: the
 * structured content, else the first line of the text), so an entry from an earlier window, whose
 * result is gone, still gives the test a live result would give it.
 */
export interface ResultSummary {
  /** The first line of the result's text (as the tests read it), at most HISTORY_MAX_TEXT_CHARS. */
  readonly text?: string;
  /** The structured content, when its JSON is at most HISTORY_MAX_STRUCTURED_CHARS (else the text prefills). */
  readonly structuredContent?: Record<string, unknown>;
}

export const HISTORY_KEY = 'mcpManager.toolCallHistory.v1';
export const HISTORY_MAX = 50;
export const HISTORY_MAX_ARGS_CHARS = 64 * 1024;
/** More than the tests' "contains" takes from the first line (200), so the prefill is the same. */
export const HISTORY_MAX_TEXT_CHARS = 1000;
export const HISTORY_MAX_STRUCTURED_CHARS = 8 * 1024;

let counter = 0;
export function newCallId(now = Date.now()): string {
  counter = (counter + 1) % 1_000_000;
  return `${now.toString(36)}-${counter.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function isEntry(v: unknown): v is HistoryEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.server === 'string' && typeof e.tool === 'string' && typeof e.startedAt === 'number';
}

export class CallHistory {
  private entries: HistoryEntry[];
  private readonly listeners = new Set<() => void>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: MementoLike,
    private readonly max = HISTORY_MAX,
  ) {
    const saved = store.get<unknown>(HISTORY_KEY);
    // Tolerate whatever an older or corrupted state holds.
    this.entries = Array.isArray(saved) ? saved.filter(isEntry).slice(0, max) : [];
  }

  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  last(): HistoryEntry | undefined {
    return this.entries[0];
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Adds a call (newest first, at most `max`); resolves when persisted. */
  add(entry: Omit<HistoryEntry, 'args' | 'argsOmitted'> & { args?: Record<string, unknown> }): Promise<HistoryEntry> {
    let args = entry.args;
    let argsOmitted: boolean | undefined;
    let size = 0;
    try {
      size = JSON.stringify(args ?? {}).length;
    } catch {
      size = Infinity; // cycles or BigInt: not storable
    }
    if (size > HISTORY_MAX_ARGS_CHARS) {
      args = undefined;
      argsOmitted = true;
    }
    const stored: HistoryEntry = { ...entry, args, ...(argsOmitted ? { argsOmitted } : {}), summary: entry.summary?.slice(0, 300) };
    this.entries = [stored, ...this.entries.filter((e) => e.id !== stored.id)].slice(0, this.max);
    return this.persist().then(() => stored);
  }

  clear(): Promise<void> {
    this.entries = [];
    return this.persist();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private persist(): Promise<void> {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener must not break history
      }
    }
    const snapshot = this.entries;
    // Writes are serialised so an older list never overwrites a newer one.
    this.writing = this.writing
      .then(() => this.store.update(HISTORY_KEY, snapshot))
      .then(
        () => undefined,
        () => undefined,
      );
    return this.writing;
  }
}

/** One line describing arguments, for pick items ("message: "hi", count: 3"). */
export function summarizeArgs(args: Record<string, unknown> | undefined, max = 120): string {
  if (!args) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    let text: string;
    try {
      text = JSON.stringify(v) ?? String(v);
    } catch {
      text = String(v);
    }
    parts.push(`${k}: ${text}`);
  }
  const s = parts.join(', ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * What the history keeps of a result for "Save as Test...". `mask` is the server's secret masker:
 * a part it would change holds a configured secret (an env value, an input) and is not kept.
 */
export function summarizeResult(result: ToolResult, mask: (text: string) => string = (t) => t): ResultSummary | undefined {
  const out: { text?: string; structuredContent?: Record<string, unknown> } = {};
  let text = '';
  try {
    text = resultText('tool', result).trim().split('\n')[0]!.trim().slice(0, HISTORY_MAX_TEXT_CHARS);
  } catch {
    // content that is not an array of blocks: nothing to keep
  }
  if (text && mask(text) === text) out.text = text;
  const structured: unknown = result.structuredContent;
  if (typeof structured === 'object' && structured !== null && !Array.isArray(structured)) {
    let json: string | undefined;
    try {
      json = JSON.stringify(structured);
    } catch {
      json = undefined; // cycles or BigInt: not storable
    }
    // A copy: the stored entry must not change with the caller's object.
    if (json !== undefined && json.length <= HISTORY_MAX_STRUCTURED_CHARS && mask(json) === json)
      out.structuredContent = JSON.parse(json) as Record<string, unknown>;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Whether an entry returned a result, so that a test can expect one (failed and cancelled calls did not). */
export function hasResult(entry: Pick<HistoryEntry, 'status'>): boolean {
  return entry.status === 'ok' || entry.status === 'isError';
}

/**
 * The call of a history entry as "Save as Test..." takes it: a result made from the entry's
 * ResultSummary (an older entry has none: only isError is known). Undefined without arguments
 * (they were too large to keep) or for a call that returned no result (failed, cancelled).
 */
export function callRecordOf(entry: HistoryEntry): CallRecord | undefined {
  if (!entry.args || !hasResult(entry)) return undefined;
  const isError = entry.status === 'isError';
  const base = { server: entry.server, tool: entry.tool, arguments: entry.args, isError };
  const summary = entry.result;
  // Whatever an older or corrupted state holds.
  if (typeof summary !== 'object' || summary === null) return base;
  const text = typeof summary.text === 'string' && summary.text ? summary.text : undefined;
  const s = summary.structuredContent;
  const structuredContent = typeof s === 'object' && s !== null && !Array.isArray(s) ? s : undefined;
  if (text === undefined && structuredContent === undefined) return base;
  const result: ToolResult = {
    content: text !== undefined ? [{ type: 'text', text }] : [],
    ...(structuredContent !== undefined ? { structuredContent } : {}),
    isError,
  };
  return { ...base, result };
}

export { formatDuration };
