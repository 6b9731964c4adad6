// HTML for the two webviews of a tool call: the argument form and the media viewer. Pure (no
// `vscode`) so the markup, CSP and escaping are unit-tested.
//
// Rules both follow: a strict Content-Security-Policy (default-src 'none'; scripts and styles only
// with this page's nonce; images and audio only as data: URIs), no external resources at all, and
// every string that came from a server (names, descriptions, schemas) is either HTML-escaped or
// handed to the script as JSON and set with textContent, never parsed as HTML. Colours and fonts
// come from the --vscode-* theme variables.
import { randomBytes } from 'node:crypto';
import { FORM_SCRIPT } from './formScript';
import type { RawValues } from './formValues';
import { ITEM_SEGMENT, escapePointer, type FieldSpec } from './toolArgs';
import { fieldPlaceholder } from './fieldText';
import type { ToolDetailsHeader } from './toolDetails';

/** The part of a FieldSpec the form script needs. */
export interface WebField {
  readonly key: string;
  readonly label: string;
  readonly control: FieldSpec['control'];
  readonly required: boolean;
  readonly description?: string;
  readonly meta: string;
  readonly placeholder: string;
  readonly secret: boolean;
  readonly options?: readonly string[];
  /** What each option shows, when not its value (titled choices). */
  readonly optionLabels?: readonly string[];
  readonly children?: readonly WebField[];
  /** The key's last segment (JSON-pointer escaped): the page builds list items' keys from it. */
  readonly seg: string;
  /** control "list": the item's field (the page repeats it per item). */
  readonly item?: WebField;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface FormState {
  readonly tool: string;
  readonly server: string;
  readonly mode: 'form' | 'json';
  /** The schema is not representable as a form: only the JSON editor is offered. */
  readonly jsonOnly: boolean;
  readonly note?: string;
  readonly fields: readonly WebField[];
  readonly raw: RawValues;
  readonly json: string;
  readonly errors?: Record<string, string>;
  /** Details mode (a tool selected in the tree): a header with the tool's hints; the page stays open after Call. */
  readonly details?: ToolDetailsHeader;
  /** The tool takes no arguments: no fields and no JSON editor, just Call. */
  readonly noArgs?: boolean;
  /** A server's question (elicitation) instead of a tool's arguments: Accept, Decline, Cancel. */
  readonly ask?: { readonly message: string };
}

export function toWebFields(fields: readonly FieldSpec[]): WebField[] {
  return fields.map((f) => {
    const typeLabel =
      f.control === 'list' && f.items ? `list of ${f.items.control === 'group' ? 'objects' : f.items.typeLabel}` : f.typeLabel;
    return {
      key: f.key,
      seg: escapePointer(f.name),
      label: f.label,
      control: f.control,
      required: f.required,
      description: f.description,
      meta: [
        typeLabel,
        ...f.constraints,
        ...(f.hasDefault ? [`default ${JSON.stringify(f.default)}`] : []),
        ...(f.jsonReason && f.control === 'json' ? [`as JSON: ${f.jsonReason}`] : []),
      ].join(' · '),
      placeholder: f.control === 'json' && f.key.endsWith(`/${ITEM_SEGMENT}`) ? 'JSON value' : fieldPlaceholder(f),
      secret: f.secret,
      options: f.control === 'select' ? (f.enumValues ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : undefined,
      optionLabels: f.control === 'select' ? f.enumLabels : undefined,
      children: f.children ? toWebFields(f.children) : undefined,
      item: f.control === 'list' && f.items ? toWebFields([f.items])[0] : undefined,
      minItems: f.minItems,
      maxItems: f.maxItems,
    };
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON that is safe inside a <script> element (no "</script>", no "<!--"). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A fresh nonce per page load (CSP). */
export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

const MAX_SCHEMA_CHARS = 200_000;

const BASE_CSS = `
  :root { color-scheme: light dark; }
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; max-width: 900px; }
  h1 { font-size: 1.3em; font-weight: 600; margin: 16px 0 4px; }
  [hidden] { display: none !important; }
  .desc, .meta { color: var(--vscode-descriptionForeground); margin: 2px 0 6px; white-space: pre-wrap; }
  .meta { font-size: 0.9em; }
  .mono, textarea, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
`;

const FORM_CSS = `
  .field { margin: 14px 0; }
  .field > label, .check label { display: block; font-weight: 600; margin-bottom: 3px; }
  .check { display: flex; gap: 8px; align-items: center; }
  .check label { margin: 0; }
  .req { color: var(--vscode-errorForeground); margin-left: 2px; }
  input[type=text], input[type=password], select, textarea {
    box-sizing: border-box; width: 100%; padding: 4px 6px; border-radius: 2px;
    color: var(--vscode-input-foreground); background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, var(--vscode-panel-border, transparent));
  }
  select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border-color: var(--vscode-dropdown-border, transparent); }
  textarea { resize: vertical; min-height: 4em; }
  input:focus, select:focus, textarea:focus, button:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  input[type=checkbox] { width: 16px; height: 16px; accent-color: var(--vscode-checkbox-background, var(--vscode-button-background)); }
  .invalid input, .invalid select, .invalid textarea, textarea.invalid { border-color: var(--vscode-inputValidation-errorBorder); }
  .error { color: var(--vscode-errorForeground); white-space: pre-wrap; margin-top: 3px; }
  .error:empty { display: none; }
  .banner { border: 1px solid var(--vscode-inputValidation-errorBorder); background: var(--vscode-inputValidation-errorBackground); color: var(--vscode-inputValidation-errorForeground, var(--vscode-foreground)); padding: 6px 8px; margin: 10px 0; }
  .note { border-left: 3px solid var(--vscode-textLink-foreground); padding: 4px 8px; margin: 10px 0; color: var(--vscode-descriptionForeground); white-space: pre-wrap; }
  fieldset { border: 1px solid var(--vscode-panel-border, var(--vscode-input-border, #8884)); margin: 14px 0; padding: 4px 12px 8px; }
  legend { font-weight: 600; padding: 0 4px; }
  fieldset.list > .items { display: flex; flex-direction: column; gap: 8px; margin: 6px 0; }
  .item { border-left: 2px solid var(--vscode-textLink-foreground); padding: 2px 0 4px 10px; }
  .item-head, .item-row { display: flex; gap: 6px; align-items: center; }
  .item-row > .field { flex: 1; margin: 0; }
  .item-title { font-weight: 600; margin-right: auto; }
  .item-head .item-title + button { margin-left: auto; }
  button.icon { padding: 1px 8px; min-width: 28px; }
  .empty { color: var(--vscode-descriptionForeground); font-style: italic; }
  .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 18px 0 10px; }
  button { font-family: inherit; font-size: inherit; padding: 4px 12px; border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; cursor: pointer; }
  button.primary { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
  button.primary:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button:disabled { opacity: 0.6; cursor: default; }
  .hint { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  details { margin-top: 12px; }
  pre { white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); padding: 8px; max-height: 40vh; overflow: auto; }
  .badges { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
  .badge { font-size: 0.85em; padding: 1px 7px; border-radius: 10px; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
  .ask-message { font-size: 1.1em; white-space: pre-wrap; border-left: 3px solid var(--vscode-textLink-foreground); padding: 6px 10px; margin: 10px 0; }
  .warn { border-left: 3px solid var(--vscode-editorWarning-foreground); padding: 4px 8px; margin: 10px 0; }
`;

/** The heading of the page: "Call <tool> on <server>", or in details mode the tool, its title and hints. */
function headerHtml(state: FormState): string {
  if (state.ask)
    return [
      `<h1><span class="mono">${escapeHtml(state.server)}</span> asks</h1>`,
      `<p class="meta">A question from the MCP server ${escapeHtml(state.server)}. Your answer goes to that server only.</p>`,
      `<p class="ask-message" id="mcp-ask-message">${escapeHtml(state.ask.message)}</p>`,
    ].join('\n');
  const d = state.details;
  if (!d) return `<h1>Call <span class="mono">${escapeHtml(state.tool)}</span> on ${escapeHtml(state.server)}</h1>`;
  const badges = d.badges.length
    ? `<div class="badges" aria-label="Hints the server declared">${d.badges.map((b) => `<span class="badge">${escapeHtml(b)}</span>`).join('')}</div>`
    : '';
  return [
    `<h1><span class="mono">${escapeHtml(state.tool)}</span></h1>`,
    `<p class="meta">${d.title ? `${escapeHtml(d.title)} · ` : ''}tool of ${escapeHtml(state.server)}</p>`,
    badges,
    d.warning ? `<p class="warn" role="note">${escapeHtml(d.warning)}</p>` : '',
  ].join('\n');
}

export { FORM_SCRIPT };

export interface FormHtmlOptions {
  readonly nonce: string;
  readonly state: FormState;
  /** The input schema, shown (read-only) below the form. */
  readonly schema: unknown;
  readonly description?: string;
}

export function renderFormHtml(o: FormHtmlOptions): string {
  const { nonce, state } = o;
  let schemaText: string;
  try {
    schemaText = JSON.stringify(o.schema ?? {}, null, 2) ?? '';
  } catch (e) {
    schemaText = `(cannot show the schema: ${e instanceof Error ? e.message : String(e)})`; // e.g. nested too deeply
  }
  if (schemaText.length > MAX_SCHEMA_CHARS)
    schemaText = `${schemaText.slice(0, MAX_SCHEMA_CHARS)}\n… (${schemaText.length - MAX_SCHEMA_CHARS} more characters)`;
  const title = state.ask ? `${state.server} asks` : `${state.tool} — ${state.server}`;
  const ask = !!state.ask;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${BASE_CSS}${FORM_CSS}</style>
</head>
<body>
${headerHtml(state)}
${o.description ? `<p class="desc">${escapeHtml(o.description)}</p>` : ''}
<form id="mcp-form" novalidate aria-label="${ask ? `Answer to ${escapeHtml(state.server)}` : `Arguments for ${escapeHtml(state.tool)}`}"${ask ? ' aria-describedby="mcp-ask-message"' : ''}>
<div id="mcp-note" class="note" hidden></div>
<div id="mcp-form-error" class="error banner" role="alert"></div>
<div id="mcp-fields"></div>
<div id="mcp-json-wrap" hidden>
<label for="mcp-json"><strong>Arguments (JSON object)</strong></label>
<textarea id="mcp-json" rows="16" spellcheck="false" class="mono" aria-describedby="mcp-json-error"></textarea>
<div id="mcp-json-error" class="error" role="alert"></div>
</div>
${state.noArgs ? '<p class="meta">This tool takes no arguments.</p>\n' : ''}<div class="actions">
<button type="submit" id="mcp-submit" class="primary">${ask ? 'Accept' : state.details ? 'Call' : 'Call Tool'}</button>
${ask ? '<button type="button" id="mcp-decline" class="secondary">Decline</button>\n' : ''}<button type="button" id="mcp-toggle" class="secondary"${state.noArgs ? ' hidden' : ''}>Edit as JSON</button>
<button type="button" id="mcp-cancel" class="secondary">${state.details ? 'Close' : 'Cancel'}</button>
<span class="hint">${
    ask
      ? 'Enter accepts (Ctrl+Enter in a text area) · Escape or closing this tab cancels'
      : `${state.details ? 'Nothing runs until you press Call · ' : ''}Enter calls the tool (Ctrl+Enter in a text area) · Escape ${state.details ? 'closes' : 'cancels'}`
  }</span>
</div>
<details><summary>${ask ? 'Requested schema' : 'Input schema'}</summary><pre class="mono">${escapeHtml(schemaText)}</pre></details>
</form>
<script type="application/json" id="mcp-state">${scriptJson(state)}</script>
<script nonce="${nonce}">${FORM_SCRIPT}</script>
</body>
</html>`;
}

export interface MediaHtmlItem {
  readonly kind: 'image' | 'audio';
  readonly mimeType: string;
  readonly data: string;
  readonly label: string;
}

const MEDIA_MIME = /^(image|audio)\/[A-Za-z0-9.+-]+$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Images and audio of a result, as data: URIs; anything that is not clean base64 of an image/audio type is listed, not embedded. */
export function renderMediaHtml(o: { nonce: string; title: string; items: readonly MediaHtmlItem[] }): string {
  const parts = o.items.map((m) => {
    const label = `<h2>${escapeHtml(m.label)}</h2>`;
    if (!MEDIA_MIME.test(m.mimeType) || !BASE64.test(m.data) || !m.mimeType.startsWith(m.kind)) {
      return `${label}<p class="desc">Not shown: the data is not a valid base64 ${escapeHtml(m.kind)} (${escapeHtml(m.mimeType)}).</p>`;
    }
    const src = `data:${m.mimeType};base64,${m.data.replace(/\s/g, '')}`;
    return m.kind === 'image'
      ? `${label}<img src="${escapeHtml(src)}" alt="${escapeHtml(m.label)}">`
      : `${label}<audio controls src="${escapeHtml(src)}" aria-label="${escapeHtml(m.label)}"></audio>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; media-src data:; style-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
<style nonce="${o.nonce}">${BASE_CSS}
  h2 { font-size: 1em; font-weight: 600; margin: 18px 0 6px; }
  img { max-width: 100%; image-rendering: auto; background: repeating-conic-gradient(#8882 0% 25%, transparent 0% 50%) 50% / 16px 16px; border: 1px solid var(--vscode-panel-border, #8884); min-width: 16px; min-height: 16px; }
</style>
</head>
<body>
<h1>${escapeHtml(o.title)}</h1>
${parts.join('\n')}
</body>
</html>`;
}
