// Webviews in the workbench: each is an iframe holding another iframe with the page itself, so
// Playwright reaches a page through page.frames(). Shared by the e2e files.
import type { Frame, Page } from 'playwright-core';

/** The frame of the (first) webview page that has an element matching `selector`; waits until one does. */
export async function webviewFrame(page: Page, selector: string, timeout = 30000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const n = await f
        .locator(selector)
        .count()
        .catch(() => 0);
      if (n > 0) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview page with ${selector} within ${timeout} ms`);
    // Frames appear as the webview loads; there is no event to wait on across nested iframes.
    await page.waitForTimeout(250);
  }
}
