// "Save as Test..." from the result view, the pure half: the result page's button and the message
// its script posts.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { renderResult } from '../../src/ui/toolCall/resultFormat';
import { renderResultHtml } from '../../src/ui/toolCall/resultHtml';
import { RESULT_SCRIPT } from '../../src/ui/toolCall/resultScript';

const page = (saveAsTest?: boolean) =>
  renderResultHtml({
    nonce: 'n',
    model: renderResult({ content: [{ type: 'text', text: 'Echo: hi' }] }, { server: 'fx', tool: 'echo', args: { message: 'hi' } }),
    saveAsTest,
  });

/** Runs the page script against a minimal DOM; returns what it posted when `button` is clicked. */
function clickInPage(button: Record<string, string>): unknown[] {
  const posted: unknown[] = [];
  let onClick: ((e: unknown) => void) | undefined;
  const noop = () => undefined;
  const context = {
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m) }),
    document: {
      getElementById: () => ({ textContent: '' }),
      addEventListener: (type: string, f: (e: unknown) => void) => {
        if (type === 'click') onClick = f;
      },
    },
    window: { addEventListener: noop },
    setTimeout: noop,
    clearTimeout: noop,
  };
  vm.runInNewContext(RESULT_SCRIPT, context);
  const el = { getAttribute: (name: string) => button[name] ?? null };
  assert.ok(onClick, 'the script listens for clicks');
  onClick({ target: { closest: (sel: string) => (sel === '[data-action]' ? el : null) }, preventDefault: noop });
  // Objects of the script's own realm: compared as JSON.
  return JSON.parse(JSON.stringify(posted)) as unknown[];
}

function attributesOf(html: string, action: string): Record<string, string> {
  const tag = new RegExp(`<button [^>]*data-action="${action}"[^>]*>([^<]*)</button>`).exec(html);
  assert.ok(tag, `no button with data-action="${action}"`);
  const attrs: Record<string, string> = { label: tag[1]! };
  for (const m of tag[0].matchAll(/ ([a-z-]+)="([^"]*)"/g)) attrs[m[1]!] = m[2]!;
  return attrs;
}

describe('Save as Test: the result view button', () => {
  it('is a native button in the header bar, beside the raw JSON ones, when the call can be saved', () => {
    const html = page(true);
    const bar = /<div class="bar">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    const attrs = attributesOf(bar, 'saveAsTest');
    assert.equal(attrs.label, 'Save as Test...');
    // A real <button> (Tab reaches it, Enter and Space press it), themed like the others.
    assert.equal(attrs.type, 'button');
    assert.equal(attrs.class, 'secondary');
    assert.equal(attributesOf(bar, 'toggleRaw').class, 'secondary');
    assert.ok(!('tabindex' in attrs) && !('disabled' in attrs));
    assert.match(attrs.title ?? '', /test collection/);
    assert.match(
      html,
      /button\.secondary \{ color: var\(--vscode-button-secondaryForeground\); background: var\(--vscode-button-secondaryBackground\)/,
    );
    assert.match(html, /button:focus-visible[^{]*\{ outline: 1px solid var\(--vscode-focusBorder\)/);
  });

  it('is not offered without a call to save', () => {
    assert.doesNotMatch(page(), /data-action="saveAsTest"/);
    assert.doesNotMatch(page(false), /data-action="saveAsTest"/);
  });

  it('posts only "saveAsTest": the extension knows the call, the page chooses no file', () => {
    assert.deepEqual(clickInPage(attributesOf(page(true), 'saveAsTest')), [{ type: 'saveAsTest' }]);
    // The other buttons still post what they did.
    assert.deepEqual(clickInPage({ 'data-action': 'copy', 'data-target': 'raw' }), [{ type: 'copy', target: 'raw', n: 0 }]);
  });
});
