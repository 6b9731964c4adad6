// "Save as Test..." from the result view and from the history, the pure half: the result page's
// button and the message its script posts, and what the history keeps of a result
// (summarizeResult) so an entry of an earlier window prefills the same expectations as the live
// result did (callRecordOf + the core's expectationsFromResult).
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { expectationsFromResult, type CallRecord } from '../../src/core/tests';
import {
  CallHistory,
  HISTORY_KEY,
  HISTORY_MAX_STRUCTURED_CHARS,
  HISTORY_MAX_TEXT_CHARS,
  callRecordOf,
  hasResult,
  summarizeResult,
  type HistoryEntry,
  type MementoLike,
} from '../../src/ui/toolCall/history';
import { renderResult } from '../../src/ui/toolCall/resultFormat';
import { renderResultHtml } from '../../src/ui/toolCall/resultHtml';
import { RESULT_SCRIPT } from '../../src/ui/toolCall/resultScript';

/** The SDK's CallToolResult, named through core (its import path changes with the SDK). */
type CallToolResult = NonNullable<CallRecord['result']>;

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

describe('Save as Test: what the history keeps of a result', () => {
  const memento = (): MementoLike & { data: Map<string, unknown> } => {
    const data = new Map<string, unknown>();
    return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: (k, v) => (data.set(k, v), Promise.resolve()) };
  };
  const live = (result: CallToolResult) => ({ server: 'fx', tool: 't', arguments: { a: 1 }, result });
  /** Stored through a real CallHistory, read back by a new one (an earlier window). */
  async function throughHistory(result: CallToolResult, mask?: (t: string) => string): Promise<HistoryEntry> {
    const m = memento();
    await new CallHistory(m).add({
      id: 'c1',
      server: 'fx',
      tool: 't',
      args: { a: 1 },
      startedAt: 1,
      durationMs: 2,
      status: result.isError ? 'isError' : 'ok',
      result: summarizeResult(result, mask),
    });
    // What workspaceState holds is JSON.
    m.data.set(HISTORY_KEY, JSON.parse(JSON.stringify(m.data.get(HISTORY_KEY))));
    const entry = new CallHistory(m).get('c1');
    assert.ok(entry);
    return entry;
  }

  const results: [string, CallToolResult][] = [
    ['text', { content: [{ type: 'text', text: '  Echo: hi\nsecond line' }] }],
    ['structured', { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3, parts: [1, 2] } }],
    [
      'isError with structured content',
      { content: [{ type: 'text', text: 'failed on purpose' }], structuredContent: { x: 1 }, isError: true },
    ],
    ['a long first line', { content: [{ type: 'text', text: `${'word '.repeat(300)}\nmore` }] }],
    ['an embedded text resource', { content: [{ type: 'resource', resource: { uri: 'file:///r', text: 'from a resource' } }] }],
    ['no text', { content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] }],
    ['empty', { content: [] }],
  ];
  for (const [what, result] of results) {
    it(`prefills what the live result would: ${what}`, async () => {
      const entry = await throughHistory(result);
      const record = callRecordOf(entry);
      assert.ok(record);
      assert.deepEqual(expectationsFromResult(record), expectationsFromResult(live(result)));
      assert.deepEqual(record.arguments, { a: 1 });
    });
  }

  it('is bounded: a long text keeps its start, large structured content is left out (the text prefills)', async () => {
    const long = summarizeResult({ content: [{ type: 'text', text: 'x'.repeat(50_000) }] });
    assert.equal(long?.text?.length, HISTORY_MAX_TEXT_CHARS);
    const big = {
      content: [{ type: 'text' as const, text: 'Listed 1000 rows' }],
      structuredContent: { rows: 'r'.repeat(HISTORY_MAX_STRUCTURED_CHARS) },
    };
    assert.deepEqual(summarizeResult(big), { text: 'Listed 1000 rows' });
    assert.deepEqual(expectationsFromResult(callRecordOf(await throughHistory(big))!), { isError: false, contains: 'Listed 1000 rows' });
    const entry = await throughHistory(big);
    assert.ok(JSON.stringify(entry).length < 1000, 'the stored entry stays small');
  });

  it('keeps no part that holds a secret the server masks', () => {
    const mask = (t: string) => t.replaceAll('s3cret', '••••••••');
    assert.equal(
      summarizeResult({ content: [{ type: 'text', text: 'token=s3cret' }], structuredContent: { token: 's3cret' } }, mask),
      undefined,
    );
    assert.deepEqual(summarizeResult({ content: [{ type: 'text', text: 'ok' }], structuredContent: { token: 's3cret' } }, mask), {
      text: 'ok',
    });
  });

  it('an entry without a summary (an older window) gets only isError; none without arguments or a result', () => {
    const old: HistoryEntry = { id: 'o', server: 'fx', tool: 't', args: {}, startedAt: 1, durationMs: 1, status: 'isError' };
    assert.deepEqual(expectationsFromResult(callRecordOf(old)!), { isError: true });
    assert.deepEqual(callRecordOf({ ...old, result: 'garbage' as never }), { server: 'fx', tool: 't', arguments: {}, isError: true });
    assert.equal(callRecordOf({ ...old, args: undefined, argsOmitted: true }), undefined);
    assert.equal(callRecordOf({ ...old, status: 'error' }), undefined);
    // So the history offers "Save as Test..." only on calls that returned a result.
    assert.deepEqual(
      (['ok', 'isError', 'error', 'cancelled'] as const).filter((status) => hasResult({ status })),
      ['ok', 'isError'],
    );
  });
});
