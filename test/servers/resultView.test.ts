// The tool result view's pure half (src/ui/toolCall): what a result page shows (resultFormat.ts),
// its HTML with escaping and CSP (resultHtml.ts), the Markdown subset (markdown.ts) and the page
// script. Rich results come from the real fixture server (FIXTURE_RICH=1) over stdio.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServerConnection } from '../../src/core';
import { renderInline, renderMarkdown } from '../../src/ui/toolCall/markdown';
import { looksLikeMarkdown, maskSecrets, prettyJson, renderResult } from '../../src/ui/toolCall/resultFormat';
import { jsonTreeHtml, mediaSrc, renderResultHtml } from '../../src/ui/toolCall/resultHtml';
import { RESULT_SCRIPT } from '../../src/ui/toolCall/resultScript';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger } from '../unit/helpers';

const opts = { server: 'fixture', tool: 'echo' };
const page = (result: CallToolResult, o: Partial<Parameters<typeof renderResult>[1]> = {}) =>
  renderResultHtml({ nonce: 'N0NCE', model: renderResult(result, { ...opts, ...o }) });
/** The page without its script and style (their source holds words the assertions look for). */
const body = (html: string) => html.replace(/<script nonce[\s\S]*?<\/script>/, '').replace(/<style[\s\S]*?<\/style>/, '');

describe('toolCall: result view layout', () => {
  it('shows the arguments sent (secret-looking values masked) and a text block', () => {
    const r = renderResult(
      { content: [{ type: 'text', text: 'Echo: hi' }] },
      { ...opts, args: { message: 'hi', apiKey: 'sk-123', nested: { password: 'p' } } },
    );
    assert.equal(r.summary, 'Echo: hi');
    assert.deepEqual(JSON.parse(r.argsJson), { message: 'hi', apiKey: '••••••••', nested: { password: '••••••••' } });
    assert.deepEqual(r.blocks, [{ kind: 'text', n: 1, format: 'plain', text: 'Echo: hi', bytes: 8, cut: false, doc: undefined }]);
    const html = body(renderResultHtml({ nonce: 'n', model: r }));
    assert.match(html, /<h2 id="h-args">Arguments<\/h2>/);
    assert.match(
      html,
      /<span class="j-key">&quot;message&quot;<\/span><span class="j-punct">: <\/span><span class="j-str">&quot;hi&quot;<\/span>/,
    );
    assert.ok(!html.includes('sk-123'), 'the secret is not on the page');
    assert.match(html, /<pre id="b1-src" class="src">Echo: hi<\/pre>/);
    assert.deepEqual(
      maskSecrets({ max_tokens: 5, token: 't' }, (k) => k === 'token'),
      { max_tokens: 5, token: '••••••••' },
    );
  });

  it('renders Markdown (escaped) with its source one click away, and JSON text as a foldable tree', () => {
    const md = '# Title\n\nSome **bold** and `code`.\n\n- a\n- b\n\n<img src=x onerror=alert(1)>';
    assert.ok(looksLikeMarkdown(md));
    assert.ok(!looksLikeMarkdown('Echo: hello world'));
    const html = body(
      page({
        content: [
          { type: 'text', text: md },
          { type: 'text', text: '{"a":[1,2],"b":{"c":null}}' },
        ],
      }),
    );
    assert.match(
      html,
      /<div id="b1-view"><div class="md"><h2 class="md-h">Title<\/h2>\n<p>Some <strong>bold<\/strong> and <code>code<\/code>\.<\/p>\n<ul><li>a<\/li><li>b<\/li><\/ul>\n<p>&lt;img src=x onerror=alert\(1\)&gt;<\/p><\/div><\/div>/,
    );
    assert.match(html, /<pre id="b1-src" class="src" hidden>/);
    assert.match(html, /data-action="toggleSource" data-id="b1" aria-pressed="false">Show Source</);
    assert.match(html, /<h3 id="b2-title">2\. Text<\/h3><span class="meta">JSON · 26 B<\/span>/);
    assert.match(
      html,
      /<details class="j-node" open><summary><span class="j-punct">\{<\/span><span class="j-count">2 keys<\/span><\/summary>/,
    );
    assert.equal(prettyJson('not json {'), undefined);
  });

  it('shows structured content once (a text block repeating it is not shown twice), the schema only on request', () => {
    const outputSchema = { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] };
    const ok = renderResult(
      { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 } },
      { ...opts, tool: 'add', outputSchema },
    );
    assert.deepEqual(ok.structuredIssues, []);
    const html = body(renderResultHtml({ nonce: 'n', model: ok }));
    const shown = html
      .replace(/<section id="raw"[\s\S]*?<\/section>/, '')
      .replace(/<details class="sub" id="schema">[\s\S]*?<\/details>/, '');
    assert.equal((shown.match(/&quot;sum&quot;/g) ?? []).length, 1, 'the value once (the schema is folded, the raw JSON hidden)');
    assert.doesNotMatch(html, /id="b1-view"|id="b1-src"/);
    assert.match(html, /<section id="raw" aria-labelledby="h-raw" hidden>/);
    assert.match(html, /JSON, the same as the structured content below/);
    assert.match(html, /Matches the tool's output schema\./);
    assert.match(html, /<details class="sub" id="schema"><summary>Output schema<\/summary>/);
    assert.doesNotMatch(html, /<details class="sub" id="schema" open/);
    const bad = body(page({ content: [], structuredContent: { sum: 'x' } }, { tool: 'add', outputSchema }));
    assert.match(bad, /Does not match the tool's output schema:<\/strong>\n\/sum: must be number/);
    const none = body(page({ content: [{ type: 'text', text: '5' }], structuredContent: { sum: 5 } }));
    assert.match(none, /The tool declares no output schema\./);
  });

  it('embeds only clean base64 images and audio; images get zoom buttons', () => {
    const html = body(
      page({
        content: [
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
          { type: 'image', data: '"><script>alert(1)</script>', mimeType: 'image/png' },
          { type: 'image', data: 'PHN2Zz4=', mimeType: 'image/svg+xml' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        ],
      }),
    );
    assert.equal((html.match(/<img /g) ?? []).length, 1);
    assert.match(html, /<img id="b1-img" class="fit" src="data:image\/png;base64,iVBORw0KGgo=" alt="1\. Image \(image\/png, 8 B\)">/);
    assert.match(html, /data-action="zoom" data-id="b1" data-step="1" aria-label="Zoom in on 1\. Image/);
    assert.equal(
      (html.match(/Not shown: the data is not valid base64 image/g) ?? []).length,
      2,
      'bad base64 and SVG (scriptable) are not embedded',
    );
    assert.match(html, /<audio controls src="data:audio\/wav;base64,AAAA" aria-label="4\. Audio \(audio\/wav, 3 B\)"><\/audio>/);
    assert.ok(!html.includes('<script'));
    assert.equal(mediaSrc('image', 'text/html', 'PGI+'), undefined);
  });

  it('makes resource links and embedded resources actionable, text blobs decoded', () => {
    const r = renderResult(
      {
        content: [
          { type: 'resource_link', uri: 'fixture://readme', name: 'readme', title: 'Readme', mimeType: 'text/plain' },
          { type: 'resource_link', uri: 'https://example.com/x', name: 'web' },
          { type: 'resource', resource: { uri: 'fixture://item/1', mimeType: 'application/json', text: '{"id":"1"}' } },
          {
            type: 'resource',
            resource: { uri: 'demo://blob/2', mimeType: 'text/plain', blob: Buffer.from('text in a blob').toString('base64') },
          },
          { type: 'resource', resource: { uri: 'demo://bin', mimeType: 'application/octet-stream', blob: 'AAEC' } },
        ],
      },
      { ...opts, tool: 'links' },
    );
    assert.deepEqual(
      r.docs.map((d) => d.name),
      ['links (fixture) 1.json', 'links (fixture) 2.txt', 'links (fixture) result.json'],
    );
    assert.equal(r.docs[0].text, '{\n  "id": "1"\n}');
    assert.equal(r.docs[1].text, 'text in a blob');
    const html = body(renderResultHtml({ nonce: 'n', model: r }));
    assert.match(
      html,
      /<button type="button" class="link" data-action="openResource" data-uri="fixture:\/\/readme" [^>]*>Readme<\/button>/,
    );
    assert.match(html, /data-action="openExternal" data-uri="https:\/\/example\.com\/x"/);
    assert.match(
      html,
      /3\. Embedded resource<\/h3><span class="meta">application\/json · 10 B<\/span>.*data-action="openDoc" data-doc="0"/,
    );
    assert.match(html, /<pre id="b4-src" class="src">text in a blob<\/pre>/);
    assert.match(html, /5\. Embedded binary resource<\/h3><span class="meta">application\/octet-stream · 3 B/);
  });

  it('cuts large text on the page only: the full text is a document opened beside it, and a size note says so', () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const single = renderResult({ content: [{ type: 'text', text: big }] }, { ...opts, tool: 'big' });
    assert.deepEqual(single.openDocs, [0]);
    assert.equal(single.docs[0].name, 'big (fixture).txt');
    assert.equal(single.docs[0].text.length, big.length);
    const block = single.blocks[0];
    assert.ok(block.kind === 'text' && block.cut && block.text.length === 256 * 1024);
    assert.match(
      single.sizeNote ?? '',
      /returned 2\.0 MiB; the full text is open in an editor beside the result \(nothing was truncated\)/,
    );
    assert.ok(single.rawCut && single.raw.length < 300 * 1024, 'the raw JSON is cut on the page too');
    assert.equal(JSON.parse(single.docs[single.rawDoc].text).content[0].text.length, big.length);
    const twice = renderResult(
      {
        content: [
          { type: 'text', text: big },
          { type: 'text', text: big },
        ],
      },
      { ...opts, tool: 'big' },
    );
    assert.deepEqual(
      twice.docs.slice(0, 2).map((d) => d.name),
      ['big (fixture) text.txt', 'big (fixture) text 2.txt'],
    );
    assert.equal(renderResult({ content: [{ type: 'text', text: 'small' }] }, opts).sizeNote, undefined);
    assert.ok(renderResultHtml({ nonce: 'n', model: single }).length < 1024 * 1024);
  });

  it('has a strict CSP (nonce, data: media only) and cannot be broken out of by server text', () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(1)>"\'';
    const html = renderResultHtml({
      nonce: 'N0NCE',
      model: renderResult(
        {
          content: [
            { type: 'text', text: evil },
            { type: 'resource_link', uri: evil, name: evil, description: evil },
            { type: 'resource', resource: { uri: evil, mimeType: evil, text: evil } },
          ],
          structuredContent: { [evil]: evil },
        },
        { server: evil, tool: evil, args: { [evil]: evil }, outputSchema: { description: evil } },
      ),
    });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; media-src data:; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';">/,
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the page script');
    assert.ok(!html.includes('<img'), 'no element from server text');
    assert.doesNotMatch(html, /\b(src|href)=["']?(https?:)?\/\//i);
    assert.match(html, /var\(--vscode-textLink-foreground\)/);
  });

  it('ships a page script that compiles', () => {
    assert.doesNotThrow(() => new vm.Script(RESULT_SCRIPT));
  });

  it('renders a real rich result from the fixture: every content type, in order', async function () {
    this.timeout(30_000);
    const c = new ServerConnection(definition('fx', { command: NODE, args: [FIXTURE_SERVER], env: { FIXTURE_RICH: '1' } }), {
      timing: fastTiming,
      logger: recordingLogger(),
    });
    try {
      const result = await c.callTool('rich', { note: 'n' });
      const model = renderResult(result, { server: 'fx', tool: 'rich', args: { note: 'n' } });
      assert.deepEqual(
        model.blocks.map((b) => `${b.kind}${b.kind === 'text' ? `:${b.format}` : ''}`),
        ['text:markdown', 'text:json', 'image', 'audio', 'link', 'resource', 'resource'],
      );
      const html = body(renderResultHtml({ nonce: 'n', model }));
      assert.match(html, /<h2 class="md-h">Report<\/h2>/);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'raw HTML in Markdown stays text');
      assert.match(html, /<audio controls src="data:audio\/wav;base64,/);
      assert.match(html, /<pre id="b7-src" class="src">Text sent as a blob\.<\/pre>/);
      const structured = renderResult(await c.callTool('structured', {}), { server: 'fx', tool: 'structured' });
      assert.equal(structured.summary, 'structured content');
      assert.match(body(renderResultHtml({ nonce: 'n', model: structured })), /No content blocks\..*Structured content/s);
    } finally {
      await c.dispose();
    }
  });
});

describe('toolCall: Markdown subset', () => {
  it('escapes first: raw HTML and attributes stay text', () => {
    assert.equal(renderMarkdown('<b onclick="x">hi</b>'), '<p>&lt;b onclick=&quot;x&quot;&gt;hi&lt;/b&gt;</p>');
    assert.equal(renderInline('[x](javascript:alert(1))'), 'x <span class="md-url">(javascript:alert(1)</span>)');
  });

  it('links open through the extension (web links only); images are not loaded', () => {
    assert.equal(
      renderInline('[docs](https://example.com/a?b=1&c=2)'),
      '<a href="#" class="md-link" data-action="openExternal" data-url="https://example.com/a?b=1&amp;c=2" title="https://example.com/a?b=1&amp;c=2">docs</a>',
    );
    assert.equal(
      renderInline('![logo](https://example.com/logo.png)'),
      '<span class="md-img" title="image not loaded">[image: logo]</span>',
    );
  });

  it('fences, headings, lists, quotes, tables and rules', () => {
    assert.equal(renderMarkdown('```js\nif (a < b) {}\n```'), '<pre class="md-code" data-lang="js"><code>if (a &lt; b) {}</code></pre>');
    assert.equal(renderMarkdown('## Two'), '<h3 class="md-h">Two</h3>');
    assert.equal(renderMarkdown('1. one\n2. *two*'), '<ol><li>one</li><li><em>two</em></li></ol>');
    assert.equal(renderMarkdown('> quoted'), '<blockquote><p>quoted</p></blockquote>');
    assert.equal(
      renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |'),
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
    );
    assert.equal(renderMarkdown('---'), '<hr>');
    assert.equal(renderInline('a `<b>` c'), 'a <code>&lt;b&gt;</code> c');
  });

  it('folds JSON deeper than two levels and colours values by type', () => {
    const html = jsonTreeHtml({ a: { b: { c: [1, 'x', true, null] } } });
    assert.equal((html.match(/<details class="j-node" open>/g) ?? []).length, 2);
    assert.equal((html.match(/<details class="j-node">/g) ?? []).length, 2);
    assert.match(
      html,
      /<span class="j-num">1<\/span>.*<span class="j-str">&quot;x&quot;<\/span>.*<span class="j-bool">true<\/span>.*<span class="j-null">null<\/span>/,
    );
  });
});
