// Misbehaving HTTP servers, started in-process on 127.0.0.1 port 0: fixed status pages, a server
// that never sends headers, a minimal Streamable HTTP MCP server whose tools misbehave at the HTTP
// level (cut streams, 500s, stalls), and a proxy in front of a real server that can forget sessions.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface FaultServer {
  readonly url: string;
  /** Requests received so far (method and session header), for assertions. */
  readonly requests: { method: string; session?: string; rpc?: string }[];
  close(): Promise<void>;
}

function listen(handler: http.RequestListener, path = '/mcp'): Promise<FaultServer & { server: http.Server }> {
  const sockets = new Set<Socket>();
  const requests: FaultServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', session: req.headers['mcp-session-id'] as string | undefined });
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}${path}`,
        requests,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Answers every request with the same status, content type and body (404 page, 500, HTML...). */
export function statusServer(status: number, body: string, contentType = 'text/plain'): Promise<FaultServer> {
  return listen((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
}

/** Accepts connections and reads requests but never sends response headers. */
export function slowHeadersServer(): Promise<FaultServer> {
  return listen((req) => {
    req.resume();
  });
}

type Rpc = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } };

/**
 * A minimal, hand-written Streamable HTTP MCP server (JSON responses, one session id). Tools:
 * `echo` {message}; `cut` answers with an SSE stream that ends in the middle of the message;
 * `reset` does the same and then resets the connection; `stall` writes half a message and then
 * nothing; `error500` answers HTTP 500 with an HTML page; `nohead` never sends headers.
 */
export function misbehavingMcpServer(): Promise<FaultServer> {
  const sessionId = randomUUID();
  let ref: FaultServer['requests'] = [];
  const started = listen(async (req, res) => {
    if (req.method === 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (req.method === 'DELETE') {
      res.writeHead(200).end();
      return;
    }
    const msg = JSON.parse(await readBody(req)) as Rpc;
    ref[ref.length - 1]!.rpc = msg.method === 'tools/call' ? `tools/call ${msg.params?.name}` : msg.method;
    const json = (body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': sessionId, ...headers });
      res.end(JSON.stringify(body));
    };
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result = (r: unknown) => json({ jsonrpc: '2.0', id: msg.id, result: r });
    switch (msg.method) {
      case 'initialize':
        return result({
          protocolVersion: '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: 'misbehaving-http', version: '1.0.0' },
        });
      case 'ping':
        return result({});
      case 'tools/list':
        return result({
          tools: ['echo', 'cut', 'reset', 'stall', 'error500', 'nohead'].map((name) => ({ name, inputSchema: { type: 'object' } })),
        });
      case 'tools/call':
        break;
      default:
        return json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
    }
    const name = msg.params?.name;
    const half = `event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(msg.id)},"result":{"content":[{"type":"text","te`;
    switch (name) {
      case 'echo':
        return result({ content: [{ type: 'text', text: `Echo: ${String(msg.params?.arguments?.message)}` }] });
      case 'cut':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': sessionId });
        res.write(half);
        setTimeout(() => res.end(), 50);
        return undefined;
      case 'reset':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': sessionId });
        res.write(half);
        setTimeout(() => res.socket?.resetAndDestroy?.() ?? res.socket?.destroy(), 50);
        return undefined;
      case 'stall':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': sessionId });
        res.write(half);
        return undefined;
      case 'error500':
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1><p>upstream crashed</p></body></html>');
        return undefined;
      case 'nohead':
        return undefined;
      default:
        return json({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: `Unknown tool ${name}` } });
    }
  });
  return started.then((s) => {
    ref = s.requests;
    return s;
  });
}

/**
 * Forwards everything to a real Streamable HTTP server. `forgetSessions()` makes every session id
 * seen so far unknown, as after a server restart or session expiry: requests carrying one get
 * 404 "Session not found", as the spec prescribes.
 */
export async function sessionForgettingProxy(target: string): Promise<FaultServer & { forgetSessions(): void; expired: number }> {
  const targetUrl = new URL(target);
  const seen = new Set<string>();
  const forgotten = new Set<string>();
  const upstreams = new Set<http.ClientRequest>();
  const state = { expired: 0 };
  const server = await listen(async (req, res) => {
    const sid = req.headers['mcp-session-id'] as string | undefined;
    const body = await readBody(req);
    if (sid && forgotten.has(sid)) {
      state.expired++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    const headers = { ...req.headers, host: targetUrl.host };
    const up = http.request(targetUrl, { method: req.method, headers }, (upRes) => {
      const newSid = upRes.headers['mcp-session-id'];
      if (typeof newSid === 'string') seen.add(newSid);
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    upstreams.add(up);
    up.once('close', () => upstreams.delete(up));
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    up.end(body);
  });
  const closeServer = server.close;
  return {
    ...server,
    forgetSessions() {
      for (const s of seen) forgotten.add(s);
    },
    get expired() {
      return state.expired;
    },
    close: async () => {
      for (const u of upstreams) u.destroy();
      await closeServer();
    },
  };
}
