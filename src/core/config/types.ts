// The resolved, validated form of a server entry: what connections are built from.
import type { Transport } from '@modelcontextprotocol/client';

/** MCP's log levels (RFC 5424 severities), least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
/** See ServerDefinition.useTasks. */
export type UseTasks = 'auto' | 'always' | 'never';

export type LoggingLevel = (typeof LOG_LEVELS)[number];

/** Transports a configuration entry can ask for ('memory' is made in code, see inMemoryServer). */
export type TransportType = 'stdio' | 'http' | 'sse';

/** Where a server's entry came from, for display and for "Open Settings". */
export interface ConfigSource {
  /** e.g. 'workspace', 'user', 'folder:api', 'file' */
  readonly kind: string;
  /** Human label: "Workspace settings", ".vscode/mcp.json", a file path. */
  readonly label: string;
  readonly file?: string;
}

export type SamplingPolicy = 'ask' | 'allow' | 'deny';

interface CommonDefinition {
  readonly name: string;
  readonly source?: ConfigSource;
  readonly keepAlive: boolean;
  readonly disabled: boolean;
  /** `false`: the gateway (core/gateway) does not offer this server to other clients. Absent: offered. */
  readonly expose?: boolean;
  readonly startupTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxTotalTimeoutMs: number;
  readonly idleTimeoutMinutes: number;
  readonly maxResultBytes: number;
  /** The least severe server log message wanted (`logging/setLevel`, or each request's level in 2026-07-28). */
  readonly logLevel?: LoggingLevel;
  /** When a tool call runs as a task (src/core/tasks/): `auto` (default), `always` or `never`. */
  readonly useTasks?: UseTasks;
  /** Ids of `${input:ID}` variables used; resolved when connecting. */
  readonly inputs: readonly string[];
  /**
   * Directories the server may work in (absolute paths), told to it as roots. Undefined: the
   * host's defaults (the workspace folders); empty: none.
   */
  readonly roots?: readonly string[];
  /** Whether the server may ask for completions from a language model: ask the user each time, allow, or deny (not offered). */
  readonly sampling: SamplingPolicy;
  /** Language models sampling may use (ids, families or names); empty: any. */
  readonly samplingModels: readonly string[];
  /** Set when the entry was installed from an MCP registry (its `registry` key). */
  readonly registry?: { readonly url: string; readonly name: string; readonly version?: string };
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
  /** OAuth sign-in settings; `false` turns sign-in off; absent: sign in with defaults when the server asks. */
  readonly oauth?: OAuthConfig | false;
}

/** The `oauth` key of an http/sse entry (see core/auth). */
export interface OAuthConfig {
  /** A client pre-registered with the authorization server. */
  readonly clientId?: string;
  /** Its secret (may be an `${input:}`), for confidential clients. */
  readonly clientSecret?: string;
  /** An https URL serving this client's Client ID Metadata Document. */
  readonly clientMetadataUrl?: string;
  /** Scopes to ask for (instead of the server's `WWW-Authenticate` scope or `scopes_supported`). */
  readonly scopes?: readonly string[];
  /** A fixed port for the loopback redirect listener (default: any free port). */
  readonly redirectPort?: number;
}

/** What an in-memory server must do: an SDK `Server` or `McpServer` fits. */
export interface InMemoryServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/**
 * A server running in this process, connected through the SDK's linked in-memory transports: for
 * tests and embedding. Not configurable from settings (made by `inMemoryServer()` in code).
 */
export interface MemoryDefinition extends CommonDefinition {
  readonly type: 'memory';
  /** Called once per session: an SDK server serves one transport at a time. */
  readonly createServer: () => InMemoryServer | Promise<InMemoryServer>;
}

export type ServerDefinition = StdioDefinition | HttpDefinition | MemoryDefinition;

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
/**
 * What identifies how a server runs: everything but where the entry comes from (`source`) and
 * whether the gateway offers it (`expose`). Entries with equal fingerprints share one process.
 */
export function fingerprint(def: ServerDefinition): string {
  const { source: _source, expose: _expose, ...rest } = def;
  return stableStringify(rest);
}

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 1;

function stableStringify(v: unknown): string {
  // Functions (an in-memory server's factory) count by identity: a new factory is a change.
  if (typeof v === 'function') {
    if (!functionIds.has(v)) functionIds.set(v, nextFunctionId++);
    return `function#${functionIds.get(v)}`;
  }
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function describeTarget(def: ServerDefinition): string {
  if (def.type === 'memory') return 'in-memory server';
  return def.type === 'stdio' ? [def.command, ...def.args].map(quoteArg).join(' ') : def.url;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
