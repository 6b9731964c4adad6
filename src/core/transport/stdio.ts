// Our stdio client transport. Why not the SDK's StdioClientTransport (measured, see
// docs/performance.md): its read buffer concatenates everything received on every chunk
// (quadratic on large results), caps a message at 10 MiB and then closes the transport, and
// close() signals only the direct child, leaving `npx`/shell grandchildren behind. This one
// frames lines linearly, fails only the one oversized response, skips non-JSON stdout lines,
// captures stderr line by line, and ends the whole process group on close.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { Logger } from '../logger';
import { groupAlive, signalGroup, trackGroup, untrackGroup } from './processTree';
import { formatBytes } from '../format';

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
  /** The server wrote something on stdout that is not a JSON-RPC message (called once per line). */
  readonly onStdoutNoise?: (text: string) => void;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const STDERR_TAIL_LINES = 30;
const MAX_LOGGED_LINE = 4000;
/** More stderr than this is counted, not logged: a server writing MB/s must not flood the editor's log. */
const STDERR_LOG_LINES_PER_SECOND = 500;
/** JSON-RPC's code for "invalid JSON was received". */
const PARSE_ERROR_CODE = -32700;
/** The start of a JSON-RPC message, for finding one behind text printed without a newline. */
const MESSAGE_START = /\{\s*"(?:jsonrpc|id|method|result|error|params)"\s*:/g;
export const TOO_LARGE_ERROR_CODE = -32099;

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcessWithoutNullStreams;
  private readonly maxBytes: number;
  // Linear framing state. A line within one chunk is decoded once, at its end. A line spanning
  // chunks is decoded as it arrives and its raw chunks dropped at once: a big result then peaks at
  // ~3.3x its size in the client instead of 4x (chunks + joined copy + text + parsed value), at the
  // same speed (measured in docs/performance.md).
  private first?: Buffer;
  private decoder?: StringDecoder;
  private text = '';
  private head = '';
  private pending = 0;
  private oversize?: { head: string; tail: Buffer; bytes: number };
  private stderrPartial = '';
  private readonly tail: string[] = [];
  private stderrWindow = 0;
  private stderrLogged = 0;
  private stderrDropped = 0;
  /** Ids of our requests not yet answered, to fail the right one when its answer is garbled. */
  private readonly inFlight = new Set<string | number>();
  private exitInfo?: ExitInfo;
  private finalized = false;
  private closing?: Promise<void>;
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;
  private noise?: string;

  constructor(private readonly options: StdioTransportOptions) {
    this.maxBytes = options.maxMessageBytes ?? 256 * 1024 * 1024;
    this.exited = new Promise((r) => (this.resolveExited = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * The child's stderr (we read it ourselves). Also what tells the SDK this is a stdio transport:
   * it recognises one by `stderr` and `pid`, and then takes silence on, or an exit at, its
   * protocol-version probe for a 2025-era server instead of an outage.
   */
  get stderr(): NodeJS.ReadableStream | null {
    return this.child?.stderr ?? null;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** The first text the server wrote on stdout that was not a JSON-RPC message (a stdio server may only write protocol there). */
  get firstNoise(): string | undefined {
    return this.noise;
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
    const m = message as { id?: string | number; method?: string; params?: { requestId?: string | number } };
    if (m.method !== undefined) {
      if (m.id !== undefined) this.inFlight.add(m.id);
      else if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) this.inFlight.delete(m.params.requestId);
    }
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
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGKILL');
        // SIGKILL is asynchronous: resolve only once the tree is really gone (bounded).
        const killed = Date.now() + 2000;
        while (groupAlive(pid) && Date.now() < killed) await delay(10);
      }
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
      this.flushDroppedStderr();
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
      const head = this.decoder ? this.head : (this.first ?? part).toString('utf8', 0, 256);
      this.oversize = { head, tail: Buffer.from(part.subarray(-256)), bytes: this.pending + part.length };
      this.resetLine();
      return;
    }
    this.pending += part.length;
    if (!this.decoder) {
      if (!this.first) {
        this.first = part;
        return;
      }
      this.decoder = new StringDecoder('utf8');
      this.head = this.first.toString('utf8', 0, 256);
      this.text = this.decoder.write(this.first);
      this.first = undefined;
    }
    this.text += this.decoder.write(part);
  }

  private resetLine(): void {
    this.first = undefined;
    this.decoder = undefined;
    this.text = '';
    this.head = '';
    this.pending = 0;
  }

  private endLine(): void {
    if (this.oversize) {
      const o = this.oversize;
      this.oversize = undefined;
      this.rejectOversize(o.head, o.tail.toString('utf8'), o.bytes);
      return;
    }
    let line = this.decoder ? this.text + this.decoder.end() : (this.first?.toString('utf8') ?? '');
    this.resetLine();
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.handleLine(line);
  }

  private handleLine(line: string, salvaged = false): void {
    if (line.trim() === '') return;
    const c = line.trimStart()[0];
    if (c !== '{' && c !== '[') {
      if (!salvaged && this.salvage(line, 0)) return;
      this.options.logger.warn(`ignored non-JSON output on stdout: ${abbreviate(line, 300)}`);
      this.noticeNoise(line);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      if (!salvaged && this.salvage(line, 1)) return;
      this.malformed(line);
      return;
    }
    if (this.options.logger.traceEnabled) this.options.logger.trace(`← ${abbreviate(line)}`);
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      if (m && typeof m === 'object' && (m as { jsonrpc?: unknown }).jsonrpc === '2.0') {
        const r = m as { id?: string | number; method?: unknown };
        if (r.id !== undefined && r.method === undefined) this.inFlight.delete(r.id);
        else if (salvaged && r.id !== undefined) {
          // A request found inside log text may be a server logging what it received: never act on it.
          this.options.logger.warn(`ignored a request found inside other stdout output: ${abbreviate(line, 300)}`);
          continue;
        }
        this.onmessage?.(m as JSONRPCMessage);
      } else {
        this.options.logger.warn(`ignored stdout line that is not JSON-RPC 2.0: ${abbreviate(JSON.stringify(m), 300)}`);
        this.noticeNoise(JSON.stringify(m));
      }
    }
  }

  private noticeNoise(text: string): void {
    const t = text.trim();
    if (!t) return;
    this.noise ??= t;
    this.options.onStdoutNoise?.(t);
  }

  /**
   * Text a server printed without a newline ends up in front of the next message on the same line
   * (`Loading...{"jsonrpc":...}`). Parses from the first message start after `from`, once.
   */
  private salvage(line: string, from: number): boolean {
    MESSAGE_START.lastIndex = from;
    const at = MESSAGE_START.exec(line)?.index;
    if (at === undefined) return false;
    this.options.logger.warn(`ignored non-JSON output on stdout before a message: ${abbreviate(line.slice(0, at), 300)}`);
    this.noticeNoise(line.slice(0, at));
    this.handleLine(line.slice(at), true);
    return true;
  }

  /**
   * A line that starts like JSON but does not parse: a message cut off (a partial line) or
   * corrupted. When it can be told which of our requests it answers (its id, or the only one
   * waiting), that request fails now instead of waiting for its timeout; the server stays connected.
   */
  private malformed(line: string): void {
    const head = line.slice(0, 300);
    let id: string | number | undefined;
    // Requests and notifications from the server carry "method"; their ids are not ours.
    if (!/"method"\s*:/.test(head)) {
      const found =
        /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/.exec(head)?.[1] ??
        /"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)\s*\}\s*$/.exec(line.slice(-300))?.[1];
      const parsed = found === undefined ? undefined : (JSON.parse(found) as string | number);
      if (parsed !== undefined && this.inFlight.has(parsed)) id = parsed;
      // No id left (the SDK writes it last): with one request waiting, a cut-off result is its answer.
      else if (parsed === undefined && this.inFlight.size === 1 && /^\s*\{[^]*?"(?:result|error)"\s*:/.test(head))
        id = this.inFlight.values().next().value;
    }
    const what = `a ${formatBytes(Buffer.byteLength(line))} line that is not valid JSON (cut off or corrupted): ${abbreviate(line, 200)}`;
    if (id === undefined) {
      this.options.logger.warn(`ignored ${what}`);
      return;
    }
    this.options.logger.error(`the answer to request ${JSON.stringify(id)} is ${what}`);
    this.inFlight.delete(id);
    this.onmessage?.({
      jsonrpc: '2.0',
      id,
      error: {
        code: PARSE_ERROR_CODE,
        message: `the server's answer was malformed: ${what}. The server is still connected; try again, or check its log`,
      },
    });
  }

  /** Answers an oversized response ourselves with an error for its id, so only that call fails. */
  private rejectOversize(head: string, tail: string, bytes: number): void {
    const id =
      /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)\s*\}\s*$/.exec(tail)?.[1] ?? /^\s*\{[^{]*?"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/.exec(head)?.[1];
    const limit = `${formatBytes(this.maxBytes)} (maxResultBytes)`;
    const message = `Message from server too large: ${formatBytes(bytes)} exceeds the limit of ${limit}; raise maxResultBytes for this server to accept it`;
    this.options.logger.error(message);
    if (id !== undefined) {
      this.inFlight.delete(JSON.parse(id) as string | number);
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
    const now = Date.now();
    if (now - this.stderrWindow >= 1000) {
      this.flushDroppedStderr();
      this.stderrWindow = now;
      this.stderrLogged = 0;
    }
    if (this.stderrLogged++ >= STDERR_LOG_LINES_PER_SECOND) {
      this.stderrDropped++;
      return;
    }
    this.options.logger.info(`[stderr] ${line}`);
    this.options.onStderrLine?.(line);
  }

  private flushDroppedStderr(): void {
    if (this.stderrDropped === 0) return;
    this.options.logger.warn(
      `[stderr] … ${this.stderrDropped} more lines not logged: the server writes more than ${STDERR_LOG_LINES_PER_SECOND} lines per second (the last lines are kept for error reports)`,
    );
    this.stderrDropped = 0;
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

export { formatBytes };
