// Harness smoke test: the extension is installed in the real extension host, activates, and
// registers its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mcp-manager.mcp-manager';

describe('extension smoke', () => {
  it('is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers its commands', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of ['mcpManager.refresh', 'mcpManager.addServer', 'mcpManager.openSettings']) {
      assert.ok(commands.has(id), `command ${id} is not registered`);
    }
  });

  it('opens the test workspace', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.equal(vscode.workspace.getConfiguration('mcpManager').has('servers'), true);
  });
});
