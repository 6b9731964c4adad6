// The in-editor gateway: the definition provider offered to VS Code's own MCP support (1.101+)
// and the local HTTP gateway its definitions point at, served from the registry's connections.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scriptedUi } from './helpers/configHelpers';
import { childProcesses, extensionPath, fixtureServer, getApi, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

/** One JSON-RPC exchange over HTTP; the answer may come as JSON or as one SSE event. */
async function rpc(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; session?: string; message?: { result?: { tools?: { name: string }[]; content?: unknown } } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const data = text.includes('data: ')
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .pop()
    : text;
  return { status: res.status, session: res.headers.get('mcp-session-id') ?? undefined, message: data ? JSON.parse(data) : undefined };
}

/** A 2025-era session with the gateway at `url`: the headers its requests carry. */
async function openSession(url: string, auth: Record<string, string>): Promise<Record<string, string>> {
  const init = await rpc(url, auth, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'chat-stand-in', version: '1' } },
  });
  assert.equal(init.status, 200, JSON.stringify(init.message));
  const session = { ...auth, 'mcp-session-id': init.session!, 'mcp-protocol-version': '2025-11-25' };
  await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...session },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  return session;
}

describe('gateway for VS Code chat', function () {
  let saved: ReturnType<typeof rememberServers>;
  before(async () => {
    await getApi();
    saved = rememberServers();
  });
  afterEach(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('registers the definition provider where VS Code has the API, offering one definition per exposed server', async function () {
    const { _test } = await getApi();
    const [major = 0, minor = 0] = vscode.version.split('.').map(Number);
    if (major === 1 && minor < 101) {
      // VS Code 1.100: no usable provider API; the extension works without it.
      assert.equal(_test.gateway.registered, false);
      this.skip();
    }
    assert.equal(_test.gateway.registered, true, 'VS Code took the definition provider');
    await setServers({ fx: fixtureServer(), hidden: fixtureServer({ expose: false }) });
    assert.deepEqual(
      _test.gateway.definitions().map((d) => d.label),
      ['fx (MCP Manager)'],
    );
    assert.deepEqual(childProcesses(), [], 'offering definitions starts nothing');
  });

  it('serves a server through the local gateway with its token, in the process the tree uses', async () => {
    const { _test } = await getApi();
    await setServers({ fx: fixtureServer() });
    const server = await _test.gateway.listen();
    const url = `${server.url}/fx`;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp\/fx$/);
    assert.equal((await rpc(url, {}, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).status, 401);
    const auth = { authorization: `Bearer ${server.token}` };
    const session = await openSession(url, auth);
    const list = await rpc(url, session, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const names = (list.message?.result?.tools ?? []).map((t) => t.name);
    assert.ok(names.includes('fx_echo'), names.join(', '));
    const call = await rpc(url, session, {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'fx_echo', arguments: { message: 'from chat' } },
    });
    assert.deepEqual(call.message?.result?.content, [{ type: 'text', text: 'Echo: from chat' }]);
    assert.equal(_test.registry.get('fx')?.state.kind, 'running', "the registry's own connection ran the call");
    assert.equal(childProcesses().length, 1);
    assert.equal(_test.gateway.clientsOf('fx'), 1, 'in use by one client');
    const row = _test.tree.getTreeItem(_test.tree.serverNode('fx')!);
    assert.match(String(row.description), / · in use by 1 client$/, 'the tree says so');
  });

  it('the checkboxes and the palette choose what the gateway offers, and nothing restarts', async () => {
    const { _test } = await getApi();
    const tree = _test.tree;
    await setServers({ fx: fixtureServer() });
    const server = await _test.gateway.listen();
    const session = await openSession(server.url, { authorization: `Bearer ${server.token}` });
    const call = (id: number, method: string, params: Record<string, unknown> = {}) =>
      rpc(server.url, session, { jsonrpc: '2.0', id, method, params });
    const offered = async () => ((await call(1, 'tools/list')).message?.result?.tools ?? []).map((t) => t.name).sort();
    const pidOf = async () =>
      resultText((await call(2, 'tools/call', { name: 'fx_pid', arguments: {} })).message!.result as { content?: unknown });
    const pid = await pidOf();
    assert.ok((await offered()).includes('fx_echo'));
    const conn = _test.registry.get('fx')!;
    const serverRow = () => tree.getTreeItem(tree.serverNode('fx')!);
    assert.equal(serverRow().checkboxState && (serverRow().checkboxState as { state: number }).state, vscode.TreeItemCheckboxState.Checked);

    // MCP Manager: Stop Offering Server to Other Clients... writes "expose": false, keeps the process.
    await vscode.commands.executeCommand('mcpManager.unofferServer', 'fx');
    await waitFor('the entry says expose: false', () => _test.registry.get('fx')?.definition.expose === false);
    assert.strictEqual(_test.registry.get('fx'), conn, 'the same connection');
    assert.equal(conn.state.kind, 'running');
    const entry = vscode.workspace.getConfiguration('mcpManager').inspect<Record<string, { expose?: boolean }>>('servers')?.workspaceValue;
    assert.equal(entry?.fx?.expose, false, 'written in the workspace settings, where the entry is');
    assert.deepEqual(await offered(), [], 'the gateway no longer lists its tools');
    assert.equal((serverRow().checkboxState as { state: number }).state, vscode.TreeItemCheckboxState.Unchecked);

    await vscode.commands.executeCommand('mcpManager.offerServer', 'fx');
    await waitFor('offered again', () => _test.registry.get('fx')?.definition.expose !== false);
    assert.equal(await pidOf(), pid, 'the same process all along');

    // A tool's checkbox: hidden from the gateway's clients, still in our tree.
    const node = tree.serverNode('fx')!;
    await waitFor('tools in the tree', () => tree.getChildren(node).some((n) => n.kind === 'tool'));
    const echo = () => tree.getChildren(node).find((n) => n.kind === 'tool' && n.toolName === 'echo')!;
    assert.equal((tree.getTreeItem(echo()).checkboxState as { state: number }).state, vscode.TreeItemCheckboxState.Checked);
    await _test.gateway.setToolOffered('fx', 'echo', false);
    try {
      const names = await offered();
      assert.ok(!names.includes('fx_echo') && names.includes('fx_pid'), names.join(', '));
      assert.equal((tree.getTreeItem(echo()).checkboxState as { state: number }).state, vscode.TreeItemCheckboxState.Unchecked);
    } finally {
      await _test.gateway.setToolOffered('fx', 'echo', true);
    }
  });

  it('MCP Manager: Copy Gateway Configuration... copies the entry a client needs', async () => {
    const { ui, done } = await scriptedUi();
    try {
      ui.on('pick', /Which client/, /Claude Code/);
      ui.on('notify', /Copied/, undefined);
      await vscode.commands.executeCommand('mcpManager.copyGatewayConfig');
      const entry = (
        JSON.parse(await vscode.env.clipboard.readText()) as { mcpServers: Record<string, { command: string; args: string[] }> }
      ).mcpServers['mcp-manager']!;
      assert.equal(entry.command, 'node');
      assert.deepEqual(entry.args.slice(0, 2), [`${extensionPath()}/dist/cli.js`, 'serve']);
      assert.deepEqual(entry.args.slice(2), ['--workspace', vscode.workspace.workspaceFolders![0]!.uri.fsPath]);
      assert.equal(ui.count('notify', /Copied the Claude Code entry/), 1);
    } finally {
      done();
    }
  });
});
