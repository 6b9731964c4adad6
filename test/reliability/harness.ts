// The reliability harness: every fault case runs inside one ServerRegistry next to a healthy server,
// which is called continuously while the fault happens ("other servers are unaffected"). Around each
// case it measures the event-loop delay ("the UI stays responsive": core never blocks the host's
// thread), checks that no process started by the case remains afterwards (direct children through
// /proc, zombies excluded; grandchildren by pid), and records the outcome and time to error in
// out/reliability.json, from which scripts/reliability-report.mjs writes docs/reliability.md.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  parseServers,
  ServerError,
  ServerRegistry,
  type Logger,
  type ParseResult,
  type ServerConnection,
  type Timing,
} from '../../src/core';
import { FIXTURE_SERVER, NODE, REPO_ROOT, isProcessAlive } from '../fixtures/paths';
import { childPids, textOf, waitFor } from '../unit/helpers';

export { groupPids } from '../unit/helpers';

/** Short grace periods and backoff so lifecycle cases run in milliseconds, not seconds. */
export const FAST: Partial<Timing> = {
  closeGraceMs: 300,
  killGraceMs: 300,
  backoffBaseMs: 50,
  backoffMaxMs: 400,
  maxFailures: 3,
  healthyAfterMs: 60_000,
};

export const HEALTHY = 'healthy';
const HEALTHY_ENTRY = { command: NODE, args: [FIXTURE_SERVER] };

/** Generous sanity bounds: the suite records timings but only fails on something clearly wrong. */
export const SANITY = { loopLagMs: 1500, healthyLatencyMs: 5000 };

export interface CaseRecord {
  readonly group: string;
  readonly name: string;
  readonly expected: string;
  outcome: string;
  passed: boolean;
  /** From the faulty operation's start to its error (or to the observed outcome). */
  timeToErrorMs?: number;
  errorKind?: string;
  message?: string;
  durationMs: number;
  maxLoopLagMs: number;
  healthyCalls: number;
  healthyMaxLatencyMs: number;
  leftoverProcesses: number;
  failure?: string;
}

const records: CaseRecord[] = [];
const suiteStart = performance.now();

/** A per-server log that keeps the last lines only (a stderr storm must not fill the test's memory). */
export class LogSink implements Logger {
  /** The first lines (start-up messages such as the pid) and the most recent ones. */
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  count = 0;
  readonly traceEnabled = false;
  constructor(private readonly max = 2000) {}
  get lines(): string[] {
    return [...this.head, ...this.tail];
  }
  private push(level: string, m: string | Error) {
    this.count++;
    const line = `${level} ${typeof m === 'string' ? m : m.message}`;
    if (this.head.length < 100) return void this.head.push(line);
    this.tail.push(line);
    if (this.tail.length > this.max * 2) this.tail.splice(0, this.tail.length - this.max);
  }
  trace = (m: string) => this.push('trace', m);
  debug = (m: string) => this.push('debug', m);
  info = (m: string) => this.push('info', m);
  warn = (m: string) => this.push('warn', m);
  error = (m: string | Error) => this.push('error', m);
  has(re: RegExp): boolean {
    return this.lines.some((l) => re.test(l));
  }
}

export interface ExpectedError {
  readonly kind: ServerError['kind'];
  /** What happened. */
  readonly what: RegExp;
  /** The next step the message suggests (omit only where the message needs none, e.g. a user cancel). */
  readonly next?: RegExp;
  /** Defaults to the server the operation ran on. */
  readonly server?: string;
}

export class CaseContext {
  timeToErrorMs?: number;
  error?: ServerError;
  readonly pids = new Set<number>();
  readonly names: string[] = [];
  readonly cleanups: (() => Promise<unknown> | void)[] = [];
  constructor(readonly bench: Bench) {}

  /** Adds a server to the registry's configuration (a config change: the healthy one keeps running). */
  async server(name: string, entry: Record<string, unknown>): Promise<ServerConnection> {
    this.names.push(name);
    await this.bench.configure({ ...this.bench.entries, [name]: entry });
    const c = this.bench.registry.get(name);
    assert.ok(c, `server ${name} was not created: ${JSON.stringify(this.bench.registry.issues)}`);
    return c;
  }

  log(name: string): LogSink {
    return this.bench.log(name);
  }

  /** A process (e.g. a grandchild) that must not be alive once the case has cleaned up. */
  track(pid: number | undefined): void {
    if (pid && pid > 0) this.pids.add(pid);
  }

  onCleanup(fn: () => Promise<unknown> | void): void {
    this.cleanups.push(fn);
  }

  /**
   * Runs the operation, asserts it fails with a ServerError naming the server, the kind, what
   * happened and the next step; the first call also records the time to error.
   */
  async expectError(server: string, op: () => Promise<unknown>, expected: ExpectedError): Promise<ServerError> {
    const t0 = performance.now();
    let error: unknown;
    try {
      await op();
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    assert.ok(error !== undefined, `expected ${server} to fail with ${expected.kind}, but the operation succeeded`);
    assert.ok(error instanceof ServerError, `expected a ServerError, got ${String(error)}`);
    assert.equal(error.server, expected.server ?? server, `error names the server: ${error.message}`);
    assert.ok(error.message.startsWith(`${expected.server ?? server}: `), `message starts with the server name: ${error.message}`);
    assert.equal(error.kind, expected.kind, `error kind for: ${error.message}`);
    assert.match(error.message, expected.what);
    if (expected.next) assert.match(error.message, expected.next, 'the message says what to do next');
    this.timeToErrorMs ??= ms;
    this.error ??= error;
    return error;
  }

  /** Records a time to an outcome that is not an error (e.g. a late handshake that succeeded). */
  mark(ms: number): void {
    this.timeToErrorMs ??= ms;
  }
}

export class Bench {
  readonly registry: ServerRegistry;
  entries: Record<string, unknown> = { [HEALTHY]: HEALTHY_ENTRY };
  private readonly logs = new Map<string, LogSink>();
  healthyPid = 0;

  constructor(
    readonly group: string,
    timing: Partial<Timing> = FAST,
  ) {
    this.registry = new ServerRegistry({ timing, loggerFor: (name) => this.log(name, true) });
  }

  log(name: string, fresh = false): LogSink {
    let sink = this.logs.get(name);
    if (!sink || fresh) this.logs.set(name, (sink = new LogSink()));
    return sink;
  }

  get healthy(): ServerConnection {
    return this.registry.get(HEALTHY)!;
  }

  async start(): Promise<this> {
    await this.configure(this.entries);
    this.healthyPid = Number(textOf(await this.healthy.callTool('pid', {})));
    return this;
  }

  async configure(entries: Record<string, unknown>, extra?: (r: ParseResult) => ParseResult): Promise<void> {
    this.entries = entries;
    const parsed = parseServers(entries);
    await this.registry.update(extra ? extra(parsed) : parsed);
  }

  async dispose(): Promise<void> {
    await this.registry.dispose();
  }

  /**
   * One fault case. `body` provokes the fault and returns a short description of the outcome;
   * `expected` is what the issue asks for, for the report.
   */
  async run(name: string, expected: string, body: (t: CaseContext) => Promise<string>): Promise<void> {
    const record: CaseRecord = {
      group: this.group,
      name,
      expected,
      outcome: '',
      passed: false,
      durationMs: 0,
      maxLoopLagMs: 0,
      healthyCalls: 0,
      healthyMaxLatencyMs: 0,
      leftoverProcesses: 0,
    };
    records.push(record);
    const t = new CaseContext(this);
    const before = new Set(childPids());
    const lag = monitorEventLoopDelay({ resolution: 10 });
    const beat = heartbeat(this.healthy);
    const start = performance.now();
    lag.enable();
    let failure: unknown;
    try {
      record.outcome = await body(t);
    } catch (e) {
      failure = e;
    }
    lag.disable();
    record.durationMs = performance.now() - start;
    record.maxLoopLagMs = lag.max / 1e6;
    const hb = await beat.stop();
    record.healthyCalls = hb.calls;
    record.healthyMaxLatencyMs = hb.maxLatencyMs;
    record.timeToErrorMs = t.timeToErrorMs;
    record.errorKind = t.error?.kind;
    record.message = t.error?.message;
    try {
      // Remove the case's servers (a configuration change), then nothing of theirs may remain.
      const entries = { ...this.entries };
      for (const n of t.names) delete entries[n];
      await this.configure(entries);
      for (const fn of t.cleanups.reverse()) await fn();
      let leftover: number[] = [];
      try {
        await waitFor(
          () => (leftover = [...childPids().filter((p) => !before.has(p)), ...[...t.pids].filter(isProcessAlive)]).length === 0,
          5000,
          'processes to end',
        );
      } catch {
        record.leftoverProcesses = leftover.length;
        for (const p of leftover) killQuietly(p);
        throw new Error(`processes left behind: ${leftover.map(describePid).join(', ')}`);
      }
      if (failure) throw failure;
      assert.equal(hb.failures.length, 0, `the healthy server failed during the fault: ${hb.failures.join('; ')}`);
      assert.equal(Number(textOf(await this.healthy.callTool('pid', {}))), this.healthyPid, 'the healthy server kept its process');
      assert.ok(record.maxLoopLagMs < SANITY.loopLagMs, `event loop blocked for ${record.maxLoopLagMs.toFixed(0)} ms`);
      assert.ok(hb.maxLatencyMs < SANITY.healthyLatencyMs, `healthy server took ${hb.maxLatencyMs.toFixed(0)} ms for one call`);
      record.passed = true;
    } catch (e) {
      record.failure = e instanceof Error ? e.message : String(e);
      throw e;
    }
  }
}

/** Calls the healthy server back to back (with a short pause) until stopped. */
function heartbeat(conn: ServerConnection) {
  let stopped = false;
  let calls = 0;
  let maxLatencyMs = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        const r = await conn.callTool('echo', { message: `beat ${calls}` });
        if (textOf(r) !== `Echo: beat ${calls}`) failures.push(`unexpected answer ${textOf(r)}`);
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
      maxLatencyMs = Math.max(maxLatencyMs, performance.now() - t0);
      calls++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { calls, maxLatencyMs, failures };
    },
  };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

function describePid(pid: number): string {
  try {
    return `${pid} (${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120)})`;
  } catch {
    return String(pid);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Milliseconds an async operation takes. */
export async function timed<T>(op: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await op();
  return { value, ms: performance.now() - t0 };
}

/** Pid from a stderr line like `... pid=123` or `LAUNCHED 123` in a server's log. */
export async function pidFromLog(log: LogSink, re: RegExp, timeoutMs = 5000): Promise<number> {
  let pid = 0;
  await waitFor(
    () => {
      for (const l of log.lines) {
        const m = re.exec(l);
        if (m) pid = Number(m[1]);
      }
      return pid > 0;
    },
    timeoutMs,
    `a line matching ${re}`,
  );
  return pid;
}

export const OUT_FILE = path.join(REPO_ROOT, 'out', 'reliability.json');

// Root-level hook (this module is loaded once, while mocha loads the spec files): merges this run's
// records into out/reliability.json, so running one file updates only its own rows.
after(function writeResults() {
  if (records.length === 0) return;
  let previous: CaseRecord[] = [];
  try {
    previous = (JSON.parse(fs.readFileSync(OUT_FILE, 'utf8')) as { cases: CaseRecord[] }).cases;
  } catch {
    // first run
  }
  const key = (r: CaseRecord) => `${r.group}\u0000${r.name}`;
  const ran = new Set(records.map(key));
  const groups = new Set(records.map((r) => r.group));
  // Rows of groups that ran are replaced wholesale (renamed cases disappear); other groups are kept.
  const cases = [...previous.filter((r) => !groups.has(r.group) && !ran.has(key(r))), ...records];
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  fs.writeFileSync(
    OUT_FILE,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        cpus: os.cpus().length,
        lastRunMs: Math.round(performance.now() - suiteStart),
        cases,
      },
      null,
      2,
    ) + '\n',
  );
});
