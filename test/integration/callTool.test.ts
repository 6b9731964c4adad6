// "MCP: Call Tool...", its history and rerun, in the real extension host against the fixture
// server. Calls are made programmatically (`{ serverName, toolName, args }` skips the argument UI);
// the argument plan itself is unit-tested (test/unit/toolArgs.test.ts), and the e2e tests drive the
// QuickPick/InputBox and the webview form as a person would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { childProcesses, fixtureServer, getApi, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

const GET_HISTORY = 'mcpManager.getToolCallHistory';
const RESULT_ACTION = 'mcpManager.resultViewAction';
const RESULT_VIEW = 'mcpManager.toolResult';

interface View {
  server: string;
  tool: string;
  callId: string;
  title: string;
  active: boolean;
  blocks: string[];
  structured: boolean;
  matchesSchema?: boolean;
  argsJson: string;
}

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
const views = async () => (await vscode.commands.executeCommand<View[]>('mcpManager.getResultViews')) ?? [];

function resultEditor(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e?.document.uri.scheme === 'mcp-result' ? e : undefined;
}

function tabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
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

  it('calls a tool, returns its result and shows it in the result view with the arguments sent', async () => {
    const result = await call({ serverName: 'fx', toolName: 'echo', args: { message: 'hello' } });
    assert.ok(result);
    assert.equal(resultText(result), 'Echo: hello');
    const [view] = await waitFor('the result view', async () => ((await views()).length ? views() : undefined));
    assert.deepEqual(
      { tool: view.tool, server: view.server, title: view.title, blocks: view.blocks },
      { tool: 'echo', server: 'fx', title: 'echo (fx)', blocks: ['text:plain'] },
    );
    assert.deepEqual(JSON.parse(view.argsJson), { message: 'hello' });
    assert.equal(view.callId, (await history())[0].id);
    await waitFor('one result view tab', () => tabs(RESULT_VIEW).length === 1);
    assert.equal(resultEditor(), undefined, 'no text editor for a result any more');
  });

  it('replaces the view of a tool with its next call, and keeps one view per tool', async () => {
    await call({ serverName: 'fx', toolName: 'echo', args: { message: 'one' } });
    const first = (await history())[0].id;
    await call({ serverName: 'fx', toolName: 'echo', args: { message: 'two' } });
    const second = (await history())[0].id;
    const echo = (await views()).filter((v) => v.tool === 'echo');
    assert.equal(echo.length, 1);
    assert.equal(echo[0].callId, second);
    assert.notEqual(first, second);
    assert.deepEqual(JSON.parse(echo[0].argsJson), { message: 'two' });
    await call({ serverName: 'fx', toolName: 'add', args: { a: 1, b: 2 } });
    const all = await views();
    assert.deepEqual(all.map((v) => v.tool).sort(), ['add', 'echo'], 'another tool gets its own view');
    assert.equal(all.find((v) => v.tool === 'echo')?.callId, second, 'and leaves the echo view alone');
    await waitFor('two result view tabs', () => tabs(RESULT_VIEW).length === 2);
    // The history reopens a past result in the same view, without calling again.
    const before = (await history()).length;
    await vscode.commands.executeCommand('mcpManager.showCallHistory', { entryId: second, showResult: true });
    assert.equal((await history()).length, before);
    const echoAgain = (await views()).filter((v) => v.tool === 'echo');
    assert.equal(echoAgain.length, 1);
    assert.equal(echoAgain[0].callId, second);
    // `active` follows the panel's view-state event.
    await waitFor('the echo view in front', async () => (await views()).find((v) => v.tool === 'echo')?.active === true);
  });

  it('shows JSON text as JSON and structuredContent once, checked against the output schema', async () => {
    const args = { name: 'n', mode: 'fast', tags: ['a'], options: { depth: 1, label: 'l' } };
    const result = await call({ serverName: 'fx', toolName: 'form', args });
    assert.deepEqual(JSON.parse(resultText(result!)), { ...args, count: 3, verbose: false }); // the server fills in its defaults
    assert.deepEqual((await views()).find((v) => v.tool === 'form')?.blocks, ['text:json']);
    const sum = await call({ serverName: 'fx', toolName: 'add', args: { a: 2, b: 3 } });
    assert.deepEqual(sum?.structuredContent, { sum: 5 });
    const view = (await views()).find((v) => v.tool === 'add');
    assert.deepEqual({ structured: view?.structured, matchesSchema: view?.matchesSchema }, { structured: true, matchesSchema: true });
  });

  it('shows images inline, with no separate media panel', async () => {
    const result = await call({ serverName: 'fx', toolName: 'image', args: {} });
    assert.equal(result?.content[0]?.type, 'image');
    const view = await waitFor('the image result view', async () => (await views()).find((v) => v.tool === 'image'));
    assert.deepEqual(view.blocks, ['image', 'text:plain']);
    assert.equal(tabs('mcpManager.toolResultMedia').length, 0);
  });

  it('opens a resource link through the Read Resource flow, and embedded resources as documents', async () => {
    await setServers({ fx: fixtureServer({ env: { FIXTURE_RICH: '1' } }) });
    const rich = await call({ serverName: 'fx', toolName: 'rich', args: {} });
    assert.equal(rich?.content.length, 7);
    const view = await waitFor('the rich result view', async () => (await views()).find((v) => v.tool === 'rich'));
    assert.deepEqual(view.blocks, ['text:markdown', 'text:json', 'image', 'audio', 'link', 'resource', 'resource']);
    assert.equal(
      await vscode.commands.executeCommand(RESULT_ACTION, 'fx', 'rich', { type: 'openResource', uri: 'fixture://readme' }),
      true,
    );
    const readme = await waitFor('the resource document', () =>
      vscode.window.activeTextEditor?.document.getText() === 'Fixture server readme.' ? vscode.window.activeTextEditor : undefined,
    );
    assert.notEqual(readme.document.uri.scheme, 'mcp-result', 'read from the server by the Read Resource flow');
    // Embedded text resource (block 6) is docs[0]; opening it shows its text read-only.
    await vscode.commands.executeCommand(RESULT_ACTION, 'fx', 'rich', { type: 'openDoc', doc: 0 });
    const embedded = await waitFor('the embedded resource document', resultEditor);
    assert.equal(embedded.document.getText(), 'Embedded notes.');
    await setServers({ fx: fixtureServer() });
  });

  it('opens large results in full beside the view, never truncated', async () => {
    const bytes = 3 * 1024 * 1024;
    const result = await call({ serverName: 'fx', toolName: 'big', args: { bytes } });
    assert.equal(resultText(result!).length, bytes);
    const editor = await waitFor('the full text beside the view', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'mcp-result'),
    );
    assert.equal(editor.document.getText().length, bytes);
    // A content-provider document: edits are refused and it never becomes dirty.
    const edited = await Promise.resolve(editor.edit((b) => b.insert(new vscode.Position(0, 0), 'y'))).catch(() => false);
    assert.equal(editor.document.getText().length, bytes, `edit() returned ${edited} and changed the text`);
    assert.equal(editor.document.isDirty, false);
    assert.deepEqual((await views()).find((v) => v.tool === 'big')?.blocks, ['text:plain']);
  });

  it('returns isError results, records them, and does not open them', async () => {
    const before = (await history()).length;
    const result = await call({ serverName: 'fx', toolName: 'fail', args: { message: 'nope' } });
    assert.equal(result?.isError, true);
    assert.equal(resultText(result!), 'nope');
    assert.equal(resultEditor(), undefined);
    assert.equal(
      (await views()).some((v) => v.tool === 'fail'),
      false,
      'an isError result opens only on "Show Result"',
    );
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

  it("opens the form (not the prompt chain) for server-memory's create_entities, an array of objects", async () => {
    await setServers({ fx: fixtureServer({ env: { FIXTURE_RICH: '1' } }) });
    const pending = call({ serverName: 'fx', toolName: 'create_entities' });
    const [tab] = await waitFor('the arguments form', () => {
      const t = tabs('mcpManager.toolArguments');
      return t.length ? t : undefined;
    });
    assert.equal(tab.label, 'Call create_entities (fx)');
    await vscode.window.tabGroups.close(tab);
    assert.equal(await pending, undefined);
    // Arguments given: sent as they are, and the result view shows them.
    const entities = [{ name: 'Ada', entityType: 'person', observations: ['wrote programs'] }];
    const result = await call({ serverName: 'fx', toolName: 'create_entities', args: { entities } });
    assert.deepEqual(JSON.parse(resultText(result!)), entities);
    assert.deepEqual(JSON.parse((await views()).find((v) => v.tool === 'create_entities')?.argsJson ?? '{}'), { entities });
    await setServers({ fx: fixtureServer() });
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
