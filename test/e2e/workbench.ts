// Helpers for end-to-end tests: drive the real VS Code workbench (code-server, started by
// scripts/run-e2e.mjs with the packaged .vsix installed) in Debian's headless Chromium, the way a
// person uses it. The runner passes the server in MCPM_E2E_URL and the workspace in
// MCPM_E2E_WORKSPACE.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// Functions passed to page.evaluate/waitForFunction run in the browser. The project compiles without
// the DOM library (src/ must not see it), so this module declares the little it uses.
interface DomElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  matches(selector: string): boolean;
  closest(selector: string): DomElement | null;
  readonly tagName: string;
  readonly className: string;
  readonly textContent: string | null;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  readonly activeElement: DomElement | null;
};

export const RESULTS_DIR = path.resolve(process.env.MCPM_E2E_RESULTS ?? 'test-results/e2e');

// The Chromium flags scripts/code-server-host.mjs uses too: offline, no sandbox (root), no GPU.
const CHROMIUM_ARGS = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../scripts/chromium-flags.json'), 'utf8')) as string[];

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\``);
  return v;
}

export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  /** Launches Chromium and opens the workspace in the workbench; waits until it is usable. */
  static async open(workspace = required('MCPM_E2E_WORKSPACE')): Promise<Workbench> {
    // Own XDG dirs: Chromium otherwise writes crash reports and dconf files into $HOME.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-e2e-chromium-'));
    const browser = await chromium.launch({
      executablePath: process.env.MCPM_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
    });
    browser.on('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const url = new URL(required('MCPM_E2E_URL'));
      url.searchParams.set('folder', workspace);
      // 'load' needs the whole workbench bundle: minutes, not the default 30 s, on a loaded 2-core machine.
      await page.goto(url.toString(), { timeout: 180000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      // The activity bar appears once the workbench is restored and extensions are known.
      await page.locator('.activitybar').waitFor({ timeout: 60000 });
      return new Workbench(browser, page);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Opens a view container by its activity bar label (default: ours) and returns the sidebar. */
  async openViewContainer(label = 'MCP Manager'): Promise<Locator> {
    const item = this.page.locator(`.activitybar [aria-label^="${label}"]`).first();
    await item.waitFor({ timeout: 30000 });
    const sidebar = this.page.locator('.part.sidebar');
    // The sidebar title reads "<container>" or, with a single view, "<container>: <view>".
    const title = sidebar.locator('.composite.title').filter({ hasText: label });
    // Right after a reload the workbench may still be restoring this container: a click then would
    // close it again. So click only while its activity bar item is not the active one, and look
    // again until the title shows.
    const active = this.page.locator(`.activitybar .action-item.checked [aria-label^="${label}"]`).first();
    const until = Date.now() + 30000;
    while (!(await title.isVisible())) {
      if (Date.now() > until) throw new Error(`the "${label}" view container did not open within 30 s`);
      if (!(await active.isVisible())) {
        await item.click();
        await this.page.mouse.move(800, 650, { steps: 5 }); // leave before its hover tooltip shows
      }
      await title.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    await this.waitForIdle();
    return sidebar;
  }

  /** Waits until extensions have activated and no view shows a progress bar. */
  async waitForIdle(timeout = 30000): Promise<void> {
    await this.page.locator('.part.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'hidden', timeout });
    await this.page.locator('.part.sidebar .monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout });
  }

  /** A view pane in the sidebar by its title (e.g. "Servers"). */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${title}"]`) });
  }

  /** Waits for at least `min` tree rows in the sidebar and returns their labels. */
  async treeRows(min = 1, timeout = 30000): Promise<string[]> {
    const rows = this.page.locator('.part.sidebar .monaco-list-row');
    await rows.nth(min - 1).waitFor({ timeout });
    return (await rows.allInnerTexts()).map((t) => t.trim());
  }

  /** Runs a command from the palette, e.g. "MCP: Refresh". */
  async runCommand(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${label}`);
    // Enter before the list has filtered to our command would run whatever row is focused.
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label });
    await focused.first().waitFor({ timeout: 15000 });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15000 });
  }

  /**
   * Opens the palette and runs a command whose UI continues in the same quick input (a QuickPick
   * or InputBox of its own), so unlike runCommand() it does not wait for the widget to close.
   * Returns once the command's own quick input shows `title`.
   */
  async runQuickInputCommand(label: string, title: string | RegExp, timeout = 30000): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 15000 });
    await this.page.keyboard.press('Enter');
    await this.waitForQuickInput(title, timeout);
  }

  /** The visible quick input's text field. */
  quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  /** Waits until the quick input (QuickPick/InputBox) is shown with a title matching `title`; returns the title. */
  async waitForQuickInput(title: string | RegExp, timeout = 30000): Promise<string> {
    const t = this.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title });
    await t.waitFor({ state: 'visible', timeout });
    return (await t.innerText()).trim();
  }

  /**
   * In the open QuickPick: types `filter` the way a person does, then moves down with the arrow keys
   * until the focused row's accessible label matches `row`, and accepts it with Enter.
   */
  async pickQuickItem(
    filter: string,
    row: RegExp,
    opts: { timeout?: number; beforeAccept?: () => Promise<unknown> } = {},
  ): Promise<string> {
    const timeout = opts.timeout ?? 15000;
    // Typed at the keyboard focus, not into the input element: the pick must have taken the focus.
    await this.waitForQuickInputFocus(timeout);
    await this.page.keyboard.type(filter, { delay: 20 });
    // The list has filtered once a matching row is shown.
    await this.page.waitForFunction(
      ({ source, flags }) =>
        [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) =>
          new RegExp(source, flags).test(r.getAttribute('aria-label') ?? ''),
        ),
      { source: row.source, flags: row.flags },
      { timeout },
    );
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused').first();
    const focusedLabel = async () => (await focused.getAttribute('aria-label', { timeout })) ?? '';
    let label = await focusedLabel();
    for (let i = 0; !row.test(label); i++) {
      if (i >= 30) throw new Error(`no row matching ${row} could be focused in the quick pick (last focused: "${label}")`);
      await this.page.keyboard.press('ArrowDown');
      const before = label;
      await this.page
        .waitForFunction(
          (prev) => document.querySelector('.quick-input-list .monaco-list-row.focused')?.getAttribute('aria-label') !== prev,
          before,
          { timeout: 2000 },
        )
        .catch(() => {}); // a list of one row: the focus stays
      label = await focusedLabel();
    }
    await opts.beforeAccept?.();
    await this.page.keyboard.press('Enter');
    return label;
  }

  /** Waits until the keyboard focus is in the quick input's text field; fails saying where it is. */
  async waitForQuickInputFocus(timeout = 15000): Promise<void> {
    const focused = (ms: number) =>
      this.page
        .waitForFunction(() => document.activeElement?.matches('.quick-input-widget input') === true, undefined, { timeout: ms })
        .then(
          () => true,
          () => false,
        );
    if (await focused(timeout)) return;
    // VS Code gives a webview its focus back asynchronously (through the iframe) after the
    // palette closes; when that lands after the next quick input took the focus, the webview
    // keeps it. A person clicks into the field then, and so does this (only in that case).
    if (await this.page.evaluate(() => document.activeElement?.matches('iframe.webview') === true)) {
      console.log('[e2e] a webview took the keyboard focus from the quick input (its deferred focus); clicking into the field');
      await this.quickInputBox().click();
      if (await focused(5000)) return;
    }
    const where = await this.page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()}.${el.className} "${el.getAttribute('aria-label') ?? ''}"` : 'nothing';
    });
    throw new Error(`the quick input's text field does not have the keyboard focus (focused: ${where})`);
  }

  /** Selector of the sidebar tree row whose accessible label starts with `prefix` (e.g. "fixture, "). */
  private static rowSelector(prefix: string): string {
    return `.part.sidebar .monaco-list-row[aria-label^=${JSON.stringify(prefix)}]`;
  }

  /** A row of the sidebar tree whose accessible label starts with `prefix` (e.g. "fixture, "). */
  treeRow(prefix: string): Locator {
    return this.page.locator(Workbench.rowSelector(prefix)).first();
  }

  /** Expands (or collapses) a tree row with its twistie, as a person clicks it; no-op when already so. */
  async setExpanded(prefix: string, expanded: boolean): Promise<void> {
    const row = this.treeRow(prefix);
    await row.waitFor({ timeout: 30000 });
    if ((await row.getAttribute('aria-expanded')) === String(expanded)) return;
    await row.locator('.monaco-tl-twistie').click();
    await this.page.waitForFunction(
      ({ sel, want }) => document.querySelector(sel)?.getAttribute('aria-expanded') === want,
      { sel: Workbench.rowSelector(prefix), want: String(expanded) },
      { timeout: 10000 },
    );
  }

  /**
   * Expands a server's row and waits until it runs, allowing its command ("Allow Always") if the
   * launch consent asks. `server` is the row's name, e.g. "survey".
   */
  async expandAndStart(server: string, timeout = 30000): Promise<void> {
    await this.treeRow(`${server}, `).waitFor({ timeout });
    await this.setExpanded(`${server}, `, true);
    const running = this.treeRow(`${server}, Running`);
    await this.dialog().or(running).first().waitFor({ timeout });
    if (await this.dialog().isVisible()) await this.answerDialog(/^Allow Always/);
    await running.waitFor({ timeout });
  }

  /** The modal dialog (e.g. a confirmation), when one is shown. */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Clicks a button of the modal dialog by its label and waits until the dialog is gone. */
  async answerDialog(button: string | RegExp): Promise<void> {
    const dialog = this.dialog();
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: 10000 });
  }

  /** Texts of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    const toasts = this.page.locator('.notification-toast .notification-list-item-message');
    return (await toasts.allInnerTexts()).map((t) => t.trim());
  }

  /** Waits for a notification toast whose text matches, and returns its text. */
  async waitForNotification(match: string | RegExp, timeout = 30000): Promise<string> {
    const toast = this.page.locator('.notification-toast .notification-list-item-message', { hasText: match }).first();
    await toast.waitFor({ timeout });
    return (await toast.innerText()).trim();
  }

  /** Screenshot into test-results/e2e/<name>.png, after animations have settled. */
  async screenshot(name: string): Promise<string> {
    // Mouse away from the activity bar/toolbars, so no hover tooltip is in the picture.
    await this.page.mouse.move(800, 650, { steps: 5 });
    await this.page
      .locator('.workbench-hover-container')
      .first()
      .waitFor({ state: 'hidden', timeout: 2000 })
      .catch(() => {});
    await this.page.waitForTimeout(800);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
