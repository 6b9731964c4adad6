// The resolved, validated form of a server entry: what connections are built from.

export type TransportType = 'stdio' | 'http' | 'sse';

/** Where a server's entry came from, for display and for "Open Settings". */
export interface ConfigSource {
  /** e.g. 'workspace', 'user', 'folder:api', 'file' */
  readonly kind: string;
  /** Human label: "Workspace settings", ".vscode/mcp.json", a file path. */
  readonly label: string;
  readonly file?: string;
}

interface CommonDefinition {
  readonly name: string;
  readonly source?: ConfigSource;
  readonly keepAlive: boolean;
  readonly disabled: boolean;
  readonly startupTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxTotalTimeoutMs: number;
  readonly idleTimeoutMinutes: number;
  readonly maxResultBytes: number;
  /** Ids of `${input:ID}` variables used; resolved when connecting. */
  readonly inputs: readonly string[];
}

export interface StdioDefinition extends CommonDefinition {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** `null` removes a variable that would otherwise be passed. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly envFile?: string;
  /** Absolute; defaults to the workspace folder when there is one. */
  readonly cwd?: string;
  readonly inheritEnv: boolean;
  readonly passEnv: readonly string[];
}

export interface HttpDefinition extends CommonDefinition {
  readonly type: 'http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type ServerDefinition = StdioDefinition | HttpDefinition;

export interface ConfigIssue {
  /** The server's name, or undefined for a problem with the whole file/setting. */
  readonly server?: string;
  /** Dotted path of the offending field, e.g. `args.1` or `startupTimeoutMs`. */
  readonly field?: string;
  readonly message: string;
  readonly source?: ConfigSource;
  /** 'warning' for notes such as a name overridden by a more specific source; default 'error'. */
  readonly severity?: 'error' | 'warning';
}

export interface ParseResult {
  readonly servers: ServerDefinition[];
  readonly issues: ConfigIssue[];
}

/** A stable key for "did the resolved configuration change?" (the source label does not count). */
export function fingerprint(def: ServerDefinition): string {
  const { source: _source, ...rest } = def;
  return stableStringify(rest);
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function describeTarget(def: ServerDefinition): string {
  return def.type === 'stdio' ? [def.command, ...def.args].map(quoteArg).join(' ') : def.url;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
