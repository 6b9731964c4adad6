// Runs collections against connections the host provides (the editor: its registry's kept-alive
// connections, so consent, inputs and sign-in work as for any call; the CLI: its own). Tests run
// one after another in file order; an aborted signal stops the run after the call in flight.
import type { CallToolResult, GetPromptResult, ReadResourceResult, Tool } from '@modelcontextprotocol/client';
import type { CallOptions } from '../connection';
import { abortable } from '../deadline';
import { ServerError, errorMessage } from '../errors';
import { suggest } from '../text';
import { ToolOutputValidators } from '../toolOutput';
import type { Collection, TestCase } from './format';
import { checkExpectations, type AnyResult, type Failure } from './match';
import { SnapshotStore, snapshotFile } from './snapshot';

/** What a test needs of a server connection (ServerConnection fits). */
export interface TestConnection {
  readonly name: string;
  readonly capabilities?: { readonly tools?: unknown };
  readonly masker?: { mask(text: string): string };
  start(): Promise<void>;
  listTools(options?: CallOptions): Promise<Tool[]>;
  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<CallToolResult>;
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult>;
  getPrompt(name: string, args?: Record<string, string>, options?: CallOptions): Promise<GetPromptResult>;
}

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'errored';

export interface TestResult {
  readonly file: string;
  readonly test: TestCase;
  /** `errored`: the call itself could not be made or failed (counted as failed). */
  readonly status: TestStatus;
  /** The call's own duration (no server start), 0 when not called. */
  readonly durationMs: number;
  readonly failures: readonly Failure[];
  /** E.g. "snapshot written". */
  readonly notes: readonly string[];
}

export interface RunOptions {
  /** The connection for a server name, or undefined when no such server is configured. */
  readonly connectionFor: (server: string) => TestConnection | undefined;
  /** Names of the configured servers, for "did you mean" in messages. */
  readonly serverNames?: () => readonly string[];
  readonly signal?: AbortSignal;
  readonly updateSnapshots?: boolean;
  /** Which tests to run (default all); tests left out are not reported at all. */
  readonly select?: (test: TestCase, collection: Collection) => boolean;
  readonly onWillRun?: (test: TestCase, collection: Collection) => void;
  readonly onDidRun?: (result: TestResult) => void;
}

export interface RunSummary {
  readonly results: readonly TestResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** The run was cancelled before every selected test ran. */
  readonly cancelled: boolean;
  /** Snapshot files written. */
  readonly snapshotsWritten: readonly string[];
}

export async function runCollections(collections: readonly Collection[], options: RunOptions): Promise<RunSummary> {
  const results: TestResult[] = [];
  const written: string[] = [];
  let cancelled = false;
  // Tool lists per server, fetched once per run (the connection caches them per session too).
  const toolLists = new Map<string, Promise<Tool[] | undefined>>();
  outer: for (const collection of collections) {
    const snapshots = new SnapshotStore(snapshotFile(collection.file), options.updateSnapshots);
    try {
      for (const test of collection.tests) {
        if (options.select && !options.select(test, collection)) continue;
        if (options.signal?.aborted) {
          cancelled = true;
          break outer;
        }
        options.onWillRun?.(test, collection);
        const result = await runTest(collection, test, snapshots, toolLists, options);
        if (result.status === 'errored' && options.signal?.aborted) {
          cancelled = true;
          break outer;
        }
        results.push(result);
        options.onDidRun?.(result);
      }
    } finally {
      try {
        if (snapshots.save()) written.push(snapshots.file);
      } catch {
        // Reported by the test whose snapshot could not be read; a failed write surfaces on the next run.
      }
    }
  }
  return {
    results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed' || r.status === 'errored').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    cancelled,
    snapshotsWritten: written,
  };
}

async function runTest(
  collection: Collection,
  test: TestCase,
  snapshots: SnapshotStore,
  toolLists: Map<string, Promise<Tool[] | undefined>>,
  options: RunOptions,
): Promise<TestResult> {
  const base = { file: collection.file, test };
  if (test.skip) return { ...base, status: 'skipped', durationMs: 0, failures: [], notes: ['skip: true'] };
  const errored = (message: string, expectation = 'call', durationMs = 0): TestResult => ({
    ...base,
    status: 'errored',
    durationMs,
    failures: [{ expectation, message }],
    notes: [],
  });
  const conn = options.connectionFor(test.server);
  if (!conn) {
    const names = options.serverNames?.() ?? [];
    const hint = suggest(test.server, [...names]);
    return errored(
      `no server named "${test.server}" is configured${hint ? ` (did you mean "${hint}"?)` : ''}${names.length ? `; configured: ${names.join(', ')}` : ''}`,
      'server',
    );
  }
  const mask = (s: string) => conn.masker?.mask(s) ?? s;
  const signal = options.signal;
  const callOptions: CallOptions = { signal, timeoutMs: test.timeoutMs };
  let tools: Tool[] | undefined;
  try {
    // Started first, so that maxMs measures the call and not the server's start.
    await abortable(conn.start(), signal, () => new ServerError(conn.name, 'cancelled', 'cancelled while starting'));
    if (test.kind === 'tool') {
      let list = toolLists.get(conn.name);
      if (!list) {
        list = conn.capabilities?.tools ? conn.listTools({ signal }) : Promise.resolve(undefined);
        list.catch(() => undefined);
        toolLists.set(conn.name, list);
      }
      tools = await list;
      if (!tools) return errored(`server "${conn.name}" offers no tools`, 'tool');
      if (!tools.some((t) => t.name === test.target)) {
        const hint = suggest(
          test.target,
          tools.map((t) => t.name),
        );
        return errored(`server "${conn.name}" has no tool named "${test.target}"${hint ? ` (did you mean "${hint}"?)` : ''}`, 'tool');
      }
    }
  } catch (e) {
    toolLists.delete(conn.name);
    return errored(mask(errorMessage(e)));
  }

  let result: AnyResult;
  const t0 = performance.now();
  try {
    if (test.kind === 'tool') result = await conn.callTool(test.target, test.arguments, callOptions);
    else if (test.kind === 'resource') result = await conn.readResource(test.target, callOptions);
    else result = await conn.getPrompt(test.target, test.arguments as Record<string, string>, callOptions);
  } catch (e) {
    const message = mask(errorMessage(e));
    // The core validates structuredContent against the tool's outputSchema (toolOutput.ts).
    return errored(message, /output schema|structured content/i.test(message) ? 'outputSchema' : 'call', performance.now() - t0);
  }
  const durationMs = performance.now() - t0;
  const failures: Failure[] = [];
  if (test.kind === 'tool') {
    // Sessions that are not kept alive do not know the tool list; check here too (a no-op when done).
    try {
      new ToolOutputValidators().check(tools, test.target, result as CallToolResult);
    } catch (e) {
      failures.push({ expectation: 'outputSchema', message: errorMessage(e) });
    }
  }
  failures.push(...checkExpectations(test.kind, result, test.expect, durationMs));
  const notes: string[] = [];
  if (test.expect.snapshot) {
    try {
      const outcome = snapshots.check(test.name, snapshotValue(test, result), test.ignore);
      if (outcome.kind === 'failed') failures.push(outcome.failure);
      else if (outcome.kind === 'written') notes.push('snapshot written');
      else if (outcome.kind === 'updated') notes.push('snapshot updated');
    } catch (e) {
      failures.push({ expectation: 'snapshot', message: errorMessage(e) });
    }
  }
  return { ...base, status: failures.length ? 'failed' : 'passed', durationMs, failures, notes };
}

/** What a snapshot holds: the result without protocol metadata. */
export function snapshotValue(test: Pick<TestCase, 'kind'>, result: AnyResult): unknown {
  const pick = (keys: string[]) =>
    Object.fromEntries(
      keys.filter((k) => (result as Record<string, unknown>)[k] !== undefined).map((k) => [k, (result as Record<string, unknown>)[k]]),
    );
  if (test.kind === 'tool') return pick(['content', 'structuredContent', 'isError']);
  if (test.kind === 'resource') return pick(['contents']);
  return pick(['description', 'messages']);
}
