// End to end: a server's question in the real workbench on demo/. The demo's `survey` server (the
// v2 fixture) asks a question when its ask_form tool is called; the form names the server, shows
// the question, is filled in and accepted with the keyboard and mouse as a person would, and the
// tool's result shows the answer. Screenshots: test-results/e2e/ask-*.png (ask-01-form is
// docs/elicitation.png's source).
import * as assert from 'node:assert/strict';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

const SERVER = 'survey';
const ALLOW_ALWAYS = /^Allow Always/;

describe('When the server asks (e2e)', function () {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
  });

  it('answers the form of ask_form and sees the answer in the tool result', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.expandAndStart(SERVER);

    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    const picker = wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]');
    for (let i = 0; i < 5; i++) {
      await picker.or(wb.dialog()).first().waitFor({ timeout: 30000 });
      if (!(await wb.dialog().isVisible())) break;
      await wb.answerDialog(ALLOW_ALWAYS);
    }
    await picker.click();
    await wb.pickQuickItem('ask_form', new RegExp(`^ask_form, ${SERVER}\\b`)).catch(async (e: unknown) => {
      const rows = await wb.page
        .locator('.quick-input-list .monaco-list-row')
        .evaluateAll((els) => els.map((r) => r.getAttribute('aria-label')));
      await wb.screenshot('ask-00-picker');
      throw new Error(`${String(e)}; rows: ${rows.join(' | ')}`);
    });

    const form = await webviewFrame(wb.page, '#mcp-ask-message');
    assert.equal(await form.locator('#mcp-ask-message').innerText(), 'Tell us about you');
    assert.match(await form.locator('h1').innerText(), new RegExp(`^${SERVER} asks$`));
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), new RegExp(`${SERVER} asks`));
    // Defaults are filled in; the titled choice shows its titles.
    assert.equal(await form.getByLabel(/^age/).inputValue(), '30');
    assert.match(await form.getByLabel(/^size/).locator('option:checked').innerText(), /Small/);
    await form.getByLabel(/^Your name/).fill('Ada');
    await form.getByLabel(/^email/).fill('not an email');
    await form
      .locator('.error', { hasText: /email address/ })
      .first()
      .waitFor({ timeout: 10000 });
    await form.getByLabel(/^email/).fill('ada@example.com');
    await form.getByLabel(/^size/).selectOption({ label: 'Large' });
    await form
      .locator('.error', { hasText: /email address/ })
      .first()
      .waitFor({ state: 'detached', timeout: 10000 })
      .catch(() => {});
    await wb.screenshot('ask-01-form');
    await form.locator('#mcp-submit').click();

    // The result view renders the JSON text; its source is kept beside it.
    const view = await webviewFrame(wb.page, 'pre.src:has-text("ada@example.com")');
    const text = (await view.locator('pre.src', { hasText: 'ada@example.com' }).first().textContent()) ?? '';
    const answer = JSON.parse(text) as { action: string; content: Record<string, unknown> };
    assert.equal(answer.content.name, 'Ada');
    assert.equal(answer.content.email, 'ada@example.com');
    assert.equal(answer.content.size, 'l');
    assert.equal(answer.content.age, 30);
    await wb.screenshot('ask-02-result');
  });
});
