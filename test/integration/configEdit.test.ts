// Writing configuration in a real VS Code without destroying what the user wrote (issue 11, point 2):
// Add Server into a commented workspace settings.json and into a VS Code-shaped mcp.json, and the
// tree's Edit / Disable / Enable / Rename / Duplicate / Remove on servers from workspace settings,
// mcp.json and user settings. Files, settings, SecretStorage and processes are real; questions are
// answered by the ScriptedPrompter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  folderPath,
  mcpJsonPath,
  rememberSettings,
  removeMcpJson,
  scriptedUi,
  section,
  waitForConfig,
  writeMcpJson,
} from './helpers/configHelpers';
import { childProcesses, FIXTURE, getApi, MARKER, NODE, resultText, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

const STORE_SECRET = 'Store in Secret Storage';
const REMOVE = 'Remove';

const settingsPath = () => path.join(folderPath(), '.vscode', 'settings.json');
const comments = (text: string) => text.match(/(?<=^|\s)\/\/.*$/gm) ?? [];
const q = JSON.stringify;

/** A settings.json with comments around and inside the servers, as people write them. */
function commentedSettings(): string {
  return `{
  // Team servers: keep this comment.
  "mcpManager.servers": {
    // The test server, started by the tests below.
    "fixture": {
      "command": ${q(NODE)},
      "args": [${q(FIXTURE())}, ${q(MARKER)}] // one line on purpose
    }
  },
  /* A block comment after the servers. */
  "editor.tabSize": 2
}
`;
}

/** An mcp.json in the shape VS Code's documentation uses (tabs, inputs, a dev key). */
function vscodeMcpJson(): string {
  return `{
	// VS Code's own format.
	"inputs": [
		{ "type": "promptString", "id": "unused-key", "description": "Not used", "password": true }
	],
	"servers": {
		// Started with VS Code's own variables.
		"shared": {
			"type": "stdio",
			"command": ${q(NODE)},
			"args": [${q(FIXTURE())}, ${q(MARKER)}],
			"dev": { "watch": "build/**/*.js", "debug": { "type": "node" } }
		}
	}
}
`;
}

async function writeSettingsFile(text: string): Promise<void> {
  fs.mkdirSync(path.dirname(settingsPath()), { recursive: true });
  fs.writeFileSync(settingsPath(), text);
  await waitFor(
    'VS Code to read the settings file',
    () => JSON.stringify(section().inspect('servers')?.workspaceValue ?? {}) !== '{}' || !text.includes('"fixture"'),
  );
}

describe('configuration writes that keep comments, and server management actions', function () {
  let saved: ReturnType<typeof rememberSettings>;
  let original: string;
  let ui: ScriptedPrompter;
  let done: () => void;

  before(async () => {
    await getApi();
    saved = rememberSettings();
    original = fs.readFileSync(settingsPath(), 'utf8');
  });

  beforeEach(async () => ({ ui, done } = await scriptedUi()));

  afterEach(async function () {
    done();
    const api = await getApi();
    // Close what the tests opened, so the next test's files are not dirty or stale in an editor.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    removeMcpJson();
    fs.writeFileSync(settingsPath(), original);
    await waitFor('the original settings', () => JSON.stringify(section().inspect('servers')?.workspaceValue ?? {}) === '{}');
    await saved.restore();
    await api._test.inputs.clear();
    await api._test.reloadConfig();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
    if (this.currentTest?.state === 'passed') assert.deepEqual(ui.unexpected, [], 'questions nobody expected');
  });

  it('Add Server into commented workspace settings: only the new entry is added, a secret goes to SecretStorage', async () => {
    const api = await getApi();
    await writeSettingsFile(commentedSettings());
    await waitForConfig('the fixture server', (r) => r.get('fixture'));
    const script = path.join(folderPath(), 'srv', 'server-memory', 'dist', 'index.js');
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.writeFileSync(script, `await import(${q(new URL(`file://${FIXTURE()}`).href)});\n`);

    ui.on('pick', /Add MCP Server: how does it run/, 'Command (stdio)');
    ui.on('input', /\(2\/7\): command/, `"${NODE}" "${script}" ${MARKER}`);
    ui.on('input', /\(3\/7\): environment/, 'MEMORY_FILE_PATH=${workspaceFolder}/memory.json API_TOKEN=tok-123');
    ui.on('input', /\(4\/7\): working directory/, '${workspaceFolder}/srv');
    ui.on('input', /\(5\/7\): env file/, '');
    // The proposed name is the script's folder, not "index": accepting the default keeps it.
    let proposed: string | undefined;
    const realInput = ui.input.bind(ui);
    ui.input = async (options) => {
      if (/\(6\/7\): name/.test(options.title ?? '')) proposed = options.value;
      return realInput(options);
    };
    ui.on('input', /\(6\/7\): name/, 'server-memory');
    ui.on('pick', /\(7\/7\)/, 'Workspace settings');
    ui.on('confirm', /API_TOKEN looks like a secret/, STORE_SECRET);
    ui.on('notify', /"server-memory" was added to Workspace settings/, 'Start');
    await vscode.commands.executeCommand('mcpManager.addServer');
    assert.equal(proposed, 'server-memory');

    const text = fs.readFileSync(settingsPath(), 'utf8');
    assert.deepEqual(comments(text), comments(commentedSettings()));
    assert.ok(text.includes('/* A block comment after the servers. */'));
    assert.ok(text.startsWith(commentedSettings().slice(0, commentedSettings().indexOf('    }\n  },'))), text);
    assert.ok(!text.includes('tok-123'), 'the secret is not in the file');
    const value = section().inspect<Record<string, unknown>>('servers')!.workspaceValue!;
    assert.deepEqual(Object.keys(value), ['fixture', 'server-memory']);
    assert.deepEqual(value['server-memory'], {
      command: NODE,
      args: [script, MARKER],
      env: { MEMORY_FILE_PATH: '${workspaceFolder}/memory.json', API_TOKEN: '${input:server-memory-API_TOKEN}' },
      cwd: '${workspaceFolder}/srv',
    });
    assert.deepEqual(section().inspect('inputs')!.workspaceValue, [
      { type: 'promptString', id: 'server-memory-API_TOKEN', description: 'API_TOKEN for server-memory', password: true },
    ]);
    // Started with the stored secret and the folder: no question asked for the input.
    assert.equal(api._test.registry.get('server-memory')!.state.kind, 'running');
    const env = async (name: string) => JSON.parse(resultText(await api.callTool('server-memory', 'env', { name }))) as string | null;
    assert.equal(await env('API_TOKEN'), 'tok-123');
    assert.equal(await env('MEMORY_FILE_PATH'), path.join(folderPath(), 'memory.json'));
    assert.equal(ui.count('input', /API_TOKEN/), 0);
  });

  it('Add Server into a VS Code-shaped mcp.json keeps its comments, tabs and inputs', async () => {
    writeMcpJson(vscodeMcpJson());
    await waitForConfig('the mcp.json server', (r) => r.get('shared'));
    ui.on('pick', /Add MCP Server: how does it run/, 'HTTP (Streamable HTTP)');
    ui.on('input', /\(2\/4\): URL/, 'http://127.0.0.1:9/mcp');
    ui.on('input', /\(3\/4\): name/, 'web');
    ui.on('pick', /\(4\/4\)/, '.vscode/mcp.json');
    await vscode.commands.executeCommand('mcpManager.addServer');
    const text = fs.readFileSync(mcpJsonPath(), 'utf8');
    assert.deepEqual(comments(text), comments(vscodeMcpJson()));
    assert.ok(text.startsWith(vscodeMcpJson().slice(0, vscodeMcpJson().lastIndexOf('\t\t}\n\t}'))));
    assert.ok(text.includes('\t\t"web": {\n\t\t\t"type": "http",\n\t\t\t"url": "http://127.0.0.1:9/mcp"\n\t\t}'), text);
    const { value } = await waitForConfig('the new server from mcp.json', (r) => r.get('web'));
    assert.equal(value.definition.source?.kind, 'mcp.json');
  });

  it('Disable, Enable, Rename, Duplicate and Remove on a workspace settings server change only its entry', async () => {
    const api = await getApi();
    await writeSettingsFile(commentedSettings());
    await waitForConfig('the fixture server', (r) => r.get('fixture'));
    const node = { serverName: 'fixture' };

    await vscode.commands.executeCommand('mcpManager.disableServer', node);
    assert.equal(api._test.registry.get('fixture')!.state.kind, 'disabled');
    let text = fs.readFileSync(settingsPath(), 'utf8');
    assert.ok(text.includes(`"args": [${q(FIXTURE())}, ${q(MARKER)}], // one line on purpose\n      "disabled": true\n`), text);
    await vscode.commands.executeCommand('mcpManager.enableServer', node);
    assert.equal(fs.readFileSync(settingsPath(), 'utf8'), commentedSettings());
    assert.equal(api._test.registry.get('fixture')!.state.kind, 'idle');

    ui.on('input', /Rename MCP Server "fixture"/, 'renamed');
    await vscode.commands.executeCommand('mcpManager.renameServer', node);
    assert.equal(fs.readFileSync(settingsPath(), 'utf8'), commentedSettings().replace('"fixture": {', '"renamed": {'));
    assert.ok(api._test.registry.get('renamed') && !api._test.registry.get('fixture'));

    ui.on('input', /Duplicate MCP Server "renamed"/, 'renamed-copy');
    await vscode.commands.executeCommand('mcpManager.duplicateServer', { serverName: 'renamed' });
    text = fs.readFileSync(settingsPath(), 'utf8');
    assert.deepEqual(comments(text), comments(commentedSettings()));
    assert.deepEqual(Object.keys(section().inspect<Record<string, unknown>>('servers')!.workspaceValue!), ['renamed', 'renamed-copy']);
    await waitForConfig('the copy', (r) => r.get('renamed-copy'));

    // Remove asks first, naming the server and the file; Cancel keeps it.
    ui.on('confirm', /Remove the MCP server "renamed-copy" from Workspace settings/, undefined);
    await vscode.commands.executeCommand('mcpManager.removeServer', { serverName: 'renamed-copy' });
    assert.ok(api._test.registry.get('renamed-copy'));
    const ask = ui.asked.at(-1)!;
    assert.ok(ask.detail?.includes(settingsPath()), ask.detail);
    ui.on('confirm', /Remove the MCP server "renamed-copy"/, REMOVE);
    await vscode.commands.executeCommand('mcpManager.removeServer', { serverName: 'renamed-copy' });
    assert.equal(api._test.registry.get('renamed-copy'), undefined);
    assert.equal(fs.readFileSync(settingsPath(), 'utf8'), commentedSettings().replace('"fixture": {', '"renamed": {'));
  });

  it('the actions work on mcp.json and on user settings, and Edit opens the entry at its line', async () => {
    const api = await getApi();
    writeMcpJson(vscodeMcpJson());
    await waitForConfig('the mcp.json server', (r) => r.get('shared'));
    await vscode.commands.executeCommand('mcpManager.disableServer', { serverName: 'shared' });
    await waitForConfig('shared disabled', (r) => r.get('shared')?.state.kind === 'disabled');
    assert.ok(
      fs
        .readFileSync(mcpJsonPath(), 'utf8')
        .includes('"dev": { "watch": "build/**/*.js", "debug": { "type": "node" } },\n\t\t\t"disabled": true\n'),
    );
    ui.on('input', /Rename MCP Server "shared"/, 'team');
    await vscode.commands.executeCommand('mcpManager.renameServer', { serverName: 'shared' });
    assert.equal(
      fs.readFileSync(mcpJsonPath(), 'utf8'),
      vscodeMcpJson().replace('"shared": {', '"team": {').replace('} }\n\t\t}', '} },\n\t\t\t"disabled": true\n\t\t}'),
    );

    await vscode.commands.executeCommand('mcpManager.editServer', { serverName: 'team' });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, mcpJsonPath());
    assert.equal(editor.document.getText(editor.selection), '"team"');
    assert.equal(editor.selection.start.line, 7);

    // User settings: whether written through the file or the configuration API, only this entry changes.
    await section().update(
      'servers',
      { mine: { command: NODE, args: [FIXTURE(), MARKER] }, other: { url: 'http://127.0.0.1:9/mcp', type: 'http' } },
      vscode.ConfigurationTarget.Global,
    );
    await waitForConfig('the user server', (r) => r.get('mine'));
    await vscode.commands.executeCommand('mcpManager.disableServer', { serverName: 'mine' });
    assert.deepEqual(section().inspect('servers')!.globalValue, {
      mine: { command: NODE, args: [FIXTURE(), MARKER], disabled: true },
      other: { url: 'http://127.0.0.1:9/mcp', type: 'http' },
    });
    ui.on('confirm', /Remove the MCP server "other" from User settings/, REMOVE);
    await vscode.commands.executeCommand('mcpManager.removeServer', { serverName: 'other' });
    assert.deepEqual(Object.keys(section().inspect<Record<string, unknown>>('servers')!.globalValue!), ['mine']);
    await waitForConfig('other removed', (r) => !r.get('other'));
    assert.equal(api._test.registry.get('mine')!.state.kind, 'disabled');
  });
});
