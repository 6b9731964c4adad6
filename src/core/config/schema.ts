// Parsing of server entries (the `servers` object of mcp.json / `mcpManager.servers`).
// Each entry is parsed on its own: a bad one yields issues naming the server and the field,
// and never hides the others.
import * as path from 'node:path';
import * as z from '../zod';
import type { ZodIssue } from '../zod';
import { LOG_LEVELS, type ConfigIssue, type ConfigSource, type OAuthConfig, type ParseResult, type ServerDefinition } from './types';
import { suggest } from '../text';
import { expandHome, inputIds, substituteVariables, VariableError, type VariableContext } from './variables';

export const DEFAULTS = {
  keepAlive: true,
  startupTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  maxTotalTimeoutMs: 600_000,
  idleTimeoutMinutes: 0,
  maxResultBytes: 256 * 1024 * 1024,
} as const;

const timeout = z.int().check(z.minimum(100, 'must be at least 100 (milliseconds)'));

const common = {
  keepAlive: z._default(z.boolean(), DEFAULTS.keepAlive),
  disabled: z._default(z.boolean(), false),
  // Whether the gateway offers the server to other clients (absent = yes; kept out of the resolved
  // definition when absent, so existing entries keep their fingerprints).
  expose: z.optional(z.boolean()),
  startupTimeoutMs: z._default(timeout, DEFAULTS.startupTimeoutMs),
  requestTimeoutMs: z._default(timeout, DEFAULTS.requestTimeoutMs),
  maxTotalTimeoutMs: z._default(timeout, DEFAULTS.maxTotalTimeoutMs),
  idleTimeoutMinutes: z._default(z.number().check(z.minimum(0)), DEFAULTS.idleTimeoutMinutes),
  maxResultBytes: z._default(z.int().check(z.minimum(1024)), DEFAULTS.maxResultBytes),
  roots: z.optional(z.array(z.string().check(z.minLength(1, 'must not be empty: give a directory path')))),
  sampling: z._default(z.enum(['ask', 'allow', 'deny'], { error: 'must be "ask", "allow" or "deny"' }), 'ask'),
  samplingModels: z._default(z.array(z.string().check(z.minLength(1))), []),
  logLevel: z.optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  useTasks: z.optional(z.enum(['auto', 'always', 'never'], { error: 'must be one of auto, always, never' })),
  // Keys VS Code's mcp.json allows that we accept and ignore, so shared files stay valid.
  dev: z.optional(z.unknown()),
  gallery: z.optional(z.unknown()),
  version: z.optional(z.unknown()),
  // Where an entry installed from an MCP registry came from (see core/mcpRegistry): for updates.
  registry: z.optional(
    z.strictObject({ url: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)), version: z.optional(z.string()) }),
  ),
};

const envValue = z.pipe(
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
  z.transform((v) => (v === null ? null : String(v))),
);

const stdioSchema = z.strictObject({
  type: z.optional(z.literal('stdio')),
  command: z.string().check(z.trim(), z.minLength(1, 'must not be empty: name the program to run, e.g. "npx" or "node"')),
  args: z._default(z.array(z.pipe(z.union([z.string(), z.number()]), z.transform(String))), []),
  env: z._default(z.record(z.string(), envValue), {}),
  envFile: z.optional(z.string().check(z.minLength(1))),
  cwd: z.optional(z.string().check(z.minLength(1))),
  inheritEnv: z._default(z.boolean(), false),
  passEnv: z._default(z.array(z.string().check(z.minLength(1))), []),
  ...common,
});

const httpSchema = z.strictObject({
  type: z.enum(['http', 'sse']),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  headers: z._default(z.record(z.string(), z.string()), {}),
  // Checked on its own (parseOAuth) so each mistake names its field: oauth.clientId, oauth.scopes.1, ...
  oauth: z.optional(z.unknown()),
  ...common,
});

const OAUTH_KEYS = ['clientId', 'clientSecret', 'clientMetadataUrl', 'scopes', 'redirectPort'] as const;

const KNOWN_KEYS = [...Object.keys(stdioSchema.shape), ...Object.keys(httpSchema.shape)];
const STDIO_ONLY = Object.keys(stdioSchema.shape).filter((k) => !(k in httpSchema.shape));
const HTTP_ONLY = Object.keys(httpSchema.shape).filter((k) => !(k in stdioSchema.shape));

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
  const schema = type === 'http' || type === 'sse' ? httpSchema : type === undefined || type === 'stdio' ? stdioSchema : undefined;
  if (!schema) return fail(`unsupported type "${String(obj.type)}": use "stdio", "http" or "sse"`, 'type');
  const parsed = schema.safeParse({ ...obj, type }, { reportInput: true });
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((i) => ({ server: name, field: fieldOf(i), message: messageOf(i), source })),
    };
  }
  try {
    return { definition: resolve(name, parsed.data, options) };
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

type StdioParsed = z.output<typeof stdioSchema>;
type HttpParsed = z.output<typeof httpSchema>;

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

function fieldOf(issue: ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') return issue.keys[0];
  return issue.path.length ? issue.path.join('.') : undefined;
}

function messageOf(issue: ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => {
        if (STDIO_ONLY.includes(k)) return `"${k}" applies only to stdio servers (with "command"), not to http/sse servers`;
        if (HTTP_ONLY.includes(k)) return `"${k}" applies only to http/sse servers (with "url"), not to stdio servers`;
        const hint = suggest(k, [...new Set(KNOWN_KEYS)]);
        return `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined && issue.path.join('.') === 'command') {
    return 'missing "command" (for a stdio server), or give "url" with "type": "http" or "sse"';
  }
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}${issue.input === undefined ? ', but it is missing' : `, got ${describe(issue.input)}`}`;
  }
  if (issue.code === 'invalid_union') return `expected a string, got ${describe(issue.input)}`;
  return issue.message;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
