// "MCP: Call Tool...", its history and rerun, in the real extension host against the fixture
// server. Calls are made programmatically (`{ serverName, toolName, args }` skips the argument UI);
// the argument plan itself is unit-tested (test/unit/toolArgs.test.ts), and the e2e tests drive the
// QuickPick/InputBox and the webview form as a person would.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { childProcesses, extensionPath, fixtureServer, getApi, NODE, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

const GET_HISTORY = 'mcpManager.getToolCallHistory';

interface Entry {
  id: string;
  server: string;
  tool: string;
  args?: Record<string, unknown>;
  status: 'ok' | 'isError' | 'error' | 'cancelled';
  durationMs: number;
  summary?: string;
}

const call = (arg: unknown) => vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.callTool', arg);
const history = async () => (await vscode.commands.executeCommand<Entry[]>(GET_HISTORY)) ?? [];

function resultEditor(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e?.document.uri.scheme === 'mcp-result' ? e : undefined;
}

function tabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
}

describe('tool calls (callTool, history, rerun)', function () {
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

  it('calls a tool, returns its result and opens it in a read-only editor', async () => {
    const result = await call({ serverName: 'fx', toolName: 'echo', args: { message: 'hello' } });
    assert.ok(result);
    assert.equal(resultText(result), 'Echo: hello');
    const editor = await waitFor('the result editor', resultEditor);
    assert.equal(editor.document.getText(), 'Echo: hello');
    assert.match(editor.document.uri.path, /\/echo \(fx\)\.txt$/);
    // A content-provider document: edits are refused and it never becomes dirty.
    const edited = await Promise.resolve(editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'))).catch(() => false);
    assert.equal(editor.document.getText(), 'Echo: hello', `edit() returned ${edited} and changed the text`);
    assert.equal(editor.document.isDirty, false);
  });

  it('pretty-prints JSON text as a json document', async () => {
    const args = { name: 'n', mode: 'fast', tags: ['a'], options: { depth: 1, label: 'l' } };
    const result = await call({ serverName: 'fx', toolName: 'form', args });
    const echoed = { ...args, count: 3, verbose: false }; // the server fills in its defaults
    assert.deepEqual(JSON.parse(resultText(result!)), echoed);
    const editor = await waitFor('the result editor', resultEditor);
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), echoed);
    assert.equal(editor.document.getText(), JSON.stringify(JSON.parse(resultText(result!)), null, 2));
  });

  it('shows structuredContent together with the output schema', async () => {
    const result = await call({ serverName: 'fx', toolName: 'add', args: { a: 2, b: 3 } });
    assert.deepEqual(result?.structuredContent, { sum: 5 });
    const editor = await waitFor('the result editor', resultEditor);
    assert.equal(editor.document.languageId, 'markdown');
    const text = editor.document.getText();
    assert.match(text, /## Structured content\n\n```json\n\{\n {2}"sum": 5\n\}/);
    assert.match(text, /Matches the tool's output schema/);
    assert.match(text, /### Output schema/);
  });

  it('shows images in a media panel next to the result', async () => {
    const result = await call({ serverName: 'fx', toolName: 'image', args: {} });
    assert.equal(result?.content[0]?.type, 'image');
    const editor = await waitFor('the result editor', resultEditor);
    assert.match(editor.document.getText(), /## 1\. Image \(image\/png, \d+ B\)/);
    await waitFor('the media panel', () => tabs('mcpManager.toolResultMedia').length === 1);
  });

  it('makes resource links clickable; opening one reads the resource from its server', async () => {
    const everything = path.join(extensionPath(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    await setServers({ fx: fixtureServer(), everything: { command: NODE, args: [everything, 'stdio'] } });
    const result = await call({ serverName: 'everything', toolName: 'get-resource-links', args: { count: 2 } });
    const linked = result?.content.filter((c) => c.type === 'resource_link') ?? [];
    assert.equal(linked.length, 2);
    const editor = await waitFor('the result editor', resultEditor);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const ours = links.filter((l) => l.target?.scheme === 'mcp-result');
    assert.equal(ours.length, 2, JSON.stringify(links.map((l) => l.target?.toString())));
    assert.equal(editor.document.getText(ours[0].range), linked[0].type === 'resource_link' ? linked[0].uri : '');
    const doc = await vscode.workspace.openTextDocument(ours[0].target!);
    assert.match(doc.getText(), /Resource 1/);
  });

  it('opens large results in full, never truncated', async () => {
    const bytes = 3 * 1024 * 1024;
    const result = await call({ serverName: 'fx', toolName: 'big', args: { bytes } });
    assert.equal(resultText(result!).length, bytes);
    const editor = await waitFor('the result editor', resultEditor);
    assert.equal(editor.document.getText().length, bytes);
  });

  it('returns isError results, records them, and does not open them', async () => {
    const before = (await history()).length;
    const result = await call({ serverName: 'fx', toolName: 'fail', args: { message: 'nope' } });
    assert.equal(result?.isError, true);
    assert.equal(resultText(result!), 'nope');
    assert.equal(resultEditor(), undefined);
    const h = await history();
    assert.equal(h.length, before + 1);
    assert.equal(h[0].status, 'isError');
    assert.equal(h[0].summary, 'nope');
  });

  it('reports core failures: undefined result, recorded as an error', async () => {
    const result = await call({ serverName: 'fx', toolName: 'throw', args: {} });
    assert.equal(result, undefined);
    const [last] = await history();
    assert.equal(last.tool, 'throw');
    assert.equal(last.status, 'error');
    assert.match(last.summary ?? '', /thrown on purpose/);
  });

  it('cancels a running call at once (AbortSignal), and the server stays usable', async () => {
    const ac = new AbortController();
    const pending = call({ serverName: 'fx', toolName: 'sleep', args: { ms: 10_000, progress: true }, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 500));
    ac.abort();
    // The tool sleeps 10 s: a call that ends without a result, recorded as cancelled, was cancelled
    // (no elapsed-time check: the machine may be busy).
    assert.equal(await pending, undefined);
    const [last] = await history();
    assert.equal(last.status, 'cancelled');
    assert.equal(resultText((await call({ serverName: 'fx', toolName: 'echo', args: { message: 'after' } }))!), 'Echo: after');
  });

  it('cancels with a VS Code CancellationToken too', async () => {
    const cts = new vscode.CancellationTokenSource();
    const pending = call({ serverName: 'fx', toolName: 'sleep', args: { ms: 10_000 }, token: cts.token });
    setTimeout(() => cts.cancel(), 300);
    assert.equal(await pending, undefined);
    assert.equal((await history())[0].status, 'cancelled');
    cts.dispose();
  });

  it('records calls in the workspace history and reruns the last one', async () => {
    await call({ serverName: 'fx', toolName: 'echo', args: { message: 'again' } });
    const before = await history();
    assert.deepEqual(
      { server: before[0].server, tool: before[0].tool, args: before[0].args, status: before[0].status },
      { server: 'fx', tool: 'echo', args: { message: 'again' }, status: 'ok' },
    );
    assert.equal(typeof before[0].durationMs, 'number');

    const rerun = await vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.rerunLastToolCall');
    assert.equal(resultText(rerun!), 'Echo: again');
    const after = await history();
    assert.equal(after.length, Math.min(before.length + 1, 50));
    assert.notEqual(after[0].id, before[0].id);
    assert.deepEqual(after[0].args, { message: 'again' });
  });

  it('reruns an older entry picked from the history', async () => {
    await call({ serverName: 'fx', toolName: 'add', args: { a: 20, b: 22 } });
    await call({ serverName: 'fx', toolName: 'echo', args: { message: 'newer' } });
    const entry = (await history()).find((e) => e.tool === 'add' && e.args?.a === 20);
    assert.ok(entry);
    const result = await vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.showCallHistory', { entryId: entry.id });
    assert.deepEqual(result?.structuredContent, { sum: 42 });
    assert.equal((await history())[0].tool, 'add');
  });

  it('opens the webview form for a complex schema (closing it cancels)', async () => {
    // `form` has a nested object and an array: the plan is a form, not a chain of inputs.
    const pending = call({ serverName: 'fx', toolName: 'form' });
    const [tab] = await waitFor('the arguments form', () => {
      const t = tabs('mcpManager.toolArguments');
      return t.length ? t : undefined;
    });
    assert.equal(tab.label, 'Call form (fx)');
    await vscode.window.tabGroups.close(tab);
    assert.equal(await pending, undefined);
  });

  it('asks for simple arguments with quick inputs (Escape cancels)', async () => {
    const before = (await history()).length;
    let settled = false;
    const pending = Promise.resolve(call({ serverName: 'fx', toolName: 'echo' })).finally(() => (settled = true));
    // The InputBox cannot be read from here; closing it (Escape) must cancel the whole call.
    await waitFor('the prompt to be closed', async () => {
      assert.equal(tabs('mcpManager.toolArguments').length, 0, 'echo must not open the form');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await new Promise((r) => setTimeout(r, 100));
      return settled;
    });
    assert.equal(await pending, undefined);
    assert.equal((await history()).length, before, 'a cancelled argument prompt is not a call');
  });

  it('says so for an unknown server, returning undefined', async () => {
    assert.equal(await call({ serverName: 'nope', toolName: 'echo', args: {} }), undefined);
  });
});
