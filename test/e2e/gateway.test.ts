// End to end: the gateway in the real workbench (issue 17). The tree's checkbox says whether other
// clients are offered a server (it writes "expose" and takes it back, the demo file ends as it
// began); VS Code's own MCP server list (its AI features are on for this file, see
// scripts/run-e2e.mjs) shows our servers, and starting one there runs it through our gateway, in
// the process our tree shows, which then says it is in use by one client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { Workbench } from './workbench';

const SETTINGS = path.resolve('demo', '.vscode', 'settings.json');

function fixtureEntry(): { expose?: boolean } {
  const settings = parse(fs.readFileSync(SETTINGS, 'utf8')) as { 'mcpManager.servers': Record<string, { expose?: boolean }> };
  return settings['mcpManager.servers'].fixture!;
}

describe('the gateway in the workbench (e2e)', function () {
  let wb: Workbench;
  let original: string;

  before(async () => {
    original = fs.readFileSync(SETTINGS, 'utf8');
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
    const now = fs.readFileSync(SETTINGS, 'utf8');
    if (now !== original) fs.writeFileSync(SETTINGS, original);
    assert.equal(now, original, 'the demo settings are back as they were');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  const checkbox = () => wb.treeRow('fixture, ').locator('.custom-view-tree-node-item-checkbox');

  /**
   * VS Code's "MCP: List Servers" until its rows satisfy `want` (VS Code takes the provider's new
   * definitions a moment after they change): their labels; the pick stays open.
   */
  async function vsCodeServerList(want: (rows: string[]) => boolean = () => true): Promise<string[]> {
    const until = Date.now() + 30000;
    for (;;) {
      // Like wb.runCommand, but the command's own pick keeps the quick input open.
      const input = wb.quickInputBox();
      await wb.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill('>MCP: List Servers');
      await wb.page
        .locator('.quick-input-list .monaco-list-row.focused', { hasText: 'MCP: List Servers' })
        .first()
        .waitFor({ timeout: 15000 });
      await wb.page.keyboard.press('Enter');
      const rows = wb.page.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: '(MCP Manager)' }).first().waitFor({ timeout: 30000 });
      const labels = (await rows.allInnerTexts()).map((t) => t.trim().replace(/\s+/g, ' '));
      if (want(labels) || Date.now() > until) return labels;
      await wb.page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 15000 });
      await wb.page.waitForTimeout(500);
    }
  }

  it("a server's checkbox stops offering it to VS Code's chat, and offers it again", async () => {
    await wb.openViewContainer();
    await wb.treeRows(4);
    await checkbox().waitFor({ timeout: 30000 });
    assert.equal(await checkbox().getAttribute('aria-checked'), 'true');
    await wb.screenshot('gateway-checkboxes');

    await checkbox().click();
    await waitUntil(() => fixtureEntry().expose === false, 'the entry says "expose": false');
    await wb.page.locator('.part.sidebar [aria-label="fixture not offered to other clients"]').waitFor({ timeout: 15000 });
    const hasFixture = (rows: string[]) => rows.some((l) => l.startsWith('fixture (MCP Manager)'));
    let listed = await vsCodeServerList((rows) => !hasFixture(rows));
    assert.ok(
      listed.some((l) => l.startsWith('everything (MCP Manager)')),
      listed.join(' | '),
    );
    assert.ok(!listed.some((l) => l.startsWith('fixture (MCP Manager)')), listed.join(' | '));
    await wb.page.keyboard.press('Escape');

    await checkbox().click();
    await waitUntil(() => fs.readFileSync(SETTINGS, 'utf8') === original, 'the settings file is back as it was');
    listed = await vsCodeServerList(hasFixture);
    assert.ok(
      listed.some((l) => l.startsWith('fixture (MCP Manager)')),
      listed.join(' | '),
    );
    await wb.page.keyboard.press('Escape');
  });

  it("VS Code's MCP server list shows our servers, and starting one there goes through our gateway", async () => {
    await wb.openViewContainer();
    const listed = await vsCodeServerList();
    for (const name of ['everything', 'fixture', 'fixture-http', 'survey'])
      assert.ok(
        listed.some((l) => l.startsWith(`${name} (MCP Manager)`)),
        `${name} in ${listed.join(' | ')}`,
      );
    await wb.screenshot('gateway-vscode-list');
    await wb.pickQuickItem('fixture (MCP', /^fixture \(MCP Manager\)/);
    // VS Code's actions for that server: Start Server.
    await wb.pickQuickItem('Start', /Start Server/);
    // Our launch consent for the fixture's command, the first time it runs in this window.
    const inUse = wb.treeRow('fixture, Running');
    await wb.dialog().or(inUse).first().waitFor({ timeout: 60000 });
    if (await wb.dialog().isVisible()) await wb.answerDialog(/^Allow Always/);
    await wb.page.locator('.part.sidebar .monaco-list-row[aria-label^="fixture, Running"][aria-label$="in use by 1 client"]').waitFor({
      timeout: 60000,
    });
    await wb.screenshot('gateway-in-use');
    // The server's own log says which client uses it.
    await wb.runQuickInputCommand('MCP Manager: Show Server Logs', 'Show MCP Server Logs');
    await wb.pickQuickItem('fixture', /fixture(?![-\w])/);
    await wb.page
      .locator('.part.panel .view-lines', { hasText: /the\sclient\s"[^"]+"\suses\sthis\sserver\sthrough\sthe\sgateway/ })
      .first()
      .waitFor({ timeout: 30000 });
  });
});

async function waitUntil(test: () => boolean, what: string, timeout = 15000): Promise<void> {
  const until = Date.now() + timeout;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
