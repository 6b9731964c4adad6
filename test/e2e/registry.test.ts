// End to end: MCP: Browse Registry... in the packaged extension, against the test registry
// (test/fixtures/registry/server.mjs on 127.0.0.1:39218, started by scripts/run-e2e.mjs and set as
// the user's `mcpManager.registries`). Types a word, looks at the details, installs into user
// settings (the run's temporary user data, so no tracked file changes) and sees the server in the
// tree, idle. registry-search.png is docs/registry.png's source.
import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('Browse Registry (e2e)', function () {
  let wb: Workbench;
  before(async function () {
    // A second window on the same code-server, after the demo story: on a busy machine the first
    // page load can exceed Playwright's 30 s, so it gets one more try.
    this.timeout(240_000);
    wb = await Workbench.open().catch(() => Workbench.open());
  });
  after(async () => {
    await wb?.close();
  });

  it('finds a server by a word, shows its details, installs it, and the tree shows it idle', async () => {
    await wb.openViewContainer();
    await wb.treeRows(1);
    await wb.runQuickInputCommand('MCP Manager: Browse Registry...', /Browse MCP Registry/);
    await wb.pickQuickItem('time', /server-time/, { beforeAccept: () => wb.screenshot('registry-search') });
    await wb.waitForQuickInput(/server-time 0\.6\.2 \(package\)/);
    await wb.pickQuickItem('Install', /Install: pypi mcp-server-time==0\.6\.2/, { beforeAccept: () => wb.screenshot('registry-details') });
    await wb.waitForQuickInput(/: name/);
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.press('Enter');
    await wb.waitForQuickInput(/: where/);
    await wb.pickQuickItem('User', /User settings/);
    await wb.waitForNotification(/Installed "time" \(io\.github\.modelcontextprotocol\/server-time 0\.6\.2\) into User settings/);
    const rows = await wb.treeRows(1);
    await wb.page.locator('.monaco-list-row[aria-label^="time"]').first().waitFor({ timeout: 30000 });
    await wb.screenshot('registry-installed');
    assert.ok(rows.length > 0);
  });
});
