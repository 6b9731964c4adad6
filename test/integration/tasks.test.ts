// Tool calls as tasks in the real extension host: the call waits for the task under a
// notification, the task shows under its server in the tree (status, Open Result, Cancel) and in
// the status bar while it runs, and Cancel sends tasks/cancel. Against the SDK v2 era fixture's
// task tools (both eras) and server-everything's simulate-research-query.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerTreeProvider } from '../../src/vscode/tree/serverTree';
import type { ServerNode, TaskNode } from '../../src/ui/tree/nodes';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TaskInfo } from '../../src/core';
import type { TaskTracker } from '../../src/vscode/tasks/taskTracker';
import { extensionPath, fixture, getApi, MARKER, NODE, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

interface TaskRow {
  server: string;
  tool: string;
  taskId: string;
  status: string;
  hasResult: boolean;
  statusBar: string;
}
const tasks = async () => (await vscode.commands.executeCommand<TaskRow[]>('mcpManager.getTasks')) ?? [];

describe('tasks in the editor', function () {
  let tree: ServerTreeProvider;
  let saved: ReturnType<typeof rememberServers>;
  const taskNodes = (name: string) => {
    const server = tree.getChildren().find((n): n is ServerNode => n.kind === 'server' && n.serverName === name);
    assert.ok(server, `no node for server ${name}`);
    return tree.getChildren(server).filter((n): n is TaskNode => n.kind === 'task');
  };

  before(async () => {
    tree = (await getApi())._test.tree;
    saved = rememberServers();
  });
  after(async () => {
    await saved.restore();
  });

  for (const era of ['modern', 'legacy'] as const) {
    it(`a task call shows in the tree, ends with its result (${era === 'modern' ? '2026-07-28' : '2025-11-25'})`, async () => {
      await setServers({ tasks: { command: NODE, args: [fixture('eras', 'modern.mjs'), '--era', era, MARKER] } });
      const result = await vscode.commands.executeCommand<{ content?: unknown }>('mcpManager.callTool', {
        serverName: 'tasks',
        toolName: 'task_timer',
        args: { ms: 0, pollMs: 20 },
        show: false,
      });
      assert.ok(result, 'the call resolves with the task result');
      assert.equal(resultText(result), 'task_timer done after 0 ms');
      const [node] = taskNodes('tasks');
      assert.ok(node, 'the task is under its server');
      const item = tree.getTreeItem(node);
      assert.match(String(item.contextValue), /^mcpTask;ended;result;/);
      assert.match(String(item.description), /^completed · /);
      const row = (await tasks()).find((t) => t.taskId === node.taskId);
      assert.equal(row?.status, 'completed');
      assert.equal(row?.hasResult, true);
    });

    it(`a running task is in the status bar, and Cancel cancels it (${era === 'modern' ? '2026-07-28' : '2025-11-25'})`, async () => {
      await setServers({ waits: { command: NODE, args: [fixture('eras', 'modern.mjs'), '--era', era, MARKER] } });
      const call = vscode.commands.executeCommand('mcpManager.callTool', {
        serverName: 'waits',
        toolName: 'task_wait',
        args: { pollMs: 20 },
        show: false,
      });
      const running = await waitFor('the task to run', async () =>
        (await tasks()).find((t) => t.server === 'waits' && t.status === 'working'),
      );
      assert.match(running.statusBar, /1 MCP task/);
      const node = taskNodes('waits').find((n) => n.taskId === running.taskId)!;
      assert.match(String(tree.getTreeItem(node).contextValue), /^mcpTask;running;/);
      await vscode.commands.executeCommand('mcpManager.cancelTask', node);
      assert.equal(await call, undefined, 'a cancelled call resolves without a result');
      const ended = (await tasks()).find((t) => t.taskId === running.taskId);
      assert.equal(ended?.status, 'cancelled');
      assert.doesNotMatch(ended!.statusBar, /MCP task/);
    });
  }

  it("calls server-everything's simulate-research-query, which requires a task", async function () {
    this.timeout(60_000);
    const everything = path.join(extensionPath(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    await setServers({ everything: { command: NODE, args: [everything, 'stdio', MARKER] } });
    const result = await vscode.commands.executeCommand<{ content?: unknown }>('mcpManager.callTool', {
      serverName: 'everything',
      toolName: 'simulate-research-query',
      args: { topic: 'tides' },
      show: false,
    });
    assert.ok(result);
    assert.match(resultText(result), /Research Report: tides/);
  });

  describe('after a window reload', () => {
    let http: ChildProcess | undefined;
    let url = '';
    before(async () => {
      // An HTTP server outlives the window (a stdio server ends with it, and its tasks too).
      http = spawn(NODE, [fixture('eras', 'modern.mjs'), '--http', '--port', '0', MARKER], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      url = await new Promise<string>((resolve, reject) => {
        http!.stderr!.setEncoding('utf8').on('data', (d: string) => {
          err += d;
          const m = /^LISTENING (\S+)$/m.exec(err);
          if (m) resolve(m[1]!);
        });
        http!.once('exit', (code) => reject(new Error(`the HTTP fixture exited (${code}): ${err}`)));
      });
    });
    after(() => http?.kill());

    it('reattaches to a remembered task the server still has, and reports one it lost', async () => {
      const api = await getApi();
      await setServers({ remote: { type: 'http', url } });
      const conn = api._test.registry.get('remote')!;
      // Started by "an earlier window": only its id is left, in workspaceState.
      const detached = await conn.callTool('task_timer', { ms: 1500, pollMs: 50 }, { task: { detach: true } });
      const started = (detached._meta as Record<string, TaskInfo> | undefined)?.['io.github.mcp-manager/createdTask'];
      assert.ok(started, JSON.stringify(detached));
      const stored = new Map<string, unknown>([
        [
          'mcpManager.tasks',
          [
            { server: 'remote', tool: 'task_timer', taskId: started.taskId, startedAt: Date.now() },
            { server: 'remote', tool: 'task_ok', taskId: 'forgotten-by-the-server', startedAt: Date.now() },
          ],
        ],
      ]);
      const memento = {
        keys: () => [...stored.keys()],
        get: <T>(key: string, fallback?: T) => (stored.has(key) ? (stored.get(key) as T) : fallback),
        update: (key: string, value: unknown) => (stored.set(key, value), Promise.resolve()),
      } as vscode.Memento;
      const logs = { loggerFor: () => ({ info() {}, warn() {}, error() {} }), show() {} };
      // A second tracker of the extension's own class, as a reloaded window makes (type-only import:
      // bundling the core into the test is not needed).
      const Tracker = api._test.tasks.constructor as typeof TaskTracker;
      const tracker = new Tracker(api._test.registry, memento, logs);
      try {
        await tracker.reattach();
        assert.equal(tracker.get('remote', 'forgotten-by-the-server')?.status, 'lost');
        assert.match(String(tracker.get('remote', 'forgotten-by-the-server')?.problem), /no longer knows it/);
        assert.deepEqual(
          (stored.get('mcpManager.tasks') as { taskId: string }[]).map((t) => t.taskId),
          [started.taskId],
          'only the task still running stays remembered',
        );
        const done = await waitFor('the reattached task to complete', () => tracker.get('remote', started.taskId)?.result, 30_000);
        assert.equal(resultText(done), 'task_timer done after 1500 ms');
        assert.deepEqual(stored.get('mcpManager.tasks'), []);
      } finally {
        tracker.dispose();
      }
    });
  });
});
