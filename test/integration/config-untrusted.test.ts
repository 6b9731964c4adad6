// An untrusted workspace (test/integration/workspace-untrusted, opened with workspace trust
// enabled and the folder not trusted): its settings and .vscode/mcp.json name a command that
// leaves evidence if it ever runs. Nothing may run; the tree says why with a "Manage Workspace
// Trust" action; user-level servers keep working. Runs only in the untrusted suite.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NoticeNode } from '../../src/ui/tree/nodes';
import { folderPath, rememberSettings, scriptedUi, section, writeMcpJson } from './helpers/configHelpers';
import { childProcesses, EXTENSION_ID, fixtureServer, getApi, resultText, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

const evidence = () => fs.readdirSync(folderPath()).filter((f) => f.startsWith('spawned-'));

describe('configuration in an untrusted workspace', function () {
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;

  before(async function () {
    await getApi();
    assert.equal(vscode.workspace.isTrusted, false, 'this suite needs the workspace opened in Restricted Mode');
    saved = rememberSettings(['servers']);
  });

  beforeEach(async () => ({ ui, done } = await scriptedUi()));

  afterEach(async () => {
    done();
    await saved.restore();
    await (await getApi())._test.reloadConfig();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('declares limited support and activates; the restricted setting reads as the user value only', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(ext.isActive);
    const untrusted = (
      ext.packageJSON as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } } }
    ).capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(untrusted.restrictedConfigurations, ['mcpManager.servers', 'mcpManager.inputs']);
    // VS Code itself hides the workspace value of a restricted setting from get().
    assert.equal(section().get<Record<string, unknown>>('servers')?.fromSettings, undefined);
  });

  it('loads nothing the workspace configured, and the tree says why with Manage Workspace Trust', async () => {
    const api = await getApi();
    await api._test.reloadConfig();
    assert.deepEqual(api.listServers(), []);
    assert.deepEqual(api._test.registry.issues, []);
    const roots = api._test.tree.getChildren();
    assert.deepEqual(
      roots.map((n) => n.kind),
      ['notice'],
    );
    const item = api._test.tree.getTreeItem(roots[0] as NoticeNode);
    assert.equal(item.label, 'Workspace servers not loaded');
    assert.equal(item.description, 'Restricted Mode · 3 ignored');
    assert.equal(item.contextValue, 'mcpNotice;untrusted;');
    assert.equal(item.command?.command, 'mcpManager.manageWorkspaceTrust');
    const tip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /- \.vscode\/mcp\.json: 2 servers/);
    assert.match(tip, /- Workspace settings: 1 server/);
    await assert.rejects(api.callTool('fromSettings', 'echo', {}), /no MCP server named "fromSettings"/);
    await assert.rejects(api.listTools('fromMcpJson'), /no MCP server named "fromMcpJson"/);

    // The action opens VS Code's Workspace Trust editor.
    await vscode.commands.executeCommand(item.command!.command);
    await waitFor('the Workspace Trust editor', () => /trust/i.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? ''));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Edits to the workspace's sources are still ignored (and counted).
    writeMcpJson({ servers: { late: { command: 'node', args: [path.join(folderPath(), 'mark.js'), 'late', '--mcpm-integration'] } } });
    await waitFor('the notice to update', () => {
      const n = api._test.tree.getChildren()[0] as NoticeNode | undefined;
      return n?.notice.description === 'Restricted Mode · 2 ignored';
    });
    assert.deepEqual(api.listServers(), []);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(evidence(), []);
    assert.deepEqual(childProcesses(), []);
  });

  it('user-level servers still work, without any question', async () => {
    const api = await getApi();
    await section().update('servers', { mine: fixtureServer() }, vscode.ConfigurationTarget.Global);
    await api._test.reloadConfig();
    assert.deepEqual(
      api.listServers().map((s) => s.name),
      ['mine'],
    );
    assert.equal(resultText(await api.callTool('mine', 'echo', { message: 'ok' })), 'Echo: ok');
    assert.equal(childProcesses().length, 1);
    assert.deepEqual(ui.asked, []);
    assert.deepEqual(evidence(), []);
    // The notice stays above the user's servers.
    assert.deepEqual(
      api._test.tree.getChildren().map((n) => n.kind),
      ['notice', 'server'],
    );
  });

  it('Add Server offers only user settings here', async () => {
    ui.on('pick', /Add MCP Server: how does it run/, 'HTTP (Streamable HTTP)');
    ui.on('input', /Add MCP Server \(2\/4\)/, 'http://127.0.0.1:9/mcp');
    ui.on('input', /Add MCP Server \(3\/4\)/, 'web');
    await vscode.commands.executeCommand('mcpManager.addServer');
    assert.equal(ui.count('pick', /4\/4/), 0);
    assert.deepEqual(section().inspect('servers')!.globalValue, { web: { type: 'http', url: 'http://127.0.0.1:9/mcp' } });
    assert.deepEqual(evidence(), []);
  });
});
