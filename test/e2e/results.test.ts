// End to end: the tool result view and the argument form's lists, in a real workbench on demo/.
// A server with the fixture's rich tools (FIXTURE_RICH=1) is added for this file in
// demo/.vscode/mcp.json, which this file creates and removes again (demo/ has no mcp.json).
// Screenshots: test-results/e2e/results-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

const SERVER = 'rich';
const ALLOW_ALWAYS = /^Allow Always/;

describe('Tool results and argument lists (e2e)', function () {
  let wb: Workbench;
  let mcpJson: string;
  let failed = false;

  before(async () => {
    const workspace = process.env.MCPM_E2E_WORKSPACE ?? '';
    mcpJson = path.join(workspace, '.vscode', 'mcp.json');
    assert.ok(!fs.existsSync(mcpJson), `${mcpJson} exists; this test creates and removes it`);
    fs.writeFileSync(
      mcpJson,
      JSON.stringify(
        {
          servers: { [SERVER]: { command: 'node', args: ['${workspaceFolder}/../test/fixtures/server.mjs'], env: { FIXTURE_RICH: '1' } } },
        },
        null,
        2,
      ),
    );
    wb = await Workbench.open();
  });

  beforeEach(function () {
    if (failed) this.skip();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async () => {
    await wb?.close();
    if (mcpJson) fs.rmSync(mcpJson, { force: true });
  });

  /** Starts the server from the tree (answering the launch consent if it is asked). */
  async function startServer(): Promise<void> {
    await wb.openViewContainer('MCP Manager');
    await wb.treeRow(`${SERVER}, `).waitFor({ timeout: 30000 });
    await wb.setExpanded(`${SERVER}, `, true);
    const running = wb.treeRow(`${SERVER}, Running`);
    const dialog = wb.dialog();
    await dialog.or(running).first().waitFor({ timeout: 30000 });
    if (await dialog.isVisible()) await wb.answerDialog(ALLOW_ALWAYS);
    await running.waitFor({ timeout: 30000 });
  }

  async function callFromPalette(tool: string): Promise<void> {
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    // Other demo servers may ask for launch consent first (in this window they are not running yet).
    const picker = wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]');
    for (let i = 0; i < 5; i++) {
      await picker.or(wb.dialog()).first().waitFor({ timeout: 30000 });
      if (!(await wb.dialog().isVisible())) break;
      await wb.answerDialog(ALLOW_ALWAYS);
    }
    await picker.waitFor({ timeout: 30000 });
    // The previous result view (a webview) may still hold the keyboard: click into the pick, as a person would.
    await picker.click();
    await wb.pickQuickItem(tool, new RegExp(`^${tool}, ${SERVER} · `));
  }

  it('shows a rich result: rendered Markdown, JSON tree, image, audio, links; raw JSON one click away', async () => {
    await startServer();
    await callFromPalette('rich');
    // `note` is optional: the prompt chain asks; Enter leaves it out.
    await wb.waitForQuickInput(/^rich: note/);
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.press('Enter');
    const view = await webviewFrame(wb.page, 'h2.md-h:has-text("Report")');
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), /rich \(rich\)/);
    assert.equal(await view.locator('.md strong').first().innerText(), 'bold');
    assert.match(await view.locator('.md').first().innerText(), /<script>alert\(1\)<\/script>/, 'raw HTML stays text');
    assert.equal(await view.locator('img').count(), 1);
    assert.equal(await view.locator('audio[controls]').count(), 1);
    assert.equal(await view.locator('button.link', { hasText: 'Readme' }).count(), 1);
    assert.ok((await view.locator('.j-tree details.j-node').count()) >= 2, 'JSON as a foldable tree');
    await wb.page.waitForTimeout(800);
    await wb.screenshot('results-01-rich-view');
    // Zoom is reachable from the keyboard.
    await view.locator('button', { hasText: 'Zoom In' }).focus();
    await wb.page.keyboard.press('Enter');
    assert.match(await view.locator('[id$="-zoom"]').first().innerText(), /%/);
    // The raw JSON, one click away.
    assert.ok(await view.locator('#raw').isHidden());
    await view.locator('#raw-toggle').click();
    await view.locator('#raw').waitFor({ state: 'visible', timeout: 10000 });
    assert.match(await view.locator('#raw pre').innerText(), /"type": "resource_link"/);
    await wb.screenshot('results-02-raw-json');
    // A resource link reads the resource through Read Resource: its document opens.
    await view.locator('button.link', { hasText: 'Readme' }).click();
    await wb.page.locator('.part.editor .editor-instance .view-lines', { hasText: 'Fixture server readme.' }).waitFor({ timeout: 30000 });
  });

  it('create_entities: a list of items with nested fields and lists; the next call replaces the view', async () => {
    await callFromPalette('create_entities');
    const form = await webviewFrame(wb.page, '#mcp-form fieldset.list');
    // A required list starts with one item; its observations list too.
    assert.equal(await form.locator('fieldset.list[data-key="/entities"] > .items > .item').count(), 1);
    await form
      .getByLabel(/^name\*?$/)
      .first()
      .fill('Ada');
    await form
      .getByLabel(/^entityType\*?$/)
      .first()
      .fill('person');
    await form.getByRole('textbox', { name: 'observations › 1', exact: true }).first().fill('wrote programs');
    await form.locator('button[aria-label="Add an item to observations"]').first().click();
    // The new item's control has the focus: typing goes there.
    await form.getByRole('textbox', { name: 'observations › 2', exact: true }).first().waitFor({ timeout: 10000 });
    await wb.page.keyboard.type('liked maths');
    // A second entity, left incomplete: the errors name the field.
    await form.locator('button[aria-label="Add an item to entities"]').click();
    await form.locator('.error', { hasText: /./ }).first().waitFor({ timeout: 10000 });
    await wb.page.waitForTimeout(800);
    await wb.screenshot('results-03-entities-form');
    // Move the second entity up, then remove it again (keyboard-reachable buttons).
    await form.locator('button[aria-label="Move entities › 2 up"]').click();
    assert.equal(
      await form
        .getByLabel(/^name\*?$/)
        .nth(1)
        .inputValue(),
      'Ada',
    );
    await form.locator('button[aria-label="Remove entities › 1"]').click();
    assert.equal(await form.locator('fieldset.list[data-key="/entities"] > .items > .item').count(), 1);
    await form.locator('#mcp-submit').click();
    // The form's own title also names the tool, and its frame goes away on submit; an earlier
    // test's result view is still open: wait for this tool's result view by its title.
    const view = await webviewFrame(wb.page, 'h1:has-text("create_entities result")');
    // textContent: folded JSON levels are not rendered text.
    assert.match((await view.locator('#args-body').textContent()) ?? '', /liked maths/);
    assert.match((await view.locator('#h-content').locator('..').textContent()) ?? '', /wrote programs/);
    // The same tool again: its view is replaced, not joined by a second tab.
    await callFromPalette('create_entities');
    const again = await webviewFrame(wb.page, '#mcp-form fieldset.list');
    await again
      .getByLabel(/^name\*?$/)
      .first()
      .fill('Bob');
    await again
      .getByLabel(/^entityType\*?$/)
      .first()
      .fill('person');
    await again.getByRole('textbox', { name: 'observations › 1', exact: true }).first().fill('second call');
    await again.locator('#mcp-submit').click();
    await webviewFrame(wb.page, '#args-body:has-text("second call")');
    assert.equal(await wb.page.locator('.part.editor .tabs-container .tab', { hasText: 'create_entities (rich)' }).count(), 1);
    await wb.page.waitForTimeout(800);
    await wb.screenshot('results-04-replaced');
  });
});
