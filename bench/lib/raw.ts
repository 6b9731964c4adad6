// Floor clients: the least a client can do to talk to a server, without the SDK.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as http from 'node:http';

/** The `_meta` envelope every 2026-07-28 request carries (that era has no handshake to carry it once). */
export const MODERN_ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
};

type RawEra = 'legacy' | 'modern';

function withEnvelope(params: unknown): unknown {
  const p = (params ?? {}) as { _meta?: Record<string, unknown> };
  return { ...p, _meta: { ...p._meta, ...MODERN_ENVELOPE } };
}

interface Pending {
  resolve: (m: { id: number; result?: unknown; error?: unknown }) => void;
}

/** Newline-delimited JSON-RPC over a child's stdio, with linear framing (chunks kept, joined once). */
export class RawPipeClient {
  readonly child: ChildProcessWithoutNullStreams;
  private chunks: Buffer[] = [];
  private size = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Set by open(): 2026-07-28 requests carry the `_meta` envelope. */
  private modern = false;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stderr.resume();
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        if (start < chunk.length) {
          this.chunks.push(chunk.subarray(start));
          this.size += chunk.length - start;
        }
        return;
      }
      this.chunks.push(chunk.subarray(start, nl));
      this.size += nl - start;
      const line = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
      this.chunks = [];
      this.size = 0;
      start = nl + 1;
      const msg = JSON.parse(line.toString('utf8')) as { id?: number; result?: unknown; error?: unknown };
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg as { id: number });
      }
    }
  }

  request(method: string, params: unknown): Promise<{ id: number; result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      const p = this.modern ? withEnvelope(params) : params;
      this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params: p }) + '\n');
    });
  }

  notify(method: string, params: unknown = {}): void {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, params }) + '\n');
  }

  /**
   * The opening of each era, for floor clients talking to a real MCP server: `initialize` (2025), or
   * `server/discover` (2026-07-28, after which every request carries the envelope).
   */
  async open(era: RawEra): Promise<void> {
    if (era === 'modern') {
      this.modern = true;
      const r = await this.request('server/discover', {});
      if (r.error) throw new Error(`server/discover failed: ${JSON.stringify(r.error)}`);
      return;
    }
    const r = await this.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    if (r.error) throw new Error(`initialize failed: ${JSON.stringify(r.error)}`);
    this.notify('notifications/initialized');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

/** JSON-RPC POSTs with http.request and a keep-alive agent: the HTTP floor. */
export class RawHttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly url: URL;
  private session?: string;
  private nextId = 1;

  constructor(
    url: string,
    private readonly era: RawEra = 'legacy',
  ) {
    this.url = new URL(url);
  }

  post(
    body: { method: string; params?: { name?: string } & Record<string, unknown> } & Record<string, unknown>,
  ): Promise<{ status: number; json?: unknown }> {
    const modern = this.era === 'modern';
    const data = JSON.stringify(modern && 'id' in body ? { ...body, params: withEnvelope(body.params) } : body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': String(Buffer.byteLength(data)),
    };
    if (modern) {
      // The 2026-07-28 Streamable HTTP headers: version, method, and the name of what is called.
      headers['mcp-protocol-version'] = '2026-07-28';
      headers['mcp-method'] = body.method;
      if (body.params?.name) headers['mcp-name'] = body.params.name;
    } else if (this.session) {
      headers['mcp-session-id'] = this.session;
      headers['mcp-protocol-version'] = '2025-11-25';
    }
    return new Promise((resolve, reject) => {
      const req = http.request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const sid = res.headers['mcp-session-id'];
          if (typeof sid === 'string') this.session = sid;
          let text = Buffer.concat(chunks).toString('utf8');
          // A server may answer a POST with a one-event SSE stream: take its data line.
          if (res.headers['content-type']?.startsWith('text/event-stream')) text = /^data: (.*)$/m.exec(text)?.[1] ?? '';
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /** `initialize` (2025, then the session id goes with every request) or `server/discover` (2026-07-28). */
  async open(): Promise<void> {
    if (this.era === 'modern') {
      await this.post({ jsonrpc: '2.0', id: 0, method: 'server/discover', params: {} });
      return;
    }
    await this.post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  call(name: string, args: unknown): Promise<{ status: number; json?: unknown }> {
    return this.post({ jsonrpc: '2.0', id: this.nextId++, method: 'tools/call', params: { name, arguments: args } });
  }

  close(): void {
    this.agent.destroy();
  }
}
