// What a tool result view shows (resultHtml.ts turns it into the webview page): the arguments
// sent, one block per content item (text as Markdown, JSON or plain text; images and audio; resource
// links; embedded resources), structuredContent once, checked against the output schema, and the
// raw result. Pure (no `vscode`): resultView.ts keeps the documents it names under the mcp-result:
// scheme and shows the page. Nothing is lost: a block too large for the page is cut there, with its
// full text in its own document (opened beside the view), and the caller shows a size note.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { decodeBase64Text, firstLine, formatBytes, isTextMime } from '../../core';
import { validateValue, type SchemaIssue } from './validator';

export interface ResultDoc {
  /** File name (its extension picks the language): "echo (fixture).json". Unique within a call. */
  readonly name: string;
  readonly text: string;
}

export interface MediaItem {
  readonly kind: 'image' | 'audio';
  readonly mimeType: string;
  /** base64 */
  readonly data: string;
  readonly bytes: number;
  readonly label: string;
}

export type TextFormat = 'markdown' | 'json' | 'plain';

/** One content item of the result, as the view shows it. `n` is its 1-based position. */
export type ResultBlock =
  | {
      readonly kind: 'text';
      readonly n: number;
      readonly format: TextFormat;
      /** What the page shows: pretty-printed when JSON, cut at inlineChars when large. */
      readonly text: string;
      readonly bytes: number;
      /** The page shows only the start; the full text is `docs[doc]` (opened beside the view). */
      readonly cut: boolean;
      readonly doc?: number;
    }
  | {
      readonly kind: 'image' | 'audio';
      readonly n: number;
      readonly mimeType: string;
      readonly data: string;
      readonly bytes: number;
      readonly label: string;
    }
  | {
      readonly kind: 'link';
      readonly n: number;
      readonly uri: string;
      readonly label: string;
      readonly mimeType?: string;
      readonly description?: string;
      readonly external: boolean;
    }
  | {
      readonly kind: 'resource';
      readonly n: number;
      readonly uri: string;
      readonly mimeType: string;
      readonly bytes: number;
      /** Text (embedded text, or a text blob decoded), cut at inlineChars. */
      readonly text?: string;
      readonly format?: TextFormat;
      readonly cut?: boolean;
      /** Its document (text resources): "Open in Editor". */
      readonly doc?: number;
      /** An image or audio blob, shown inline. */
      readonly media?: 'image' | 'audio';
      readonly data?: string;
    }
  | { readonly kind: 'other'; readonly n: number; readonly type: string; readonly json: string };

export interface RenderedResult {
  readonly server: string;
  readonly tool: string;
  /** The arguments that were sent, as indented JSON (secret-looking values masked). */
  readonly argsJson: string;
  readonly blocks: readonly ResultBlock[];
  /** structuredContent, once, as indented JSON; undefined when the result has none. */
  readonly structured?: string;
  /** structuredContent checked against the tool's outputSchema (undefined: nothing to check). */
  readonly structuredIssues?: readonly SchemaIssue[];
  /** The output schema, shown only on request. */
  readonly outputSchema?: string;
  /** The whole result as indented JSON (cut at rawChars for the page; the full text is `docs[rawDoc]`). */
  readonly raw: string;
  readonly rawCut: boolean;
  readonly rawDoc: number;
  /** Documents the view can open: full texts of large blocks, embedded text resources, the raw JSON. */
  readonly docs: readonly ResultDoc[];
  /** Indexes of `docs` to open right away (text blocks too large for the page). */
  readonly openDocs: readonly number[];
  /** Images and audio, in order (also in `blocks`). */
  readonly media: readonly MediaItem[];
  readonly isError: boolean;
  readonly durationMs?: number;
  /** Size of everything the server sent in content and structuredContent (bytes, decoded). */
  readonly bytes: number;
  /** Set when the result is large: shown to the user so a big editor is not a surprise. */
  readonly sizeNote?: string;
  /** First line of the first text block (for messages and the history). */
  readonly summary: string;
}

export interface RenderOptions {
  readonly server: string;
  readonly tool: string;
  /** The arguments that were sent. */
  readonly args?: Record<string, unknown>;
  readonly outputSchema?: unknown;
  readonly durationMs?: number;
  /** Above this many bytes the result counts as large (size note). Default 1 MiB. */
  readonly largeBytes?: number;
  /** Text blocks above this many characters are cut on the page (full text in a document). Default 256 KiB. */
  readonly inlineChars?: number;
  /** JSON above this many characters is not re-indented (it would double its size). Default 5 MiB. */
  readonly prettyChars?: number;
}

type Content = CallToolResult['content'][number];

export { formatBytes };

export { decodeBase64Text, isTextMime } from '../../core';

export function base64Bytes(data: string): number {
  const len = data.replace(/\s/g, '').length;
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((len * 3) / 4) - pad);
}

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Pretty-printed JSON when `text` is a JSON object or array, else undefined. */
export function prettyJson(text: string, limit = 5 * 1024 * 1024): string | undefined {
  const t = text.trim();
  if (t.length > limit || !((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

/** Indented JSON, or a note when the value cannot be serialised (cycles, extreme nesting). */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (e) {
    return `// cannot show this value: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** A Markdown code fence longer than any backtick run inside `text`. */
export function fence(text: string, lang = ''): string {
  let longest = 2;
  for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}\n`;
}

export function safeName(s: string): string {
  return s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 80) || '_';
}

const EXT_BY_MIME: Record<string, string> = {
  'application/json': 'json',
  'text/markdown': 'md',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/css': 'css',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'text/yaml': 'yaml',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/javascript': 'js',
  'application/javascript': 'js',
  'text/typescript': 'ts',
  'text/x-python': 'py',
  'application/x-sh': 'sh',
  'text/x-shellscript': 'sh',
};

/** File extension for a resource: from its MIME type, else its URI, else "txt". */
export function extensionFor(mimeType: string | undefined, uri?: string): string {
  const mime = mimeType?.split(';')[0].trim().toLowerCase();
  if (mime && EXT_BY_MIME[mime]) return EXT_BY_MIME[mime];
  if (mime?.endsWith('+json')) return 'json';
  if (mime?.endsWith('+xml')) return 'xml';
  const last = uri?.split(/[?#]/)[0].split('/').pop() ?? '';
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(last);
  return m ? m[1].toLowerCase() : 'txt';
}

function resourceBaseName(uri: string): string {
  const last = uri.split(/[?#]/)[0].replace(/\/+$/, '').split('/').pop() ?? '';
  return safeName(decodeURIComponentSafe(last).replace(/\.[A-Za-z0-9]{1,8}$/, '')) || 'resource';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Markdown worth rendering: headings, lists, emphasis, fences, links or tables (plain text stays plain). */
export function looksLikeMarkdown(text: string): boolean {
  if (text.length > 2 * 1024 * 1024) return false;
  let score = 0;
  if (/^#{1,6} \S/m.test(text)) score += 2;
  if (/^```/m.test(text)) score += 2;
  if (/^\s*([-*+]|\d+\.) \S/m.test(text)) score += 1;
  if (/\*\*[^*\n]+\*\*|__[^_\n]+__/.test(text)) score += 1;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(text)) score += 1;
  if (/^\|.+\|\s*$/m.test(text) && /^\|?\s*:?-{3,}/m.test(text)) score += 2;
  if (/^> \S/m.test(text)) score += 1;
  if (/`[^`\n]+`/.test(text)) score += 1;
  return score >= 2;
}

/** Values of secret-looking keys ("apiKey", "password", "access_token") replaced, at any depth. */
export function maskSecrets(value: unknown, isSecret: (key: string) => boolean, depth = 0): unknown {
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, isSecret, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = isSecret(k) && (typeof v === 'string' || typeof v === 'number') ? '••••••••' : maskSecrets(v, isSecret, depth + 1);
  return out;
}

function textBlockFormat(text: string, pretty: string | undefined): TextFormat {
  return pretty !== undefined ? 'json' : looksLikeMarkdown(text) ? 'markdown' : 'plain';
}

const SECRET_KEY = /(^|[^a-z])(password|passwd|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?)$/i;

export function renderResult(result: CallToolResult, options: RenderOptions): RenderedResult {
  const largeBytes = options.largeBytes ?? 1024 * 1024;
  const inlineChars = options.inlineChars ?? 256 * 1024;
  const prettyChars = options.prettyChars ?? 5 * 1024 * 1024;
  const base = `${safeName(options.tool)} (${safeName(options.server)})`;
  const content: Content[] = Array.isArray(result.content) ? result.content : [];
  const structured = result.structuredContent;

  let bytes = 0;
  for (const c of content) bytes += blockBytes(c);
  const structuredJson = structured !== undefined ? safeJson(structured) : undefined;
  if (structuredJson !== undefined) bytes += utf8Bytes(structuredJson);
  const firstText = content.find((c): c is Extract<Content, { type: 'text' }> => c.type === 'text');
  const summary = firstText
    ? firstLine(firstText.text, 200)
    : content.length
      ? `${content.length} content block${content.length === 1 ? '' : 's'}`
      : structured !== undefined
        ? 'structured content'
        : 'empty result';
  const large = bytes > largeBytes;

  let structuredIssues: SchemaIssue[] | undefined;
  if (structured !== undefined && options.outputSchema && typeof options.outputSchema === 'object') {
    structuredIssues = validateValue(options.outputSchema, structured);
  }

  const docs: ResultDoc[] = [];
  const openDocs: number[] = [];
  const media: MediaItem[] = [];
  const blocks: ResultBlock[] = [];
  const addDoc = (name: string, text: string): number => {
    // Names must be unique within the call (they are the documents' paths).
    let unique = `${base} ${name}`;
    for (let i = 2; docs.some((d) => d.name === unique); i++) unique = `${base} ${name.replace(/(\.[^.]+)$/, ` ${i}$1`)}`;
    docs.push({ name: unique, text });
    return docs.length - 1;
  };
  const single = content.length === 1;

  content.forEach((c, i) => {
    const n = i + 1;
    switch (c.type) {
      case 'text': {
        const pretty = prettyJson(c.text, prettyChars);
        const shown = pretty ?? c.text;
        const format = textBlockFormat(c.text, pretty);
        const cut = shown.length > inlineChars;
        let doc: number | undefined;
        if (cut) {
          const ext = format === 'json' ? 'json' : format === 'markdown' ? 'md' : 'txt';
          if (single) {
            docs.push({ name: `${base}.${ext}`, text: shown });
            doc = docs.length - 1;
          } else doc = addDoc(`text.${ext}`, shown);
          openDocs.push(doc);
        }
        blocks.push({
          kind: 'text',
          n,
          format: cut && format === 'markdown' ? 'plain' : format,
          text: cut ? shown.slice(0, inlineChars) : shown,
          bytes: utf8Bytes(c.text),
          cut,
          doc,
        });
        break;
      }
      case 'image':
      case 'audio': {
        const size = base64Bytes(c.data);
        const label = `${c.type === 'image' ? 'Image' : 'Audio'} (${c.mimeType}, ${formatBytes(size)})`;
        media.push({ kind: c.type, mimeType: c.mimeType, data: c.data, bytes: size, label: `${n}. ${label}` });
        blocks.push({ kind: c.type, n, mimeType: c.mimeType, data: c.data, bytes: size, label });
        break;
      }
      case 'resource_link':
        blocks.push({
          kind: 'link',
          n,
          uri: c.uri,
          label: c.title ?? c.name ?? c.uri,
          mimeType: c.mimeType,
          description: c.description,
          external: /^https?:/i.test(c.uri),
        });
        break;
      case 'resource': {
        const r = c.resource;
        const raw =
          'text' in r && typeof r.text === 'string'
            ? r.text
            : 'blob' in r && typeof r.blob === 'string' && isTextMime(r.mimeType)
              ? decodeBase64Text(r.blob)
              : undefined;
        const mime = r.mimeType ?? ('blob' in r ? 'application/octet-stream' : 'text/plain');
        const size =
          'text' in r && typeof r.text === 'string'
            ? utf8Bytes(r.text)
            : 'blob' in r && typeof r.blob === 'string'
              ? base64Bytes(r.blob)
              : 0;
        if (raw !== undefined) {
          const ext = extensionFor(r.mimeType, r.uri);
          const pretty = ext === 'json' ? prettyJson(raw, prettyChars) : undefined;
          const shown = pretty ?? raw;
          const doc = addDoc(`${resourceBaseName(r.uri)}.${ext}`, shown);
          const format: TextFormat = pretty !== undefined ? 'json' : ext === 'md' ? 'markdown' : 'plain';
          const cut = shown.length > inlineChars;
          blocks.push({
            kind: 'resource',
            n,
            uri: r.uri,
            mimeType: mime,
            bytes: size,
            text: cut ? shown.slice(0, inlineChars) : shown,
            format: cut ? 'plain' : format,
            cut,
            doc,
          });
        } else {
          const blob = 'blob' in r && typeof r.blob === 'string' ? r.blob : '';
          const kind = /^image\//i.test(mime) ? 'image' : /^audio\//i.test(mime) ? 'audio' : undefined;
          if (kind) media.push({ kind, mimeType: mime, data: blob, bytes: size, label: `${n}. ${r.uri}` });
          blocks.push({ kind: 'resource', n, uri: r.uri, mimeType: mime, bytes: size, media: kind, data: kind ? blob : undefined });
        }
        break;
      }
      default:
        blocks.push({ kind: 'other', n, type: String((c as { type?: unknown }).type), json: safeJson(c) });
    }
  });

  const rawJson = safeJson(result);
  const rawDoc = addDoc('result.json', rawJson);
  const rawChars = Math.max(inlineChars, 64 * 1024);
  const argsJson = safeJson(maskSecrets(options.args ?? {}, (k) => SECRET_KEY.test(k.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))));
  let outputSchema: string | undefined;
  if (options.outputSchema !== undefined && options.outputSchema !== null) outputSchema = safeJson(options.outputSchema);
  const sizeNote = large
    ? `"${options.tool}" returned ${formatBytes(bytes)}${openDocs.length ? '; the full text is open in an editor beside the result (nothing was truncated)' : ''}.`
    : undefined;
  return {
    server: options.server,
    tool: options.tool,
    argsJson,
    blocks,
    structured: structuredJson,
    structuredIssues,
    outputSchema,
    raw: rawJson.length > rawChars ? rawJson.slice(0, rawChars) : rawJson,
    rawCut: rawJson.length > rawChars,
    rawDoc,
    docs,
    openDocs,
    media,
    isError: result.isError === true,
    durationMs: options.durationMs,
    bytes,
    sizeNote,
    summary,
  };
}

function blockBytes(c: Content): number {
  switch (c.type) {
    case 'text':
      return utf8Bytes(c.text);
    case 'image':
    case 'audio':
      return base64Bytes(c.data);
    case 'resource':
      return 'text' in c.resource && typeof c.resource.text === 'string'
        ? utf8Bytes(c.resource.text)
        : 'blob' in c.resource && typeof c.resource.blob === 'string'
          ? base64Bytes(c.resource.blob)
          : 0;
    default:
      return 0;
  }
}

/** The text to show in an error notification for an isError result. */
export function errorText(result: CallToolResult, max = 300): string {
  const texts = (result.content ?? []).filter((c): c is Extract<Content, { type: 'text' }> => c.type === 'text').map((c) => c.text.trim());
  const joined = texts.join(' ').replace(/\s+/g, ' ');
  if (!joined) return 'the tool reported an error (no text)';
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined;
}
