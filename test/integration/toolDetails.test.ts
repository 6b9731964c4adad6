// Nothing runs that the user did not ask to run (issue 11, point 3): selecting a tool in the tree
// shows its details view (the argument form with the tool's hints and a Call button) and calls
// nothing; Call in that view calls it; in the history, reopening a result and running a call again
// are separate actions. Real extension host, real fixture server process.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { OpenForm } from '../../src/vscode/toolCall/argumentForm';
import type { ServerNode, ToolNode, TreeNode } from '../../src/ui/tree/nodes';
import { childProcesses, fixtureServer, getApi, rememberServers, setServers, waitFor } from './helpers/mcpm';

interface Entry {
  id: string;
  tool: string;
  args?: Record<string, unknown>;
}
const history = async () => (await vscode.commands.executeCommand<Entry[]>('mcpManager.getToolCallHistory')) ?? [];
const detailTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('mcpManager.toolDetails'));

/** The open result views (one per tool), as the extension's internal test command describes them. */
const resultViews = async () =>
  (await vscode.commands.executeCommand<{ server: string; tool: string; callId: string }[]>('mcpManager.getResultViews')) ?? [];

describe('tool details on selection, and history reopen vs run again', function () {
  let saved: ReturnType<typeof rememberServers>;

  before(async () => {
    await getApi();
    saved = rememberServers();
    await setServers({ fx: fixtureServer() });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  async function toolNode(name: string): Promise<ToolNode> {
    const tree = (await getApi())._test.tree;
    const server = tree.getChildren().find((n): n is ServerNode => n.kind === 'server' && n.serverName === 'fx');
    assert.ok(server);
    return waitFor(`the tool ${name} in the tree`, () =>
      tree.getChildren(server).find((n: TreeNode): n is ToolNode => n.kind === 'tool' && n.toolName === name),
    );
  }

  it('selecting a destructive tool shows its details and calls nothing', async () => {
    const tree = (await getApi())._test.tree;
    const node = await toolNode('crash');
    const [proc] = await waitFor('the server process', () => (childProcesses().length === 1 ? childProcesses() : undefined));
    const newest = (await history())[0]?.id;
    const item = tree.getTreeItem(node);
    assert.equal(item.command?.command, 'mcpManager.showTool');
    const form = await vscode.commands.executeCommand<OpenForm | undefined>(item.command.command, ...(item.command.arguments ?? []));
    assert.ok(form, 'no details view');
    assert.equal(form.panel.title, 'crash (fx)');
    const html = form.panel.webview.html;
    assert.match(html, /<h1><span class="mono">crash<\/span><\/h1>/);
    assert.match(html, /Writes &quot;crashing&quot; to stderr/);
    assert.match(html, /<span class="badge">destructive<\/span>/);
    assert.match(html, /may delete or overwrite data/);
    assert.match(html, />Call<\/button>/);
    const [tab] = await waitFor('the details tab', () => (detailTabs().length ? detailTabs() : undefined));
    assert.equal(tab!.label, 'crash (fx)');
    // Nothing was called: the process that `crash` would have ended is alive, the history unchanged.
    assert.deepEqual(
      childProcesses().map((p) => p.pid),
      [proc!.pid],
    );
    assert.equal((await history())[0]?.id, newest);

    // Selecting it again reveals the same view instead of opening a second one.
    const again = await vscode.commands.executeCommand<OpenForm | undefined>('mcpManager.showTool', node);
    assert.equal(again, form);
    assert.equal(detailTabs().length, 1);
  });

  it('Call in the details view calls the tool with the arguments entered, and the view stays', async () => {
    const node = await toolNode('echo');
    const form = await vscode.commands.executeCommand<OpenForm | undefined>('mcpManager.showTool', node);
    assert.ok(form);
    let closed = false;
    form.panel.onDidDispose(() => (closed = true));
    assert.doesNotMatch(form.panel.webview.html, /This tool takes no arguments/);
    const newest = (await history())[0]?.id;
    form.receive({ type: 'submit', mode: 'json', json: '{"message":"from details"}' });
    const entry = await waitFor('the call in the history', async () => {
      const h = await history();
      return h[0] && h[0].id !== newest ? h[0] : undefined;
    });
    assert.equal(entry.tool, 'echo');
    assert.deepEqual(entry.args, { message: 'from details' });
    await waitFor('the result', async () => (await resultViews()).find((v) => v.tool === 'echo' && v.callId === entry.id));
    assert.equal(closed, false, 'the details view closed after Call');
  });

  it('a tool without arguments shows "takes no arguments" and no JSON editor toggle', async () => {
    const node = await toolNode('pid');
    const form = await vscode.commands.executeCommand<OpenForm | undefined>('mcpManager.showTool', node);
    assert.ok(form);
    assert.match(form.panel.webview.html, /This tool takes no arguments/);
    assert.match(form.panel.webview.html, /id="mcp-toggle" class="secondary" hidden/);
  });

  it('history: "open" reopens the result without calling; "rerun" calls again', async () => {
    await vscode.commands.executeCommand('mcpManager.callTool', { serverName: 'fx', toolName: 'echo', args: { message: 'once' } });
    const [entry] = await history();
    assert.ok(entry);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const opened = await vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.showCallHistory', {
      entryId: entry.id,
      action: 'open',
    });
    assert.equal(opened, undefined);
    // The result view of that call is open again (the result views replaced result editors).
    await waitFor('the reopened result', async () => (await resultViews()).find((v) => v.tool === 'echo' && v.callId === entry.id));
    assert.equal((await history())[0]?.id, entry.id, 'reopening ran the call');

    const rerun = await vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.showCallHistory', {
      entryId: entry.id,
      action: 'rerun',
    });
    assert.ok(rerun);
    const [latest] = await history();
    assert.notEqual(latest?.id, entry.id);
    assert.deepEqual(latest?.args, { message: 'once' });
  });
});
