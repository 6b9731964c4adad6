// Lays out a CallToolResult as read-only documents, media and links. Pure (no `vscode`):
// resultView.ts only stores the documents under the mcp-result: scheme and opens them.
//
// A single text block is shown as it is (pretty-printed JSON with language json when it parses);
// anything richer becomes one Markdown document with a section per content block, plus separate
// documents for embedded resources and for text blocks too large to inline. Nothing is truncated:
// large blocks get their own editor and the caller shows a size note.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { decodeBase64Text, isTextMime } from '../../core/mime';
import { formatIssues, validateValue, type SchemaIssue } from './validator';

export interface ResultDoc {
  /** File name (its extension picks the language): "echo (fixture).json". Unique within a call. */
  readonly name: string;
  readonly text: string;
}

export type LinkTarget = { readonly kind: 'doc'; readonly index: number } | { readonly kind: 'resource'; readonly uri: string; readonly mimeType?: string };

export interface ResultLink {
  /** Character range in the main document. */
  readonly offset: number;
  readonly length: number;
  readonly target: LinkTarget;
  readonly tooltip: string;
}

export interface MediaItem {
  readonly kind: 'image' | 'audio';
  readonly mimeType: string;
  /** base64 */
  readonly data: string;
  readonly bytes: number;
  readonly label: string;
}

export interface RenderedResult {
  readonly main: ResultDoc;
  /** Further documents (embedded resources, large text blocks); links point at them by index. */
  readonly docs: readonly ResultDoc[];
  /** Indexes of `docs` to open right away (text blocks too large to inline). */
  readonly openDocs: readonly number[];
  readonly links: readonly ResultLink[];
  readonly media: readonly MediaItem[];
  /** Size of everything the server sent in content and structuredContent (bytes, decoded). */
  readonly bytes: number;
  /** Set when the result is large: shown to the user so a big editor is not a surprise. */
  readonly sizeNote?: string;
  /** First line of the first text block (for messages and the history). */
  readonly summary: string;
  /** structuredContent checked against the tool's outputSchema (undefined: nothing to check). */
  readonly structuredIssues?: readonly SchemaIssue[];
}

export interface RenderOptions {
  readonly server: string;
  readonly tool: string;
  readonly outputSchema?: unknown;
  readonly durationMs?: number;
  /** Above this many bytes the result counts as large (size note). Default 1 MiB. */
  readonly largeBytes?: number;
  /** Text blocks above this many characters get their own document. Default 256 KiB. */
  readonly inlineChars?: number;
  /** JSON above this many characters is not re-indented (it would double its size). Default 5 MiB. */
  readonly prettyChars?: number;
}

type Content = CallToolResult['content'][number];

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export { decodeBase64Text, isTextMime } from '../../core/mime';

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

function firstLine(s: string, max = 200): string {
  const line = s.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function renderResult(result: CallToolResult, options: RenderOptions): RenderedResult {
  const largeBytes = options.largeBytes ?? 1024 * 1024;
  const inlineChars = options.inlineChars ?? 256 * 1024;
  const prettyChars = options.prettyChars ?? 5 * 1024 * 1024;
  const base = `${safeName(options.tool)} (${safeName(options.server)})`;
  const content: Content[] = Array.isArray(result.content) ? result.content : [];
  const structured = result.structuredContent;

  let bytes = 0;
  for (const c of content) bytes += blockBytes(c);
  if (structured !== undefined) bytes += utf8Bytes(safeJson(structured));
  const firstText = content.find((c): c is Extract<Content, { type: 'text' }> => c.type === 'text');
  const summary = firstText ? firstLine(firstText.text) : content.length ? `${content.length} content block${content.length === 1 ? '' : 's'}` : 'empty result';
  const large = bytes > largeBytes;
  const sizeNote = large ? `"${options.tool}" returned ${formatBytes(bytes)}; the full result is open in an editor (nothing was truncated).` : undefined;

  let structuredIssues: SchemaIssue[] | undefined;
  if (structured !== undefined && options.outputSchema && typeof options.outputSchema === 'object') {
    structuredIssues = validateValue(options.outputSchema, structured);
  }

  // The common case: one text block, shown as is.
  if (content.length === 1 && firstText && structured === undefined) {
    const pretty = prettyJson(firstText.text, prettyChars);
    return {
      main: { name: `${base}.${pretty ? 'json' : 'txt'}`, text: pretty ?? firstText.text },
      docs: [],
      openDocs: [],
      links: [],
      media: [],
      bytes,
      sizeNote,
      summary,
    };
  }

  const docs: ResultDoc[] = [];
  const openDocs: number[] = [];
  const links: ResultLink[] = [];
  const media: MediaItem[] = [];
  let out = '';
  const push = (s: string) => {
    out += s;
  };
  const pushLink = (text: string, target: LinkTarget, tooltip: string) => {
    links.push({ offset: out.length, length: text.length, target, tooltip });
    out += text;
  };
  const addDoc = (name: string, text: string): number => {
    // Names must be unique within the call (they are the documents' paths).
    let unique = `${base} ${name}`;
    for (let i = 2; docs.some((d) => d.name === unique); i++) unique = `${base} ${name.replace(/(\.[^.]+)$/, ` ${i}$1`)}`;
    docs.push({ name: unique, text });
    return docs.length - 1;
  };

  const meta = [`server \`${options.server}\``];
  if (options.durationMs !== undefined) meta.push(`${Math.round(options.durationMs)} ms`);
  meta.push(formatBytes(bytes));
  if (result.isError) meta.push('**isError: true** (the tool reported a failure)');
  push(`# ${options.tool}\n\n${meta.join(' · ')}\n`);
  if (sizeNote) push(`\n> ${sizeNote}\n`);
  if (content.length === 0) push('\nNo content blocks.\n');

  content.forEach((c, i) => {
    const n = i + 1;
    switch (c.type) {
      case 'text': {
        const pretty = prettyJson(c.text, prettyChars);
        if (c.text.length > inlineChars) {
          const idx = addDoc(`text.${pretty ? 'json' : 'txt'}`, pretty ?? c.text);
          openDocs.push(idx);
          push(`\n## ${n}. Text (${formatBytes(utf8Bytes(c.text))})\n\nToo large to show inline; opened in full in its own editor: `);
          pushLink(docs[idx].name, { kind: 'doc', index: idx }, 'Open the full text');
          push('\n');
        } else {
          push(`\n## ${n}. Text\n\n${fence(pretty ?? c.text, pretty ? 'json' : '')}`);
        }
        break;
      }
      case 'image':
      case 'audio': {
        const size = base64Bytes(c.data);
        const label = `${n}. ${c.type === 'image' ? 'Image' : 'Audio'} (${c.mimeType}, ${formatBytes(size)})`;
        media.push({ kind: c.type, mimeType: c.mimeType, data: c.data, bytes: size, label });
        push(`\n## ${label}\n\nShown in the "${options.tool} media" panel.\n`);
        break;
      }
      case 'resource_link': {
        push(`\n## ${n}. Resource link\n\n`);
        pushLink(c.uri, { kind: 'resource', uri: c.uri, mimeType: c.mimeType }, /^https?:/i.test(c.uri) ? 'Open in the browser' : 'Read this resource from the server');
        const extra = [c.title ?? c.name, c.mimeType].filter(Boolean).join(', ');
        push(`${extra ? ` (${extra})` : ''}\n`);
        if (c.description) push(`\n${c.description}\n`);
        break;
      }
      case 'resource': {
        const r = c.resource;
        if ('text' in r && typeof r.text === 'string') {
          const ext = extensionFor(r.mimeType, r.uri);
          const idx = addDoc(`${resourceBaseName(r.uri)}.${ext}`, ext === 'json' ? (prettyJson(r.text, prettyChars) ?? r.text) : r.text);
          push(`\n## ${n}. Embedded resource (${r.mimeType ?? 'text'}, ${formatBytes(utf8Bytes(r.text))})\n\n`);
          pushLink(r.uri, { kind: 'doc', index: idx }, 'Open the embedded resource');
          push('\n');
          if (r.text.length <= 4096) push(`\n${fence(r.text)}`);
        } else if ('blob' in r && typeof r.blob === 'string') {
          const size = base64Bytes(r.blob);
          const mime = r.mimeType ?? 'application/octet-stream';
          if (isTextMime(r.mimeType)) {
            // Text sent as a blob: show it like embedded text.
            const ext = extensionFor(r.mimeType, r.uri);
            const text = decodeBase64Text(r.blob);
            const idx = addDoc(`${resourceBaseName(r.uri)}.${ext}`, ext === 'json' ? (prettyJson(text, prettyChars) ?? text) : text);
            push(`\n## ${n}. Embedded resource (${mime}, ${formatBytes(size)})\n\n`);
            pushLink(r.uri, { kind: 'doc', index: idx }, 'Open the embedded resource');
            push('\n');
            break;
          }
          push(`\n## ${n}. Embedded binary resource (${mime}, ${formatBytes(size)})\n\n${r.uri}\n`);
          if (/^(image|audio)\//.test(mime)) {
            media.push({ kind: mime.startsWith('image/') ? 'image' : 'audio', mimeType: mime, data: r.blob, bytes: size, label: `${n}. ${r.uri}` });
            push(`\nShown in the "${options.tool} media" panel.\n`);
          }
        }
        break;
      }
      default:
        push(`\n## ${n}. ${String((c as { type?: unknown }).type)}\n\n${fence(safeJson(c), 'json')}`);
    }
  });

  if (structured !== undefined) {
    push(`\n## Structured content\n\n${fence(safeJson(structured), 'json')}`);
    if (options.outputSchema) {
      push(
        structuredIssues && structuredIssues.length
          ? `\nDoes not match the tool's output schema:\n\n${fence(formatIssues(structuredIssues))}`
          : `\nMatches the tool's output schema.\n`,
      );
      push(`\n### Output schema\n\n${fence(safeJson(options.outputSchema), 'json')}`);
    } else {
      push(`\nThe tool declares no output schema.\n`);
    }
  }
  return { main: { name: `${base}.md`, text: out }, docs, openDocs, links, media, bytes, sizeNote, summary, structuredIssues };
}

function blockBytes(c: Content): number {
  switch (c.type) {
    case 'text':
      return utf8Bytes(c.text);
    case 'image':
    case 'audio':
      return base64Bytes(c.data);
    case 'resource':
      return 'text' in c.resource && typeof c.resource.text === 'string' ? utf8Bytes(c.resource.text) : 'blob' in c.resource && typeof c.resource.blob === 'string' ? base64Bytes(c.resource.blob) : 0;
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
