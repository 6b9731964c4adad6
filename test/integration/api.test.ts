// The API other extensions get from activate(): it shares the kept-alive connections with the
// tree and the commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { childProcesses, EXTENSION_ID, fixtureServer, getApi, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

describe('extension API', function () {
  let saved: ReturnType<typeof rememberServers>;

  before(async () => {
    await getApi();
    saved = rememberServers();
  });

  afterEach(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('is what activate() returns', async () => {
    const api = await getApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.exports, api);
    for (const key of ['listServers', 'listTools', 'callTool', 'onDidChange'] as const) assert.equal(typeof api[key], 'function', key);
  });

  it('lists servers with state and transport, starting nothing', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer(), remote: { type: 'sse', url: 'http://127.0.0.1:9/sse' } });
    assert.deepEqual(api.listServers(), [
      { name: 'fx', state: 'idle', transport: 'stdio' },
      { name: 'remote', state: 'idle', transport: 'sse' },
    ]);
    assert.deepEqual(childProcesses(), []);
  });

  it('reuses one kept-alive process across calls (and with the tree)', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    const changes: number[] = [];
    const sub = api.onDidChange(() => changes.push(Date.now()));
    try {
      const tools = await api.listTools('fx');
      assert.ok(tools.some((t) => t.name === 'echo'));
      const pid1 = resultText(await api.callTool('fx', 'pid', {}));
      const pid2 = resultText(await api.callTool('fx', 'pid'));
      assert.equal(pid1, pid2);
      assert.deepEqual(
        childProcesses().map((p) => String(p.pid)),
        [pid1],
      );
      assert.equal(resultText(await api.callTool('fx', 'echo', { message: 'hi' })), 'Echo: hi');
      assert.deepEqual(api.listServers(), [{ name: 'fx', state: 'running', transport: 'stdio' }]);
      assert.ok(changes.length > 0, 'onDidChange did not fire');
      // Expanding the node in the tree uses the same session.
      const tree = api._test.tree;
      const node = tree.serverNode('fx')!;
      await waitFor('tools in the tree', () => tree.getChildren(node).some((n) => n.kind === 'tool'));
      assert.equal(childProcesses().length, 1);
    } finally {
      sub.dispose();
    }
  });

  it('cancels a call through its AbortSignal and keeps the server', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    const pid = resultText(await api.callTool('fx', 'pid', {}));
    const controller = new AbortController();
    const call = api.callTool('fx', 'sleep', { ms: 30_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    // The tool sleeps 30 s: only the cancellation makes the call reject (no elapsed-time check).
    await assert.rejects(call, (e: Error) => /cancel/i.test(e.message));
    assert.equal(resultText(await api.callTool('fx', 'pid', {})), pid);
  });

  it('reports progress to onProgress', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const result = await api.callTool('fx', 'sleep', { ms: 450, progress: true }, { onProgress: (p) => seen.push(p) });
    assert.equal(resultText(result), 'slept 450');
    assert.ok(seen.length >= 2, `progress notifications: ${JSON.stringify(seen)}`);
    assert.ok(seen.every((p) => p.total === 450 && p.message === 'sleeping'));
  });

  it('rejects for an unknown server and for a failing tool', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    await assert.rejects(api.listTools('nope'), /no MCP server named "nope"/);
    await assert.rejects(api.callTool('fx', 'throw', {}), /thrown on purpose/);
    const result = await api.callTool('fx', 'fail', { message: 'boom' });
    assert.equal(result.isError, true);
  });
});
