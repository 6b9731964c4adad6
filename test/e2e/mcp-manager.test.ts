// End to end: the packaged extension in a real workbench, opened on demo/.
import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('MCP Manager view (e2e)', () => {
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

  it('opens the MCP Manager view container', async () => {
    await wb.openViewContainer('MCP Manager');
    await wb.viewPane('Servers').waitFor({ timeout: 30000 });
    await wb.screenshot('mcp-manager-view');
  });

  it('runs "MCP: Refresh" from the command palette without an error', async () => {
    await wb.runCommand('MCP: Refresh');
    await wb.page.waitForTimeout(1500); // an error toast ("command not found", exception) would show by now
    const errors = (await wb.notifications()).filter((n) => /error|not found|failed/i.test(n));
    assert.deepEqual(errors, []);
    await wb.screenshot('mcp-manager-refreshed');
  });
});
