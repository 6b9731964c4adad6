// ServerConnection against real servers: lazy start, single-flight, keep-alive, isolation,
// timeouts, crashes, cancellation and shutdown of whole process trees.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServerConnection, ServerError, type ConnectionState } from '../../src/core';
import { BAD, EVERYTHING_SERVER, FIXTURE_SERVER, NODE, isProcessAlive, startHttpFixture, startEverythingHttp } from '../fixtures/paths';
import { assertGone, childPids, definition, fastTiming, recordingLogger, textOf, waitFor } from '../unit/helpers';

describe('ServerConnection', function () {
  const open: ServerConnection[] = [];
  const conn = (entry: Record<string, unknown>, name = 'fx', extra: Partial<typeof fastTiming> = {}) => {
    const c = new ServerConnection(definition(name, entry), { timing: { ...fastTiming, ...extra }, logger: recordingLogger() });
    open.push(c);
    return c;
  };
  const fixture = (extra: Record<string, unknown> = {}) => conn({ command: NODE, args: [FIXTURE_SERVER], ...extra });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  it('starts nothing until the first operation', async () => {
    const before = childPids().length;
    const c = fixture();
    assert.equal(c.state.kind, 'idle');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(childPids().length, before);
    await c.ping();
    assert.equal(childPids().length, before + 1);
    assert.equal(c.state.kind, 'running');
  });

  it('keeps one process alive across calls (keepAlive: true)', async () => {
    const c = fixture();
    const pids = new Set<string>();
    for (let i = 0; i < 3; i++) pids.add(textOf(await c.callTool('pid', {})));
    assert.equal(pids.size, 1);
    assert.equal(String(c.info?.pid), [...pids][0]);
  });

  it('uses a fresh process per operation with keepAlive: false, closed afterwards', async () => {
    const c = fixture({ keepAlive: false });
    const a = Number(textOf(await c.callTool('pid', {})));
    const b = Number(textOf(await c.callTool('pid', {})));
    assert.notEqual(a, b);
    await assertGone(a);
    await assertGone(b);
    assert.equal(c.state.kind, 'idle');
  });

  it('shares one start between concurrent callers (single-flight)', async () => {
    const before = childPids().length;
    const c = fixture();
    const states: ConnectionState['kind'][] = [];
    c.onDidChangeState((s) => states.push(s.kind));
    const results = await Promise.all(Array.from({ length: 8 }, () => c.callTool('pid', {})));
    assert.equal(new Set(results.map(textOf)).size, 1);
    assert.equal(childPids().length, before + 1);
    assert.deepEqual(states, ['starting', 'running']);
  });

  it('serves 16 concurrent calls on one session', async () => {
    const c = fixture();
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => c.callTool('echo', { message: `m${i}` })));
    assert.deepEqual(
      results.map(textOf),
      Array.from({ length: 16 }, (_, i) => `Echo: m${i}`),
    );
  });

  it('isolates the environment: only the allow-list, env, envFile and passEnv reach the server', async () => {
    process.env.MCPM_TEST_SECRET = 'from-editor';
    process.env.MCPM_TEST_PASSED = 'passed-through';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-env-'));
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, 'FROM_FILE=file-value\nOVERRIDDEN=file\n');
    try {
      const c = fixture({ env: { EXPLICIT: 'yes', OVERRIDDEN: 'env', HOME: null }, envFile, passEnv: ['MCPM_TEST_PASSED'] });
      const env = JSON.parse(textOf(await c.callTool('env', {}))) as Record<string, string>;
      assert.equal(env.MCPM_TEST_SECRET, undefined);
      assert.equal(env.MCPM_TEST_PASSED, 'passed-through');
      assert.equal(env.EXPLICIT, 'yes');
      assert.equal(env.FROM_FILE, 'file-value');
      assert.equal(env.OVERRIDDEN, 'env');
      assert.equal(env.HOME, undefined, 'null removes an allow-listed variable');
      assert.equal(env.PATH, process.env.PATH);
      const inherit = fixture({ inheritEnv: true });
      const all = JSON.parse(textOf(await inherit.callTool('env', {}))) as Record<string, string>;
      assert.equal(all.MCPM_TEST_SECRET, 'from-editor');
    } finally {
      delete process.env.MCPM_TEST_SECRET;
      delete process.env.MCPM_TEST_PASSED;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours cwd and reports a missing one clearly', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-cwd-')));
    try {
      const c = fixture({ cwd: dir });
      assert.equal(textOf(await c.callTool('cwd', {})), dir);
      const missing = fixture({ cwd: path.join(dir, 'nope') });
      await assert.rejects(
        missing.ping(),
        (e: ServerError) => e.kind === 'launch' && e.field === 'cwd' && /working directory does not exist/.test(e.message),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "command not found" with the PATH searched', async () => {
    const c = conn({ command: 'definitely-not-a-command-xyz' });
    await assert.rejects(
      c.ping(),
      (e: ServerError) => e.kind === 'launch' && /command not found: definitely-not-a-command-xyz \(PATH searched: /.test(e.message),
    );
    assert.equal(c.state.kind, 'error');
  });

  it('fails a handshake that never completes within startupTimeoutMs, and kills the process', async () => {
    const before = childPids();
    const c = conn({ command: NODE, args: [BAD.noInitialize], startupTimeoutMs: 300 });
    await assert.rejects(c.ping(), (e: ServerError) => e.kind === 'handshake' && /within 300 ms/.test(e.message));
    await waitFor(() => childPids().length === before.length, 3000, 'the child to be killed');
    assert.equal(c.state.kind, 'error');
  });

  it('explains a server that exits during startup with its exit code and stderr', async () => {
    const c = conn({ command: NODE, args: [BAD.exitNow] });
    await assert.rejects(
      c.ping(),
      (e: ServerError) => e.kind === 'handshake' && /exited with code 2 during startup: fatal: missing API_KEY/.test(e.message),
    );
    const s = c.state;
    assert.ok(s.kind === 'error' && s.stderrTail?.includes('fatal: missing API_KEY'));
  });

  it('rejects an unsupported protocol version with a clear error', async () => {
    const c = conn({ command: NODE, args: [BAD.badProtocol] });
    await assert.rejects(c.ping(), /protocol version is not supported: 1999-01-01/);
  });

  it('restarts after a crash on the next operation, then backs off and gives up on repeated crashes', async () => {
    const c = fixture();
    const pid1 = textOf(await c.callTool('pid', {}));
    await assert.rejects(c.callTool('crash', { code: 7 }), (e: ServerError) => e.kind === 'crash' && /exited with code 7/.test(e.message));
    const s = c.state;
    assert.ok(s.kind === 'error' && s.exitCode === 7 && s.stderrTail?.includes('crashing'));
    const pid2 = textOf(await c.callTool('pid', {}));
    assert.notEqual(pid1, pid2);

    const bad = conn({ command: NODE, args: [BAD.crashOnStart] }, 'crashy');
    for (let i = 0; i < fastTiming.maxFailures; i++) await assert.rejects(bad.ping());
    const gaveUp = bad.state;
    assert.ok(gaveUp.kind === 'error' && gaveUp.gaveUp && gaveUp.stderrTail?.includes('boom: cannot start'));
    const spawnedBefore = childPids().length;
    await assert.rejects(bad.ping(), (e: ServerError) => e.kind === 'gaveUp' && /restart it/.test(e.message));
    assert.equal(childPids().length, spawnedBefore, 'no restart loop');
    // An explicit restart tries again.
    await assert.rejects(bad.restart(), (e: ServerError) => e.kind === 'handshake');
  });

  it('cancels a call: the server sees notifications/cancelled and stays usable', async () => {
    const log = recordingLogger();
    const c = new ServerConnection(definition('fx', { command: NODE, args: [FIXTURE_SERVER] }), { timing: fastTiming, logger: log });
    open.push(c);
    const ac = new AbortController();
    const call = c.callTool('sleep', { ms: 10_000 }, { signal: ac.signal });
    await waitFor(() => c.state.kind === 'running');
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await assert.rejects(call, (e: ServerError) => e.kind === 'cancelled');
    await waitFor(() => log.lines.some((l) => l.includes('[stderr] cancelled')), 3000, 'the server to log the cancellation');
    assert.equal(textOf(await c.callTool('echo', { message: 'still here' })), 'Echo: still here');
  });

  it('times out a silent call but lets progress reset the timeout, up to the maximum total', async () => {
    // Progress arrives every 100 ms; the 800 ms timeout leaves a wide margin on a loaded machine.
    const c = fixture({ requestTimeoutMs: 800, maxTotalTimeoutMs: 2500 });
    await assert.rejects(c.callTool('sleep', { ms: 3000 }), (e: ServerError) => e.kind === 'timeout' && /timed out/.test(e.message));
    const progress: number[] = [];
    const r = await c.callTool('sleep', { ms: 1600, progress: true }, { onProgress: (p) => progress.push(p.progress) });
    assert.equal(textOf(r), 'slept 1600');
    assert.ok(progress.length >= 3);
    await assert.rejects(
      c.callTool('sleep', { ms: 8000, progress: true }, { onProgress: () => {} }),
      (e: ServerError) => e.kind === 'timeout' && /maximum total time of 2500 ms/.test(e.message),
    );
    // Without onProgress no progress token is sent, so the server sends none and the plain timeout applies.
    await assert.rejects(
      c.callTool('sleep', { ms: 8000, progress: true }),
      (e: ServerError) => e.kind === 'timeout' && /timed out after 800 ms/.test(e.message),
    );
    assert.equal(textOf(await c.callTool('echo', { message: 'ok' })), 'Echo: ok');
  });

  it('skips non-JSON stdout lines and logs them', async () => {
    const log = recordingLogger();
    const c = new ServerConnection(definition('noisy', { command: NODE, args: [BAD.noisyStdout] }), { timing: fastTiming, logger: log });
    open.push(c);
    for (let i = 0; i < 3; i++) assert.equal(textOf(await c.callTool('echo', { message: `n${i}` })), `Echo: n${i}`);
    assert.ok(log.lines.some((l) => /warn ignored non-JSON output on stdout: hello from noisy server/.test(l)));
  });

  it('stop ends the whole process group: shell wrappers, grandchildren, and servers ignoring SIGTERM', async () => {
    const gc = conn({ command: NODE, args: [BAD.grandchild] }, 'gc');
    const grandchild = Number(textOf(await gc.callTool('grandchild', {})));
    assert.ok(isProcessAlive(grandchild));
    const wrapped = conn({ command: BAD.shellWrapper }, 'wrapped');
    const inner = Number(textOf(await wrapped.callTool('pid', {})));
    const stubborn = conn({ command: NODE, args: [BAD.ignoreSigterm] }, 'stubborn');
    await stubborn.ping();
    const stubbornPid = stubborn.info!.pid!;
    await Promise.all([gc.stop(), wrapped.stop(), stubborn.stop()]);
    await assertGone(grandchild);
    await assertGone(inner);
    await assertGone(stubbornPid);
    assert.equal(gc.state.kind, 'stopped');
  });

  it('restart gives a new process; dispose leaves no child behind', async () => {
    const before = childPids().length;
    const c = fixture();
    const a = Number(textOf(await c.callTool('pid', {})));
    await c.restart();
    const b = Number(textOf(await c.callTool('pid', {})));
    assert.notEqual(a, b);
    await assertGone(a);
    await c.dispose();
    await assertGone(b);
    assert.equal(childPids().length, before);
  });

  it('lists tools across pages, caches them, and refreshes on list_changed', async () => {
    const c = fixture({ env: { FIXTURE_TOOL_COUNT: '250', FIXTURE_PAGE_SIZE: '40' } });
    const tools = await c.listTools();
    assert.equal(tools.length, 13 + 250);
    assert.strictEqual(await c.listTools(), tools, 'cached for the session');
    let changed = 0;
    c.onDidChangeTools(() => changed++);
    await c.callTool('add_tool', {});
    await waitFor(() => changed > 0, 3000, 'tools/list_changed');
    const after = await c.listTools();
    assert.equal(after.length, tools.length + 1);
    assert.ok(after.some((t) => t.name.startsWith('dynamic_')));
  });

  it('reads resources and prompts', async () => {
    const c = fixture();
    const resources = await c.listResources();
    assert.ok(resources.some((r) => r.uri === 'fixture://readme'));
    const templates = await c.listResourceTemplates();
    assert.ok(templates.some((t) => t.uriTemplate === 'fixture://item/{id}'));
    const read = await c.readResource('fixture://item/42');
    assert.match(JSON.stringify(read.contents), /42/);
    const prompts = await c.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'greet'));
    const got = await c.getPrompt('greet', { name: 'Ada' });
    assert.match(JSON.stringify(got.messages), /Hello, Ada!/);
  });

  it('passes a large result, and fails only the one call that exceeds maxResultBytes', async () => {
    const c = fixture({ maxResultBytes: 4 * 1024 * 1024 });
    const ok = await c.callTool('big', { bytes: 3 * 1024 * 1024 });
    assert.equal(textOf(ok).length, 3 * 1024 * 1024);
    const pid = c.info!.pid;
    await assert.rejects(
      c.callTool('big', { bytes: 5 * 1024 * 1024 }),
      (e: ServerError) => e.kind === 'tooLarge' && /exceeds the limit of 4\.0 MiB/.test(e.message),
    );
    assert.equal(textOf(await c.callTool('echo', { message: 'alive' })), 'Echo: alive');
    assert.equal(c.info!.pid, pid, 'the server was kept alive');
  });

  it('stops a kept-alive server after idleTimeout and restarts it transparently', async () => {
    const c = conn({ command: NODE, args: [FIXTURE_SERVER] }, 'idle', { idleTimeoutMs: 200 } as Partial<typeof fastTiming>);
    const a = Number(textOf(await c.callTool('pid', {})));
    await assertGone(a, 3000);
    await waitFor(() => c.state.kind === 'idle');
    const b = Number(textOf(await c.callTool('pid', {})));
    assert.notEqual(a, b);
  });

  it('does not start a disabled server', async () => {
    const before = childPids().length;
    const c = fixture({ disabled: true });
    assert.equal(c.state.kind, 'disabled');
    await assert.rejects(c.ping(), (e: ServerError) => e.kind === 'disabled');
    assert.equal(childPids().length, before);
  });

  describe('over HTTP', () => {
    it('calls tools over Streamable HTTP and SSE (fixture)', async () => {
      const http = await startHttpFixture(['--http']);
      const sse = await startHttpFixture(['--sse']);
      try {
        const h = conn({ type: 'http', url: http.url }, 'http');
        assert.equal(textOf(await h.callTool('echo', { message: 'over http' })), 'Echo: over http');
        assert.equal((await h.listTools()).length, 13);
        const s = conn({ type: 'sse', url: sse.url }, 'sse');
        assert.equal(textOf(await s.callTool('echo', { message: 'over sse' })), 'Echo: over sse');
      } finally {
        await Promise.all([http.stop(), sse.stop()]);
      }
    });

    it('talks to server-everything in stdio, streamableHttp and sse modes', async () => {
      const stdio = conn({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }, 'everything');
      assert.equal(textOf(await stdio.callTool('echo', { message: 'e' })), 'Echo: e');
      const streamable = await startEverythingHttp('streamableHttp');
      const sse = await startEverythingHttp('sse');
      try {
        const h = conn({ type: 'http', url: streamable.url }, 'ev-http');
        assert.ok((await h.listTools()).some((t) => t.name === 'get-sum'));
        const s = conn({ type: 'sse', url: sse.url }, 'ev-sse');
        assert.equal(textOf(await s.callTool('echo', { message: 's' })), 'Echo: s');
      } finally {
        await Promise.all(open.splice(1).map((c) => c.dispose()));
        await Promise.all([streamable.stop(), sse.stop()]);
      }
    });

    it('reports connection refused clearly', async () => {
      const c = conn({ type: 'http', url: 'http://127.0.0.1:9/mcp', startupTimeoutMs: 2000 }, 'refused');
      await assert.rejects(c.ping(), (e: ServerError) => e.kind === 'handshake' && /refused|connect/i.test(e.message));
    });
  });
});
