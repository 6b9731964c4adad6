// End to end: a long tool call that runs as a task is not tied to the window (issue 16). The demo's
// `survey` server (the v2 fixture, its tasks kept in demo/.mcp-tasks by ERA_TASKS_DIR) runs
// `task_gate` until `open_gate` is called. The test starts it from the palette, closes its progress
// notification, reloads the window (a new extension host, a new server process), sees the task
// again under its server, opens the gate, and gets the result from the "completed" notification.
// Screenshots: test-results/e2e/tasks-*.png.
import * as assert from 'node:assert/strict';
import { webviewFrame } from './webviews';
import { Workbench } from './workbench';

const SERVER = 'survey';
// demo/.mcp-tasks outlives a run: a gate of an earlier run must not open this one.
const GATE = `e2e-${Date.now().toString(36)}`;

describe('A long task outlives its notification and a window reload (e2e)', function () {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
  });

  /** The survey server's node, expanded (its command allowed once), with the server running. */
  async function expandSurvey(): Promise<void> {
    await wb.openViewContainer('MCP Manager');
    await wb.expandAndStart(SERVER, 60000);
  }

  /** Call Tool from the palette: `tool` of survey with its one string argument `gate`. */
  async function callWithGate(tool: string): Promise<void> {
    await wb.runQuickInputCommand('MCP Manager: Call Tool...', 'MCP: Call Tool');
    const picker = wb.page.locator('.quick-input-widget input[placeholder^="Select a tool to call"]');
    await picker.waitFor({ timeout: 30000 });
    await picker.click();
    await wb.pickQuickItem(tool, new RegExp(`^${tool}, ${SERVER}\\b`));
    await wb.waitForQuickInput(new RegExp(`^${tool}: gate \\(string, required\\)`));
    await wb.waitForQuickInputFocus();
    await wb.page.keyboard.type(GATE, { delay: 10 });
    await wb.page.keyboard.press('Enter');
  }

  it('starts task_gate, closes its notification, reloads the window, opens the gate and gets the result', async () => {
    await expandSurvey();
    await callWithGate('task_gate');

    // The call's progress notification, then closed as a person does (its X where it has one).
    const toast = wb.page.locator('.notification-toast', { hasText: `task_gate (${SERVER})` }).first();
    await toast.waitFor({ timeout: 30000 });
    await toast.hover();
    const actions = await toast.locator('.action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const close = actions.find((a) => /^(Clear|Hide|Close)/i.test(a));
    if (close) await toast.locator(`.action-label[aria-label=${JSON.stringify(close)}]`).click();
    else {
      // A progress notification has no X: focused, Escape hides it (notifications.hideToasts).
      await toast.locator('.notification-list-item-message').click();
      await wb.page.keyboard.press('Escape');
    }
    await toast.waitFor({ state: 'hidden', timeout: 10000 }).catch(async (e: unknown) => {
      await wb.screenshot('tasks-00-notification');
      throw new Error(`${String(e)}; the notification's actions: ${actions.join(' | ')}`);
    });

    // Still running, under its server in the tree.
    const row = wb.treeRow('task_gate (task ');
    await row.waitFor({ timeout: 30000 });
    assert.match((await row.getAttribute('aria-label')) ?? '', /working/);
    await wb.screenshot('tasks-01-running');

    // A window reload: the extension host and the server process are new; the task is remembered.
    await wb.page.reload({ timeout: 180000 });
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await wb.page.locator('.activitybar').waitFor({ timeout: 60000 });
    await expandSurvey();
    await wb.treeRow('task_gate (task ').waitFor({ timeout: 60000 });
    assert.match((await wb.treeRow('task_gate (task ').getAttribute('aria-label')) ?? '', /working/);
    await wb.screenshot('tasks-02-after-reload');

    // Opening the gate ends the task; the "completed" notification opens its result.
    await callWithGate('open_gate');
    const done = wb.page.locator('.notification-toast', { hasText: `task "task_gate" (${SERVER}) completed` }).first();
    await done.waitFor({ timeout: 60000 });
    await wb.screenshot('tasks-03-completed');
    await done.locator('.monaco-button', { hasText: 'Open Result' }).click();
    const view = await webviewFrame(wb.page, `text=task_gate done: gate ${GATE} opened`);
    assert.ok(await view.locator(`text=task_gate done: gate ${GATE} opened`).first().isVisible());
    await wb.screenshot('tasks-04-result');
  });
});
