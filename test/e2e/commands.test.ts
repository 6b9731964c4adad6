// Our commands beside VS Code's own MCP commands, and the Getting Started walkthrough, as a person
// sees them (issue 20; issue 11 point 7). Runs before the main story (files run alphabetically) and
// leaves the demo servers as it found them: idle, no launch consent given, no editors open.
import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('e2e: command names and the walkthrough', function () {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });
  after(async () => {
    await wb?.close();
  });

  it('the sidebar title reads "MCP MANAGER" in full, not "MCP Manager: Serv..."', async () => {
    const sidebar = await wb.openViewContainer('MCP Manager');
    await wb.treeRows(4);
    const title = sidebar.locator('.composite.title .title-label h2').first();
    assert.equal((await title.innerText()).trim().toUpperCase(), 'MCP MANAGER');
    const cut = await title.evaluate((el) => {
      const e = el as unknown as { scrollWidth: number; clientWidth: number };
      return e.scrollWidth > e.clientWidth;
    });
    assert.equal(cut, false, 'the title is truncated');
    // Every idle row says how to start it.
    const labels = await wb.page
      .locator('.part.sidebar .monaco-list-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    for (const l of labels) assert.match(l ?? '', /, Idle, \w+ · expand to start$/);
  });

  it('the palette filtered by "MCP" lists ours as "MCP Manager: ..."; "mcp call" finds Call Tool first', async () => {
    const input = wb.quickInputBox();
    await wb.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill('>MCP');
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'MCP Manager: Add Server...' }).first().waitFor({ timeout: 15000 });
    const labels = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).map((l) =>
      l.split(',')[0]!.trim(),
    );
    await wb.screenshot('commands-01-palette-mcp');
    const ours = labels.filter((l) => l.startsWith('MCP Manager: '));
    assert.ok(ours.length >= 5, `palette rows: ${labels.join(' | ')}`);
    assert.equal(new Set(labels).size, labels.length, `duplicate palette rows: ${labels.join(' | ')}`);

    await input.fill('>mcp call');
    // The first row is Call Tool; the history and the rerun do not match "call" any more. (VS Code
    // may append unrelated rows under "similar commands": those are not matches.)
    await wb.page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: 'MCP Manager: Call Tool...' })
      .first()
      .waitFor({ timeout: 15000 });
    const callRows = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.match(callRows[0] ?? '', /^MCP Manager: Call Tool\.\.\./, `"mcp call" rows: ${callRows.join(' | ')}`);
    assert.ok(!callRows.some((l) => /History|Rerun/.test(l)), `"mcp call" rows: ${callRows.join(' | ')}`);
    await wb.page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: 15000 });
  });

  it('"MCP Manager: Get Started" opens the walkthrough; steps are ticked by what the user does', async () => {
    await wb.runCommand('MCP Manager: Get Started');
    const page = wb.page;
    await page.locator('.gettingStartedContainer', { hasText: 'Get Started with MCP Manager' }).first().waitFor({ timeout: 30000 });
    // A step's checkbox: VS Code updates its aria-checked when a completion event fires.
    const checkbox = (id: string) => page.locator(`[data-done-step-id$="${id}"]`).first();
    for (const title of ['Add or import a server', 'Expand a server to start it', 'Call a tool', 'Read a resource']) {
      await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 15000 });
    }
    // (Not asserted: "add a server" for the demo's servers. VS Code's walkthrough service ticks an
    // onContext step only when the key changes after the service started, and the demo's
    // mcpManager.hasServers is usually set before. Adding a server, or servers appearing later, tick it.)
    const done = (id: string) =>
      page.locator(`[data-done-step-id$="${id}"][aria-checked="true"]`).first().waitFor({ state: 'attached', timeout: 15000 });
    assert.notEqual(
      await checkbox('readResource').getAttribute('aria-checked'),
      'true',
      '"read a resource" is done before anything was read',
    );
    await wb.screenshot('commands-02-walkthrough');

    // Running the step's command ticks it (onCommand:mcpManager.readResource); its server pick is dismissed.
    await wb.runQuickInputCommand('MCP Manager: Read Resource...', /MCP: Read Resource/);
    await page.keyboard.press('Escape');
    await done('readResource');
    await wb.screenshot('commands-03-walkthrough-step-done');
    await wb.runCommand('View: Close All Editors');
  });
});
