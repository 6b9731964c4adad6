// The Servers tree, driven through its TreeDataProvider in the real extension host: expanding a
// server is what starts it (without blocking getChildren), nodes are stable, and every state has
// the children and actions the issue describes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerTreeProvider } from '../../src/vscode/tree/serverTree';
import type { MessageNode, ServerNode, ToolNode, TreeNode } from '../../src/ui/tree/nodes';
import { badServer, childProcesses, fixtureServer, getApi, NODE, rememberServers, setServers, waitFor } from './helpers/mcpm';

const iconId = (item: vscode.TreeItem) => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);
const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

describe('servers tree', function () {
  let tree: ServerTreeProvider;
  let saved: ReturnType<typeof rememberServers>;

  const roots = () => tree.getChildren();
  const server = (name: string) => {
    const node = roots().find((n): n is ServerNode => n.kind === 'server' && n.serverName === name);
    assert.ok(node, `no node for server ${name}`);
    return node;
  };
  /** Children once they are no longer "Connecting…". */
  const settledChildren = (node: TreeNode) =>
    waitFor('children to settle', () => {
      const c = tree.getChildren(node);
      return c.some((n) => n.kind === 'message' && n.role === 'connecting') ? undefined : c;
    });

  before(async () => {
    tree = (await getApi())._test.tree;
    saved = rememberServers();
  });

  afterEach(async () => {
    await saved.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('is empty without servers, so the welcome view shows', async () => {
    await setServers({});
    assert.deepEqual(roots(), []);
  });

  it('shows a collapsed, idle server node and starts nothing', async () => {
    await setServers({ fx: fixtureServer() });
    const node = server('fx');
    const item = tree.getTreeItem(node);
    assert.equal(item.id, 'server:fx');
    assert.equal(label(item), 'fx');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(item.contextValue, 'mcpServer;idle;stdio;');
    assert.equal(iconId(item), 'circle-outline');
    // Nothing else in the tree says how to start it (issue 11, point 7).
    assert.equal(item.description, 'stdio · expand to start');
    const tooltip = tree.resolveTreeItem(item, node).tooltip;
    assert.match(typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''), /Not running: expand it to start it/);
    assert.deepEqual(childProcesses(), []);
  });

  it('expanding a server starts exactly one process, without blocking, then lists its tools', async () => {
    await setServers({ fx: fixtureServer() });
    const node = server('fx');
    const events: (TreeNode | undefined)[] = [];
    const sub = tree.onDidChangeTreeData((e) => events.push(e ?? undefined));
    try {
      const t0 = performance.now();
      const first = tree.getChildren(node);
      const elapsed = performance.now() - t0;
      assert.ok(elapsed < 50, `getChildren took ${elapsed.toFixed(1)} ms`);
      assert.equal(first.length, 1);
      const connecting = first[0] as MessageNode;
      assert.equal(connecting.kind, 'message');
      assert.equal(connecting.role, 'connecting');
      assert.equal(label(tree.getTreeItem(connecting)), 'Connecting…');
      // Asking again while it connects must not start a second process.
      tree.getChildren(node);
      tree.getChildren(node);

      const children = await settledChildren(node);
      const procs = childProcesses();
      assert.equal(procs.length, 1, JSON.stringify(procs));
      // Only this server's node was refreshed (expansion and selection elsewhere are untouched).
      assert.ok(events.length > 0);
      assert.ok(
        events.every((e) => e === node),
        `unexpected refresh targets: ${events.map((e) => e?.id ?? 'root').join(', ')}`,
      );

      // The fixture declares resources and prompts: their folders come first, then the tools.
      assert.deepEqual(
        children.slice(0, 2).map((c) => c.id),
        ['resources:fx', 'prompts:fx'],
      );
      const tools = children.slice(2) as ToolNode[];
      assert.ok(tools.every((t) => t.kind === 'tool'));
      const byName = new Map(tools.map((t) => [t.toolName, t]));
      const echo = byName.get('echo')!;
      const echoItem = tree.getTreeItem(echo);
      assert.equal(echoItem.id, 'tool:fx/echo');
      assert.equal(label(echoItem), 'Echo');
      assert.equal(echoItem.description, 'Echoes the message back as "Echo: <message>".');
      assert.equal(iconId(echoItem), 'eye');
      assert.equal(echoItem.contextValue, 'mcpTool;readOnly;');
      assert.equal(echoItem.command?.command, 'mcpManager.showTool'); // selecting shows the tool; it never calls it
      assert.equal(echoItem.command?.arguments?.[0], echo);
      assert.equal(echo.serverName, 'fx');
      assert.equal(echo.toolName, 'echo');
      const tooltip = tree.resolveTreeItem(echoItem, echo).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value, /```json[\s\S]*"message"/);
      assert.equal(iconId(tree.getTreeItem(byName.get('crash')!)), 'warning');
      assert.match(tree.getTreeItem(byName.get('crash')!).contextValue ?? '', /^mcpTool;.*destructive;/);
      assert.equal(iconId(tree.getTreeItem(byName.get('pid')!)), 'tools');

      const item = tree.getTreeItem(node);
      assert.equal(item.contextValue, 'mcpServer;running;stdio;');
      assert.equal(iconId(item), 'pass-filled');
      assert.equal(item.description, `stdio · ${tools.length} tools`);
      const serverTip = (tree.resolveTreeItem(item, node).tooltip as vscode.MarkdownString).value;
      assert.match(serverTip, new RegExp(`PID ${procs[0]!.pid}`));
      assert.ok(serverTip.includes('server.mjs'), serverTip);

      // Nodes are reused by id, so VS Code keeps expansion and selection across refreshes.
      assert.equal(server('fx'), node);
      assert.equal(tree.getChildren(node)[2], tools[0]);
      assert.equal(tree.getParent(echo), node);
    } finally {
      sub.dispose();
    }
  });

  it('refreshes a server subtree when its tool list changes', async () => {
    const api = await getApi();
    await setServers({ fx: fixtureServer() });
    const node = server('fx');
    tree.getChildren(node);
    await settledChildren(node);
    await api.callTool('fx', 'add_tool', {});
    await waitFor('the new tool in the tree', () => tree.getChildren(node).some((n) => n.kind === 'tool' && n.toolName === 'dynamic_0'));
    assert.equal(childProcesses().length, 1);
  });

  it('a failing server shows its error with Show Logs and Restart', async () => {
    await setServers({ bad: badServer('exit-now.mjs') });
    const node = server('bad');
    tree.getChildren(node);
    const children = (await settledChildren(node)) as MessageNode[];
    assert.deepEqual(
      children.map((c) => c.role),
      ['error', 'showLogs', 'restart'],
    );
    const error = tree.getTreeItem(children[0]!);
    assert.equal(error.contextValue, 'mcpError;server;');
    assert.match(label(error), /exited with code 2.*missing API_KEY/);
    assert.equal(tree.getTreeItem(children[1]!).command?.command, 'mcpManager.showServerLogs');
    assert.equal(tree.getTreeItem(children[2]!).command?.command, 'mcpManager.restartServer');
    assert.equal(tree.getTreeItem(children[2]!).command?.arguments?.[0], node);
    const item = tree.getTreeItem(node);
    assert.equal(iconId(item), 'error');
    assert.equal(item.contextValue, 'mcpServer;error;stdio;');
    const tip = (tree.resolveTreeItem(item, node).tooltip as vscode.MarkdownString).value;
    assert.match(tip, /missing API_KEY/);
  });

  it('a stopped server offers "click to start", and that starts it', async () => {
    await setServers({ fx: fixtureServer() });
    const node = server('fx');
    await vscode.commands.executeCommand('mcpManager.startServer', node);
    await vscode.commands.executeCommand('mcpManager.stopServer', node);
    const [stopped] = tree.getChildren(node) as MessageNode[];
    assert.equal(stopped?.role, 'stopped');
    const item = tree.getTreeItem(stopped);
    assert.equal(label(item), 'Stopped — click to start');
    assert.equal(iconId(tree.getTreeItem(node)), 'debug-stop');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(tree.getTreeItem(node).contextValue, 'mcpServer;running;stdio;');
    assert.ok((await settledChildren(node)).every((n) => n.kind === 'tool' || n.kind === 'folder'));
  });

  it('a disabled server says so and starts nothing', async () => {
    await setServers({ off: fixtureServer({ disabled: true }) });
    const node = server('off');
    assert.equal(tree.getTreeItem(node).contextValue, 'mcpServer;disabled;stdio;');
    assert.equal(iconId(tree.getTreeItem(node)), 'circle-slash');
    const children = tree.getChildren(node) as MessageNode[];
    assert.deepEqual(
      children.map((c) => c.role),
      ['disabled'],
    );
    assert.match(label(tree.getTreeItem(children[0]!)), /disabled/i);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(childProcesses(), []);
  });

  it('a configuration error is a node naming the server and field, opening the settings at it', async () => {
    await setServers({ ok: fixtureServer(), broken: fixtureServer({ startupTimeoutMs: 5 }), typo: { command: NODE, arg: ['x'] } });
    const all = roots();
    assert.deepEqual(
      all.filter((n) => n.kind === 'server').map((n) => (n as ServerNode).serverName),
      ['ok'],
    );
    const issues = all.filter((n) => n.kind === 'issue');
    const items = issues.map((n) => tree.getTreeItem(n));
    const broken = items.find((i) => label(i) === 'broken › startupTimeoutMs');
    assert.ok(broken, `issue labels: ${items.map(label).join(', ')}`);
    assert.equal(broken.contextValue, 'mcpError;config;');
    assert.match(String(broken.description), /at least 100/);
    const typo = items.find((i) => label(i) === 'typo › arg');
    assert.ok(typo);
    assert.match(String(typo.description), /did you mean "args"/);

    await vscode.commands.executeCommand(broken.command!.command, ...(broken.command!.arguments ?? []));
    const editor = await waitFor('the settings editor', () => vscode.window.activeTextEditor);
    assert.match(editor.document.uri.path, /\.vscode\/settings\.json$/);
    assert.equal(editor.document.getText(editor.selection), '"startupTimeoutMs"');
  });

  it('groups by source only when there are several, and the more specific scope wins a name', async () => {
    await setServers({ shared: fixtureServer({ env: { FROM: 'user' } }), userOnly: fixtureServer() }, vscode.ConfigurationTarget.Global);
    await setServers({ shared: fixtureServer({ env: { FROM: 'workspace' } }) });
    const api = await getApi();
    const top = roots();
    const groups = top.filter((n) => n.kind === 'group');
    assert.deepEqual(
      groups.map((g) => label(tree.getTreeItem(g))),
      ['User settings', 'Workspace settings'],
    );
    const names = (g: TreeNode) =>
      tree
        .getChildren(g)
        .filter((n) => n.kind === 'server')
        .map((n) => (n as ServerNode).serverName);
    assert.deepEqual(names(groups[0]!), ['userOnly']);
    assert.deepEqual(names(groups[1]!), ['shared']);
    assert.equal(api._test.registry.get('shared')?.definition.source?.kind, 'workspace');
    assert.equal(tree.getParent(tree.getChildren(groups[1]!)[0]!), groups[1]);
    // Configuration notes sit in their source's group (issue 11), not below the groups.
    assert.deepEqual(
      top.filter((n) => n.kind === 'issue'),
      [],
    );
    const dup = groups
      .flatMap((g) => tree.getChildren(g))
      .filter((n) => n.kind === 'issue')
      .map((n) => tree.getTreeItem(n));
    assert.equal(dup.length, 1);
    assert.match(String(dup[0]!.description), /also defined in User settings; the entry from Workspace settings is used/);

    // "Open Settings" on a user-level server opens the user settings JSON at its entry.
    await vscode.commands.executeCommand('mcpManager.openSettings', tree.getChildren(groups[0]!)[0]);
    const editor = await waitFor('the user settings editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && !e.document.uri.path.endsWith('.vscode/settings.json') ? e : undefined;
    });
    assert.equal(editor.document.getText(editor.selection), '"userOnly"');

    // One source again: no groups.
    await setServers(undefined, vscode.ConfigurationTarget.Global);
    assert.deepEqual(
      roots().map((n) => n.kind),
      ['server'],
    );
  });
});
