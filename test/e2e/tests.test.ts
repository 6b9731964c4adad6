// End to end: MCP test collections as a person uses them, on the demo workspace. A call of
// fixture's echo is saved as a test with its result view's button (a new
// demo/fixture.mcptest.json), runs green from the Testing commands, then a broken expectation
// shows its failure inline in the file. The collection (and any snapshots) are removed
// afterwards, so the demo's tracked files are as before. testing.png is docs/testing.png's source.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

const ECHO_TEXT = 'Saved as a test';

describe('MCP Tests: save a call as a test, run it, break it (e2e)', function () {
  let wb: Workbench;
  let failed = false;
  const workspace = process.env.MCPM_E2E_WORKSPACE ?? path.resolve('demo');
  const collection = path.join(workspace, 'fixture.mcptest.json');
  const cleanup = () => {
    fs.rmSync(collection, { force: true });
    fs.rmSync(path.join(workspace, '__snapshots__'), { recursive: true, force: true });
  };

  before(async () => {
    cleanup();
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
    cleanup();
  });

  beforeEach(function () {
    if (failed) this.skip();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      failed = true;
      await wb?.screenshot(`failed-tests-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  it('calls echo of fixture from its tree row', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.setExpanded('fixture, ', true);
    const dialog = wb.dialog();
    const running = wb.treeRow('fixture, Running');
    await dialog.or(running).first().waitFor({ timeout: 30000 });
    if (await dialog.isVisible()) await wb.answerDialog(/^Allow Always/);
    await running.waitFor({ timeout: 30000 });
    const echo = wb.page.locator('.part.sidebar .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^Echo$/ }) }).first();
    await echo.waitFor({ timeout: 30000 });
    await echo.hover();
    await echo.locator('.action-label[aria-label^="Call Tool"]').click();
    await wb.waitForQuickInput(/^echo: message/);
    await wb.quickInputBox().fill(ECHO_TEXT);
    await wb.page.keyboard.press('Enter');
    // The result opens in the tool's result view (a webview).
    await webviewFrame(wb.page, `pre:has-text("Echo: ${ECHO_TEXT}")`);
  });

  it('the result view\'s "Save as Test..." button, pressed from the keyboard, creates a collection with the test and opens it there', async () => {
    const view = await webviewFrame(wb.page, `pre:has-text("Echo: ${ECHO_TEXT}")`);
    const button = view.locator('#save-test');
    assert.equal(await button.innerText(), 'Save as Test...');
    await button.focus();
    await wb.screenshot('tests-00-save-button');
    await wb.page.keyboard.press('Enter');
    await wb.waitForQuickInput('Save as Test');
    // The webview may keep the keyboard: click into the pick, as a person would.
    await wb.quickInputBox().click();
    await wb.pickQuickItem('New Test', /New Test Collection/);
    await wb.waitForQuickInput('New Test Collection');
    assert.equal(await wb.quickInputBox().inputValue(), 'fixture.mcptest.json');
    await wb.page.keyboard.press('Enter');
    await wb.waitForQuickInput('Save as Test');
    assert.equal(await wb.quickInputBox().inputValue(), 'echo');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.part.editor .tabs-container .tab.active', { hasText: 'fixture.mcptest.json' }).waitFor({ timeout: 30000 });
    const saved = JSON.parse(fs.readFileSync(collection, 'utf8')) as { server: string; tests: unknown[] };
    assert.deepEqual(saved, {
      server: 'fixture',
      tests: [
        { name: 'echo', tool: 'echo', arguments: { message: ECHO_TEXT }, expect: { isError: false, contains: `Echo: ${ECHO_TEXT}` } },
      ],
    });
  });

  it('runs from the Testing view and passes', async () => {
    await wb.runCommand('Testing: Focus on Test Explorer View');
    await wb.runCommand('Test: Run All Tests');
    await wb.page.locator('.part.editor .margin .codicon-testing-passed-icon').first().waitFor({ timeout: 60000 });
    // The Testing view lists the collection, expanded to show its test, as in docs/testing.png.
    const row = wb.page.locator('.part.sidebar .monaco-list-row[aria-label*="fixture.mcptest.json"]').first();
    await row.waitFor({ timeout: 30000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await wb.page.locator('.part.sidebar .monaco-list-row[aria-label^="echo"]').first().waitFor({ timeout: 30000 });
    // testing.png is docs/testing.png's source (MCPM_UPDATE_SCREENSHOT=1 copies it).
    await wb.screenshot('testing');
  });

  it('a broken expectation fails, with the reason inline in the file', async () => {
    fs.writeFileSync(
      collection,
      fs.readFileSync(collection, 'utf8').replace(`"contains": "Echo: ${ECHO_TEXT}"`, '"contains": "Echo: something else"'),
    );
    await wb.page.locator('.part.editor .view-lines', { hasText: 'Echo: something else' }).waitFor({ timeout: 30000 });
    await wb.runCommand('Test: Run All Tests');
    await wb.page.locator('.part.editor .margin .codicon-testing-failed-icon').first().waitFor({ timeout: 60000 });
    // Inline at the test's line: expected vs actual; the reason in the Test Results panel.
    await wb.page
      .locator('.part.editor', { hasText: `Echo: ${ECHO_TEXT} != Echo: something else` })
      .first()
      .waitFor({ timeout: 30000 });
    await wb.page.locator('.part.panel', { hasText: 'the text does not contain' }).first().waitFor({ timeout: 30000 });
    await wb.screenshot('tests-02-failed');
  });
});
