// Our stdio client transport. Why not the SDK's StdioClientTransport (measured, see
// docs/performance.md): its read buffer concatenates everything received on every chunk
// (quadratic on large results), caps a message at 10 MiB and then closes the transport, and
// close() signals only the direct child, leaving `npx`/shell grandchildren behind. This one
// frames lines linearly, fails only the one oversized response, skips non-JSON stdout lines,
// captures stderr line by line, and ends the whole process group on close.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { groupAlive, signalGroup, trackGroup, untrackGroup } from './processTree';

export interface StdioTransportOptions {
  /** Absolute path of the executable (already resolved on PATH). */
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd?: string;
  readonly logger: Logger;
  /** Largest single message accepted; a larger response fails its request only. */
  readonly maxMessageBytes?: number;
  /** After closing stdin, how long to wait for a voluntary exit before SIGTERM. */
  readonly closeGraceMs?: number;
  /** After SIGTERM, how long to wait before SIGKILL. */
  readonly killGraceMs?: number;
  readonly onStderrLine?: (line: string) => void;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const STDERR_TAIL_LINES = 30;
const MAX_LOGGED_LINE = 4000;
export const TOO_LARGE_ERROR_CODE = -32099;

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcessWithoutNullStreams;
  private readonly maxBytes: number;
  // Linear framing state: chunks of the current line and their total size.
  private chunks: Buffer[] = [];
  private pending = 0;
  private oversize?: { head: string; tail: Buffer; bytes: number };
  private stderrPartial = '';
  private readonly tail: string[] = [];
  private exitInfo?: ExitInfo;
  private finalized = false;
  private closing?: Promise<void>;
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;

  constructor(private readonly options: StdioTransportOptions) {
    this.maxBytes = options.maxMessageBytes ?? 256 * 1024 * 1024;
    this.exited = new Promise((r) => (this.resolveExited = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** The last lines the server wrote to stderr (for error messages after a crash). */
  stderrTail(): string[] {
    return [...this.tail];
  }

  start(): Promise<void> {
    if (this.child) throw new Error('StdioTransport already started');
    const { command, args, env, cwd } = this.options;
    const isWin = process.platform === 'win32';
    return new Promise((resolve, reject) => {
      let spawned = false;
      const child = spawn(command, [...args], {
        cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // A new process group, so shutdown reaches grandchildren (npx, shell wrappers).
        detached: !isWin,
        windowsHide: true,
        shell: isWin && /\.(cmd|bat)$/i.test(command),
      });
      this.child = child;
      child.once('error', (err) => {
        if (!spawned) {
          this.finalize();
          reject(new Error(`failed to start ${command}: ${err.message}`));
        } else {
          this.onerror?.(err);
        }
      });
      child.once('spawn', () => {
        spawned = true;
        if (child.pid) trackGroup(child.pid);
        resolve();
      });
      child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk));
      // EPIPE when the server dies while we write: the exit handler reports the real cause.
      child.stdin.on('error', (e) => this.options.logger.debug(`stdin: ${e.message}`));
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.resolveExited();
        // Let buffered stdout drain (a last response written just before exiting), but do not
        // wait for grandchildren that may hold the pipe open.
        const drained = new Promise<void>((r) => (child.stdout.readableEnded ? r() : child.stdout.once('end', r)));
        void Promise.race([drained, delay(200)]).then(() => {
          if (!this.closing) void this.reapGroup();
          this.finalize();
        });
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.finalized || !stdin.writable) return Promise.reject(new Error('Not connected: the server process has exited'));
    const json = JSON.stringify(message);
    if (this.options.logger.traceEnabled) this.options.logger.trace(`→ ${abbreviate(json)}`);
    return new Promise((resolve) => {
      if (stdin.write(json + '\n')) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the server: close stdin, then SIGTERM, then SIGKILL, for the whole process group. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const child = this.child;
    if (!child || this.finalized || child.pid === undefined) {
      this.finalize();
      return;
    }
    const closeGrace = this.options.closeGraceMs ?? 2000;
    const killGrace = this.options.killGraceMs ?? 2000;
    child.stdin.end();
    if (!(await within(this.exited, closeGrace))) {
      signalGroup(child.pid, 'SIGTERM');
      if (!(await within(this.exited, killGrace))) {
        signalGroup(child.pid, 'SIGKILL');
        await within(this.exited, 2000);
      }
    }
    await this.reapGroup(killGrace);
    this.finalize();
  }

  /** After the leader exits, make sure nothing else of its group lives on. */
  private async reapGroup(killGrace = this.options.killGraceMs ?? 2000): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined || process.platform === 'win32') return;
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGTERM');
      const deadline = Date.now() + killGrace;
      while (groupAlive(pid) && Date.now() < deadline) await delay(20);
      if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    }
    untrackGroup(pid);
  }

  private finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const child = this.child;
    if (child) {
      if (this.pending > 0 || this.oversize) this.endLine();
      if (this.stderrPartial) this.stderrLine(this.stderrPartial);
      child.stdout.destroy();
      child.stderr.destroy();
      child.stdin.destroy();
    }
    this.onclose?.();
  }

  // ---- stdout framing: newline-delimited JSON, linear in the message size ----

  private onStdout(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.append(chunk, start, chunk.length);
        return;
      }
      this.append(chunk, start, nl);
      this.endLine();
      start = nl + 1;
    }
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const part = chunk.subarray(start, end);
    if (this.oversize) {
      this.oversize.bytes += part.length;
      this.oversize.tail = Buffer.concat([this.oversize.tail, part]).subarray(-256);
      return;
    }
    if (this.pending + part.length > this.maxBytes) {
      // Keep only what identifies the message (head and tail); drop the rest as it arrives.
      const first = Buffer.concat([...this.chunks, part].slice(0, 2)).subarray(0, 256).toString('utf8');
      this.oversize = { head: first, tail: Buffer.from(part.subarray(-256)), bytes: this.pending + part.length };
      this.chunks = [];
      this.pending = 0;
      return;
    }
    this.chunks.push(part);
    this.pending += part.length;
  }

  private endLine(): void {
    if (this.oversize) {
      const o = this.oversize;
      this.oversize = undefined;
      this.rejectOversize(o.head, o.tail.toString('utf8'), o.bytes);
      return;
    }
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    let line = buf.toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.handleLine(line);
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    const c = line.trimStart()[0];
    if (c !== '{' && c !== '[') {
      this.options.logger.warn(`ignored non-JSON output on stdout: ${abbreviate(line, 300)}`);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.options.logger.warn(`ignored malformed JSON on stdout: ${abbreviate(line, 300)}`);
      return;
    }
    if (this.options.logger.traceEnabled) this.options.logger.trace(`← ${abbreviate(line)}`);
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      if (m && typeof m === 'object' && (m as { jsonrpc?: unknown }).jsonrpc === '2.0') this.onmessage?.(m as JSONRPCMessage);
      else this.options.logger.warn(`ignored stdout line that is not JSON-RPC 2.0: ${abbreviate(JSON.stringify(m), 300)}`);
    }
  }

  /** Answers an oversized response ourselves with an error for its id, so only that call fails. */
  private rejectOversize(head: string, tail: string, bytes: number): void {
    const id = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)\s*\}\s*$/.exec(tail)?.[1] ?? /^\s*\{[^{]*?"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/.exec(head)?.[1];
    const limit = `${formatBytes(this.maxBytes)} (maxResultBytes)`;
    const message = `Message from server too large: ${formatBytes(bytes)} exceeds the limit of ${limit}; raise maxResultBytes for this server to accept it`;
    this.options.logger.error(message);
    if (id !== undefined) {
      this.onmessage?.({ jsonrpc: '2.0', id: JSON.parse(id) as string | number, error: { code: TOO_LARGE_ERROR_CODE, message } });
    }
  }

  // ---- stderr: line by line into the log, last lines kept for crash reports ----

  private onStderr(chunk: Buffer): void {
    const text = this.stderrPartial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.stderrPartial = lines.pop() ?? '';
    if (this.stderrPartial.length > MAX_LOGGED_LINE) {
      this.stderrLine(this.stderrPartial);
      this.stderrPartial = '';
    }
    for (const line of lines) this.stderrLine(line);
  }

  private stderrLine(raw: string): void {
    const line = abbreviate(raw.replace(/\r$/, ''), MAX_LOGGED_LINE);
    if (!line) return;
    this.tail.push(line);
    if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    this.options.logger.info(`[stderr] ${line}`);
    this.options.onStderrLine?.(line);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function abbreviate(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${formatBytes(text.length)})`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
