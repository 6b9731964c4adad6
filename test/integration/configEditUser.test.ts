// User settings keep their comments (issue 11): Add Server, Rename and Remove on servers in user
// settings change only their entry, with comments inside "mcpManager.servers" kept, and VS Code
// sees each change (the configuration, the registry and the tree). The user settings file is the
// one the extension finds from its global storage folder; it is real, as are the settings and the
// tree. Questions are answered by the ScriptedPrompter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { rememberSettings, scriptedUi, section, waitForConfig } from './helpers/configHelpers';
import { FIXTURE, getApi, MARKER, NODE, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

const q = JSON.stringify;
const comments = (text: string) => text.match(/(?<=^|\s)\/\/.*$|\/\*.*?\*\//gm) ?? [];

/** The servers block the tests start from, comments inside and around the entries. */
function commentedServers(): string {
  return `  "mcpManager.servers": {
    // Mine: keep this comment.
    "mine": { "command": ${q(NODE)}, "args": [${q(FIXTURE())}, ${q(MARKER)}] }, // and this one
    /* A block comment before the other server. */
    "other": {
      "type": "http",
      "url": "http://127.0.0.1:9/mcp" // not started by these tests
    }
  },
`;
}

/**
 * Makes VS Code read the user settings file again after a test wrote it on disk: code-server does
 * not notice writes from outside to that file, and any settings update re-reads it. This one
 * changes no text (a setting set to the value it has).
 */
async function reread(): Promise<void> {
  await section().update('readMcpJson', section().inspect('readMcpJson')?.globalValue, vscode.ConfigurationTarget.Global);
}

describe('user settings writes that keep comments', function () {
  let file: string;
  let original: string;
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;

  before(async () => {
    const api = await getApi();
    saved = rememberSettings();
    file = api._test.writer.userSettingsFile!;
    assert.ok(file, 'the extension found no user settings file');
    original = fs.readFileSync(file, 'utf8');
    // The file it derived from its global storage is the one VS Code reads: it holds the
    // settings scripts/vscode-shim.mjs wrote for this window.
    assert.match(original, /"mcpManager\.confirmWorkspaceServers": false/);
  });

  beforeEach(async () => ({ ui, done } = await scriptedUi()));

  afterEach(async function () {
    done();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(file, original);
    await reread();
    await waitFor('the original user settings', () => section().inspect('servers')?.globalValue === undefined);
    await saved.restore();
    await (await getApi())._test.reloadConfig();
    if (this.currentTest?.state === 'passed') assert.deepEqual(ui.unexpected, [], 'questions nobody expected');
  });

  it('Add Server, Rename and Remove change only their entry; the tree follows each change', async () => {
    const { tree, registry } = (await getApi())._test;
    const start = original.replace(/^\{\n/, `{\n${commentedServers()}`);
    assert.notEqual(start, original);
    fs.writeFileSync(file, start);
    await reread();
    await waitForConfig('the user servers', (r) => r.get('mine') && r.get('other'));
    assert.ok(tree.serverNode('mine') && tree.serverNode('other'));
    let treeChanges = 0;
    const sub = tree.onDidChangeTreeData(() => treeChanges++);

    try {
      // Add: the new entry is appended; the rest of the file is the same text.
      ui.on('pick', /Add MCP Server: how does it run/, 'HTTP (Streamable HTTP)');
      ui.on('input', /\(2\/4\): URL/, 'http://127.0.0.1:9/web');
      ui.on('input', /\(3\/4\): name/, 'web');
      ui.on('pick', /\(4\/4\)/, 'User settings');
      await vscode.commands.executeCommand('mcpManager.addServer');
      let text = fs.readFileSync(file, 'utf8');
      assert.deepEqual(comments(text), comments(start), text);
      const added = start.replace(
        '      "url": "http://127.0.0.1:9/mcp" // not started by these tests\n    }\n',
        '      "url": "http://127.0.0.1:9/mcp" // not started by these tests\n    },\n' +
          '    "web": {\n      "type": "http",\n      "url": "http://127.0.0.1:9/web"\n    }\n',
      );
      assert.equal(text, added);
      assert.deepEqual(Object.keys(section().inspect<Record<string, unknown>>('servers')!.globalValue!), ['mine', 'other', 'web']);
      await waitForConfig('the added server', (r) => r.get('web'));
      await waitFor('the added server in the tree', () => tree.serverNode('web'));

      // Rename: only the key's text changes.
      ui.on('input', /Rename MCP Server "other"/, 'renamed');
      await vscode.commands.executeCommand('mcpManager.renameServer', { serverName: 'other' });
      text = fs.readFileSync(file, 'utf8');
      assert.equal(text, added.replace('"other": {', '"renamed": {'));
      await waitForConfig('the renamed server', (r) => r.get('renamed') && !r.get('other'));
      await waitFor('the renamed server in the tree', () => tree.serverNode('renamed') && !tree.serverNode('other'));

      // Remove: the entry goes, every comment stays.
      ui.on('confirm', /Remove the MCP server "web" from User settings/, 'Remove');
      await vscode.commands.executeCommand('mcpManager.removeServer', { serverName: 'web' });
      text = fs.readFileSync(file, 'utf8');
      assert.equal(text, start.replace('"other": {', '"renamed": {'));
      assert.deepEqual(comments(text), comments(start));
      await waitForConfig('the removed server gone', (r) => !r.get('web'));
      await waitFor('the removed server gone from the tree', () => !tree.serverNode('web'));
      assert.ok(registry.get('mine') && registry.get('renamed'));
      assert.ok(treeChanges > 0, 'the tree was refreshed');
    } finally {
      sub.dispose();
    }
  });
});
