// End to end: signing in with an account VS Code already has (issue 14), in the real workbench.
// scripts/run-e2e.mjs runs this file in its own pass, with the test extension installed
// (test/fixtures/lm-extension): its "Test Account" authentication provider declares
// `authorizationServerGlobs` for http://127.0.0.1:*/test-account, as VS Code's GitHub provider does
// for https://github.com/login/oauth. The pass's user settings add `fixture-account`, a protected
// server (scripts/demo-servers.mjs, 127.0.0.1:39221) whose authorization server is at that path and
// gives the provider its tokens. Sign In offers the account; VS Code asks whether MCP Manager may
// use it (its own dialog, clicked here); the server then runs with the account's token.
// Screenshots: test-results/e2e/account-*.png.
import { Workbench } from './workbench';

const SERVER = 'fixture-account';

describe('signing in with an account VS Code has (e2e)', function () {
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

  it('Sign In offers the Test Account; VS Code asks to allow it; the server runs with its token', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.treeRow(`${SERVER}, `).waitFor({ timeout: 30000 });
    await wb.setExpanded(`${SERVER}, `, true);
    await wb.page
      .locator(`.part.sidebar .monaco-list-row[aria-label^="${SERVER}, "][aria-label*="sign-in required"]`)
      .waitFor({ timeout: 60000 });

    await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Sign in required: click to sign in' }).first().click();
    await wb.waitForQuickInput(`Sign in to ${SERVER}`);
    await wb.screenshot('account-01-offer');
    await wb.pickQuickItem('account', /Use your Test Account account/);

    // VS Code's own question: may MCP Manager sign in using the Test Account?
    await wb.dialog().waitFor({ timeout: 30000 });
    await wb.screenshot('account-02-allow');
    await wb.answerDialog(/^Allow/);

    await wb.waitForNotification(new RegExp(`Signed in to ${SERVER} with your Test Account account tester`), 60000);
    await wb.page.locator(`.part.sidebar .monaco-list-row[aria-label^="${SERVER}, Running"]`).waitFor({ timeout: 60000 });
    await wb.screenshot('account-03-running');

    await wb.runQuickInputCommand('MCP Manager: Sign Out...', 'Sign Out of an MCP Server');
    await wb.pickQuickItem(SERVER, new RegExp(`${SERVER}(?![-\\w])`));
    await wb.waitForNotification(new RegExp(`Signed out of ${SERVER}`), 30000);
  });
});
