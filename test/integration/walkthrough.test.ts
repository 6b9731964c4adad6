// The Getting Started walkthrough in a real extension host: its steps are contributed with buttons
// that run registered commands, and the context keys its completion events wait for are set by
// what the user does (issue 20). Plus where Add Server says it writes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scriptedUi, section } from './helpers/configHelpers';
import {
  childProcesses,
  EXTENSION_ID,
  FIXTURE,
  fixtureServer,
  getApi,
  MARKER,
  NODE,
  rememberServers,
  setServers,
  waitFor,
} from './helpers/mcpm';

interface Step {
  id: string;
  description: string;
  completionEvents: string[];
  media: { markdown: string };
}

describe('walkthrough', () => {
  let saved: ReturnType<typeof rememberServers>;
  before(() => {
    saved = rememberServers();
  });
  afterEach(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('is contributed with its steps, and every button and onCommand event names a registered command', async () => {
    await getApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs: { id: string; steps: Step[] }[] } }).contributes.walkthroughs;
    assert.deepEqual(
      walkthroughs.map((w) => w.id),
      ['gettingStarted'],
    );
    const steps = walkthroughs[0]!.steps;
    assert.deepEqual(
      steps.map((s) => s.id),
      ['addServer', 'startServer', 'callTool', 'readResource'],
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
      const onCommand = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      for (const id of [...buttons, ...onCommand]) assert.ok(registered.has(id), `step ${step.id}: ${id} is not a registered command`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, step.media.markdown)); // throws if missing
    }
    assert.ok(registered.has('mcpManager.openWalkthrough'));
  });

  it('sets mcpManager.hasServers with the configuration and mcpManager.serverStarted when a server runs', async () => {
    const api = await getApi();
    const contexts = api._test.walkthrough.contexts;
    await setServers({});
    await waitFor('hasServers to be false', () => contexts.get('mcpManager.hasServers') === false);
    await setServers({ fx: fixtureServer() });
    await waitFor('hasServers to be true', () => contexts.get('mcpManager.hasServers') === true);

    const conn = api._test.registry.get('fx')!;
    await vscode.commands.executeCommand('mcpManager.startServer', 'fx');
    await waitFor('fx to run', () => conn.state.kind === 'running');
    assert.equal(contexts.get('mcpManager.serverStarted'), true);
    // Done stays done: stopping the server does not untick the step.
    await vscode.commands.executeCommand('mcpManager.stopServer', 'fx');
    await waitFor('fx to stop', () => conn.state.kind !== 'running');
    assert.equal(contexts.get('mcpManager.serverStarted'), true);
  });

  it('"MCP Manager: Get Started" opens the walkthrough', async () => {
    await getApi();
    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await vscode.commands.executeCommand('mcpManager.openWalkthrough');
    const tabs = await waitFor('the walkthrough editor', () => {
      const all = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      return all.length > before && all;
    });
    assert.ok(
      tabs.some((t) => /Welcome|Walkthrough|Get Started/i.test(t.label)),
      `tabs: ${tabs.map((t) => t.label).join(', ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("Add Server's scope pick says it writes MCP Manager's setting, not VS Code's", async () => {
    const { ui, done } = await scriptedUi();
    try {
      await setServers({});
      ui.on('pick', /How does the server run/, 'Command (stdio)');
      ui.on('input', /Command line that starts the server/, `"${NODE}" "${FIXTURE()}" ${MARKER}`);
      ui.on('input', /: environment/, '');
      ui.on('input', /: working directory/, '');
      ui.on('input', /: env file/, '');
      ui.on('input', /Name of the server/, 'added');
      ui.on('pick', /Where should MCP Manager save it\?/, 'Workspace settings');
      ui.on('notify', /"added" was added/, undefined);
      await vscode.commands.executeCommand('mcpManager.addServer');
      const ask = ui.asked.find((a) => a.kind === 'pick' && /Where should MCP Manager save it\?/.test(a.text));
      assert.ok(ask, `asked: ${ui.asked.map((a) => a.text).join(' | ')}`);
      assert.match(ask.text, /mcpManager\.servers is read by MCP Manager only; \.vscode\/mcp\.json by VS Code's own MCP support too/);
      for (const item of ask.items ?? []) {
        const expected = /mcp\.json/.test(item.label) ? '.vscode/mcp.json' : 'mcpManager.servers';
        assert.equal(item.description, expected, `${item.label} does not name what it writes`);
      }
      assert.ok(section().inspect('servers')!.workspaceValue && 'added' in (section().inspect('servers')!.workspaceValue as object));
    } finally {
      done();
    }
  });
});
