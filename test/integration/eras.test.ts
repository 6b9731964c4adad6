// Both protocol eras in the real extension host: the SDK v2 fixture serving only 2026-07-28
// (stateless) over stdio and Streamable HTTP, side by side with the 2025-era fixture, through the
// tree, the API and the resource browser, as a user meets them.
import type { PickSnapshot } from '../../src/vscode/toolCall/toolPicker';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { ServerTreeProvider } from '../../src/vscode/tree/serverTree';
import { logText, scriptedUi } from './helpers/configHelpers';
import type { ResourceNode, ServerNode, ToolNode, TreeNode } from '../../src/ui/tree/nodes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  childProcesses,
  extensionPath,
  fixture,
  fixtureServer,
  getApi,
  MARKER,
  NODE,
  rememberServers,
  resultText,
  setServers,
  waitFor,
} from './helpers/mcpm';

const MODERN = () => fixture('eras', 'modern.mjs');

describe('protocol eras in the editor', function () {
  let tree: ServerTreeProvider;
  let saved: ReturnType<typeof rememberServers>;
  let http: ChildProcess | undefined;
  let httpUrl = '';

  const server = (name: string) => {
    const node = tree.getChildren().find((n): n is ServerNode => n.kind === 'server' && n.serverName === name);
    assert.ok(node, `no node for server ${name}`);
    return node;
  };
  const settled = (node: TreeNode) =>
    waitFor('children to settle', () => {
      const c = tree.getChildren(node);
      return c.some((n) => n.kind === 'message' && n.role === 'connecting') ? undefined : c;
    });
  const tooltip = (node: TreeNode) => {
    const t = tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  };

  before(async () => {
    tree = (await getApi())._test.tree;
    saved = rememberServers();
    // A 2026-07-28-only HTTP server, started by the test (the extension only connects to it).
    http = spawn(NODE, [MODERN(), '--http', '--era', 'modern', '--port', '0', MARKER], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    httpUrl = await new Promise<string>((resolve, reject) => {
      http!.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        const m = /^LISTENING (\S+)$/m.exec(err);
        if (m) resolve(m[1]!);
      });
      http!.once('exit', (code) => reject(new Error(`the HTTP fixture exited (${code}): ${err}`)));
    });
  });

  after(async () => {
    await saved.restore();
    http?.kill();
  });

  afterEach(async () => {
    await setServers({});
    await waitFor('stdio fixture processes to exit', () => childProcesses().every((p) => p.cmdline.includes('--http')));
  });

  it('shows a 2026-07-28 server over stdio like any other: tools, resources, tooltip, calls, list changes', async () => {
    const api = await getApi();
    await setServers({ modern: { command: NODE, args: [MODERN(), '--era', 'modern', MARKER] }, legacy: fixtureServer() });
    const modern = server('modern');
    const legacy = server('legacy');
    tree.getChildren(modern);
    tree.getChildren(legacy);
    const [children] = await Promise.all([settled(modern), settled(legacy)]);
    assert.deepEqual(
      children.slice(0, 2).map((c) => c.id),
      ['resources:modern', 'prompts:modern'],
    );
    const tools = children.filter((c): c is ToolNode => c.kind === 'tool').map((t) => t.toolName);
    assert.ok(tools.includes('echo') && tools.includes('add'), tools.join(', '));
    assert.match(tooltip(modern), /Protocol: MCP 2026\\-07\\-28 \(stateless\)/);
    assert.match(tooltip(legacy), /Protocol: MCP 2025\\-11\\-25(?! \(stateless\))/);

    // The API goes through the same kept-alive process.
    const pids = childProcesses().filter((p) => p.cmdline.includes('modern.mjs') && !p.cmdline.includes('--http'));
    assert.equal(pids.length, 1, JSON.stringify(pids));
    assert.equal(resultText(await api.callTool('modern', 'echo', { message: 'hi' })), 'Echo: hi');
    const whoami = JSON.parse(resultText(await api.callTool('modern', 'whoami', {}))) as { era: string; envelope: string };
    assert.equal(whoami.era, 'modern');
    assert.equal(childProcesses().filter((p) => p.cmdline.includes('modern.mjs') && !p.cmdline.includes('--http')).length, 1);

    // A list change arrives on subscriptions/listen and refreshes the subtree.
    await api.callTool('modern', 'change', {});
    await waitFor('the added tool in the tree', () => tree.getChildren(modern).some((n) => n.kind === 'tool' && n.toolName === 'added_0'));

    // Resources of a 2026 server browse and open like any other.
    const resources = await settled(children[0]!);
    const hello = resources.find((n): n is ResourceNode => n.kind === 'resource' && n.uri === 'eras://hello');
    assert.ok(hello, JSON.stringify(resources.map((r) => r.id)));
  });

  it('connects to a 2026-07-28-only HTTP server that VS Code’s own client cannot use', async () => {
    const api = await getApi();
    await setServers({ remote: { type: 'http', url: httpUrl } });
    const remote = server('remote');
    tree.getChildren(remote);
    const children = await settled(remote);
    assert.ok(children.some((c) => c.kind === 'tool' && c.toolName === 'route'));
    assert.match(tooltip(remote), /Protocol: MCP 2026\\-07\\-28 \(stateless\)/);
    const routed = JSON.parse(resultText(await api.callTool('remote', 'route', { region: 'eu' }))) as {
      param: string | null;
      protocolVersion: string;
    };
    assert.equal(routed.param, 'eu', 'x-mcp-header mirrored into Mcp-Param-Region');
    assert.equal(routed.protocolVersion, '2026-07-28');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const era of ['modern', 'legacy'] as const) {
    it(`an open resource follows the server's updates, and stops when closed (${era === 'modern' ? '2026-07-28' : '2025-11-25'})`, async () => {
      const api = await getApi();
      await setServers({ live: { command: NODE, args: [MODERN(), '--era', era, MARKER], env: { ERA_LOG_REQUESTS: '1' } } });
      await vscode.commands.executeCommand('mcpManager.readResource', { serverName: 'live', uri: 'eras://hello' });
      const editor = await waitFor('the resource document', () =>
        vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'mcpm-resource'),
      );
      assert.match(editor.document.getText(), /Hello from eras \(v1\)/);
      await api.callTool('live', 'touch', {});
      await waitFor('the document to show the new version', () => /Hello from eras \(v2\)/.test(editor.document.getText()));

      const requests = async () => [...(await logText('MCP: live')).matchAll(/\[stderr\] request (\S+)/g)].map((m) => m[1]!);
      const before = (await requests()).length;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // Closing the last tab ends the subscription: resources/unsubscribe (2025) or a listen without it (2026).
      const expected = era === 'legacy' ? 'resources/unsubscribe' : 'subscriptions/listen';
      await waitFor(`${expected} after the tab closed`, async () => (await requests()).slice(before).includes(expected));
    });
  }

  it('asks before calling a tool the server marks destructive; the answer can be remembered per tool', async () => {
    await setServers({ modern: { command: NODE, args: [MODERN(), '--era', 'modern', MARKER] } });
    const { ui, done } = await scriptedUi();
    const call = () =>
      vscode.commands.executeCommand<{ content: Array<{ text: string }> } | undefined>('mcpManager.callTool', {
        serverName: 'modern',
        toolName: 'reset',
        args: {},
        show: false,
      });
    const asked = () => ui.count('confirm', /^Call "Reset" on the MCP server "modern"\?/);
    try {
      ui.on('confirm', /Reset/, undefined);
      assert.equal(await call(), undefined, 'dismissed: nothing is called');
      assert.equal(asked(), 1);
      ui.on('confirm', /Reset/, 'Call');
      assert.equal((await call())?.content[0]?.text, 'reset 1', 'the first reset the server saw');
      ui.on('confirm', /Reset/, "Call, Don't Ask Again for This Tool");
      assert.equal((await call())?.content[0]?.text, 'reset 2');
      assert.equal((await call())?.content[0]?.text, 'reset 3', 'not asked again');
      assert.equal(asked(), 3);
      assert.match(ui.asked.find((a) => a.kind === 'confirm')!.detail ?? '', /marks this tool as destructive.*no arguments/s);
      // A tool that is not destructive is never asked about.
      assert.equal(resultText(await (await getApi()).callTool('modern', 'echo', { message: 'x' })), 'Echo: x');
      assert.equal(ui.count('confirm', /Echo/), 0);
    } finally {
      done();
    }
  });

  it('server log messages reach the server log at their level; Set Server Log Level changes which', async () => {
    const api = await getApi();
    await setServers({ chatty: { command: NODE, args: [MODERN(), '--era', 'modern', MARKER], logLevel: 'error' } });
    const lines = async () => [...(await logText('MCP: chatty')).matchAll(/\[server (\w+)\] eras: (\w+) from log/g)].map((m) => m[1]!);
    await api.callTool('chatty', 'log', {});
    await waitFor('the error message', async () => (await lines()).includes('error'));
    assert.deepEqual(await lines(), ['error']);
    await vscode.commands.executeCommand('mcpManager.setServerLogLevel', { serverName: 'chatty' }, 'debug');
    await api.callTool('chatty', 'log', {});
    await waitFor('the messages down to info', async () => (await lines()).length >= 4);
    // The server now sent all four; the channel shows Info and above unless its own level is lowered.
    assert.deepEqual((await lines()).slice(1), ['info', 'warning', 'error']);
    // Each at its level in the channel: the warning as [warning], the error as [error].
    const text = await logText('MCP: chatty');
    assert.match(text, /\[warning\] \[server warning\] eras: warning from log/);
    assert.match(text, /\[error\] \[server error\] eras: error from log/);
  });

  it('prompt arguments and template variables list the server’s completions as you type, with context', async () => {
    const everything = path.join(extensionPath(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    await setServers({
      modern: { command: NODE, args: [MODERN(), '--era', 'modern', MARKER] },
      everything: { command: NODE, args: [everything] },
    });
    const { ui, done } = await scriptedUi();
    const suggested: Record<string, readonly string[]> = {};
    const answer =
      (key: string, typed: string, pick: (values: readonly string[]) => string) =>
      async (ask: { suggest?: (v: string) => Promise<readonly string[]> }) => {
        assert.ok(ask.suggest, `${key}: the input offers suggestions`);
        suggested[key] = await ask.suggest(typed);
        return pick(suggested[key]);
      };
    try {
      ui.on(
        'input',
        /Greet/,
        answer('greet name "a"', 'a', (v) => v[1]!),
      );
      const greeting = await vscode.commands.executeCommand<{ messages: Array<{ content: { text: string } }> }>('mcpManager.getPrompt', {
        serverName: 'modern',
        promptName: 'greet',
      });
      assert.deepEqual(suggested['greet name "a"'], ['Ada', 'Alan']);
      assert.equal(greeting?.messages[0]?.content.text, 'Hello, Alan!');

      ui.on(
        'input',
        /\{id\}/,
        answer('item id "4"', '4', (v) => v[0]!),
      );
      const item = await vscode.commands.executeCommand<{ contents: Array<{ uri: string }> }>('mcpManager.readResource', {
        serverName: 'modern',
        uriTemplate: 'eras://item/{id}',
      });
      assert.deepEqual(suggested['item id "4"'], ['42', '420']);
      assert.equal(item?.contents[0]?.uri, 'eras://item/42');

      // server-everything: the department entered first narrows the names it suggests.
      ui.on(
        'input',
        /department/,
        answer('department "S"', 'S', () => 'Sales'),
      );
      ui.on(
        'input',
        /name/,
        answer('name after Sales', '', (v) => v[0]!),
      );
      const team = await vscode.commands.executeCommand<{ messages: Array<{ content: { text: string } }> }>('mcpManager.getPrompt', {
        serverName: 'everything',
        promptName: 'completable-prompt',
      });
      assert.deepEqual(suggested['department "S"'], ['Sales', 'Support']);
      assert.deepEqual(suggested['name after Sales'], ['David', 'Eve', 'Frank']);
      assert.match(team?.messages[0]?.content.text ?? '', /promote David to the head of the Sales team/);
    } finally {
      done();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('shows the icons a server gives its tools, and never one that carries a script', async () => {
    await setServers({ modern: { command: NODE, args: [MODERN(), '--era', 'modern', MARKER] } });
    const modern = server('modern');
    tree.getChildren(modern);
    const children = await settled(modern);
    const tool = (name: string) => children.find((c): c is ToolNode => c.kind === 'tool' && c.toolName === name)!;
    const echo = await waitFor('the echo icon', () => {
      const icon = tree.getTreeItem(tool('echo')).iconPath;
      return icon instanceof vscode.Uri ? icon : undefined;
    });
    assert.equal(echo.scheme, 'file');
    assert.match(echo.path, /\/icons\/[0-9a-f]{32}\.png$/);
    assert.ok(fs.readFileSync(echo.fsPath).subarray(1, 4).toString() === 'PNG');
    const add = tree.getTreeItem(tool('add')).iconPath;
    assert.ok(add instanceof vscode.ThemeIcon, 'the scripted SVG is refused: the codicon stays');

    // The Call Tool pick shows the same icon file beside the tool, and none for the refused one.
    const pending = vscode.commands.executeCommand('mcpManager.callTool', { serverName: 'modern' });
    try {
      const rows = await waitFor('the pick with the echo icon', async () => {
        const snap = await vscode.commands.executeCommand<PickSnapshot | undefined>('mcpManager.getToolPickState');
        return snap?.rows.find((r) => r.tool === 'echo')?.icon ? snap.rows : undefined;
      });
      assert.equal(rows.find((r) => r.tool === 'echo')!.icon, echo.fsPath);
      assert.equal(rows.find((r) => r.tool === 'add')!.icon, undefined);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await pending;
    }
  });
});
