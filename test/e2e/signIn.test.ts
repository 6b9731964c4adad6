// End to end: signing in to an OAuth server in the real workbench (issue 14). The demo's
// `fixture-signin` (test/fixtures/oauth behind scripts/demo-servers.mjs: a protected MCP server on
// 127.0.0.1:39219 and its authorization server on 39220, with a consent page) shows "sign-in
// required" once expanded; "Sign in required: click to sign in" opens the consent page in the
// browser (vscode.env.openExternal: a new tab in code-server), Allow redirects to MCP Manager's
// loopback listener (through code-server's port proxy: vscode.env.asExternalUri), and the server
// then runs with its tools. Sign Out at the end leaves the window as it began.
// Screenshots: test-results/e2e/signin-*.png.
import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

const SERVER = 'fixture-signin';

describe('signing in to an OAuth server (e2e)', function () {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('"sign-in required", then the consent page in the browser, Allow, and the server runs', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.treeRow(`${SERVER}, `).waitFor({ timeout: 30000 });
    await wb.setExpanded(`${SERVER}, `, true);
    const required = wb.page.locator(`.part.sidebar .monaco-list-row[aria-label^="${SERVER}, "][aria-label*="sign-in required"]`);
    await required.waitFor({ timeout: 60000 });
    await wb.screenshot('signin-01-required');

    // The browser: VS Code opens the consent page in a new tab.
    const tab = wb.page.context().waitForEvent('page', { timeout: 60000 });
    await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Sign in required: click to sign in' }).first().click();
    // VS Code may ask before opening an external site; 127.0.0.1 is usually trusted.
    const consent = await Promise.race([
      tab,
      wb
        .dialog()
        .waitFor({ timeout: 60000 })
        .then(async () => {
          await wb.answerDialog(/^Open/);
          return tab;
        }),
    ]);
    await consent.waitForLoadState('domcontentloaded');
    assert.match(await consent.title(), /Sign in to the test server/, `the page at ${consent.url()}`);
    await consent.screenshot({ path: `${process.env.MCPM_E2E_RESULTS ?? 'test-results/e2e'}/signin-02-consent.png` });
    await consent.locator('#allow').click();
    // The redirect reaches MCP Manager; the editor says so, and the server runs.
    await wb.waitForNotification(new RegExp(`Signed in to ${SERVER}`), 60000);
    await wb.page.locator(`.part.sidebar .monaco-list-row[aria-label^="${SERVER}, Running"]`).waitFor({ timeout: 60000 });
    await wb.screenshot('signin-03-running');
    await consent.close().catch(() => undefined);

    // Sign Out forgets the tokens (SecretStorage of this throw-away window) and stops the server.
    await wb.runQuickInputCommand('MCP Manager: Sign Out...', 'Sign Out of an MCP Server');
    await wb.pickQuickItem(SERVER, new RegExp(`${SERVER}(?![-\\w])`));
    await wb.waitForNotification(new RegExp(`Signed out of ${SERVER}`), 30000);
  });
});
