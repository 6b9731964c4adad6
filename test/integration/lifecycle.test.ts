// Server lifecycle in the real extension host: nothing starts on activation or configuration,
// the commands start/stop/restart real processes, a configuration change restarts only what
// changed, and shutting down (what deactivate() does) leaves no process behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionState } from '../../src/core';
import {
  badServer,
  childProcesses,
  extensionPath,
  fixtureServer,
  getApi,
  rememberServers,
  resultText,
  setServers,
  waitFor,
} from './helpers/mcpm';

describe('server lifecycle', function () {
  let saved: ReturnType<typeof rememberServers>;

  before(async () => {
    await getApi();
    saved = rememberServers();
  });

  afterEach(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('activating and configuring servers start no process', async () => {
    const api = await getApi();
    // Informational, for `npm run bench` (which measures activation itself, on the production bundle,
    // and shows this figure next to it): the time activate() took in this real extension host, from
    // the development build. Not asserted: timings are not asserted in tests (see docs/performance.md).
    const outDir = path.join(extensionPath(), 'out');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
      path.join(outDir, 'activation.json'),
      `${JSON.stringify({ activationMs: api._test.activationMs, vscodeVersion: vscode.version }, null, 2)}\n`,
    );
    console.log(`      activate() took ${api._test.activationMs.toFixed(2)} ms`);
    await setServers({
      one: fixtureServer(),
      two: fixtureServer({ env: { X: '1' } }),
      web: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
    });
    assert.deepEqual(
      api.listServers().map((s) => [s.name, s.state, s.transport]),
      [
        ['one', 'idle', 'stdio'],
        ['two', 'idle', 'stdio'],
        ['web', 'idle', 'http'],
      ],
    );
    // Give a stray eager start time to show up.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(childProcesses(), []);
    assert.equal(api._test.statusBar.text, '$(plug) 0');
  });

  it('start, stop and restart commands manage one real process', async () => {
    const api = await getApi();
    await setServers({ one: fixtureServer() });
    const conn = api._test.registry.get('one')!;
    // A function, so TypeScript does not narrow the state across the commands below.
    const state = (): ConnectionState => conn.state;
    const pidOf = () => {
      const s = state();
      return s.kind === 'running' ? s.pid : undefined;
    };

    await vscode.commands.executeCommand('mcpManager.startServer', 'one');
    assert.equal(state().kind, 'running');
    const procs = childProcesses();
    assert.equal(procs.length, 1, JSON.stringify(procs));
    const pid = pidOf();
    assert.equal(pid, procs[0]!.pid);
    assert.equal(resultText(await api.callTool('one', 'pid', {})), String(pid));
    await waitFor('status bar to count it', () => api._test.statusBar.text === '$(plug) 1');

    // A tree node is accepted as the argument, like from the context menu.
    await vscode.commands.executeCommand('mcpManager.stopServer', { serverName: 'one' });
    assert.equal(state().kind, 'stopped');
    await waitFor('the process to exit', () => childProcesses().length === 0);

    await vscode.commands.executeCommand('mcpManager.restartServer', 'one');
    assert.equal(state().kind, 'running');
    const newPid = pidOf();
    assert.ok(newPid && newPid !== pid, `restart gave pid ${newPid}, before ${pid}`);
    assert.deepEqual(
      childProcesses().map((p) => p.pid),
      [newPid],
    );
    // The tool list is known after a start from a command, so the tree can show the count.
    assert.ok(conn.cachedTools && conn.cachedTools.length > 5);
  });

  it('a failing server goes to error with the stderr tail, shown in the status bar', async () => {
    const api = await getApi();
    await setServers({ bad: badServer('exit-now.mjs') });
    const conn = api._test.registry.get('bad')!;
    await vscode.commands.executeCommand('mcpManager.startServer', 'bad'); // reports, does not throw
    const state: ConnectionState = conn.state;
    assert.ok(state.kind === 'error', state.kind);
    assert.match(state.message, /exited with code 2/);
    assert.ok(state.stderrTail?.some((l) => l.includes('missing API_KEY')));
    await waitFor('status bar error count', () => api._test.statusBar.text === '$(plug) 0 $(error) 1');
    // Its log channel exists and holds the failure (the "Show Logs" action reveals it).
    await vscode.commands.executeCommand('mcpManager.showServerLogs', 'bad');
  });

  it('a configuration change restarts only the changed server', async () => {
    const api = await getApi();
    await setServers({ a: fixtureServer(), b: fixtureServer() });
    const [pa, pb] = await Promise.all([api.callTool('a', 'pid', {}), api.callTool('b', 'pid', {})]).then((r) => r.map(resultText));
    assert.equal(childProcesses().length, 2);

    await setServers({ a: fixtureServer(), b: fixtureServer({ env: { CHANGED: '1' } }) });
    // b was running, so the registry brings it back with the new configuration by itself.
    const b = api._test.registry.get('b')!;
    await waitFor('b to be running again', () => b.state.kind === 'running');
    assert.equal(resultText(await api.callTool('a', 'pid', {})), pa, 'a must keep its process');
    const pb2 = resultText(await api.callTool('b', 'pid', {}));
    assert.notEqual(pb2, pb);
    assert.equal(resultText(await api.callTool('b', 'env', { name: 'CHANGED' })), '"1"');
    await waitFor('the old b to exit', () => childProcesses().length === 2);

    // Removing a server stops it.
    await setServers({ a: fixtureServer() });
    await waitFor(
      'b to exit after removal',
      () =>
        childProcesses()
          .map((p) => String(p.pid))
          .join() === pa,
    );
  });

  it('refresh re-reads the settings and re-lists tools, keeping running servers', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    const pid = resultText(await api.callTool('fx', 'pid', {}));
    await api.callTool('fx', 'add_tool', {});
    await vscode.workspace
      .getConfiguration('mcpManager')
      .update('servers', { fx: fixtureServer(), extra: fixtureServer() }, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mcpManager.refresh');
    assert.deepEqual(
      api.listServers().map((s) => s.name),
      ['fx', 'extra'],
    );
    assert.ok(api._test.registry.get('fx')?.cachedTools?.some((t) => t.name === 'dynamic_0'));
    assert.equal(resultText(await api.callTool('fx', 'pid', {})), pid);
    assert.equal(childProcesses().length, 1);
  });

  it('a settings change is picked up without a manual reload (debounced watcher)', async () => {
    const api = await getApi();
    await vscode.workspace
      .getConfiguration('mcpManager')
      .update('servers', { watched: fixtureServer() }, vscode.ConfigurationTarget.Workspace);
    await waitFor('the watcher to apply the change', () => api.listServers().some((s) => s.name === 'watched'), 5000);
  });
});

// Runs after every test of the run (root hook): shutting down must leave no child process, even
// with a server in the middle of its handshake. The extension is unusable afterwards, which is
// why this is not an ordinary test.
after('deactivate: shutdown leaves no server process', async function () {
  this.timeout(30_000);
  const api = await getApi();
  await vscode.workspace.getConfiguration('mcpManager').update(
    'servers',
    {
      up: fixtureServer(),
      hanging: badServer('no-initialize.mjs', { startupTimeoutMs: 60_000 }),
    },
    vscode.ConfigurationTarget.Workspace,
  );
  await api._test.reloadConfig();
  await api.listTools('up');
  void api.listTools('hanging').catch(() => undefined);
  await waitFor('both processes to run', () => childProcesses().length === 2);
  const started = Date.now();
  await api._test.shutdown();
  const remaining = childProcesses();
  await vscode.workspace.getConfiguration('mcpManager').update('servers', {}, vscode.ConfigurationTarget.Workspace);
  assert.deepEqual(remaining, [], 'processes left after shutdown');
  console.log(`      shutdown of 2 servers (one mid-handshake) took ${Date.now() - started} ms`);
});
