// How a resource read looks as a read-only document, and the small decisions around it (language
// from the MIME type, document names, template variables). Pure (no `vscode`): documents.ts stores
// the text under the mcpm-resource: scheme and opens it. Shares its helpers with the tool results
// (toolCall/resultFormat.ts), so both show JSON, text blobs and media the same way.
import { UriTemplate } from '@modelcontextprotocol/client';
import type { ReadResourceResult } from '@modelcontextprotocol/client';
import {
  base64Bytes,
  decodeBase64Text,
  extensionFor,
  fence,
  formatBytes,
  isTextMime,
  prettyJson,
  safeName,
  utf8Bytes,
  type MediaItem,
} from '../toolCall/resultFormat';

/** VS Code language ids of the file extensions extensionFor() produces (others: VS Code decides). */
const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  json: 'json',
  md: 'markdown',
  html: 'html',
  htm: 'html',
  css: 'css',
  xml: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
  js: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  py: 'python',
  sh: 'shellscript',
  txt: 'plaintext',
  log: 'log',
};

export interface DocumentType {
  /** File extension of the document's path: VS Code picks the language from it. */
  readonly extension: string;
  /** The language to make sure of after opening (undefined: whatever VS Code picked). */
  readonly languageId?: string;
}

/** Extension and language of a text resource: from its MIME type, else its URI, else plain text. */
export function documentType(mimeType: string | undefined, uri?: string): DocumentType {
  const extension = extensionFor(mimeType, uri);
  return { extension, languageId: LANGUAGE_BY_EXTENSION[extension] };
}

/**
 * A readable file name for a document tab, unique per server: "Readme (fixture).txt". A label that
 * already ends in the extension keeps it once ("architecture.md" -> "architecture (everything).md").
 */
export function documentName(label: string, server: string, extension: string): string {
  const oneLine = label.replace(/\s+/g, ' ').trim() || 'resource';
  const stem = oneLine.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? oneLine.slice(0, -(extension.length + 1)) : oneLine;
  return `${safeName(stem || 'resource').slice(0, 60)} (${safeName(server).slice(0, 40)}).${extension}`;
}

/** Inline Markdown code for a server-given string (URIs, names): backticks cannot end it. */
export function inlineCode(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
}

export interface RenderedResource {
  readonly text: string;
  readonly type: DocumentType;
  /** Images and audio, for the media panel. */
  readonly media: readonly MediaItem[];
  /** Decoded size of all contents. */
  readonly bytes: number;
}

type Content = ReadResourceResult['contents'][number];

function textOf(c: Content): string | undefined {
  if ('text' in c && typeof c.text === 'string') return c.text;
  // Text sent as a blob is still text.
  if ('blob' in c && typeof c.blob === 'string' && isTextMime(c.mimeType)) return decodeBase64Text(c.blob);
  return undefined;
}

function sizeOf(c: Content): number {
  if ('text' in c && typeof c.text === 'string') return utf8Bytes(c.text);
  if ('blob' in c && typeof c.blob === 'string') return base64Bytes(c.blob);
  return 0;
}

/** JSON re-indented (as tool results are), anything else as sent. */
function shown(text: string, type: DocumentType): string {
  return type.extension === 'json' ? (prettyJson(text) ?? text) : text;
}

/**
 * The document for a resources/read result. One text content is shown as it is, in the language of
 * its MIME type. Anything else (several contents, binary data) is one Markdown document with a
 * section per content: text in a fenced block, images and audio in the media panel, other binary
 * data as a note with its MIME type and size. Nothing is truncated.
 */
export function renderResource(
  result: ReadResourceResult,
  o: { readonly server: string; readonly uri: string; readonly label: string },
): RenderedResource {
  const contents: Content[] = Array.isArray(result.contents) ? result.contents : [];
  const bytes = contents.reduce((n, c) => n + sizeOf(c), 0);
  if (contents.length === 1) {
    const only = contents[0];
    const text = textOf(only);
    if (text !== undefined) {
      const type = documentType(only.mimeType, only.uri || o.uri);
      return { text: shown(text, type), type, media: [], bytes };
    }
  }

  const media: MediaItem[] = [];
  const summary = [
    inlineCode(o.uri),
    `from server ${inlineCode(o.server)}`,
    contents.length === 1 ? '1 content' : `${contents.length} contents`,
    formatBytes(bytes),
  ];
  let out = `# ${o.label.replace(/\s+/g, ' ').trim() || o.uri}\n\n${summary.join(' · ')}\n`;
  if (contents.length === 0) out += '\nThe server returned no contents for this resource.\n';
  contents.forEach((c, i) => {
    const mime = c.mimeType ?? ('blob' in c ? 'application/octet-stream' : 'text/plain');
    const size = sizeOf(c);
    out += `\n## ${contents.length > 1 ? `${i + 1}. ` : ''}${inlineCode(c.uri || o.uri)}\n\n`;
    const text = textOf(c);
    if (text !== undefined) {
      const type = documentType(c.mimeType, c.uri);
      out += `${mime} · ${formatBytes(size)}\n\n${fence(shown(text, type), type.languageId && type.languageId !== 'plaintext' ? type.languageId : '')}`;
      return;
    }
    const blob = 'blob' in c && typeof c.blob === 'string' ? c.blob : '';
    const kind = /^image\//i.test(mime) ? 'image' : /^audio\//i.test(mime) ? 'audio' : undefined;
    if (kind) {
      media.push({
        kind,
        mimeType: mime,
        data: blob,
        bytes: size,
        label: `${contents.length > 1 ? `${i + 1}. ` : ''}${c.uri || o.uri} (${mime}, ${formatBytes(size)})`,
      });
      out += `${mime} · ${formatBytes(size)} · ${kind === 'image' ? 'image' : 'audio'}, shown in the media panel beside this document\n`;
    } else {
      out += `${mime} · ${formatBytes(size)} · binary data, not shown as text\n`;
    }
  });
  return { text: out, type: { extension: 'md', languageId: 'markdown' }, media, bytes };
}

export interface TemplateField {
  readonly name: string;
  /** In a query expression (`{?q}`, `{&page}`): may be left empty, and is then left out. */
  readonly optional: boolean;
  /** What the template's description declares the variable to be ("{id} must be an integer"). */
  readonly type?: 'integer' | 'number';
  /** Declared positive (> 0) or non-negative (>= 0). */
  readonly sign?: 'positive' | 'non-negative';
}

/**
 * The variables of a URI template, in order, each once, with the type its description declares (MCP
 * templates have no schema for their variables: servers say it in words, as server-everything's
 * "fabricated from the {resourceId} variable, which must be an integer"). Throws for a template the
 * SDK cannot parse.
 */
export function templateFields(uriTemplate: string, description?: string): TemplateField[] {
  const names = [...new Set(new UriTemplate(uriTemplate).variableNames)];
  const inQuery = new Set<string>();
  const always = new Set<string>();
  for (const m of uriTemplate.matchAll(/\{([+#./;?&]?)([^}]*)\}/g)) {
    for (const raw of m[2].split(',')) {
      const name = raw.replace('*', '').trim();
      (m[1] === '?' || m[1] === '&' ? inQuery : always).add(name);
    }
  }
  return names.map((name) => ({
    name,
    optional: inQuery.has(name) && !always.has(name),
    ...declaredType(description, name, names.length),
  }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "must be an integer", "should be a positive number", "has to be a non-negative integer". */
const MUST_BE =
  /\b(?:must|should|has to|needs to|shall)\s+be\s+(?:an?\s+)?(positive|non-?negative)?\s*(integer|whole number|number|int)\b/i;

/** The type a description declares for one variable: in a sentence that names it (or the only variable). */
function declaredType(description: string | undefined, name: string, count: number): Pick<TemplateField, 'type' | 'sign'> {
  if (!description) return {};
  const named = new RegExp(`\\{${escapeRegExp(name)}\\}|\`${escapeRegExp(name)}\`|\\b${escapeRegExp(name)}\\b`);
  // "{page} (integer)" / "page: integer"
  const inline = new RegExp(
    `(?:\\{${escapeRegExp(name)}\\}|\\b${escapeRegExp(name)}\\b)\\s*(?:\\(|:)\\s*(positive\\s+|non-?negative\\s+)?(integer|int|number)\\b`,
    'i',
  );
  for (const sentence of description.split(/(?<=[.;!?])\s+|\n+/)) {
    const m =
      inline.exec(sentence) ??
      ((named.test(sentence) || count === 1) && !otherVariableOnly(sentence, name) ? MUST_BE.exec(sentence) : null);
    if (m) {
      const type = /number/i.test(m[2]) && !/whole/i.test(m[2]) ? 'number' : 'integer';
      const sign = m[1] ? (/^positive/i.test(m[1].trim()) ? 'positive' : 'non-negative') : undefined;
      return sign ? { type, sign } : { type };
    }
  }
  return {};
}

/** A sentence about another `{variable}` (and not this one) says nothing about this one. */
function otherVariableOnly(sentence: string, name: string): boolean {
  const vars = [...sentence.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return vars.length > 0 && !vars.includes(name);
}

/** The URI for the values entered (empty optional values are left out), expanded by the SDK. */
export function expandTemplate(uriTemplate: string, values: Readonly<Record<string, string>>): string {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== '') vars[k] = v;
  return new UriTemplate(uriTemplate).expand(vars);
}

/** "an integer", "a positive integer", "a number"; undefined when nothing is declared. */
export function describeType(field: TemplateField): string | undefined {
  if (!field.type) return undefined;
  return field.sign ? `a ${field.sign} ${field.type}` : field.type === 'integer' ? 'an integer' : 'a number';
}

/** The problem with a value typed for a template variable, or undefined when it is fine. */
export function checkTemplateValue(field: TemplateField, value: string): string | undefined {
  if (!field.optional && value.trim() === '') return `A value for {${field.name}} is required (Escape cancels).`;
  if (value === '' || !field.type) return undefined;
  const expected = `{${field.name}} must be ${describeType(field)} (as the template's description says)`;
  const t = value.trim();
  const n = Number(t);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) || !Number.isFinite(n)) return `${expected}; "${value}" is not a number.`;
  if (field.type === 'integer' && !Number.isInteger(n)) return `${expected}; ${t} is not a whole number.`;
  if (field.sign === 'positive' && n <= 0) return `${expected}; ${t} is not greater than 0.`;
  if (field.sign === 'non-negative' && n < 0) return `${expected}; ${t} is negative.`;
  return undefined;
}
