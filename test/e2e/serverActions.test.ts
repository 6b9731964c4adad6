// End to end: managing a server's entry from the tree (issue 11, point 2) on the demo workspace.
// The context menu of a server shows Edit / Disable / Rename / Duplicate / Remove (screenshot
// server-actions-menu.png). What the actions write is covered in the extension host
// (test/integration/configEdit.test.ts); nothing here changes the tracked demo files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbench } from './workbench';

const SETTINGS = path.resolve('demo', '.vscode', 'settings.json');

describe('server management actions in the tree (e2e)', function () {
  let wb: Workbench;
  let original: string;

  before(async () => {
    original = fs.readFileSync(SETTINGS, 'utf8');
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
    // Opening a menu writes nothing: the tracked demo file is as it was.
    assert.equal(fs.readFileSync(SETTINGS, 'utf8'), original);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  const menu = () => wb.page.locator('.context-view .monaco-menu');

  async function openMenu(server: string): Promise<string[]> {
    const row = wb.treeRow(`${server}, `);
    await row.waitFor({ timeout: 30000 });
    await row.click({ button: 'right' });
    await menu().waitFor({ timeout: 10000 });
    return (await menu().locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  it("shows Edit, Disable, Rename, Duplicate and Remove in a server's context menu", async () => {
    await wb.openViewContainer();
    await wb.treeRows(4);
    const items = await openMenu('fixture');
    for (const label of ['Edit Server', 'Disable Server', 'Rename Server...', 'Duplicate Server...', 'Remove Server...'])
      assert.ok(items.includes(label), `${label} in ${items.join(', ')}`);
    assert.ok(!items.includes('Enable Server'));
    await wb.screenshot('server-actions-menu');
    await wb.page.keyboard.press('Escape');
    await menu().waitFor({ state: 'hidden', timeout: 10000 });
  });
});
