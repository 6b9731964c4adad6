// Soak: many sequential calls and many start/stop cycles must leave memory flat and leak no
// handles (sockets, pipes, timers) and no processes.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { FIXTURE_SERVER, NODE, isProcessAlive, startHttpFixture } from '../fixtures/paths';
import { childPids, textOf } from '../unit/helpers';
import { BAD } from './fixtures';
import { Bench } from './harness';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function snapshot() {
  gc();
  gc();
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return { heap: process.memoryUsage().heapUsed, counts };
}

/** Asserts no kind of handle grew by more than `slack` (the heartbeat's call and timer come and go). */
function assertFlat(before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>, maxHeapGrowth: number, slack = 3): string {
  const growth = after.heap - before.heap;
  assert.ok(growth < maxHeapGrowth, `heap grew by ${(growth / 1048576).toFixed(1)} MiB`);
  for (const [kind, n] of Object.entries(after.counts)) {
    assert.ok(n <= (before.counts[kind] ?? 0) + slack, `${kind} handles: ${before.counts[kind] ?? 0} -> ${n}`);
  }
  return `heap ${growth >= 0 ? '+' : ''}${(growth / 1048576).toFixed(1)} MiB`;
}

describe('reliability: soak', function () {
  this.timeout(120_000);
  let bench: Bench;
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  before(async () => {
    bench = await new Bench('Soak').start();
    process.on('warning', onWarning);
  });
  after(async () => {
    process.off('warning', onWarning);
    await bench?.dispose();
  });

  it('10,000 sequential calls on one stdio session', () =>
    bench.run('10,000 sequential calls (stdio)', 'flat memory, no handle growth, one process', async (t) => {
      const c = await t.server('soak', { command: NODE, args: [FIXTURE_SERVER] });
      for (let i = 0; i < 500; i++) await c.callTool('echo', { message: `w${i}` });
      const before = snapshot();
      const pid = c.info!.pid;
      const t0 = performance.now();
      for (let i = 0; i < 10_000; i++) {
        const r = await c.callTool('echo', { message: `m${i}` });
        if (i % 1000 === 0) assert.equal(textOf(r), `Echo: m${i}`);
      }
      const ms = performance.now() - t0;
      t.mark(ms);
      const flat = assertFlat(before, snapshot(), 16 * 1024 * 1024);
      assert.equal(c.info!.pid, pid);
      t.track(pid);
      assert.deepEqual(warnings, []);
      return `${Math.round(10_000 / (ms / 1000))} calls/s; ${flat}; no handle growth`;
    }));

  it('2,000 sequential calls on one Streamable HTTP session', () =>
    bench.run('2,000 sequential calls (Streamable HTTP)', 'flat memory, no socket or listener growth, no warnings', async (t) => {
      const http = await startHttpFixture(['--http']);
      t.onCleanup(() => http.stop());
      const c = await t.server('soakhttp', { type: 'http', url: http.url });
      for (let i = 0; i < 200; i++) await c.callTool('echo', { message: `w${i}` });
      const before = snapshot();
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) await c.callTool('echo', { message: `m${i}` });
      const ms = performance.now() - t0;
      t.mark(ms);
      const flat = assertFlat(before, snapshot(), 16 * 1024 * 1024);
      assert.deepEqual(warnings, [], 'no MaxListenersExceeded or other warnings');
      return `${Math.round(2000 / (ms / 1000))} calls/s; ${flat}; no handle growth`;
    }));

  it('100 start/stop cycles', () =>
    bench.run('100 start/stop cycles', 'every process ends; flat memory; no handle growth', async (t) => {
      // A hand-written server (no SDK to load) keeps 100 cycles fast; what is measured is the client.
      const c = await t.server('cycles', { command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '0' } });
      const children = childPids().length;
      await c.start();
      await c.stop();
      const before = snapshot();
      const pids: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) {
        await c.start();
        pids.push(c.info!.pid!);
        assert.equal(c.state.kind, 'running');
        await c.stop();
        assert.equal(c.state.kind, 'stopped');
      }
      const ms = performance.now() - t0;
      t.mark(ms / 100);
      pids.forEach((p) => t.track(p));
      assert.equal(new Set(pids).size, 100);
      assert.deepEqual(pids.filter(isProcessAlive), [], 'every server process ended');
      assert.equal(childPids().length, children, 'no child process left');
      const flat = assertFlat(before, snapshot(), 16 * 1024 * 1024);
      assert.deepEqual(warnings, []);
      return `100 cycles in ${(ms / 1000).toFixed(1)} s (${Math.round(ms / 100)} ms each); ${flat}; no handle growth`;
    }));
});
