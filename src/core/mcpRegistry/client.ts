// A client for MCP registries (API v0.1): `GET /v0.1/servers` (search, version, cursor/limit,
// updated_since) and `GET /v0.1/servers/{name}/versions/{version|latest}`. Answers are cached for a
// short time; when a registry cannot be reached, the last answer for the same question is returned
// marked `stale` (with the reason), and only without one does the call fail, with a RegistryError
// that names the registry and says what to check.
import { OFFICIAL_META, type RegistryEntry, type RegistryMeta, type ServerJson } from './types';

export type RegistryErrorKind = 'unreachable' | 'http' | 'format' | 'not-found';

export class RegistryError extends Error {
  constructor(
    readonly registry: string,
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface SearchQuery {
  /** Substring of the server name (the registry's own matching). */
  readonly search?: string;
  /** `latest` (the default) or an exact version; `''` lists every version. */
  readonly version?: string;
  readonly cursor?: string;
  readonly limit?: number;
  /** RFC 3339 timestamp: only entries updated since. */
  readonly updatedSince?: string;
}

export interface Stale {
  /** Why the registry was not asked again (the error it gave). */
  readonly reason: string;
  /** When the answer shown was fetched (ms since the epoch). */
  readonly fetchedAt: number;
}

export interface SearchPage {
  readonly entries: RegistryEntry[];
  readonly nextCursor?: string;
  /** Set when the registry could not be reached and this is the last cached answer. */
  readonly stale?: Stale;
}

export interface EntryResult {
  readonly entry: RegistryEntry;
  readonly stale?: Stale;
}

export interface RegistryClientOptions {
  /** How long an answer is reused without asking again (default 5 minutes). */
  readonly ttlMs?: number;
  /** Time limit for one request (default 15 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Sent as User-Agent. */
  readonly userAgent?: string;
}

interface CacheItem {
  readonly at: number;
  readonly body: unknown;
}

/** One client serves any number of registries; the cache is per URL. */
export class RegistryClient {
  private readonly cache = new Map<string, CacheItem>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** One page of `GET /v0.1/servers`. */
  async search(registry: string, query: SearchQuery = {}, signal?: AbortSignal): Promise<SearchPage> {
    const base = normaliseRegistryUrl(registry);
    const params = new URLSearchParams();
    if (query.search) params.set('search', query.search);
    const version = query.version ?? 'latest';
    if (version) params.set('version', version);
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.updatedSince) params.set('updated_since', query.updatedSince);
    const qs = params.toString();
    const { body, stale } = await this.get(base, `/v0.1/servers${qs ? `?${qs}` : ''}`, signal);
    if (!isObject(body) || !Array.isArray(body.servers))
      throw new RegistryError(
        base,
        'format',
        `${base} did not answer like an MCP registry (v0.1): expected {"servers": [...]}. Check the URL in mcpManager.registries.`,
      );
    const entries = body.servers.map((item) => toEntry(base, item)).filter((e): e is RegistryEntry => !!e);
    const metadata = isObject(body.metadata) ? body.metadata : {};
    const nextCursor =
      typeof metadata.nextCursor === 'string' && metadata.nextCursor
        ? metadata.nextCursor
        : typeof metadata.next_cursor === 'string' && metadata.next_cursor
          ? metadata.next_cursor
          : undefined;
    return { entries, nextCursor, stale };
  }

  /** Follows `nextCursor` until the end or `maxEntries`. */
  async searchAll(registry: string, query: Omit<SearchQuery, 'cursor'> = {}, maxEntries = 500, signal?: AbortSignal): Promise<SearchPage> {
    const entries: RegistryEntry[] = [];
    let cursor: string | undefined;
    let stale: Stale | undefined;
    const seen = new Set<string>();
    do {
      const page = await this.search(registry, { ...query, cursor }, signal);
      entries.push(...page.entries);
      stale ??= page.stale;
      cursor = page.nextCursor;
      // A registry that hands out the same cursor again would loop forever.
      if (cursor && seen.has(cursor)) break;
      if (cursor) seen.add(cursor);
    } while (cursor && entries.length < maxEntries);
    return { entries: entries.slice(0, maxEntries), nextCursor: entries.length >= maxEntries ? cursor : undefined, stale };
  }

  /** `GET /v0.1/servers/{name}/versions/{version}` (`latest` by default). */
  async getEntry(registry: string, name: string, version = 'latest', signal?: AbortSignal): Promise<EntryResult> {
    const base = normaliseRegistryUrl(registry);
    const { body, stale } = await this.get(
      base,
      `/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
      signal,
      `"${name}"${version === 'latest' ? '' : ` version ${version}`}`,
    );
    const entry = toEntry(base, body);
    if (!entry) throw new RegistryError(base, 'format', `${base} answered for "${name}" without a server entry.`);
    return { entry, stale };
  }

  /** Forgets every cached answer (the next call asks the registry). */
  clear(): void {
    this.cache.clear();
  }

  private async get(base: string, path: string, signal: AbortSignal | undefined, what?: string): Promise<{ body: unknown; stale?: Stale }> {
    const url = base + path;
    const cached = this.cache.get(url);
    if (cached && this.now() - cached.at < this.ttlMs) return { body: cached.body };
    try {
      const body = await this.request(base, url, signal, what);
      this.cache.set(url, { at: this.now(), body });
      return { body };
    } catch (e) {
      // Only an unreachable registry falls back: a 404 or a malformed answer is news, not noise.
      if (cached && e instanceof RegistryError && (e.kind === 'unreachable' || e.kind === 'http'))
        return { body: cached.body, stale: { reason: e.message, fetchedAt: cached.at } };
      throw e;
    }
  }

  private async request(base: string, url: string, signal: AbortSignal | undefined, what: string | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: { accept: 'application/json', ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}) },
        signal: combined,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      const reason = timeout.aborted ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : causeOf(e);
      throw new RegistryError(
        base,
        'unreachable',
        `Could not reach the MCP registry ${base}: ${reason}. Check the network, or the URL in mcpManager.registries (CLI: --registry).`,
      );
    }
    if (response.status === 404 && what) throw new RegistryError(base, 'not-found', `${base} has no server ${what}.`);
    if (!response.ok) {
      const detail = await errorDetail(response);
      throw new RegistryError(
        base,
        'http',
        `The MCP registry ${base} answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}.`,
      );
    }
    try {
      return await response.json();
    } catch {
      throw new RegistryError(base, 'format', `${base} did not answer with JSON; is it an MCP registry (API v0.1)?`);
    }
  }
}

/** `https://host/path/` -> `https://host/path`; throws a clear error for a non-http(s) URL. */
export function normaliseRegistryUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RegistryError(raw, 'format', `"${raw}" is not a registry URL; expected e.g. https://registry.modelcontextprotocol.io`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RegistryError(raw, 'format', `"${raw}" is not an http(s) URL.`);
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/v0(\.1)?$/, '');
}

/** The envelope `{server, _meta}`; older registries put the server fields at the top. */
function toEntry(registry: string, item: unknown): RegistryEntry | undefined {
  if (!isObject(item)) return undefined;
  const server = (isObject(item.server) ? item.server : item) as unknown as ServerJson;
  if (typeof server.name !== 'string' || !server.name) return undefined;
  const metaRoot = isObject(item._meta) ? item._meta : {};
  const official = isObject(metaRoot[OFFICIAL_META]) ? (metaRoot[OFFICIAL_META] as Record<string, unknown>) : {};
  const legacyStatus = (server as unknown as { status?: unknown }).status;
  const meta: RegistryMeta = {
    status: typeof official.status === 'string' ? official.status : typeof legacyStatus === 'string' ? legacyStatus : 'active',
    isLatest: typeof official.isLatest === 'boolean' ? official.isLatest : undefined,
    publishedAt: typeof official.publishedAt === 'string' ? official.publishedAt : undefined,
    updatedAt: typeof official.updatedAt === 'string' ? official.updatedAt : undefined,
  };
  return { server, meta, registry };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function causeOf(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

async function errorDetail(response: Response): Promise<string | undefined> {
  try {
    const text = (await response.text()).trim();
    try {
      const body = JSON.parse(text) as { error?: unknown; detail?: unknown; title?: unknown };
      const msg = body.error ?? body.detail ?? body.title;
      if (typeof msg === 'string') return msg.slice(0, 200);
    } catch {
      /* not JSON */
    }
    return text ? text.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
