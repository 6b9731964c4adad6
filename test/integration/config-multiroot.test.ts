// Configuration in a real multi-root workspace (test/integration/workspace-multiroot: folders
// `api` and `web` in multi.code-workspace): folder settings resolve ${workspaceFolder} to their
// own folder, precedence across folder settings / mcp.json / workspace file / user settings, real
// settings files written and edited on disk, and reload restarting exactly the changed server.
// Runs only in the multi-root suite of scripts/run-integration.mjs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GroupNode, ServerNode } from '../../src/ui/tree/nodes';
import { folderPath, rememberSettings, removeMcpJson, scriptedUi, section, waitForConfig, writeMcpJson } from './helpers/configHelpers';
import { childProcesses, fixtureServer, getApi, resultText, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

const ALLOW_ALWAYS = 'Allow Always for This Workspace';
const API = 0;
const WEB = 1;
const folderUri = (i: number) => vscode.workspace.workspaceFolders![i]!.uri;
const call = async (server: string, tool: string, args: Record<string, unknown> = {}) =>
  resultText(await (await getApi()).callTool(server, tool, args));

describe('configuration in a multi-root workspace', function () {
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;

  before(async function () {
    await getApi();
    assert.ok(vscode.workspace.workspaceFile, 'this suite needs the multi-root workspace');
    assert.deepEqual(
      vscode.workspace.workspaceFolders!.map((f) => f.name),
      ['api', 'web'],
    );
    saved = rememberSettings();
  });

  beforeEach(async () => {
    ({ ui, done } = await scriptedUi());
    // Workspace-defined servers: consent is covered in config.test.ts; here it is granted.
    ui.on('confirm', /configured by this workspace/, ALLOW_ALWAYS, 100);
  });

  afterEach(async () => {
    done();
    const api = await getApi();
    removeMcpJson(API);
    removeMcpJson(WEB);
    await saved.restore();
    await api._test.consent.reset();
    await api._test.reloadConfig();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('each folder’s servers resolve ${workspaceFolder} to that folder; ${workspaceFolder:Name} reaches the other', async () => {
    await section(folderUri(API)).update(
      'servers',
      { apiSrv: fixtureServer({ cwd: '${workspaceFolder}' }) },
      vscode.ConfigurationTarget.WorkspaceFolder,
    );
    await section(folderUri(WEB)).update(
      'servers',
      {
        webSrv: fixtureServer({ cwd: '${workspaceFolder}', env: { OTHER: '${workspaceFolder:api}', BASE: '${workspaceFolderBasename}' } }),
      },
      vscode.ConfigurationTarget.WorkspaceFolder,
    );
    writeMcpJson({ servers: { webMcp: fixtureServer({ cwd: '${workspaceFolder}/sub' }) } }, WEB);
    fs.mkdirSync(path.join(folderPath(WEB), 'sub'), { recursive: true });
    await waitForConfig('the three servers', (r) => r.get('apiSrv') && r.get('webSrv') && r.get('webMcp'));

    assert.equal(await call('apiSrv', 'cwd'), folderPath(API));
    assert.equal(await call('webSrv', 'cwd'), folderPath(WEB));
    assert.equal(JSON.parse(await call('webSrv', 'env', { name: 'OTHER' })), folderPath(API));
    assert.equal(JSON.parse(await call('webSrv', 'env', { name: 'BASE' })), 'web');
    assert.equal(await call('webMcp', 'cwd'), path.join(folderPath(WEB), 'sub'));

    // The writes went to the real files: each folder's .vscode/settings.json.
    const onDisk = (i: number) => fs.readFileSync(path.join(folderPath(i), '.vscode', 'settings.json'), 'utf8');
    assert.match(onDisk(API), /"apiSrv"/);
    assert.match(onDisk(WEB), /"webSrv"/);
    assert.doesNotMatch(onDisk(API), /webSrv/);
  });

  it('precedence: folder settings > its mcp.json > workspace file > user; the tree shows every source in order', async () => {
    const api = await getApi();
    await section().update(
      'servers',
      { shared: fixtureServer({ env: { FROM: 'user' } }), fromUser: fixtureServer() },
      vscode.ConfigurationTarget.Global,
    );
    await section().update(
      'servers',
      { shared: fixtureServer({ env: { FROM: 'workspace' } }), fromWorkspace: fixtureServer() },
      vscode.ConfigurationTarget.Workspace,
    );
    writeMcpJson({ servers: { shared: fixtureServer({ env: { FROM: 'api mcp.json' } }), fromApiMcp: fixtureServer() } }, API);
    await section(folderUri(WEB)).update('servers', { fromWeb: fixtureServer() }, vscode.ConfigurationTarget.WorkspaceFolder);
    await waitForConfig('every source', (r) => ['fromUser', 'fromWorkspace', 'fromApiMcp', 'fromWeb'].every((n) => r.get(n)));
    assert.equal(JSON.parse(await call('shared', 'env', { name: 'FROM' })), 'api mcp.json');

    await section(folderUri(API)).update(
      'servers',
      { shared: fixtureServer({ env: { FROM: 'api settings' } }) },
      vscode.ConfigurationTarget.WorkspaceFolder,
    );
    await waitForConfig('the folder setting to win', (r) => r.get('shared')?.definition.source?.kind === 'folder:api');
    assert.equal(JSON.parse(await call('shared', 'env', { name: 'FROM' })), 'api settings');

    const tree = api._test.tree;
    const groups = tree.getChildren().filter((n): n is GroupNode => n.kind === 'group');
    const label = (n: GroupNode) => String(tree.getTreeItem(n).label);
    assert.deepEqual(groups.map(label), [
      'User settings',
      'Workspace settings',
      'Folder settings (api)',
      '.vscode/mcp.json (api)',
      'Folder settings (web)',
    ]);
    const names = (g: GroupNode) =>
      tree
        .getChildren(g)
        .filter((n) => n.kind === 'server')
        .map((n) => (n as ServerNode).serverName);
    assert.deepEqual(groups.map(names), [['fromUser'], ['fromWorkspace'], ['shared'], ['fromApiMcp'], ['fromWeb']]);
    const notes = api._test.registry.issues.filter((i) => i.server === 'shared').map((i) => i.message);
    assert.deepEqual(notes, [
      'also defined in .vscode/mcp.json (api); the entry from Folder settings (api) is used',
      'also defined in Workspace settings; the entry from Folder settings (api) is used',
      'also defined in User settings; the entry from Folder settings (api) is used',
    ]);
    // The workspace setting lives in the .code-workspace file.
    assert.match(fs.readFileSync(vscode.workspace.workspaceFile!.fsPath, 'utf8'), /"fromWorkspace"/);
  });

  it('editing a folder’s settings.json on disk restarts exactly the changed server', async () => {
    const api = await getApi();
    const file = path.join(folderPath(WEB), '.vscode', 'settings.json');
    const write = (servers: Record<string, unknown>) => fs.writeFileSync(file, JSON.stringify({ 'mcpManager.servers': servers }, null, 2));
    write({ one: fixtureServer(), two: fixtureServer() });
    await waitForConfig('the servers from the file', (r) => r.get('one') && r.get('two'), 10_000);
    const pidOne = await call('one', 'pid');
    const pidTwo = await call('two', 'pid');
    const slow = api.callTool('one', 'sleep', { ms: 1500 });

    const before = api._test.registry.get('two');
    write({ one: fixtureServer(), two: fixtureServer({ env: { V: '2' } }) });
    const applied = await waitForConfig('the change to apply', (r) => r.get('two') !== before, 10_000);
    const restarted = await waitForConfig(
      'two to restart',
      (r) => {
        const s = r.get('two')?.state;
        return s?.kind === 'running' && String(s.pid) !== pidTwo;
      },
      10_000,
    );
    console.log(
      `      settings.json edit applied after ${Math.round(applied.ms)} ms; two running again ${Math.round(applied.ms + restarted.ms)} ms after the edit`,
    );
    // VS Code's own settings watcher decides most of this delay (logged, not asserted: no test
    // may depend on the machine being idle).
    assert.equal(JSON.parse(await call('two', 'env', { name: 'V' })), '2');
    assert.equal(await call('one', 'pid'), pidOne);
    assert.equal(resultText(await slow), 'slept 1500');

    // An invalid entry in the file: an error node, the other server keeps its process.
    write({ one: fixtureServer(), two: { command: '' } });
    await waitForConfig(
      'two as an error',
      (r) => !r.get('two') && r.issues.some((i) => i.server === 'two' && i.source?.kind === 'folder:web'),
      10_000,
    );
    assert.equal(await call('one', 'pid'), pidOne);
  });

  it('Open Settings on an mcp.json server opens that folder’s mcp.json at the entry', async () => {
    writeMcpJson({ servers: { first: fixtureServer(), target: fixtureServer({ startupTimeoutMs: 5 }) } }, WEB);
    const issue = await waitForConfig('the error', (r) => r.issues.find((i) => i.server === 'target'));
    await vscode.commands.executeCommand('mcpManager.openSettings', {
      serverName: 'target',
      source: issue.value.source,
      field: 'startupTimeoutMs',
    });
    const editor = await waitFor('the mcp.json editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.fsPath === path.join(folderPath(WEB), '.vscode', 'mcp.json') ? e : undefined;
    });
    assert.equal(editor.document.getText(editor.selection), '"startupTimeoutMs"');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Import and Add Server can write to a folder’s settings', async () => {
    const api = await getApi();
    const file = path.join(folderPath(API), '.mcp.json');
    fs.writeFileSync(file, JSON.stringify({ mcpServers: { imported: fixtureServer() } }));
    try {
      ui.on('pick', /^Import MCP Servers/, '.mcp.json (api)');
      ui.on('pick', /where should they be saved/, 'Folder settings (api)');
      ui.on('pickMany', /into Folder settings \(api\)/, [/imported/]);
      await vscode.commands.executeCommand('mcpManager.importServers');
      assert.ok(section(folderUri(API)).inspect<Record<string, unknown>>('servers')!.workspaceFolderValue!.imported);
      await waitForConfig('the imported server', (r) => r.get('imported')?.definition.source?.kind === 'folder:api');
      assert.equal(await call('imported', 'echo', { message: 'hi' }), 'Echo: hi');
      assert.ok(api._test.registry.get('imported'));
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
