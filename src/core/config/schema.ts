// Parsing of server entries (the `servers` object of mcp.json / `mcpManager.servers`).
// Each entry is parsed on its own: a bad one yields issues naming the server and the field,
// and never hides the others.
import * as path from 'node:path';
import {
  LOG_LEVELS,
  type ConfigIssue,
  type ConfigSource,
  type LoggingLevel,
  type OAuthConfig,
  type ParseResult,
  type SamplingPolicy,
  type ServerDefinition,
  type UseTasks,
} from './types';
import { suggest } from '../text';
import { expandHome, inputIds, substituteVariables, VariableError, type VariableContext } from './variables';
import * as f from './fields';
import { describe, type Field, type Problem } from './fields';

export const DEFAULTS = {
  keepAlive: true,
  startupTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  maxTotalTimeoutMs: 600_000,
  idleTimeoutMinutes: 0,
  maxResultBytes: 256 * 1024 * 1024,
} as const;

const timeout = f.number({ integer: true, min: 100, tooSmall: 'must be at least 100 (milliseconds)' });
const nonEmpty = f.string({ empty: 'must not be empty' });

/** A key every entry may have, as read into CommonParsed. */
const common = {
  keepAlive: f.withDefault(f.boolean, () => DEFAULTS.keepAlive),
  disabled: f.withDefault(f.boolean, () => false),
  // Whether the gateway offers the server to other clients (absent = yes; kept out of the resolved
  // definition when absent, so existing entries keep their fingerprints).
  expose: f.optional(f.boolean),
  startupTimeoutMs: f.withDefault(timeout, () => DEFAULTS.startupTimeoutMs),
  requestTimeoutMs: f.withDefault(timeout, () => DEFAULTS.requestTimeoutMs),
  maxTotalTimeoutMs: f.withDefault(timeout, () => DEFAULTS.maxTotalTimeoutMs),
  idleTimeoutMinutes: f.withDefault(f.number({ min: 0, tooSmall: 'must be 0 (never) or more minutes' }), () => DEFAULTS.idleTimeoutMinutes),
  maxResultBytes: f.withDefault(
    f.number({ integer: true, min: 1024, tooSmall: 'must be at least 1024 (bytes)' }),
    () => DEFAULTS.maxResultBytes,
  ),
  roots: f.optional(f.list(f.string({ empty: 'must not be empty: give a directory path' }))),
  sampling: f.withDefault(f.oneOf(['ask', 'allow', 'deny'], 'must be "ask", "allow" or "deny"'), () => 'ask'),
  samplingModels: f.withDefault(f.list(nonEmpty), () => []),
  logLevel: f.optional(f.oneOf(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`)),
  useTasks: f.optional(f.oneOf(['auto', 'always', 'never'], 'must be one of auto, always, never')),
  // Keys VS Code's mcp.json allows that we accept and ignore, so shared files stay valid.
  dev: f.optional(f.anything),
  gallery: f.optional(f.anything),
  version: f.optional(f.anything),
  // Where an entry installed from an MCP registry came from (see core/mcpRegistry): for updates.
  registry: f.optional(
    f.object(
      { url: f.required(nonEmpty), name: f.required(nonEmpty), version: f.optional(f.string()) },
      (k) => `unknown key "${k}" (a registry entry has url, name and version)`,
    ),
  ),
} satisfies Record<string, Field>;

const stdioFields = {
  type: f.optional(f.oneOf(['stdio'], 'must be "stdio"')),
  command: f.required(
    f.string({ trim: true, empty: 'must not be empty: name the program to run, e.g. "npx" or "node"' }),
    'missing "command" (for a stdio server), or give "url" with "type": "http" or "sse"',
  ),
  args: f.withDefault(f.list(f.text({ numbers: true })), () => []),
  env: f.withDefault(f.record(f.text({ numbers: true, booleans: true, nullable: true })), () => ({})),
  envFile: f.optional(nonEmpty),
  cwd: f.optional(nonEmpty),
  inheritEnv: f.withDefault(f.boolean, () => false),
  passEnv: f.withDefault(f.list(nonEmpty), () => []),
  ...common,
} satisfies Record<string, Field>;

const httpUrl: f.Reader<string> = (v, at, problems) => {
  const s = f.string()(v, at, problems);
  if (s === f.WRONG) return s;
  try {
    if (/^https?:$/.test(new URL(s).protocol)) return s;
  } catch {
    // not a URL at all: the same problem
  }
  problems.push({ field: at, message: 'must be an http:// or https:// URL' });
  return f.WRONG;
};

const httpFields = {
  type: f.required(f.oneOf(['http', 'sse'], 'must be "http" or "sse"')),
  url: f.required(httpUrl),
  headers: f.withDefault(f.record(f.string()), () => ({})),
  // Checked on its own (parseOAuth) so each mistake names its field: oauth.clientId, oauth.scopes.1, ...
  oauth: f.optional(f.anything),
  ...common,
} satisfies Record<string, Field>;

interface CommonParsed {
  keepAlive: boolean;
  disabled: boolean;
  expose?: boolean;
  startupTimeoutMs: number;
  requestTimeoutMs: number;
  maxTotalTimeoutMs: number;
  idleTimeoutMinutes: number;
  maxResultBytes: number;
  roots?: string[];
  sampling: SamplingPolicy;
  samplingModels: string[];
  logLevel?: LoggingLevel;
  useTasks?: UseTasks;
  registry?: { url: string; name: string; version?: string };
}

interface StdioParsed extends CommonParsed {
  type?: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string | null>;
  envFile?: string;
  cwd?: string;
  inheritEnv: boolean;
  passEnv: string[];
}

interface HttpParsed extends CommonParsed {
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
  oauth?: unknown;
}

const OAUTH_KEYS = ['clientId', 'clientSecret', 'clientMetadataUrl', 'scopes', 'redirectPort'] as const;

const KNOWN_KEYS = [...new Set([...Object.keys(stdioFields), ...Object.keys(httpFields)])];
const STDIO_ONLY = Object.keys(stdioFields).filter((k) => !(k in httpFields));
const HTTP_ONLY = Object.keys(httpFields).filter((k) => !(k in stdioFields));

/** What an unknown key of an entry is: a key of the other kind of server, or a typo. */
function unknownKey(k: string): string {
  if (STDIO_ONLY.includes(k)) return `"${k}" applies only to stdio servers (with "command"), not to http/sse servers`;
  if (HTTP_ONLY.includes(k)) return `"${k}" applies only to http/sse servers (with "url"), not to stdio servers`;
  const hint = suggest(k, KNOWN_KEYS);
  return `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

/** Normalises the `type` spellings other clients use (streamableHttp, streamable-http). */
export function normaliseType(type: unknown, hasUrl: boolean, hasCommand: boolean): unknown {
  if (type === undefined) return hasCommand ? undefined : hasUrl ? 'http' : undefined;
  if (typeof type !== 'string') return type;
  const t = type.toLowerCase().replace(/[-_]/g, '');
  if (t === 'streamablehttp' || t === 'http') return 'http';
  if (t === 'sse') return 'sse';
  if (t === 'stdio') return 'stdio';
  return type;
}

export interface ParseOptions {
  readonly context?: VariableContext;
  readonly source?: ConfigSource;
}

/** Parses an object of `name -> entry`. */
export function parseServers(raw: unknown, options: ParseOptions = {}): ParseResult {
  const servers: ServerDefinition[] = [];
  const issues: ConfigIssue[] = [];
  if (raw === undefined || raw === null) return { servers, issues };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ message: `servers must be an object of name -> server entry, got ${describe(raw)}`, source: options.source });
    return { servers, issues };
  }
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    const result = parseServer(name, entry, options);
    if ('definition' in result) servers.push(result.definition);
    else issues.push(...result.issues);
  }
  return { servers, issues };
}

export function parseServer(
  name: string,
  entry: unknown,
  options: ParseOptions = {},
): { definition: ServerDefinition } | { issues: ConfigIssue[] } {
  const source = options.source;
  const fail = (message: string, field?: string) => ({ issues: [{ server: name, field, message, source }] });
  if (!name.trim()) return fail('server name must not be empty');
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail(`entry must be an object with "command" (stdio) or "url" (http/sse), got ${describe(entry)}`);
  }
  const obj = entry as Record<string, unknown>;
  const type = normaliseType(obj.type, 'url' in obj, 'command' in obj);
  const fields = type === 'http' || type === 'sse' ? httpFields : type === undefined || type === 'stdio' ? stdioFields : undefined;
  if (!fields) return fail(`unsupported type "${String(obj.type)}": use "stdio", "http" or "sse"`, 'type');
  const problems: Problem[] = [];
  const data = f.readFields(fields, { ...obj, type }, '', problems, unknownKey);
  if (data === f.WRONG) return { issues: problems.map((p) => ({ server: name, field: p.field, message: p.message, source })) };
  try {
    return { definition: resolve(name, data as unknown as StdioParsed | HttpParsed, options) };
  } catch (e) {
    if (e instanceof FieldError) return fail(e.message, e.field);
    throw e;
  }
}

class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function resolve(name: string, data: StdioParsed | HttpParsed, options: ParseOptions): ServerDefinition {
  const ctx = options.context ?? {};
  const inputs = new Set<string>();
  const sub = (value: string, field: string): string => {
    try {
      const out = substituteVariables(value, ctx);
      for (const id of inputIds(out)) inputs.add(id);
      return out;
    } catch (e) {
      if (e instanceof VariableError) throw new FieldError(field, e.message);
      throw e;
    }
  };
  const folder = ctx.workspaceFolder;
  const absolute = (raw: string, field: string): string => {
    const p = expandHome(raw, ctx.userHome);
    if (path.isAbsolute(p)) return path.normalize(p);
    if (!folder) throw new FieldError(field, `relative path "${p}" needs a workspace folder; use an absolute path or \${workspaceFolder}`);
    return path.resolve(folder, p);
  };
  const roots = data.roots?.map((r, i) => absolute(sub(r, `roots.${i}`), `roots.${i}`));
  const base = {
    name,
    source: options.source,
    keepAlive: data.keepAlive,
    disabled: data.disabled,
    startupTimeoutMs: data.startupTimeoutMs,
    requestTimeoutMs: data.requestTimeoutMs,
    maxTotalTimeoutMs: Math.max(data.maxTotalTimeoutMs, data.requestTimeoutMs),
    idleTimeoutMinutes: data.idleTimeoutMinutes,
    maxResultBytes: data.maxResultBytes,
    sampling: data.sampling,
    samplingModels: data.samplingModels,
    ...(roots && { roots }),
    ...(data.logLevel ? { logLevel: data.logLevel } : {}),
    ...(data.useTasks ? { useTasks: data.useTasks } : {}),
    ...(data.registry ? { registry: data.registry } : {}),
    ...(data.expose === false ? { expose: false } : {}),
  };
  if ('url' in data) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(data.headers)) headers[k] = sub(v, `headers.${k}`);
    const oauth = parseOAuth(data.oauth, sub);
    return {
      ...base,
      type: data.type,
      url: sub(data.url, 'url'),
      headers,
      ...(oauth !== undefined && { oauth }),
      inputs: [...inputs],
    };
  }
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(data.env)) env[k] = v === null ? null : sub(v, `env.${k}`);
  const cwd = data.cwd !== undefined ? absolute(sub(data.cwd, 'cwd'), 'cwd') : folder;
  return {
    ...base,
    type: 'stdio',
    command: expandHome(sub(data.command, 'command'), ctx.userHome),
    args: data.args.map((a, i) => sub(a, `args.${i}`)),
    env,
    envFile: data.envFile !== undefined ? absolute(sub(data.envFile, 'envFile'), 'envFile') : undefined,
    cwd,
    inheritEnv: data.inheritEnv,
    passEnv: data.passEnv,
    inputs: [...inputs],
  };
}

/** The `oauth` key: `false`, or an object of OAUTH_KEYS; each mistake names its field. */
function parseOAuth(raw: unknown, sub: (value: string, field: string) => string): OAuthConfig | false | undefined {
  if (raw === undefined) return undefined;
  if (raw === false) return false;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FieldError(
      'oauth',
      `expected an object (clientId, clientSecret, clientMetadataUrl, scopes, redirectPort) or false, got ${describe(raw)}`,
    );
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(OAUTH_KEYS as readonly string[]).includes(k)) {
      const hint = suggest(k, [...OAUTH_KEYS]);
      throw new FieldError(`oauth.${k}`, `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }
  const text = (k: 'clientId' | 'clientSecret' | 'clientMetadataUrl'): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.trim()) throw new FieldError(`oauth.${k}`, `expected a non-empty string, got ${describe(v)}`);
    return sub(v, `oauth.${k}`);
  };
  const clientId = text('clientId');
  const clientSecret = text('clientSecret');
  const clientMetadataUrl = text('clientMetadataUrl');
  if (clientSecret !== undefined && clientId === undefined) {
    throw new FieldError('oauth.clientSecret', 'a clientSecret needs the clientId it belongs to: add "clientId"');
  }
  if (clientMetadataUrl !== undefined && !isMetadataDocumentUrl(clientMetadataUrl)) {
    throw new FieldError(
      'oauth.clientMetadataUrl',
      `must be an https:// URL with a path (where this client's metadata document is served), got ${describe(clientMetadataUrl)}`,
    );
  }
  let scopes: string[] | undefined;
  if (o.scopes !== undefined) {
    if (!Array.isArray(o.scopes)) throw new FieldError('oauth.scopes', `expected a list of scope names, got ${describe(o.scopes)}`);
    scopes = o.scopes.map((s, i) => {
      if (typeof s !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) {
        throw new FieldError(`oauth.scopes.${i}`, `expected a scope name (no spaces or quotes), got ${describe(s)}`);
      }
      return s;
    });
  }
  let redirectPort: number | undefined;
  if (o.redirectPort !== undefined) {
    const p = o.redirectPort;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      throw new FieldError('oauth.redirectPort', `expected a port number from 1 to 65535, got ${describe(p)}`);
    }
    redirectPort = p;
  }
  return {
    ...(clientId !== undefined && { clientId }),
    ...(clientSecret !== undefined && { clientSecret }),
    ...(clientMetadataUrl !== undefined && { clientMetadataUrl }),
    ...(scopes !== undefined && { scopes }),
    ...(redirectPort !== undefined && { redirectPort }),
  };
}

/** https with a path, as Client ID Metadata Documents require; http only on a loopback host (local testing). */
export function isMetadataDocumentUrl(value: string): boolean {
  try {
    const u = new URL(value);
    if (u.pathname === '/' || u.hash) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}
