// Roots follow the workspace's folders (issue 15): in the real multi-root workspace (folders `api`
// and `web`), a running server is told when a folder is removed or added (roots/list_changed).
// server-everything keeps the roots it was given and asks again only when told they changed, so
// its get-roots-list tool shows whether the notification went out. Runs only in the multi-root
// suite of scripts/run-integration.mjs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { childProcesses, extensionPath, getApi, MARKER, NODE, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

describe('roots follow the workspace folders', function () {
  let saved: ReturnType<typeof rememberServers>;

  before(async () => {
    await getApi();
    assert.deepEqual(
      vscode.workspace.workspaceFolders!.map((f) => f.name),
      ['api', 'web'],
    );
    saved = rememberServers();
  });

  after(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  /** The folder names in server-everything's current roots (from its get-roots-list tool). */
  async function rootsOf(server: string): Promise<string[]> {
    const text = resultText(await (await getApi()).callTool(server, 'get-roots-list', {}));
    return [...text.matchAll(/URI: (\S+)/g)].map((m) => path.basename(vscode.Uri.parse(m[1]!).fsPath)).sort();
  }

  it('removing and adding a folder tells a running server its roots changed', async () => {
    const everything = path.join(extensionPath(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    // In user settings: no workspace launch consent to answer for it.
    await setServers({ roots: { command: NODE, args: [everything, 'stdio', MARKER] } }, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await rootsOf('roots'), ['api', 'web']);
    const web = vscode.workspace.workspaceFolders![1]!;
    const removed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        sub.dispose();
        resolve();
      });
    });
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 1), 'VS Code took the change');
    try {
      await removed;
      await waitFor('the server to hear that its roots changed', async () => (await rootsOf('roots')).join() === 'api', 30_000);
    } finally {
      vscode.workspace.updateWorkspaceFolders(1, 0, { uri: web.uri, name: web.name });
    }
    await waitFor('the folder back in its roots', async () => (await rootsOf('roots')).join() === 'api,web', 30_000);
  });
});
