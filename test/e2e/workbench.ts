// Helpers for end-to-end tests: drive the real VS Code workbench (code-server, started by
// scripts/run-e2e.mjs with the packaged .vsix installed) in Debian's headless Chromium, the way a
// person uses it. The runner passes the server in MCPM_E2E_URL and the workspace in
// MCPM_E2E_WORKSPACE.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const RESULTS_DIR = path.resolve(process.env.MCPM_E2E_RESULTS ?? 'test-results/e2e');

// Same flags as scripts/code-server-host.mjs: offline Chromium, no sandbox (root), no GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

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
      await page.goto(url.toString());
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
    if (!(await title.isVisible())) {
      await item.click(); // (only when closed: clicking an open container closes it)
      await this.page.mouse.move(800, 650, { steps: 5 }); // leave before its hover tooltip shows
    }
    await title.waitFor({ timeout: 30000 });
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
    await this.page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
    await this.page.waitForTimeout(800);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
