// Faults during calls: a tool that never returns, progress that never ends, crashes mid-call, user
// cancellation, and many concurrent calls on one session.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { BAD } from './fixtures';
import { textOf, waitFor } from '../unit/helpers';
import { Bench, pidFromLog } from './harness';

describe('reliability: tool calls', function () {
  this.timeout(30_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('Tool calls').start()));
  after(() => bench?.dispose());

  const fixture = (extra: Record<string, unknown> = {}) => ({ command: NODE, args: [FIXTURE_SERVER], ...extra });
  const cancelledOnServer = (n: number) => (l: string) => l.includes('[stderr] cancelled') && n-- <= 1;

  it('tool never returns: timeout, cancellation sent, server still usable', () =>
    bench.run(
      'tool never returns',
      'timeout error after requestTimeoutMs, notifications/cancelled sent, same process still serves',
      async (t) => {
        const c = await t.server('hang', fixture({ requestTimeoutMs: 500 }));
        const pid = Number(textOf(await c.callTool('pid', {})));
        await t.expectError('hang', () => c.callTool('sleep', { ms: 60_000 }), {
          kind: 'timeout',
          what: /tools\/call "sleep" timed out/,
          next: /requestTimeoutMs/,
        });
        await waitFor(() => t.log('hang').has(/\[stderr\] cancelled/), 3000, 'the server to see notifications/cancelled');
        assert.equal(textOf(await c.callTool('echo', { message: 'still here' })), 'Echo: still here');
        assert.equal(Number(textOf(await c.callTool('pid', {}))), pid);
        return 'timeout error; server received the cancellation and kept serving';
      },
    ));

  it('progress for a long time: the timeout resets, the maximum total is enforced', () =>
    bench.run('progress for a long time', 'progress resets the timeout; maxTotalTimeoutMs ends it with cancellation', async (t) => {
      const c = await t.server('chatty', fixture({ requestTimeoutMs: 400, maxTotalTimeoutMs: 1500 }));
      let progress = 0;
      const ok = await c.callTool('sleep', { ms: 1000, progress: true }, { onProgress: () => progress++ });
      assert.equal(textOf(ok), 'slept 1000', 'progress kept a 1000 ms call alive past a 400 ms timeout');
      assert.ok(progress >= 5, `progress notifications: ${progress}`);
      const t0 = performance.now();
      await t.expectError('chatty', () => c.callTool('sleep', { ms: 30_000, progress: true }, { onProgress: () => progress++ }), {
        kind: 'timeout',
        what: /maximum total/i,
        next: /maxTotalTimeoutMs/,
      });
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 1400 && elapsed < 5000, `ended at the maximum total: ${Math.round(elapsed)} ms`);
      await waitFor(() => t.log('chatty').lines.some(cancelledOnServer(1)), 3000, 'the server to see notifications/cancelled');
      assert.equal(textOf(await c.callTool('echo', { message: 'ok' })), 'Echo: ok');
      return `progress kept a call alive past the timeout; max total ended one at ${Math.round(elapsed)} ms, cancelled on the server`;
    }));

  for (const n of [16, 64]) {
    it(`${n} concurrent calls on one session`, () =>
      bench.run(`${n} concurrent calls on one session`, 'all answered correctly, one process', async (t) => {
        const c = await t.server(`many${n}`, fixture());
        const t0 = performance.now();
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            i % 4 === 0 ? c.callTool('sleep', { ms: 50 + (i % 7) * 10 }) : c.callTool('echo', { message: `m${i}` }),
          ),
        );
        const ms = performance.now() - t0;
        results.forEach((r, i) => assert.equal(textOf(r), i % 4 === 0 ? `slept ${50 + (i % 7) * 10}` : `Echo: m${i}`));
        const pids = await Promise.all(Array.from({ length: 8 }, () => c.callTool('pid', {})));
        assert.equal(new Set(pids.map(textOf)).size, 1);
        t.mark(ms);
        return `${n} calls answered in ${Math.round(ms)} ms on one process`;
      }));
  }

  it('a call cancelled by the user', () =>
    bench.run('call cancelled by the user', 'cancelled error at once, server notified, still usable', async (t) => {
      const c = await t.server('cancel', fixture());
      await c.ping();
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      await t.expectError('cancel', () => c.callTool('sleep', { ms: 30_000 }, { signal: ac.signal }), {
        kind: 'cancelled',
        what: /tools\/call "sleep" was cancelled/,
      });
      await waitFor(() => t.log('cancel').has(/\[stderr\] cancelled/), 3000, 'the server to see notifications/cancelled');
      assert.equal(textOf(await c.callTool('echo', { message: 'after cancel' })), 'Echo: after cancel');
      // Cancelling while the server is still starting stops waiting at once; the start goes on.
      const slow = await t.server('cancelstart', { command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '800' } });
      const ac2 = new AbortController();
      setTimeout(() => ac2.abort(), 100);
      const t0 = performance.now();
      await assert.rejects(slow.callTool('echo', { message: 'x' }, { signal: ac2.signal }), (e: Error) =>
        /cancelled while waiting for the server to start/.test(e.message),
      );
      assert.ok(performance.now() - t0 < 700);
      assert.equal(textOf(await slow.callTool('echo', { message: 'y' })), 'Echo: y');
      return 'cancelled error; server saw notifications/cancelled and kept serving';
    }));

  it('server crashes in the middle of a call', () =>
    bench.run('crashes in the middle of a call', 'crash error for that call and for calls in flight; next call restarts it', async (t) => {
      const c = await t.server('crashmid', fixture());
      const pid1 = Number(textOf(await c.callTool('pid', {})));
      t.track(pid1);
      const inFlight = Array.from({ length: 5 }, () =>
        c.callTool('sleep', { ms: 20_000 }).then(
          () => 'ok',
          (e: Error) => e,
        ),
      );
      const e = await t.expectError('crashmid', () => c.callTool('crash', { code: 7 }), {
        kind: 'crash',
        what: /exited with code 7 during tools\/call "crash"/,
        next: /next operation restarts it/,
      });
      assert.deepEqual(e.stderrTail?.slice(-1), ['crashing']);
      const others = await Promise.all(inFlight);
      for (const o of others) assert.ok(o instanceof Error && /exited with code 7/.test(o.message), `in-flight call: ${String(o)}`);
      const s = c.state;
      assert.ok(s.kind === 'error' && s.exitCode === 7 && !s.gaveUp);
      const pid2 = Number(textOf(await c.callTool('pid', {})));
      assert.notEqual(pid1, pid2);
      t.track(await pidFromLog(t.log('crashmid'), /fixture server started pid=(\d+)/));
      return 'crash error (exit code, stderr) for the call and 5 calls in flight; restarted on next call';
    }));
});
