// End to end: the packaged extension in a real workbench, opened on demo/, used the way a person
// uses it. demo/.vscode/settings.json configures five servers: `everything` (the MCP reference
// server, stdio), `fixture` (test/fixtures/server.mjs, stdio), `fixture-http` (the same fixture
// over Streamable HTTP on 127.0.0.1:39217, started by scripts/run-e2e.mjs) and `fixture-secret`
// (the fixture again, with DEMO_TOKEN from an `${input:}` that VS Code's input box asks for), and
// `survey` (the v2 fixture that asks back; test/e2e/ask.test.ts answers it). Every step leaves a
// screenshot in test-results/e2e/; the last one, readme.png, is docs/screenshot.png's source.
//
// The tests are one story (each step builds on the one before), so after a failure the rest skip.
import * as assert from 'node:assert/strict';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

// Functions passed to page.evaluate/waitForFunction run in the browser. The project compiles without
// the DOM library (src/ must not see it), so this module declares the little it uses.
interface DomElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  closest(selector: string): DomElement | null;
  readonly textContent: string | null;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  readonly activeElement: DomElement | null;
};

/** The demo's stdio servers are workspace-defined, so their first start asks for consent. */
const ALLOW_ALWAYS = /^Allow Always/;
const ECHO_TEXT = 'Hello from MCP Manager!';
const FAIL_TEXT = 'Something broke on purpose';
const HTTP_ECHO_TEXT = 'Hello over Streamable HTTP';
const SECRET_TEXT = 'e2e-demo-token-42';

describe('MCP Manager on the demo workspace (e2e)', function () {
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
      await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  /** Labels of the rows under a server row (its Resources and Prompts folders, then its tools, or a status message). */
  async function childrenOf(server: string): Promise<string[]> {
    return wb.page.evaluate((prefix) => {
      const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')];
      // Virtualised list: rows are rendered in order, `data-index` tells the real position.
      rows.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
      const i = rows.findIndex((r) => (r.getAttribute('aria-label') ?? '').startsWith(prefix));
      if (i < 0) return [];
      const level = Number(rows[i].getAttribute('aria-level'));
      const out: string[] = [];
      for (const r of rows.slice(i + 1)) {
        if (Number(r.getAttribute('aria-level')) <= level) break;
        out.push((r.querySelector('.label-name')?.textContent ?? '').trim());
      }
      return out;
    }, `${server}, `);
  }

  /**
   * Expands a server; a workspace-defined stdio server first asks (modal) whether to run its
   * command line: screenshot it and answer "Allow Always…". Works with and without that modal.
   * Returns the server's tool labels once they are listed.
   */
  async function expandServer(server: string, shot: string, opts: { expectConsent: boolean; mustInclude: string[] }): Promise<string[]> {
    await wb.setExpanded(`${server}, `, true);
    const running = wb.treeRow(`${server}, Running`);
    const dialog = wb.dialog();
    await dialog.or(running).first().waitFor({ timeout: 30000 });
    if (await dialog.isVisible()) {
      const text = await dialog.innerText();
      assert.match(text, new RegExp(`Run the MCP server "${server}"`), text);
      assert.match(text, /Command line:/, text);
      assert.ok(opts.expectConsent, `a consent dialog appeared for "${server}", which runs nothing locally:\n${text}`);
      await wb.screenshot(`${shot}-consent`);
      await wb.answerDialog(ALLOW_ALWAYS);
    } else {
      // Consent comes before the spawn, so a workspace stdio server cannot be running without it.
      assert.ok(!opts.expectConsent, `"${server}" started without the launch-consent dialog`);
    }
    await running.waitFor({ timeout: 30000 });
    // The tool rows replace the "Connecting…" row once tools/list has answered. Waited for under
    // this server's row (another expanded server's rows have the same labels), scrolled into view:
    // the list renders only the rows it shows.
    await wb.treeRow(`${server}, Running`).scrollIntoViewIfNeeded();
    await wb.page
      .waitForFunction(
        ({ prefix, want }) => {
          const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')];
          rows.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
          const i = rows.findIndex((r) => (r.getAttribute('aria-label') ?? '').startsWith(prefix));
          if (i < 0) return false;
          const level = Number(rows[i]!.getAttribute('aria-level'));
          const labels: string[] = [];
          for (const r of rows.slice(i + 1)) {
            if (Number(r.getAttribute('aria-level')) <= level) break;
            labels.push((r.querySelector('.label-name')?.textContent ?? '').trim());
          }
          return want.every((w: string) => labels.includes(w));
        },
        { prefix: `${server}, Running`, want: opts.mustInclude },
        { timeout: 30000 },
      )
      .catch(() => undefined); // the assertion below says what is missing
    const tools = await childrenOf(server);
    for (const t of opts.mustInclude) assert.ok(tools.includes(t), `"${t}" is not listed under ${server}: ${tools.join(', ')}`);
    await wb.screenshot(`${shot}-tools`);
    return tools;
  }

  it('shows the six demo servers, idle', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.viewPane('MCP Manager').waitFor({ timeout: 30000 });
    const rows = await wb.treeRows(6);
    const labels = await wb.page
      .locator('.part.sidebar .monaco-list-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(
      labels,
      [
        'everything, Idle, stdio · expand to start',
        'fixture, Idle, stdio · expand to start',
        'fixture-http, Idle, http · expand to start',
        'fixture-secret, Idle, stdio · expand to start',
        'fixture-signin, Idle, http · expand to start',
        'survey, Idle, stdio · expand to start',
      ],
      `rows: ${rows.join(' | ')}`,
    );
    await wb.screenshot('01-servers-idle');
  });

  it('expanding "fixture" asks to run its command once, then lists its tools', async () => {
    const rows = await expandServer('fixture', '02-fixture', { expectConsent: true, mustInclude: ['Echo', 'Add', 'Fail', 'Sleep'] });
    // It declares resources and prompts: their folders come first (listed only when expanded).
    assert.deepEqual(rows.slice(0, 2), ['Resources', 'Prompts'], `fixture rows: ${rows.join(', ')}`);
    // The count from the server row: the list is virtualised, so rows scrolled out of view are not in the DOM.
    assert.match((await wb.treeRow('fixture, ').getAttribute('aria-label')) ?? '', /^fixture, Running, stdio · 13 tools$/);
  });

  it('expanding "everything" lists the reference server\'s tools', async () => {
    await expandServer('everything', '03-everything', { expectConsent: true, mustInclude: ['Echo Tool', 'Get Sum Tool'] });
    await wb.setExpanded('everything, ', false);
  });

  it('"MCP Manager: Call Tool..." starts an idle server only when its "Start" row is chosen, and keeps the keyboard', async () => {
    // The keyboard focus is in the Servers tree (the last click was a twistie there) and
    // fixture-http has not started: opening the pick starts nothing (issue 11), it offers a row.
    await wb.page.waitForFunction(() => document.activeElement?.closest('.part.sidebar .monaco-list') != null, undefined, {
      timeout: 10000,
    });
    assert.match((await wb.treeRow('fixture-http, ').getAttribute('aria-label')) ?? '', /^fixture-http, Idle, http/);
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    await wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]').waitFor({ timeout: 30000 });
    assert.match((await wb.treeRow('fixture-http, ').getAttribute('aria-label')) ?? '', /^fixture-http, Idle, http/);
    // Typed at the keyboard (pickQuickItem fails unless the pick's input has the focus).
    await wb.pickQuickItem('fixture-http', /Start fixture-http/, { beforeAccept: () => wb.screenshot('04-call-tool-start-idle-server') });
    // Chosen: fixture-http starts (idle -> starting -> running in the tree), its tools join the pick.
    await wb.treeRow('fixture-http, Running').waitFor({ timeout: 30000 });
    const picked = await wb.pickQuickItem('', /^echo, fixture-http · /, {
      beforeAccept: () => wb.screenshot('04-call-tool-started-server'),
    });
    assert.match(picked, /^echo, fixture-http · Echo/);
    assert.match(await wb.waitForQuickInput(/^echo: message/), /^echo: message \(string, required\)/);
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.type(HTTP_ECHO_TEXT);
    await wb.page.keyboard.press('Enter');
    await webviewFrame(wb.page, `pre:has-text("Echo: ${HTTP_ECHO_TEXT}")`);
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), /echo \(fixture-http\)/);
  });

  it('expanding "fixture-http" lists its tools over Streamable HTTP (no consent: nothing runs locally)', async () => {
    const rows = await expandServer('fixture-http', '04-fixture-http', { expectConsent: false, mustInclude: ['Echo', 'Add', 'Fail'] });
    assert.deepEqual(rows.slice(0, 2), ['Resources', 'Prompts'], `fixture-http rows: ${rows.join(', ')}`);
    assert.match((await wb.treeRow('fixture-http, ').getAttribute('aria-label')) ?? '', /^fixture-http, Running, http · 13 tools$/);
  });

  it('"MCP Manager: Call Tool..." calls echo of fixture and shows the result in its result view', async () => {
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    // Every server is running, so the picker lists all tools at once.
    await wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]').waitFor({ timeout: 30000 });
    // "echo" is offered by all three servers; the description says which (`fixture · Echo`).
    const picked = await wb.pickQuickItem('echo', /^echo, fixture · /, { beforeAccept: () => wb.screenshot('05-call-tool-picker') });
    assert.match(picked, /^echo, fixture · Echo/);
    const title = await wb.waitForQuickInput(/^echo: message/);
    assert.match(title, /^echo: message \(string, required\)/);
    await wb.quickInputBox().fill(ECHO_TEXT);
    await wb.screenshot('06-echo-argument');
    await wb.page.keyboard.press('Enter');
    const view = await webviewFrame(wb.page, `pre:has-text("Echo: ${ECHO_TEXT}")`);
    assert.match(await view.locator('#args-body').innerText(), /message/);
    const tab = wb.page.locator('.part.editor .tabs-container .tab.active');
    assert.match(await tab.innerText(), /echo \(fixture\)/);
    await wb.screenshot('07-echo-result');
  });

  it('a tool that fails (fail of fixture) shows an error notification with its text', async () => {
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    await wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]').waitFor({ timeout: 30000 });
    await wb.pickQuickItem('fail', /^fail, fixture · /);
    assert.match(await wb.waitForQuickInput(/^fail: message/), /^fail: message \(string, optional\)/);
    await wb.quickInputBox().fill(FAIL_TEXT);
    await wb.page.keyboard.press('Enter');
    const text = await wb.waitForNotification(`returned an error: ${FAIL_TEXT}`);
    assert.equal(text, `"fail" (fixture) returned an error: ${FAIL_TEXT}`);
    const toast = wb.page.locator('.notification-toast', { hasText: FAIL_TEXT });
    assert.deepEqual(await toast.locator('.monaco-button').allInnerTexts(), ['Show Result', 'Show Logs']);
    await wb.screenshot('08-fail-notification');
  });

  it("README screenshot: the tree with fixture's tools and the echo result", async () => {
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 10000 });
    await wb.setExpanded('fixture-http, ', false);
    // Collapse and expand fixture again: its row gets the focus, which shows its actions.
    await wb.setExpanded('fixture, ', false);
    await wb.setExpanded('fixture, ', true);
    // A wider sidebar, so tool descriptions are readable: drag the sash at its right edge.
    const box = await wb.page.locator('.part.sidebar').boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(box.x + box.width + 2, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + 470, y, { steps: 8 });
    await wb.page.mouse.up();
    // The echo result view in front.
    await wb.page.locator('.part.editor .tabs-container .tab', { hasText: 'echo (fixture)' }).click();
    await webviewFrame(wb.page, `pre:has-text("Echo: ${ECHO_TEXT}")`, 10000);
    assert.deepEqual((await childrenOf('fixture')).slice(0, 5), ['Resources', 'Prompts', 'Echo', 'Add', 'Process id']);
    await wb.screenshot('readme');
  });

  it("fixture's Resources and Prompts: a click reads a resource into a read-only editor, and gets a prompt after asking for its argument", async () => {
    // Only fixture is expanded, so its folders are the only ones shown.
    await wb.setExpanded('Resources', true);
    await wb.treeRow('Readme, ').waitFor({ timeout: 30000 });
    await wb.treeRow('Readme, ').click();
    await wb.page.locator('.part.editor .editor-instance .view-lines', { hasText: 'Fixture server readme.' }).waitFor({ timeout: 30000 });
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), /Readme \(fixture\)\s*\.txt/);
    await wb.screenshot('09-resource');

    await wb.setExpanded('Prompts', true);
    await wb.treeRow('Greet, ').click();
    assert.match(await wb.waitForQuickInput(/^MCP: Get Prompt Greet \(fixture\)/), /Greet \(fixture\)/);
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.type('Ada');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.part.editor .editor-instance .view-lines', { hasText: 'Hello, Ada!' }).waitFor({ timeout: 30000 });
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), /Greet \(fixture\)\s*\.md/);
    await wb.screenshot('10-prompt');
  });
  it('"MCP Manager: Call Tool..." offers to start "fixture-secret", which asks for its input in a password box; the server gets the value', async () => {
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    await wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]').waitFor({ timeout: 30000 });
    // Not started behind the user's back (its input box would replace the pick): a row to start it.
    const start = await wb.pickQuickItem('Start fixture-secret', /Start fixture-secret/, {
      beforeAccept: () => wb.screenshot('11-call-tool-start-row'),
    });
    assert.match(start, /asks for \$\{input:demo-token\} first/);
    // A workspace stdio server: the launch consent comes first (issue 11), before any secret is asked for.
    const dialog = wb.dialog();
    await dialog.waitFor({ timeout: 30000 });
    assert.match(await dialog.innerText(), /Asks for \$\{input:demo-token\} after you allow it/);
    await wb.screenshot('11-consent-before-input');
    await wb.answerDialog(ALLOW_ALWAYS);
    assert.match(await wb.waitForQuickInput(/^MCP server "fixture-secret" needs \$\{input:demo-token\}/), /needs/);
    assert.equal(await wb.quickInputBox().getAttribute('type'), 'password');
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.type(SECRET_TEXT);
    await wb.page.keyboard.press('Enter');
    // Started: the pick comes back with its tools.
    await wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]').waitFor({ timeout: 30000 });
    await wb.pickQuickItem('env', /^env, fixture-secret · /);
    assert.match(await wb.waitForQuickInput(/^env: name/), /^env: name \(string, optional\)/);
    await wb.quickInputBox().fill('DEMO_TOKEN');
    await wb.page.keyboard.press('Enter');
    await webviewFrame(wb.page, `pre:has-text("${SECRET_TEXT}")`);
    assert.match(await wb.page.locator('.part.editor .tabs-container .tab.active').innerText(), /env \(fixture-secret\)/);
    assert.match((await wb.treeRow('fixture-secret, ').getAttribute('aria-label')) ?? '', /^fixture-secret, Running/);
    await wb.screenshot('12-input-reached-server');
  });
});
