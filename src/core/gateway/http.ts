// The gateway over Streamable HTTP, for scripts and for clients that connect to a URL (VS Code's
// chat through the definition provider). Local only: it listens on 127.0.0.1, every request
// needs the bearer token (256 random bits unless one is given), and a request whose Host or
// Origin is not this listener's is refused, so a web page cannot reach it through DNS
// rebinding. 2026-07-28 requests go to the SDK's stateless handler; 2025-era clients get a
// session (Mcp-Session-Id), which is what lets list_changed and questions reach them.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Implementation } from '@modelcontextprotocol/client';
import { errorMessage } from '../errors';
import { nullLogger, type Logger } from '../logger';
import { GatewayEndpoint, loadServerSdk } from './downstream';
import type { Gateway } from './gateway';

export interface GatewayHttpOptions {
  /** 0 (default): a free port. */
  readonly port?: number;
  /** The bearer token clients must send; default: 32 random bytes, base64url. */
  readonly token?: string;
  readonly logger?: Logger;
  readonly info?: Implementation;
  /** Largest request body accepted (default 4 MiB). */
  readonly maxBodyBytes?: number;
}

export const GATEWAY_PATH = '/mcp';

/** A new random token: 256 bits, URL-safe. */
export function newGatewayToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes the token to `file`, readable and writable by the user only (mode 0600, also when the file existed). */
export async function writeTokenFile(file: string, token: string): Promise<void> {
  await fs.promises.writeFile(file, `${token}\n`, { mode: 0o600 });
  await fs.promises.chmod(file, 0o600);
}

export class GatewayHttpServer {
  private constructor(
    private readonly server: http.Server,
    readonly endpoint: GatewayEndpoint,
    readonly token: string,
    private readonly shutdown: () => Promise<void>,
  ) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The endpoint's URL, e.g. http://127.0.0.1:43210/mcp. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${GATEWAY_PATH}`;
  }

  /**
   * Listens for `gateway` on /mcp. With `routes`, /mcp/<name> serves `routes(name)` (a gateway of
   * one server, for clients that list servers one by one such as VS Code's definition provider);
   * undefined answers 404.
   */
  static async start(
    gateway: Gateway,
    options: GatewayHttpOptions & { readonly routes?: (name: string) => Gateway | undefined } = {},
  ): Promise<GatewayHttpServer> {
    const log = options.logger ?? nullLogger;
    const token = options.token ?? newGatewayToken();
    if (token.length < 22) throw new Error('the gateway token must have at least 128 bits (22 base64url characters)');
    const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
    const sdk = await loadServerSdk();
    const node = (await import('@modelcontextprotocol/node')) as unknown as typeof import('@modelcontextprotocol/node');
    const expected = Buffer.from(`Bearer ${token}`);

    /** One endpoint per path: its SDK handler (2026-07-28) and its 2025-era sessions. */
    const makeRoute = (g: Gateway) => {
      const listeners: { modern?: ReturnType<typeof sdk.createMcpHandler> } = {};
      const endpoint = new GatewayEndpoint(g, sdk, log, options.info, (kind) => {
        const notify = listeners.modern?.notify;
        if (kind === 'tools') notify?.toolsChanged();
        else if (kind === 'prompts') notify?.promptsChanged();
        else notify?.resourcesChanged();
      });
      const modern = (listeners.modern = sdk.createMcpHandler((ctx) => endpoint.create(ctx, false), {
        legacy: 'reject',
        onerror: (e) => log.debug(`gateway http: ${e.message}`),
        maxRequestBodySize: maxBody,
      }));
      const sessions = new Map<string, InstanceType<typeof node.NodeStreamableHTTPServerTransport>>();
      const modernNode = node.toNodeHandler(modern);
      const legacy = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => {
        const sid = req.headers['mcp-session-id'];
        if (typeof sid === 'string') {
          const transport = sessions.get(sid);
          if (!transport) return reply(res, 404, -32001, 'Session not found: initialize again');
          cancelWhenGone(res, body, transport);
          return transport.handleRequest(req, res, body);
        }
        const first: unknown = Array.isArray(body) ? body[0] : body;
        if (req.method !== 'POST' || (first as { method?: unknown } | undefined)?.method !== 'initialize')
          return reply(res, 400, -32000, 'Bad Request: send initialize first (no valid Mcp-Session-Id)');
        const transport = new node.NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, transport),
        });
        const instance = endpoint.create({ era: 'legacy' }, true);
        const closed = instance.onclose;
        instance.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
          closed?.();
        };
        await instance.connect(transport);
        return transport.handleRequest(req, res, body);
      };
      const close = async () => {
        await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
        sessions.clear();
        await modern.close().catch(() => undefined);
        await endpoint.close();
      };
      return { endpoint, legacy, modernNode, close };
    };
    const main = makeRoute(gateway);
    const routes = new Map<string, ReturnType<typeof makeRoute>>();
    const routeFor = (pathname: string) => {
      if (pathname === GATEWAY_PATH) return main;
      const name =
        pathname.startsWith(`${GATEWAY_PATH}/`) && options.routes ? decodeURIComponent(pathname.slice(GATEWAY_PATH.length + 1)) : undefined;
      if (!name) return undefined;
      let route = routes.get(name);
      if (!route) {
        const g = options.routes!(name);
        if (!g) return undefined;
        routes.set(name, (route = makeRoute(g)));
      }
      return route;
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      const port = (server.address() as AddressInfo).port;
      const refusal = checkRequest(req, port, expected, !!options.routes);
      if (refusal) {
        log.warn(`gateway http: refused ${req.method} ${req.url}: ${refusal.log}`);
        if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="mcp-manager-gateway"');
        return reply(res, refusal.status, -32000, refusal.message);
      }
      const route = routeFor(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      if (!route) return reply(res, 404, -32000, 'not found: no such server in this gateway');
      let body: unknown;
      if (req.method === 'POST') {
        const raw = await readBody(req, maxBody);
        if (raw === undefined) return reply(res, 413, -32000, `request body larger than ${maxBody} bytes`);
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          return reply(res, 400, -32700, 'Parse error: the body is not JSON');
        }
      }
      const isLegacy = req.method !== 'POST' || (await sdk.isLegacyRequest(await node.toWebRequest(req, body), body));
      return isLegacy ? route.legacy(req, res, body) : route.modernNode(req, res, body);
    };

    const server = http.createServer((req, res) => {
      handle(req, res).catch((e: unknown) => {
        log.error(`gateway http: ${req.method} ${req.url} failed: ${errorMessage(e)}`);
        if (!res.headersSent) reply(res, 500, -32603, 'internal error in the gateway');
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const shutdown = async () => {
      await Promise.all([main, ...routes.values()].map((r) => r.close()));
      routes.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return new GatewayHttpServer(server, main.endpoint, token, shutdown);
  }

  close(): Promise<void> {
    return this.shutdown();
  }
}

interface Refusal {
  readonly status: number;
  readonly message: string;
  /** For our own log: never the token. */
  readonly log: string;
}

/** Host, Origin and token checks; undefined when the request may pass. */
export function checkRequest(req: http.IncomingMessage, port: number, expected: Buffer, subPaths = false): Refusal | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== GATEWAY_PATH && !(subPaths && url.pathname.startsWith(`${GATEWAY_PATH}/`)))
    return { status: 404, message: `not found: the gateway answers on ${GATEWAY_PATH}`, log: 'unknown path' };
  const host = req.headers.host;
  if (!host || !localHosts(port).includes(host.toLowerCase()))
    return { status: 403, message: 'Forbidden: the Host header must name this local gateway', log: `Host ${JSON.stringify(host ?? '')}` };
  const origin = req.headers.origin;
  if (origin !== undefined && !localHosts(port).some((h) => origin.toLowerCase() === `http://${h}`))
    return { status: 403, message: 'Forbidden: requests from web pages are not accepted', log: `Origin ${JSON.stringify(origin)}` };
  const auth = Buffer.from(req.headers.authorization ?? '');
  if (auth.length !== expected.length || !timingSafeEqual(auth, expected))
    return {
      status: 401,
      message: 'Unauthorized: send "Authorization: Bearer <token>" with the gateway token (mcp-manager serve --token-file FILE writes it)',
      log: req.headers.authorization ? 'wrong token' : 'no token',
    };
  return undefined;
}

/**
 * A 2025-era client that goes away mid-call (closes the POST's response stream) never sends
 * notifications/cancelled, and the SDK's transport does not abort the handler: the gateway
 * cancels the requests of that POST itself, through the protocol, so the upstream server is told.
 */
function cancelWhenGone(res: http.ServerResponse, body: unknown, transport: { onmessage?: (message: never) => void }): void {
  const ids = (Array.isArray(body) ? body : [body])
    .filter((m): m is { id: string | number; method: string } => !!m && typeof m === 'object' && 'method' in m && 'id' in m)
    .map((m) => m.id);
  if (!ids.length) return;
  res.once('close', () => {
    if (res.writableFinished) return;
    for (const requestId of ids)
      transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason: 'the client disconnected' },
      } as never);
  });
}

function localHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function reply(res: http.ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The body as text, or undefined when it is larger than `max` bytes. */
function readBody(req: http.IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
