// Floor clients: the least a client can do to talk to a server, without the SDK.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as http from 'node:http';

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
      this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  notify(method: string, params: unknown = {}): void {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, params }) + '\n');
  }

  /** The MCP handshake, for floor clients talking to a real MCP server. */
  async initialize(): Promise<void> {
    await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
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

  constructor(url: string) {
    this.url = new URL(url);
  }

  post(body: unknown): Promise<{ status: number; json?: unknown }> {
    const data = JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': String(Buffer.byteLength(data)),
    };
    if (this.session) {
      headers['mcp-session-id'] = this.session;
      headers['mcp-protocol-version'] = '2025-06-18';
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

  async initialize(): Promise<void> {
    await this.post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
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
