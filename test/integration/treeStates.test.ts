// The Servers tree tells the truth (issue 11, point 4): a crash replaces the tool count with the
// error, a server writing text to stdout says so while it is still "Connecting…", and
// configuration errors sit in their source's group, counted, with the whole message in the
// tooltip. Real extension host, real processes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerTreeProvider } from '../../src/vscode/tree/serverTree';
import type { GroupNode, IssueNode, MessageNode, ServerNode } from '../../src/ui/tree/nodes';
import { badServer, childProcesses, fixtureServer, getApi, rememberServers, setServers, waitFor } from './helpers/mcpm';

describe('tree states: crash, non-JSON stdout, config errors in their group', function () {
  let tree: ServerTreeProvider;
  let saved: ReturnType<typeof rememberServers>;
  const server = (name: string, parent?: GroupNode) => {
    const node = tree.getChildren(parent).find((n): n is ServerNode => n.kind === 'server' && n.serverName === name);
    assert.ok(node, `no node for ${name}`);
    return node;
  };

  before(async () => {
    tree = (await getApi())._test.tree;
    saved = rememberServers();
  });

  afterEach(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('after a crash the server shows its error, not the old tool count', async () => {
    await setServers({ fx: fixtureServer() });
    const api = await getApi();
    const node = server('fx');
    tree.getChildren(node);
    await waitFor('the tool count', () => /^stdio · \d+ tools$/.test(String(tree.getTreeItem(node).description)));
    await api.callTool('fx', 'crash', {}).catch(() => undefined);
    await waitFor('the error state', () => api._test.registry.get('fx')!.state.kind === 'error');
    const description = String(tree.getTreeItem(node).description);
    assert.match(description, /^stdio · error: /);
    assert.doesNotMatch(description, /tools/);
    assert.deepEqual(
      (tree.getChildren(node) as MessageNode[]).map((c) => c.role),
      ['error', 'showLogs', 'restart'],
    );
  });

  it('a server writing text to stdout says so while it is still connecting', async () => {
    await setServers({ talky: badServer('text-stdout.mjs', { startupTimeoutMs: 120_000 }) });
    const api = await getApi();
    const node = server('talky');
    tree.getChildren(node);
    const warning = await waitFor('the warning row', () => (tree.getChildren(node) as MessageNode[]).find((c) => c.role === 'warning'));
    assert.equal(api._test.registry.get('talky')!.state.kind, 'starting');
    assert.deepEqual(
      (tree.getChildren(node) as MessageNode[]).map((c) => c.role),
      ['connecting', 'warning', 'showLogs'],
    );
    assert.match(warning.message, /not JSON-RPC to stdout: 'hello'/);
    assert.equal(tree.getTreeItem(warning).command?.command, 'mcpManager.showServerLogs');
    assert.match(String(tree.getTreeItem(node).description), /writes non-JSON-RPC text to stdout/);
    await vscode.commands.executeCommand('mcpManager.stopServer', node);
  });

  it('configuration errors are in their group, counted, with the whole message in the tooltip', async () => {
    await setServers({ mine: fixtureServer() }, vscode.ConfigurationTarget.Global);
    await setServers({ ok: fixtureServer(), broken: fixtureServer({ startupTimeoutMs: 5 }) });
    try {
      const top = tree.getChildren();
      assert.deepEqual(
        top.filter((n) => n.kind === 'issue'),
        [],
        'an error row outside its group',
      );
      const group = top.find((n): n is GroupNode => n.kind === 'group' && n.source.kind === 'workspace');
      assert.ok(group);
      assert.equal(tree.getTreeItem(group).description, '1 server · 1 error');
      const children = tree.getChildren(group);
      const issue = children.find((n): n is IssueNode => n.kind === 'issue');
      assert.ok(issue, 'no error row in the group');
      assert.equal(server('ok', group).kind, 'server');
      assert.equal(tree.getParent(issue), group);
      const item = tree.getTreeItem(issue);
      assert.equal(item.label, 'broken › startupTimeoutMs');
      // appendText escapes Markdown and writes spaces as &nbsp;: compare the text as shown.
      const tip = (item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.ok(tip.includes(issue.issue.message), tip);
      assert.ok(item.accessibilityInformation?.label.includes(issue.issue.message));
    } finally {
      await setServers(undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
