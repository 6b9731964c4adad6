// Faults in what a stdio server writes: non-JSON lines, sloppy framing (fragments, CRLF, text glued
// to the JSON, a truncated line), huge single lines, and floods of stderr while serving calls.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { NODE } from '../fixtures/paths';
import { BAD } from './fixtures';
import { textOf } from '../unit/helpers';
import { Bench, pidFromLog, sleep } from './harness';

describe('reliability: stdout and stderr', function () {
  this.timeout(60_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('stdout and stderr').start()));
  after(() => bench?.dispose());

  it('non-JSON lines on stdout', () =>
    bench.run('non-JSON lines on stdout', 'lines skipped and logged as warnings; calls work', async (t) => {
      const c = await t.server('noisy', { command: NODE, args: [BAD.noisyStdout] });
      for (let i = 0; i < 20; i++) assert.equal(textOf(await c.callTool('echo', { message: `n${i}` })), `Echo: n${i}`);
      const log = t.log('noisy');
      assert.ok(log.has(/warn ignored non-JSON output on stdout: hello from noisy server/));
      assert.ok(log.has(/warn ignored stdout line that is not JSON-RPC 2.0/));
      t.track(await pidFromLog(log, /noisy-stdout started pid=(\d+)/));
      return '20 calls answered; noise logged as warnings';
    }));

  it('partial lines: fragments, CRLF, text glued to the JSON, a truncated line', () =>
    bench.run(
      'partial lines on stdout',
      'fragments reassembled, glued text stripped; a truncated response fails only its call at once',
      async (t) => {
        const c = await t.server('sloppy', { command: NODE, args: [BAD.partialLines], requestTimeoutMs: 10_000 });
        const tools = await c.listTools();
        assert.deepEqual(
          tools.map((x) => x.name),
          ['echo', 'truncated'],
        );
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => c.callTool('echo', { message: `p${i}` })));
        answers.forEach((r, i) => assert.equal(textOf(r), `Echo: p${i} héllo ✓`));
        const e = await t.expectError('sloppy', () => c.callTool('truncated', {}), {
          kind: 'protocol',
          what: /malformed|invalid JSON|cut off/i,
          next: /server|log/i,
        });
        assert.ok(t.timeToErrorMs! < 5000, `failed fast, not at the request timeout (${Math.round(t.timeToErrorMs!)} ms): ${e.message}`);
        assert.equal(textOf(await c.callTool('echo', { message: 'after' })), 'Echo: after héllo ✓');
        t.track(await pidFromLog(t.log('sloppy'), /partial-lines started pid=(\d+)/));
        return '20 concurrent calls reassembled; truncated response failed its call at once';
      },
    ));

  it('huge single lines on stdout', () =>
    bench.run(
      'huge single lines on stdout',
      'huge garbage lines dropped without blocking; a big result passes; a too-big one fails only its call',
      async (t) => {
        const c = await t.server('huge', {
          command: NODE,
          args: [BAD.hugeLine],
          env: { HUGE_BYTES: String(8 * 1024 * 1024) },
          maxResultBytes: 32 * 1024 * 1024,
        });
        for (let i = 0; i < 3; i++) assert.equal(textOf(await c.callTool('echo', { message: `h${i}` })), `Echo: h${i}`);
        const big = await c.callTool('blob', { bytes: 20 * 1024 * 1024 });
        assert.equal(textOf(big).length, 20 * 1024 * 1024, 'a 20 MiB result (the SDK transport stops at 10 MiB)');
        await t.expectError('huge', () => c.callTool('blob', { bytes: 40 * 1024 * 1024 }), {
          kind: 'tooLarge',
          what: /too large: 40\.0 MiB exceeds the limit of 32\.0 MiB/,
          next: /raise maxResultBytes/,
        });
        assert.equal(textOf(await c.callTool('echo', { message: 'alive' })), 'Echo: alive');
        assert.ok(t.log('huge').has(/ignored non-JSON output on stdout: ggg/));
        t.track(await pidFromLog(t.log('huge'), /huge-line started pid=(\d+)/));
        return '8 MiB garbage lines skipped, 20 MiB result passed, 40 MiB result failed only its call';
      },
    ));

  it('stderr flood (~1 MB/s of lines) while serving calls', () =>
    bench.run('floods stderr (1 MB/s) while serving', 'calls unaffected; log keeps up; no timeouts', async (t) => {
      const c = await t.server('flood', { command: NODE, args: [BAD.stderrFlood], requestTimeoutMs: 5000 });
      const t0 = performance.now();
      let worst = 0;
      for (let i = 0; i < 100; i++) {
        const a = performance.now();
        assert.equal(textOf(await c.callTool('echo', { message: `f${i}` })), `Echo: f${i}`);
        worst = Math.max(worst, performance.now() - a);
        await sleep(10);
      }
      t.mark(worst);
      assert.ok(t.log('flood').count > 200, 'stderr reached the log');
      t.track(await pidFromLog(t.log('flood'), /stderr-flood started pid=(\d+)/));
      return `100 calls in ${Math.round(performance.now() - t0)} ms, slowest ${Math.round(worst)} ms`;
    }));

  it('stderr storm (as fast as the pipe takes it) while serving calls', () =>
    bench.run(
      'floods stderr (pipe speed, tens of MB/s) while serving',
      'calls unaffected; stderr logging bounded; no timeouts',
      async (t) => {
        const c = await t.server('storm', { command: NODE, args: [BAD.stderrStorm], requestTimeoutMs: 5000 });
        await c.ping();
        const t0 = performance.now();
        let worst = 0;
        for (let i = 0; i < 50; i++) {
          const a = performance.now();
          assert.equal(textOf(await c.callTool('echo', { message: `s${i}` })), `Echo: s${i}`);
          worst = Math.max(worst, performance.now() - a);
          await sleep(20);
        }
        const ms = performance.now() - t0;
        t.mark(worst);
        const log = t.log('storm');
        const mib = Math.round(Number(textOf(await c.callTool('written', {}))) / 1048576);
        assert.ok(mib >= 5, `the storm wrote ${mib} MiB`);
        t.track(await pidFromLog(log, /stderr-storm started pid=(\d+)/));
        // The log must not get one line per stderr line at tens of thousands of lines per second:
        // that would flood the editor's output channel.
        const perSecond = log.count / (ms / 1000);
        assert.ok(perSecond < 5000, `log lines per second: ${Math.round(perSecond)}`);
        return `50 calls in ${Math.round(ms)} ms (slowest ${Math.round(worst)} ms) under ${mib} MiB of stderr; ${Math.round(perSecond)} log lines/s`;
      },
    ));
});
