// A small fetch for the SDK's Streamable HTTP and SSE client transports: node:http(s) with a
// keep-alive Agent, one abort listener per request that is removed when the request ends, and a
// lightweight Response. Why not the global fetch (measured, see docs/performance.md):
//  - StreamableHTTPClientTransport passes one AbortSignal (its transport-wide controller) to every
//    POST. Node's fetch (undici) adds an 'abort' listener to that signal per Request and removes it
//    only when the Request is garbage-collected, so listeners pile up between GCs: 1,500+ on a busy
//    session and a MaxListenersExceededWarning per request beyond that.
//  - Node's fetch costs ~330-500 µs per request on loopback (WHATWG Request/Response/streams);
//    http.request with keep-alive costs ~135 µs. With this fetch, a tools/call over Streamable HTTP
//    takes ~220 µs instead of ~450 µs.
//  - Node's bundled undici is not importable, and the `undici` package (for a keep-alive Agent as
//    fetch's `dispatcher`) bundles to ~417 KB minified and would still keep the slow path.
// Anything this does not handle (a Request object or a streamed body) goes to the global fetch.
import * as http from 'node:http';
import * as https from 'node:https';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface KeepAliveFetch extends FetchLike {
  /** Closes idle and active sockets (call when the transport closes). */
  destroy(): void;
  /** The agents, for tests and diagnostics. */
  readonly agents: { readonly http: http.Agent; readonly https: https.Agent };
}

export interface KeepAliveFetchOptions {
  /** Sockets per origin (default 16: MCP is a few concurrent requests plus one long GET stream). */
  readonly maxSockets?: number;
  /** Used for inputs this fetch does not handle itself (default: the global fetch). */
  readonly fallback?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

const MAX_REDIRECTS = 20;

export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const fallback = options.fallback ?? ((input, init) => fetch(input, init));

  const keepAliveFetch = ((input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = typeof input === 'object' && !(input instanceof URL) ? undefined : requestBody(init.body);
    if (body === undefined) return fallback(input, init);
    return send(new URL(input as string | URL), init, body.data, headerRecord(init.headers, body.contentType), 0);
  }) as KeepAliveFetch;

  function send(
    url: URL,
    init: RequestInit,
    data: Buffer | string | null,
    headers: Record<string, string>,
    redirects: number,
  ): Promise<Response> {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const method = (init.method ?? 'GET').toUpperCase();
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
    if (data !== null) headers['content-length'] = String(Buffer.byteLength(data));
    return new Promise<Response>((resolve, reject) => {
      const req = (secure ? https : http).request(url, { method, headers, agent: secure ? agents.https : agents.http });
      let res: http.IncomingMessage | undefined;
      let done = false;
      // Exactly one listener per request on the caller's signal, removed when the request ends.
      const onAbort = () => {
        const reason = abortReason(signal!);
        if (res) res.destroy(reason);
        else req.destroy(reason);
        finish();
        reject(reason);
      };
      const finish = () => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort);
      req.once('error', (e) => {
        finish();
        reject(signal?.aborted ? abortReason(signal) : new TypeError(`fetch failed: ${e.message}`, { cause: e }));
      });
      req.once('response', (incoming) => {
        res = incoming;
        incoming.once('close', finish);
        const status = incoming.statusCode ?? 0;
        const location = incoming.headers.location;
        const redirect = init.redirect ?? 'follow';
        if (location && status >= 300 && status < 400 && redirect !== 'manual') {
          incoming.resume();
          finish();
          if (redirect === 'error') return reject(new TypeError(`fetch failed: redirect to ${location} (redirect: 'error')`));
          if (redirects >= MAX_REDIRECTS) return reject(new TypeError('fetch failed: too many redirects'));
          const target = new URL(location, url);
          const next = { ...headers };
          if (target.origin !== url.origin) delete next.authorization;
          // 303, and 301/302 after a POST, continue as GET without a body (as fetch does).
          const asGet = status === 303 || ((status === 301 || status === 302) && method === 'POST');
          if (asGet) {
            delete next['content-type'];
            delete next['content-length'];
          }
          const nextInit: RequestInit = asGet ? { ...init, method: method === 'HEAD' ? 'HEAD' : 'GET' } : init;
          send(target, nextInit, asGet ? null : data, next, redirects + 1).then((r) => {
            (r as unknown as NodeResponse).redirected = true;
            resolve(r);
          }, reject);
          return;
        }
        resolve(new NodeResponse(incoming, url.href, method === 'HEAD') as unknown as Response);
      });
      if (data === null) req.end();
      else req.end(data);
    });
  }

  Object.defineProperties(keepAliveFetch, {
    agents: { value: agents },
    destroy: {
      value: () => {
        agents.http.destroy();
        agents.https.destroy();
      },
    },
  });
  return keepAliveFetch;
}

/** The request body as bytes or text; undefined when it needs the real fetch (streams, forms, blobs). */
function requestBody(body: RequestInit['body']): { data: Buffer | string | null; contentType?: string } | undefined {
  if (body === undefined || body === null) return { data: null };
  if (typeof body === 'string') return { data: body, contentType: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { data: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof ArrayBuffer) return { data: Buffer.from(body) };
  if (ArrayBuffer.isView(body)) return { data: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  return undefined;
}

/** Request headers as a plain lower-cased record (Headers, tuples or a record). */
function headerRecord(init: RequestInit['headers'], defaultContentType: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init instanceof Headers) init.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(init)) for (const [k, v] of init) out[k.toLowerCase()] = v;
  else if (init) for (const [k, v] of Object.entries(init as Record<string, string>)) out[k.toLowerCase()] = v;
  if (defaultContentType && out['content-type'] === undefined) out['content-type'] = defaultContentType;
  out.accept ??= '*/*';
  return out;
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('This operation was aborted', 'AbortError');
}

/** Response headers over IncomingMessage.headers: the read side of Headers. */
class NodeHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    return this.raw['set-cookie'] ?? [];
  }

  forEach(fn: (value: string, key: string, parent: NodeHeaders) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const k of Object.keys(this.raw).sort()) yield [k, this.get(k)!];
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** Largest unread body drained (rather than dropped with its socket) when a body is cancelled. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * A web stream over the response. Unlike Readable.toWeb, cancelling a short body drains it, so
 * the socket goes back to the pool: the SDK cancels the body of every 202 Accepted (each SSE-transport
 * POST), and dropping those sockets meant a new TCP connection per call.
 */
function bodyStream(incoming: http.IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        incoming.on('data', (chunk: Buffer) => {
          if (cancelled) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 1) <= 0) incoming.pause();
        });
        incoming.once('end', () => {
          if (!cancelled) controller.close();
        });
        incoming.once('error', (e) => {
          if (!cancelled) controller.error(e);
        });
        incoming.once('close', () => {
          if (!cancelled && !incoming.complete) controller.error(new TypeError('terminated: the response body was cut short'));
        });
      },
      pull() {
        incoming.resume();
      },
      cancel() {
        cancelled = true;
        const length = Number(incoming.headers['content-length']);
        if (incoming.complete || (Number.isFinite(length) && length <= DRAIN_LIMIT)) incoming.resume();
        else incoming.destroy();
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * The parts of Response the SDK and `eventsource` use. `json()`/`text()` read the socket directly;
 * `body` (a web ReadableStream, for SSE) is made only when asked for.
 */
class NodeResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: NodeHeaders;
  readonly type = 'basic';
  redirected = false;
  private stream?: ReadableStream<Uint8Array> | null;
  private used = false;

  constructor(
    private readonly incoming: http.IncomingMessage,
    readonly url: string,
    private readonly noBody: boolean,
  ) {
    this.status = incoming.statusCode ?? 0;
    this.statusText = incoming.statusMessage ?? '';
    this.headers = new NodeHeaders(incoming.headers);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.stream === undefined) {
      if (this.noBody || this.status === 204 || this.status === 304) {
        this.incoming.resume();
        this.stream = null;
      } else {
        this.stream = bodyStream(this.incoming);
      }
    }
    return this.stream;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = await this.bytes();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  clone(): never {
    throw new TypeError('clone() is not supported by the keep-alive fetch');
  }

  private bytes(): Promise<Buffer> {
    if (this.used || this.stream) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.used = true;
    const incoming = this.incoming;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
      });
      incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      incoming.once('error', reject);
      // Destroyed (aborted) before the end: 'error' carries the reason; this covers a silent close.
      incoming.once('close', () => {
        if (!incoming.complete) reject(new TypeError('terminated: the response body was cut short'));
      });
    });
  }
}
