// Faults while starting: handshakes that never come, come late or are incompatible; servers that
// exit at once; servers that crash on every start (backoff, then give up, no restart loop).
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { NODE } from '../fixtures/paths';
import { isProcessAlive } from '../fixtures/paths';
import { BAD } from './fixtures';
import { childPids, textOf } from '../unit/helpers';
import { Bench, FAST, pidFromLog, sleep } from './harness';

describe('reliability: handshake and startup', function () {
  this.timeout(30_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('Handshake and startup').start()));
  after(() => bench?.dispose());

  it('server never answers initialize', () =>
    bench.run('never answers `initialize`', 'handshake error after startupTimeoutMs, process killed', async (t) => {
      const c = await t.server('silent', { command: NODE, args: [BAD.noInitialize], startupTimeoutMs: 800 });
      const call = t.expectError('silent', () => c.ping(), {
        kind: 'handshake',
        what: /did not complete the MCP handshake within 800 ms/,
        next: /raise startupTimeoutMs/,
      });
      t.track(await pidFromLog(t.log('silent'), /no-initialize started pid=(\d+)/));
      await call;
      assert.equal(c.state.kind, 'error');
      return 'handshake timeout error; the process was killed';
    }));

  it('stopped (or removed) while its handshake hangs', () =>
    bench.run(
      'stopped while the handshake hangs',
      'waiting callers get "stopped" at once; process killed; state stopped, not error',
      async (t) => {
        const c = await t.server('hung', { command: NODE, args: [BAD.noInitialize], startupTimeoutMs: 30_000 });
        const call = t.expectError('hung', () => c.callTool('echo', {}), {
          kind: 'stopped',
          what: /stopped while (it was )?starting/,
          next: /start it again|restart/i,
        });
        const pid = await pidFromLog(t.log('hung'), /no-initialize started pid=(\d+)/);
        t.track(pid);
        const t0 = performance.now();
        await c.stop();
        await call;
        assert.ok(performance.now() - t0 < 3000, 'stop does not wait for startupTimeoutMs');
        assert.equal(c.state.kind, 'stopped');
        assert.ok(!isProcessAlive(pid));
        return 'callers released with "stopped" at once; process killed; no error state';
      },
    ));

  it('server answers initialize after the startup timeout', () =>
    bench.run('answers `initialize` very late (after the timeout)', 'handshake error after startupTimeoutMs, process killed', async (t) => {
      const c = await t.server('late', { command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '5000' }, startupTimeoutMs: 800 });
      const call = t.expectError('late', () => c.listTools(), { kind: 'handshake', what: /within 800 ms/, next: /raise startupTimeoutMs/ });
      t.track(await pidFromLog(t.log('late'), /late-initialize started pid=(\d+)/));
      await call;
      return 'handshake timeout error; the process was killed';
    }));

  it('server answers initialize late but within the timeout', () =>
    bench.run('answers `initialize` late (within the timeout)', 'connects once the answer arrives; calls work', async (t) => {
      const c = await t.server('slowstart', { command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '700' }, startupTimeoutMs: 5000 });
      const t0 = performance.now();
      const tools = await c.listTools();
      t.mark(performance.now() - t0);
      assert.deepEqual(
        tools.map((x) => x.name),
        ['echo'],
      );
      assert.equal(textOf(await c.callTool('echo', { message: 'late' })), 'Echo: late');
      return `connected after ${Math.round(performance.now() - t0)} ms; calls work`;
    }));

  it('server answers with an unsupported protocol version', () =>
    bench.run('unsupported protocol version', 'handshake error naming the version and what to update', async (t) => {
      const c = await t.server('ancient', { command: NODE, args: [BAD.badProtocol] });
      await t.expectError('ancient', () => c.ping(), {
        kind: 'handshake',
        what: /protocol version is not supported: 1999-01-01/,
        next: /needs an update|too old/,
      });
      t.track(await pidFromLog(t.log('ancient'), /bad-protocol started pid=(\d+)/));
      return 'handshake error; the process was stopped';
    }));

  it('command does not exist', () =>
    bench.run('exits immediately: bad command', 'launch error with the PATH searched', async (t) => {
      const c = await t.server('nocmd', { command: 'no-such-mcp-server-xyz', args: ['--stdio'] });
      await t.expectError('nocmd', () => c.ping(), {
        kind: 'launch',
        what: /command not found: no-such-mcp-server-xyz \(PATH searched: /,
        next: /absolute path|add its folder to PATH/,
      });
      return 'launch error; nothing spawned';
    }));

  it('script is missing', () =>
    bench.run('exits immediately: missing script', 'handshake error quoting the real cause from stderr', async (t) => {
      const c = await t.server('noscript', { command: NODE, args: ['/nonexistent/mcp/server.js'] });
      const e = await t.expectError('noscript', () => c.ping(), {
        kind: 'handshake',
        what: /exited with code 1 during startup: .*Cannot find module '\/nonexistent\/mcp\/server\.js'/,
        next: /check .*(command|args)|log/i,
      });
      assert.ok(e.stderrTail?.some((l) => /Cannot find module/.test(l)));
      return 'handshake error with the module-not-found line';
    }));

  it('server exits with a non-zero code and a stderr message', () =>
    bench.run('exits immediately: non-zero exit with a stderr message', 'handshake error with exit code and stderr line', async (t) => {
      const c = await t.server('exits', { command: NODE, args: [BAD.exitNow] });
      const e = await t.expectError('exits', () => c.callTool('anything', {}), {
        kind: 'handshake',
        what: /exited with code 2 during startup: fatal: missing API_KEY/,
        next: /check .*(command|args|env)|log/i,
      });
      assert.equal(e.exitCode, 2);
      const s = c.state;
      assert.ok(s.kind === 'error' && s.stderrTail?.includes('fatal: missing API_KEY'));
      return 'handshake error with exit code 2 and the stderr line';
    }));

  it('server crashes on every start: backoff, then gives up with the last stderr lines', () =>
    bench.run('crashes on every start', 'backoff between attempts, then a stopped state with stderr, no restart loop', async (t) => {
      const c = await t.server('crashy', { command: NODE, args: [BAD.crashOnStart] });
      const log = t.log('crashy');
      const attempts: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < FAST.maxFailures!; i++) {
        const a = performance.now();
        await assert.rejects(c.ping(), (e: Error) => /exited with code 1 during startup: boom: cannot start/.test(e.message));
        attempts.push(performance.now() - a);
      }
      // Backoff: the 2nd and 3rd attempts wait (50 ms, 100 ms) before spawning.
      assert.ok(attempts[1]! >= 40 && attempts[2]! >= 90, `backoff between attempts: ${attempts.map(Math.round).join(', ')} ms`);
      const s = c.state;
      assert.ok(s.kind === 'error' && s.gaveUp && s.failures === FAST.maxFailures, `gave up: ${JSON.stringify(s)}`);
      assert.ok(s.kind === 'error' && s.stderrTail?.includes('boom: cannot start'));
      const spawned = log.lines.filter((l) => /starting: /.test(l)).length;
      const children = childPids().length;
      await t.expectError('crashy', () => c.ping(), {
        kind: 'gaveUp',
        what: /failed 3 times in a row and is not being restarted/,
        next: /restart it to try again/,
      });
      t.timeToErrorMs = performance.now() - t0;
      await sleep(600);
      assert.equal(log.lines.filter((l) => /starting: /.test(l)).length, spawned, 'no restart loop');
      assert.ok(childPids().length <= children, 'no new process');
      // An explicit restart tries once more (and fails the same way).
      await assert.rejects(c.restart(), /boom: cannot start/);
      return `${FAST.maxFailures} attempts (${attempts.map(Math.round).join(' / ')} ms), then "not retrying"; no restart loop`;
    }));
});
