// The tool result view's page (a webview): the arguments sent, each content block rendered
// (Markdown, foldable JSON, images with zoom, playable audio, resource links and embedded resources
// that open through the extension), structuredContent once, the output schema on request, copy
// buttons and the raw JSON. Pure (no `vscode`), so layout, escaping and the CSP are unit-tested.
//
// Server text is untrusted: every string is HTML-escaped (Markdown via markdown.ts, which escapes
// first); images and audio are data: URIs of clean base64 only; the page loads nothing else (CSP
// default-src 'none', its one script and style by nonce). Colours come from --vscode-* variables.
import { renderMarkdown } from './markdown';
import { RESULT_SCRIPT } from './resultScript';
import { formatBytes, prettyJson, type RenderedResult, type ResultBlock } from './resultFormat';
import { escapeHtml } from './webviewHtml';

/** JSON above this many characters is shown as text, not as a foldable tree (the DOM would be huge). */
export const MAX_TREE_CHARS = 200_000;
/** Levels of a JSON tree open at first; deeper ones are folded. */
const OPEN_LEVELS = 2;

const MEDIA_MIME = /^(image|audio)\/[A-Za-z0-9.+-]+$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** A data: URI for clean base64 of an image/audio type, else undefined (listed, not embedded). */
export function mediaSrc(kind: 'image' | 'audio', mimeType: string, data: string): string | undefined {
  if (!MEDIA_MIME.test(mimeType) || !mimeType.toLowerCase().startsWith(kind) || !BASE64.test(data) || /svg/i.test(mimeType))
    return undefined;
  return `data:${mimeType};base64,${data.replace(/\s/g, '')}`;
}

/** A JSON value as nested <details> (objects and arrays fold), primitives coloured by type. */
export function jsonTreeHtml(value: unknown, depth = 0): string {
  if (value === null) return '<span class="j-null">null</span>';
  switch (typeof value) {
    case 'string':
      return `<span class="j-str">${escapeHtml(JSON.stringify(value))}</span>`;
    case 'number':
      return `<span class="j-num">${escapeHtml(String(value))}</span>`;
    case 'boolean':
      return `<span class="j-bool">${value}</span>`;
    case 'object': {
      const isArray = Array.isArray(value);
      const entries: [string, unknown][] = isArray
        ? (value as unknown[]).map((v, i) => [String(i), v])
        : Object.entries(value as Record<string, unknown>);
      const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) return `<span class="j-punct">${open}${close}</span>`;
      const count = isArray
        ? `${entries.length} item${entries.length === 1 ? '' : 's'}`
        : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
      const rows = entries
        .map(
          ([k, v]) =>
            `<div class="j-row">${isArray ? `<span class="j-idx">${k}</span>` : `<span class="j-key">${escapeHtml(JSON.stringify(k))}</span><span class="j-punct">: </span>`}${jsonTreeHtml(v, depth + 1)}</div>`,
        )
        .join('');
      return `<details class="j-node"${depth < OPEN_LEVELS ? ' open' : ''}><summary><span class="j-punct">${open}</span><span class="j-count">${count}</span></summary><div class="j-body">${rows}</div><span class="j-punct">${close}</span></details>`;
    }
    default:
      return `<span class="j-null">${escapeHtml(String(value))}</span>`;
  }
}

/** Pretty JSON text as a foldable tree when it parses and is small enough, else as text. */
function jsonView(text: string): string {
  if (text.length <= MAX_TREE_CHARS) {
    try {
      return `<div class="j-tree">${jsonTreeHtml(JSON.parse(text))}</div>`;
    } catch {
      // not JSON after all: shown as text
    }
  }
  return `<pre>${escapeHtml(text)}</pre>`;
}

/** A text (or text resource) body: rendered view plus its source, toggled by the block's button. */
function textBody(id: string, text: string, format: 'markdown' | 'json' | 'plain'): string {
  if (format === 'plain') return `<pre id="${id}-src" class="src">${escapeHtml(text)}</pre>`;
  const rendered = format === 'markdown' ? `<div class="md">${renderMarkdown(text)}</div>` : jsonView(text);
  return `<div id="${id}-view">${rendered}</div><pre id="${id}-src" class="src" hidden>${escapeHtml(text)}</pre>`;
}

function button(label: string, attrs: Record<string, string | number | undefined>, cls = 'secondary'): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join('');
  return `<button type="button" class="${cls}"${a}>${escapeHtml(label)}</button>`;
}

const FORMAT_NAME = { markdown: 'Markdown', json: 'JSON', plain: 'text' } as const;

/** The same JSON as structuredContent (servers often send it twice, as text for older clients)? */
function repeatsStructured(text: string, structured: string | undefined): boolean {
  if (structured === undefined) return false;
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  return (prettyJson(t) ?? t) === structured;
}

function blockHtml(b: ResultBlock, model: RenderedResult): string {
  const id = `b${b.n}`;
  const head = (title: string, meta: string, actions: string) =>
    `<div class="block-head"><h3 id="${id}-title">${b.n}. ${escapeHtml(title)}</h3><span class="meta">${escapeHtml(meta)}</span><span class="tools">${actions}</span></div>`;
  const copy = button('Copy', { 'data-action': 'copy', 'data-target': 'block', 'data-n': b.n, 'aria-label': `Copy block ${b.n}` });
  switch (b.kind) {
    case 'text': {
      if (repeatsStructured(b.text, model.structured)) {
        return `<section class="block" aria-labelledby="${id}-title">${head('Text', 'JSON, the same as the structured content below', copy)}</section>`;
      }
      const toggle =
        b.format === 'plain' ? '' : button('Show Source', { 'data-action': 'toggleSource', 'data-id': id, 'aria-pressed': 'false' });
      const open = b.doc !== undefined ? button('Open in Editor', { 'data-action': 'openDoc', 'data-doc': b.doc }) : '';
      const cut = b.cut
        ? `<p class="note">Showing the first ${formatBytes(b.text.length)} of ${formatBytes(b.bytes)}; the full text is open in an editor (nothing was truncated).</p>`
        : '';
      return `<section class="block" aria-labelledby="${id}-title">${head('Text', `${FORMAT_NAME[b.format]} · ${formatBytes(b.bytes)}`, toggle + copy + open)}${cut}${textBody(id, b.text, b.format)}</section>`;
    }
    case 'image':
    case 'audio':
      return `<section class="block" aria-labelledby="${id}-title">${head(b.kind === 'image' ? 'Image' : 'Audio', `${b.mimeType} · ${formatBytes(b.bytes)}`, '')}${mediaHtml(id, b.kind, b.mimeType, b.data, `${b.n}. ${b.label}`)}</section>`;
    case 'link': {
      const action = b.external ? 'openExternal' : 'openResource';
      const meta = [b.mimeType, b.external ? 'opens in the browser' : 'read from the server when opened'].filter(Boolean).join(' · ');
      const linkButton = `<button type="button" class="link" data-action="${action}" data-uri="${escapeHtml(b.uri)}" data-url="${escapeHtml(b.uri)}" data-mime="${escapeHtml(b.mimeType ?? '')}" title="${escapeHtml(b.uri)}">${escapeHtml(b.label)}</button>`;
      return `<section class="block" aria-labelledby="${id}-title">${head('Resource link', meta, button('Copy URI', { 'data-action': 'copy', 'data-target': 'block', 'data-n': b.n }))}<p>${linkButton} <span class="mono meta">${escapeHtml(b.uri)}</span></p>${b.description ? `<p class="desc">${escapeHtml(b.description)}</p>` : ''}</section>`;
    }
    case 'resource': {
      const meta = `${b.mimeType} · ${formatBytes(b.bytes)}`;
      const uri = `<p class="mono meta">${escapeHtml(b.uri)}</p>`;
      if (b.text !== undefined) {
        const toggle =
          b.format && b.format !== 'plain'
            ? button('Show Source', { 'data-action': 'toggleSource', 'data-id': id, 'aria-pressed': 'false' })
            : '';
        const open = b.doc !== undefined ? button('Open in Editor', { 'data-action': 'openDoc', 'data-doc': b.doc }) : '';
        const cut = b.cut ? `<p class="note">Showing the start; Open in Editor shows all ${formatBytes(b.bytes)}.</p>` : '';
        return `<section class="block" aria-labelledby="${id}-title">${head('Embedded resource', meta, toggle + copy + open)}${uri}${cut}${textBody(id, b.text, b.format ?? 'plain')}</section>`;
      }
      if (b.media && b.data !== undefined) {
        return `<section class="block" aria-labelledby="${id}-title">${head('Embedded resource', meta, '')}${uri}${mediaHtml(id, b.media, b.mimeType, b.data, `${b.n}. ${b.uri}`)}</section>`;
      }
      return `<section class="block" aria-labelledby="${id}-title">${head('Embedded binary resource', meta, '')}${uri}<p class="desc">Binary data, not shown; the raw JSON has its base64.</p></section>`;
    }
    case 'other':
      return `<section class="block" aria-labelledby="${id}-title">${head(`Content of type "${b.type}"`, 'not a known MCP content type', copy)}${jsonView(b.json)}</section>`;
  }
}

function mediaHtml(id: string, kind: 'image' | 'audio', mimeType: string, data: string, label: string): string {
  const src = mediaSrc(kind, mimeType, data);
  if (!src)
    return `<p class="desc">Not shown: the data is not valid base64 ${escapeHtml(kind)} of a supported type (${escapeHtml(mimeType)}).</p>`;
  if (kind === 'audio') return `<audio controls src="${escapeHtml(src)}" aria-label="${escapeHtml(label)}"></audio>`;
  const zoom = [
    button('Zoom Out', { 'data-action': 'zoom', 'data-id': id, 'data-step': '-1', 'aria-label': `Zoom out of ${label}` }),
    button('Fit', { 'data-action': 'zoom', 'data-id': id, 'data-step': '0', 'aria-label': `Fit ${label} to the view` }),
    button('Zoom In', { 'data-action': 'zoom', 'data-id': id, 'data-step': '1', 'aria-label': `Zoom in on ${label}` }),
  ].join('');
  return `<figure class="media"><div class="img-wrap"><img id="${id}-img" class="fit" src="${escapeHtml(src)}" alt="${escapeHtml(label)}"></div><figcaption><span class="tools">${zoom}</span> <span id="${id}-zoom" class="meta" aria-live="polite"></span></figcaption></figure>`;
}

const PAGE_CSS = `
  :root { color-scheme: light dark; }
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 32px; max-width: 1100px; line-height: 1.45; }
  [hidden] { display: none !important; }
  h1 { font-size: 1.35em; font-weight: 600; margin: 16px 0 2px; }
  h2 { font-size: 1.1em; font-weight: 600; margin: 22px 0 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); padding-bottom: 3px; }
  h3 { font-size: 1em; font-weight: 600; margin: 0; }
  .mono, pre, code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  .meta, .desc { color: var(--vscode-descriptionForeground); }
  .desc { white-space: pre-wrap; }
  .bar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
  .badge { border-radius: 3px; padding: 1px 6px; font-size: 0.9em; }
  .badge.err { color: var(--vscode-inputValidation-errorForeground, var(--vscode-errorForeground)); background: var(--vscode-inputValidation-errorBackground); border: 1px solid var(--vscode-inputValidation-errorBorder); }
  .badge.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); border: 1px solid currentColor; }
  .block { border: 1px solid var(--vscode-panel-border, #8884); border-radius: 3px; padding: 8px 12px; margin: 10px 0; }
  .block-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 6px; }
  .block-head .tools, figcaption .tools { margin-left: auto; display: inline-flex; gap: 6px; }
  pre { white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); padding: 8px; margin: 6px 0; max-height: 70vh; overflow: auto; }
  code { background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 2px; }
  pre code { background: none; padding: 0; }
  .note { border-left: 3px solid var(--vscode-textLink-foreground); padding: 2px 8px; color: var(--vscode-descriptionForeground); }
  .issues { border-left: 3px solid var(--vscode-inputValidation-errorBorder); padding: 2px 8px; white-space: pre-wrap; }
  button { font-family: inherit; font-size: 0.95em; padding: 2px 10px; border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; cursor: pointer; }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button.link, a.md-link { color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; text-decoration: underline; cursor: pointer; font-size: inherit; }
  button.link:hover, a.md-link:hover { color: var(--vscode-textLink-activeForeground); }
  button:focus-visible, a:focus-visible, summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
  .md h2, .md h3, .md h4, .md h5, .md h6 { border: none; margin: 12px 0 4px; }
  .md table { border-collapse: collapse; margin: 6px 0; }
  .md th, .md td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 8px; }
  .md blockquote { border-left: 3px solid var(--vscode-textBlockQuote-border, #8888); margin: 6px 0; padding: 0 10px; background: var(--vscode-textBlockQuote-background); }
  .md .md-url, .md .md-img { color: var(--vscode-descriptionForeground); }
  .j-tree { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background); padding: 6px 8px; max-height: 70vh; overflow: auto; }
  .j-body { padding-left: 18px; border-left: 1px dotted var(--vscode-tree-indentGuidesStroke, #8886); }
  .j-node > summary { cursor: pointer; list-style-position: inside; }
  .j-node:not([open]) > .j-punct { display: none; }
  .j-node[open] > summary .j-count { display: none; }
  .j-count { color: var(--vscode-descriptionForeground); margin-left: 4px; font-style: italic; }
  .j-key { color: var(--vscode-symbolIcon-propertyForeground, var(--vscode-debugTokenExpression-name, inherit)); }
  .j-idx { color: var(--vscode-descriptionForeground); margin-right: 8px; }
  .j-str { color: var(--vscode-debugTokenExpression-string, inherit); word-break: break-word; }
  .j-num { color: var(--vscode-debugTokenExpression-number, inherit); }
  .j-bool, .j-null { color: var(--vscode-debugTokenExpression-boolean, inherit); }
  figure.media { margin: 6px 0; }
  .img-wrap { max-height: 70vh; overflow: auto; }
  img { display: block; background: repeating-conic-gradient(#8883 0% 25%, transparent 0% 50%) 50% / 16px 16px; border: 1px solid var(--vscode-panel-border, #8884); }
  img.fit { max-width: 100%; max-height: 60vh; min-width: 48px; min-height: 48px; object-fit: contain; image-rendering: pixelated; }
  figcaption { display: flex; gap: 8px; align-items: center; margin-top: 4px; }
  audio { width: min(100%, 480px); }
  #status { position: fixed; right: 16px; bottom: 12px; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); border: 1px solid var(--vscode-widget-border, #8884); padding: 3px 10px; border-radius: 3px; }
  #status:empty { display: none; }
  details.sub > summary { cursor: pointer; color: var(--vscode-textLink-foreground); margin: 6px 0; }
`;

export interface ResultHtmlOptions {
  readonly nonce: string;
  readonly model: RenderedResult;
  /** When the call was made, shown in the header ("12:03:04"). */
  readonly when?: string;
  /** Offer "Save as Test..." (the page posts `saveAsTest`; the extension knows the call). */
  readonly saveAsTest?: boolean;
}

/** The whole page. Every server-provided string goes through escapeHtml (or renderMarkdown, which escapes). */
export function renderResultHtml(o: ResultHtmlOptions): string {
  const m = o.model;
  const { nonce } = o;
  const meta = [
    `server ${m.server}`,
    o.when,
    m.durationMs !== undefined ? `${Math.round(m.durationMs)} ms` : undefined,
    formatBytes(m.bytes),
    `${m.blocks.length} content block${m.blocks.length === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const status = m.isError ? '<span class="badge err">isError: the tool reported a failure</span>' : '';
  const saveAsTest = o.saveAsTest
    ? button('Save as Test...', {
        id: 'save-test',
        'data-action': 'saveAsTest',
        title: 'Add this call to a test collection (*.mcptest.json), its expectations taken from this result',
      })
    : '';
  const args = m.argsJson === '{}' ? '<p class="meta">No arguments.</p>' : jsonView(m.argsJson);
  const content = m.blocks.length ? m.blocks.map((b) => blockHtml(b, m)).join('\n') : '<p class="meta">No content blocks.</p>';
  let structured = '';
  if (m.structured !== undefined) {
    const check =
      m.structuredIssues === undefined
        ? '<p class="meta">The tool declares no output schema.</p>'
        : m.structuredIssues.length
          ? `<div class="issues" role="note"><strong>Does not match the tool's output schema:</strong>\n${escapeHtml(
              m.structuredIssues
                .slice(0, 20)
                .map((i) => `${i.path || '(root)'}: ${i.message}`)
                .join('\n'),
            )}</div>`
          : '<p class="meta">Matches the tool\'s output schema.</p>';
    const schema =
      m.outputSchema !== undefined
        ? `<details class="sub" id="schema"><summary>Output schema</summary>${button('Copy Schema', { 'data-action': 'copy', 'data-target': 'schema' })}<pre>${escapeHtml(m.outputSchema)}</pre></details>`
        : '';
    structured = `<section aria-labelledby="h-structured"><div class="block-head"><h2 id="h-structured">Structured content</h2><span class="tools">${button('Copy', { 'data-action': 'copy', 'data-target': 'structured', 'aria-label': 'Copy the structured content' })}</span></div>${check}${jsonView(m.structured)}${schema}</section>`;
  } else if (m.outputSchema !== undefined) {
    structured = `<section aria-labelledby="h-structured"><h2 id="h-structured">Structured content</h2><p class="meta">None in this result, although the tool declares an output schema.</p><details class="sub" id="schema"><summary>Output schema</summary><pre>${escapeHtml(m.outputSchema)}</pre></details></section>`;
  }
  const raw = `<section id="raw" aria-labelledby="h-raw" hidden><div class="block-head"><h2 id="h-raw">Raw result (JSON)</h2><span class="tools">${button('Copy', { 'data-action': 'copy', 'data-target': 'raw', 'aria-label': 'Copy the raw result' })}${button('Open in Editor', { 'data-action': 'openDoc', 'data-doc': m.rawDoc })}</span></div>${m.rawCut ? '<p class="note">Showing the start; Open in Editor shows all of it.</p>' : ''}<pre>${escapeHtml(m.raw)}</pre></section>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; media-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(`${m.tool} (${m.server})`)}</title>
<style nonce="${nonce}">${PAGE_CSS}</style>
</head>
<body>
<header>
<h1><span class="mono">${escapeHtml(m.tool)}</span> result</h1>
<div class="meta">${escapeHtml(meta)}</div>
<div class="bar">${status}${button('Show Raw JSON', { id: 'raw-toggle', 'data-action': 'toggleRaw', 'aria-expanded': 'false', 'aria-controls': 'raw' })}${button('Copy Raw JSON', { 'data-action': 'copy', 'data-target': 'raw' })}${saveAsTest}</div>
${m.sizeNote ? `<p class="note">${escapeHtml(m.sizeNote)}</p>` : ''}
</header>
<main>
<section aria-labelledby="h-args"><div class="block-head"><h2 id="h-args">Arguments</h2><span class="tools">${button('Copy', { 'data-action': 'copy', 'data-target': 'args', 'aria-label': 'Copy the arguments' })}</span></div><div id="args-body">${args}</div></section>
<section aria-labelledby="h-content"><h2 id="h-content">Content</h2>
${content}
</section>
${structured}
${raw}
</main>
<div id="status" role="status" aria-live="polite"></div>
<script nonce="${nonce}">${RESULT_SCRIPT}</script>
</body>
</html>`;
}
