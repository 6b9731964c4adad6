// End to end (issue 11, point 3): clicking a tool in the Servers tree shows the tool, it does not
// call it. On the demo workspace: "Crash" of fixture (destructive: it ends the server) is clicked
// and the server keeps running; its details view shows the hints and a Call button. Then Echo's
// details view calls echo when Call is pressed. Screenshots in test-results/e2e/details-*.png.
import * as assert from 'node:assert/strict';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

const DETAILS_TEXT = 'Called from the details view';

describe('tool details on selection (e2e)', function () {
  let wb: Workbench;
  let failed = false;

  before(async () => {
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
  });

  beforeEach(function () {
    if (failed) this.skip();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      failed = true;
      await wb?.screenshot(`details-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  /** A tool row under the expanded server, by its label. */
  const toolRow = (label: string) =>
    wb.page
      .locator('.part.sidebar .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
      .first();
  /**
   * The visible details view's page: a webview is an iframe (laid over the editor, not inside
   * .part.editor) holding the page's iframe; a hidden view keeps its iframe (retainContextWhenHidden).
   */
  const page = () => wb.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

  it('clicking "Crash" shows its details and calls nothing', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.viewPane('MCP Manager').waitFor({ timeout: 30000 });
    await wb.setExpanded('fixture, ', true);
    // The consent may have been given in an earlier run of this workspace ("Allow Always").
    const running = wb.treeRow('fixture, Running');
    const dialog = wb.dialog();
    await dialog.or(running).first().waitFor({ timeout: 30000 });
    if (await dialog.isVisible()) await wb.answerDialog(/^Allow Always/);
    await running.waitFor({ timeout: 30000 });
    await toolRow('Crash').waitFor({ timeout: 30000 });
    await toolRow('Crash').click();
    const tab = wb.page.locator('.part.editor .tabs-container .tab.active');
    await wb.page.locator('.part.editor .tabs-container .tab.active', { hasText: 'crash (fixture)' }).waitFor({ timeout: 30000 });
    assert.match(await tab.innerText(), /crash \(fixture\)/);
    await page().locator('h1', { hasText: 'crash' }).waitFor({ timeout: 30000 });
    assert.match(await page().locator('.badges').innerText(), /destructive/);
    assert.equal((await page().locator('#mcp-submit').innerText()).trim(), 'Call');
    await wb.screenshot('details-01-crash-selected');
    // The click ran nothing: "crash" would have ended the server.
    assert.match((await wb.treeRow('fixture, ').getAttribute('aria-label')) ?? '', /^fixture, Running/);
  });

  it("Call in Echo's details view calls it and opens the result", async () => {
    await toolRow('Echo').click();
    await wb.page.locator('.part.editor .tabs-container .tab.active', { hasText: 'echo (fixture)' }).waitFor({ timeout: 30000 });
    const field = page().locator('#mcp-fields input[type=text]').first();
    await field.waitFor({ timeout: 30000 });
    await field.fill(DETAILS_TEXT);
    await wb.screenshot('details-02-echo-filled');
    await page().locator('#mcp-submit').click();
    // The result opens in the tool's result view (a webview).
    await webviewFrame(wb.page, `pre:has-text("Echo: ${DETAILS_TEXT}")`);
    await wb.screenshot('details-03-echo-result');
  });
});
