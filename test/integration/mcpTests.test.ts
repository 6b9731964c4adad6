// MCP test collections in the real extension host: the "MCP Tests" controller finds a collection
// in the workspace, runs it through the Testing view's own command against the fixture server
// (failures carry expected/actual for the diff) with the same results as the CLI's
// `mcp-manager test`, and "Save as Test" appends a call that runs green,
// from the last result, the result view's button, or a history entry of an earlier window.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../src/ui/toolCall/history';
import type { ReportedOutcome } from '../../src/vscode/tests';
import type { ResultViewInfo } from '../../src/vscode/toolCall/resultView';
import { folderPath } from './helpers/configHelpers';
import { childProcesses, extensionPath, fixtureServer, getApi, NODE, rememberServers, setServers, waitFor } from './helpers/mcpm';

describe('MCP Tests (Testing view)', function () {
  this.timeout(60_000);
  let saved: ReturnType<typeof rememberServers>;
  let file: string;
  let uri: vscode.Uri;
  let testingView: readonly ReportedOutcome[] | undefined;

  before(async () => {
    await getApi();
    saved = rememberServers();
    await setServers({ fx: fixtureServer() });
    file = path.join(folderPath(), 'integration.mcptest.json');
    uri = vscode.Uri.file(file);
    fs.writeFileSync(
      file,
      `{
  // written by test/integration/mcpTests.test.ts
  "server": "fx",
  "tests": [
    { "name": "echo", "tool": "echo", "arguments": { "message": "hi" }, "expect": { "contains": "Echo: hi" } },
    { "name": "wrong sum", "tool": "add", "arguments": { "a": 2, "b": 3 }, "expect": { "structuredContent": { "sum": 6 } } },
    { "name": "no such tool", "tool": "ecko" }
  ]
}
`,
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
    fs.rmSync(path.join(folderPath(), '__snapshots__'), { recursive: true, force: true });
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('finds the collection with one item per test at its line', async () => {
    const { tests } = (await getApi())._test;
    const item = await waitFor('the collection item', async () => {
      await tests.discover();
      const it = tests.controller.items.get(uri.toString());
      return it && it.children.size === 3 ? it : undefined;
    });
    const children: vscode.TestItem[] = [];
    item.children.forEach((c) => void children.push(c));
    assert.deepEqual(children.map((c) => [c.label, c.range?.start.line]).sort(), [
      ['echo', 4],
      ['no such tool', 6],
      ['wrong sum', 5],
    ]);
    assert.equal(item.label, 'integration.mcptest.json');
  });

  it('runs from the Testing view: pass, a failure with expected/actual, an error that names the tool', async () => {
    const { tests, registry } = (await getApi())._test;
    const finished = new Promise<readonly ReportedOutcome[]>((resolve) => {
      const sub = tests.onDidFinishRun((o) => {
        sub.dispose();
        resolve(o);
      });
    });
    await vscode.commands.executeCommand('testing.runAll');
    const outcomes = await finished;
    const by = new Map(outcomes.map((o) => [o.id.split('#')[1], o]));
    assert.equal(by.get('echo')?.status, 'passed');
    const wrong = by.get('wrong sum')!;
    assert.equal(wrong.status, 'failed');
    assert.deepEqual(wrong.messages, [
      {
        message: 'structuredContent: structuredContent differs at $.sum',
        expected: '{\n  "sum": 6\n}',
        actual: '{\n  "sum": 5\n}',
        line: 5,
      },
    ]);
    const missing = by.get('no such tool')!;
    assert.equal(missing.status, 'errored');
    assert.match(missing.messages[0]!.message, /^tool: server "fx" has no tool named "ecko" \(did you mean "echo"\?\)$/);
    // The run used the registry's kept-alive connection.
    assert.equal(registry.get('fx')?.state.kind, 'running');
    testingView = outcomes;
  });

  it('the CLI gives the same results for the same file as the Testing view', async function () {
    assert.ok(testingView, 'runs after the Testing view run');
    // `mcp-manager test` in the workspace folder reads the same settings (.vscode/settings.json).
    const cli = await runCli(['test', file, '--json'], folderPath());
    assert.equal(cli.code, 1, `exit 1 (some failed): ${cli.stderr}`);
    const report = JSON.parse(cli.stdout) as {
      tests: { name: string; status: string; failures: { expectation: string; message: string }[] }[];
    };
    const fromCli = report.tests.map((t) => [t.name, t.status, t.failures.map((f) => `${f.expectation}: ${f.message}`)]);
    const fromView = testingView.map((o) => [o.id.split('#')[1], o.status, o.messages.map((m) => m.message)]);
    assert.deepEqual(fromCli.sort(), fromView.sort());
  });

  it('Save as Test appends the last call with its expectations, opens it, and it passes', async () => {
    const { tests } = (await getApi())._test;
    const result = await vscode.commands.executeCommand('mcpManager.callTool', {
      serverName: 'fx',
      toolName: 'add',
      args: { a: 1, b: 2 },
      show: false,
    });
    assert.ok(result);
    const saved = await vscode.commands.executeCommand<{ file: vscode.Uri; line: number }>('mcpManager.saveLastCallAsTest', {
      file: uri,
      name: 'saved add',
    });
    assert.ok(saved);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/\/ written by test\/integration/, 'comments are kept');
    assert.match(
      text,
      /"name": "saved add",\s*"tool": "add",\s*"arguments": \{\s*"a": 1,\s*"b": 2\s*\},\s*"expect": \{\s*"isError": false,\s*"structuredContent": \{\s*"sum": 3\s*\}/,
    );
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, file);
    assert.equal(editor?.selection.active.line, saved.line);
    assert.match(editor!.document.lineAt(saved.line).text, /^\s*\{/);

    const item = await waitFor('the new test item', () =>
      tests.controller.items.get(uri.toString())?.children.get(`${uri.toString()}#saved add`),
    );
    const cts = new vscode.CancellationTokenSource();
    const outcomes = await tests.run(new vscode.TestRunRequest([item]), cts.token);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['passed'],
    );
  });

  it("the result view's Save as Test... saves the call it shows, with its whole result", async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('mcpManager.callTool', { serverName: 'fx', toolName: 'add', args: { a: 2, b: 5 } });
    const views = await vscode.commands.executeCommand<ResultViewInfo[]>('mcpManager.getResultViews');
    assert.ok(views.some((v) => v.server === 'fx' && v.tool === 'add'));
    // The view keeps its own copy of the call: it does not need the results of this window.
    api._test.forgetCallResults();
    // What the page's button posts, handled by the view's own message handler (file and name
    // given here, so no questions are asked).
    const done = await vscode.commands.executeCommand<boolean>('mcpManager.resultViewAction', 'fx', 'add', {
      type: 'saveAsTest',
      file,
      name: 'from the view',
    });
    assert.equal(done, true);
    const saved = savedTest('from the view');
    assert.deepEqual(saved, {
      name: 'from the view',
      tool: 'add',
      arguments: { a: 2, b: 5 },
      expect: { isError: false, structuredContent: { sum: 7 } },
    });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
  });

  it('a history entry of an earlier window is prefilled from what the history kept of its result', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('mcpManager.callTool', { serverName: 'fx', toolName: 'add', args: { a: 4, b: 4 }, show: false });
    await vscode.commands.executeCommand('mcpManager.callTool', {
      serverName: 'fx',
      toolName: 'echo',
      args: { message: 'kept' },
      show: false,
    });
    const history = await vscode.commands.executeCommand<HistoryEntry[]>('mcpManager.getToolCallHistory');
    const [echo, add] = history;
    assert.equal(echo?.tool, 'echo');
    assert.equal(add?.tool, 'add');
    assert.deepEqual(echo.result, { text: 'Echo: kept' });
    // A new window has the history (workspaceState) but none of the results.
    api._test.forgetCallResults();
    for (const [entry, name] of [
      [add, 'add from history'],
      [echo, 'echo from history'],
    ] as const) {
      const saved = await vscode.commands.executeCommand('mcpManager.saveCallAsTest', { entryId: entry.id, file, name });
      assert.ok(saved, name);
    }
    assert.deepEqual(savedTest('add from history').expect, { isError: false, structuredContent: { sum: 8 } });
    assert.deepEqual(savedTest('echo from history'), {
      name: 'echo from history',
      tool: 'echo',
      arguments: { message: 'kept' },
      expect: { isError: false, contains: 'Echo: kept' },
    });
  });

  /** The test of that name in the collection file, as written (its one comment line dropped). */
  function savedTest(name: string): Record<string, unknown> {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const tests = (JSON.parse(text) as { tests: Record<string, unknown>[] }).tests;
    const test = tests.find((t) => t.name === name);
    assert.ok(test, `no test "${name}" in ${tests.map((t) => String(t.name)).join(', ')}`);
    return test;
  }
});

/** The built CLI (dist/cli.js) run by the extension host's Node, as CI would run it. */
function runCli(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [path.join(extensionPath(), 'dist', 'cli.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
