// The logic of "Import Servers…": where other clients keep their files, reading them in every
// `mcpServers` dialect, and the preview (what is added, what conflicts, what cannot be imported,
// which values look like secrets). Plain TypeScript (no `vscode`), unit-tested on sample files.
import * as path from 'node:path';
import {
  ConfigFileError,
  convertMcpServersEntry,
  isSecretName,
  parseInputs,
  parseServer,
  readJsonc,
  SETTINGS_KEY,
  type ConfigIssue,
  type McpInput,
  type VariableContext,
} from '../../core';
import { isObject } from '../../core';

export interface ImportCandidate {
  readonly label: string;
  readonly file: string;
}

export interface CandidateOptions {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** %APPDATA% on Windows. */
  readonly appData?: string;
  readonly folders: readonly { readonly name: string; readonly path: string }[];
}

/** Every place a known client keeps its servers (whether or not the file exists). */
export function importCandidates(o: CandidateOptions): ImportCandidate[] {
  const p = o.platform === 'win32' ? path.win32 : path.posix;
  const claude =
    o.platform === 'darwin'
      ? p.join(o.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')
      : o.platform === 'win32'
        ? p.join(o.appData ?? p.join(o.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json')
        : p.join(o.home, '.config', 'Claude', 'claude_desktop_config.json');
  const out: ImportCandidate[] = [
    { label: 'Claude Desktop', file: claude },
    { label: 'Cursor (user)', file: p.join(o.home, '.cursor', 'mcp.json') },
  ];
  const many = o.folders.length > 1;
  for (const f of o.folders) {
    out.push({ label: many ? `Cursor (${f.name})` : 'Cursor (workspace)', file: p.join(f.path, '.cursor', 'mcp.json') });
    out.push({ label: many ? `.mcp.json (${f.name})` : '.mcp.json', file: p.join(f.path, '.mcp.json') });
  }
  return out;
}

export interface ImportFile {
  /** Entries in our shape (mcpServers dialects converted), by name, in file order. */
  readonly servers: Readonly<Record<string, unknown>>;
  /** Keys only other clients use, dropped per server. */
  readonly dropped: Readonly<Record<string, readonly string[]>>;
  /** Inputs the file declares (VS Code mcp.json format). */
  readonly inputs: readonly McpInput[];
}

/**
 * Reads a file of any supported dialect: `mcpServers` (Claude Desktop, Cursor, Cline, .mcp.json),
 * `servers` + `inputs` (VS Code mcp.json), `mcpManager.servers` (settings.json) or `mcp.servers`
 * (older VS Code settings). First wins on a name. Throws ConfigFileError when there is nothing to import.
 */
export function readImportFile(file: string): ImportFile {
  const raw = readJsonc(file);
  if (!isObject(raw)) throw new ConfigFileError(`${file}: expected a JSON object with MCP servers`, file);
  const servers: Record<string, unknown> = {};
  const dropped: Record<string, string[]> = {};
  const issues: ConfigIssue[] = [];
  const inputs: McpInput[] = [];
  const take = (section: unknown, convert: boolean) => {
    if (!isObject(section)) return;
    for (const [name, entry] of Object.entries(section)) {
      if (name in servers) continue;
      const converted = convert ? convertMcpServersEntry(entry) : { entry, dropped: [] };
      servers[name] = converted.entry;
      if (converted.dropped.length) dropped[name] = converted.dropped;
    }
  };
  const source = { kind: 'file', label: file, file };
  take(raw.mcpServers, true);
  take(raw.servers, false);
  take(raw[SETTINGS_KEY], false);
  if (isObject(raw.mcp)) take(raw.mcp.servers, false);
  for (const declared of [raw.inputs, isObject(raw.mcp) ? raw.mcp.inputs : undefined])
    inputs.push(...parseInputs(declared, source, issues));
  if (!Object.keys(servers).length) {
    throw new ConfigFileError(`${file}: no MCP servers found (expected "mcpServers", "servers" or "${SETTINGS_KEY}")`, file);
  }
  return { servers, dropped, inputs };
}

export interface ImportItem {
  readonly name: string;
  readonly entry: unknown;
  readonly dropped: readonly string[];
  /** Why it cannot be imported (invalid entry); such items are never written. */
  readonly problem?: string;
  /** The target scope already has this name: with the same entry, or a different one (replacing it needs a confirmation). */
  readonly conflict?: 'identical' | 'replaces';
  /** Another scope defines the name too (its label). */
  readonly alsoIn?: string;
  /** Fields holding literal values that look secret, e.g. `env.GITHUB_TOKEN`, `headers.Authorization`. */
  readonly secrets: readonly string[];
  /** The command line or URL, for the preview. */
  readonly summary: string;
}

export interface PlanOptions {
  /** The target scope's current `mcpManager.servers`. */
  readonly existing: Readonly<Record<string, unknown>>;
  /** Names defined in other sources, with the source's label. */
  readonly elsewhere: ReadonlyMap<string, string>;
  readonly context: VariableContext;
}

export function planImport(file: ImportFile, o: PlanOptions): ImportItem[] {
  return Object.entries(file.servers).map(([name, entry]) => {
    const parsed = parseServer(name, entry, { context: o.context });
    const first = 'issues' in parsed ? parsed.issues[0] : undefined;
    const existing = Object.prototype.hasOwnProperty.call(o.existing, name) ? o.existing[name] : undefined;
    return {
      name,
      entry,
      dropped: file.dropped[name] ?? [],
      problem: first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : undefined,
      conflict: existing === undefined ? undefined : stableJson(existing) === stableJson(entry) ? 'identical' : 'replaces',
      alsoIn: o.elsewhere.get(name),
      secrets: secretFields(entry),
      summary: summarize(entry),
    };
  });
}

/** Fields of an entry whose literal value looks like a secret (by the variable or header name). */
export function secretFields(entry: unknown): string[] {
  if (!isObject(entry)) return [];
  const out: string[] = [];
  for (const field of ['env', 'headers'] as const) {
    const values = entry[field];
    if (!isObject(values)) continue;
    for (const [k, v] of Object.entries(values)) {
      if (isSecretName(k) && typeof v === 'string' && literalSecret(v) !== undefined) out.push(`${field}.${k}`);
    }
  }
  return out;
}

export interface MovedSecrets {
  /** The entry with each secret replaced by `${input:ID}`. */
  readonly entry: Record<string, unknown>;
  /** Declarations to add to `mcpManager.inputs`. */
  readonly inputs: McpInput[];
  /** The values to store, by input id. */
  readonly values: Record<string, string>;
}

/**
 * Replaces literal secrets in `env` and `headers` with `${input:ID}` references, so the value
 * goes to SecretStorage and the settings file (often shared, or synced) never holds it. A
 * `Bearer <token>` header keeps its scheme: only the token is moved.
 */
export function moveSecrets(name: string, entry: Record<string, unknown>, takenIds: Set<string>): MovedSecrets {
  const out: Record<string, unknown> = { ...entry };
  const inputs: McpInput[] = [];
  const values: Record<string, string> = {};
  for (const field of ['env', 'headers'] as const) {
    const original = entry[field];
    if (!isObject(original)) continue;
    const copy: Record<string, unknown> = { ...original };
    for (const [k, v] of Object.entries(original)) {
      if (!isSecretName(k) || typeof v !== 'string') continue;
      const secret = literalSecret(v);
      if (secret === undefined) continue;
      const id = uniqueId(`${name}-${k}`.replace(/[^\w.-]+/g, '-'), takenIds);
      copy[k] = `${secret.prefix}\${input:${id}}`;
      values[id] = secret.value;
      inputs.push({ type: 'promptString', id, description: `${k} for ${name} (imported)`, password: true });
    }
    out[field] = copy;
  }
  return { entry: out, inputs, values };
}

/** `${input:ID}` ids an entry references. */
export function referencedInputs(entry: unknown): string[] {
  return [...JSON.stringify(entry ?? null).matchAll(/\$\{input:([^}]+)\}/g)].map((m) => m[1]!);
}

/** An input declaration as written to settings (no undefined or false-y noise). */
export function inputForSettings(input: McpInput): Record<string, unknown> {
  const out: Record<string, unknown> = { type: input.type, id: input.id };
  if (input.description) out.description = input.description;
  if (input.password) out.password = true;
  if (input.default !== undefined) out.default = input.default;
  if (input.options?.length) out.options = [...input.options];
  return out;
}

/** The value of a literal secret (not a `${...}` reference), with a `Bearer ` prefix kept apart. */
function literalSecret(v: string): { prefix: string; value: string } | undefined {
  if (!v || v.includes('${')) return undefined;
  const bearer = /^(Bearer\s+)(\S.*)$/i.exec(v);
  return bearer ? { prefix: bearer[1]!, value: bearer[2]! } : { prefix: '', value: v };
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}

function summarize(entry: unknown): string {
  if (!isObject(entry)) return JSON.stringify(entry);
  if (typeof entry.url === 'string') return `${typeof entry.type === 'string' ? entry.type : 'http'} ${entry.url}`;
  const args = Array.isArray(entry.args) ? entry.args.map(String) : [];
  return [String(entry.command ?? ''), ...args].join(' ').trim();
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
