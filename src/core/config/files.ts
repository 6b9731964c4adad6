// Reading configuration files: the workspace's `.vscode/settings.json` (`mcpManager.servers`) and
// `.vscode/mcp.json`, or one given file in any of the dialects users already have (VS Code
// settings, VS Code mcp.json, and the `mcpServers` files of Claude Desktop, Cursor, Cline and
// `.mcp.json`). Plain Node: used by the CLI and, through the same functions, by the extension.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// jsonc-parser's UMD main breaks when bundled; esbuild.mjs prefers its ESM entry (mainFields).
import { parse as parseJsonc, printParseErrorCode, stripComments, visit, type ParseError } from 'jsonc-parser';
import { kindOf } from '../text';
import { mergeLayers, type Layer } from './layers';
import type { ConfigIssue, ConfigSource, ParseResult } from './types';
import type { VariableContext } from './variables';
import { isObject } from '../format';

/** The setting that holds our servers in a settings.json. */
export const SETTINGS_KEY = 'mcpManager.servers';

/** An item of mcp.json's `inputs` (values for `${input:id}`). */
export interface McpInput {
  readonly type: 'promptString' | 'pickString';
  readonly id: string;
  readonly description?: string;
  readonly password?: boolean;
  readonly default?: string;
  /** pickString only. */
  readonly options?: readonly string[];
}

export interface ConfigFileResult extends ParseResult {
  readonly inputs: McpInput[];
}

/**
 * An issue that does not make anything unusable (e.g. the same name in two files, where one entry
 * is used). Structurally a ConfigIssue, so it travels in `issues`; hosts may show it as a warning.
 */
export interface ConfigNote extends ConfigIssue {
  readonly severity: 'warning';
}

export function isConfigNote(issue: ConfigIssue): issue is ConfigNote {
  return (issue as Partial<ConfigNote>).severity === 'warning';
}

/** A file that cannot be read or parsed at all; the message starts with `file:line:col:` where known. */
export class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

/**
 * Reads a JSON-with-comments file (comments and trailing commas allowed, as in VS Code's files).
 * Returns undefined for a file with no value at all (empty, or only comments), which VS Code
 * treats as empty settings. Syntax errors throw a ConfigFileError `file:line:col: message`.
 */
export function readJsonc(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? String(e)})`;
    throw new ConfigFileError(`${file}: ${why}`, file);
  }
  return parseJsoncText(text, file);
}

/** The parsing half of readJsonc (for text that is not on disk, e.g. an unsaved editor). */
export function parseJsoncText(text: string, file: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (stripComments(text).trim() === '') return undefined;
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length) {
    const first = errors[0]!;
    const { line, column } = lineColumn(text, first.offset);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    throw new ConfigFileError(`${file}:${line}:${column}: ${describeParseError(first)}${more}`, file, line, column);
  }
  return value;
}

export interface DuplicateKey {
  /** Path of the object holding the key, e.g. ['servers']. */
  readonly path: readonly (string | number)[];
  readonly key: string;
  readonly line: number;
  readonly column: number;
}

/** Keys that appear twice in one object. JSON parsers silently keep the last; we say so. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void stack.push(new Set()),
      onObjectEnd: () => void stack.pop(),
      onObjectProperty: (key, _offset, _length, line, character, pathSupplier) => {
        const keys = stack[stack.length - 1];
        if (!keys) return;
        if (keys.has(key)) found.push({ path: pathSupplier(), key, line: line + 1, column: character + 1 });
        keys.add(key);
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return found;
}

const SERVER_CONTAINERS = [['servers'], ['mcpServers'], [SETTINGS_KEY], ['mcp', 'servers']];

/** Warnings for server names defined twice in the same file (the last definition is used). */
export function duplicateServerIssues(file: string, source: ConfigSource | undefined): ConfigIssue[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return duplicateKeys(text)
    .filter((d) => SERVER_CONTAINERS.some((c) => c.length === d.path.length && c.every((k, i) => d.path[i] === k)))
    .map((d) => ({
      server: d.key,
      severity: 'warning' as const,
      message: `defined twice in ${path.basename(file)} (again at line ${d.line}); the last definition is used`,
      source,
    }));
}

function describeParseError(e: ParseError): string {
  const name = printParseErrorCode(e.error);
  // "CommaExpected" -> "comma expected"; the codes are descriptive enough once spelled out.
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// ------------------------------------------------------------------------------------ one file

/**
 * One configuration file of any supported dialect, detected by its keys:
 * `mcpManager.servers` (a VS Code settings.json), `servers` (VS Code mcp.json, with `inputs`),
 * `mcpServers` (Claude Desktop, Cursor, Cline, `.mcp.json`), or `mcp.servers` (settings.json of
 * VS Code versions before mcp.json). When a file has several, all are read; first wins on a name.
 * Throws a ConfigFileError when the file is unreadable, not JSONC, or has none of these keys.
 */
export function loadConfigFile(file: string, ctx: Partial<VariableContext> = {}): ConfigFileResult {
  const context: VariableContext = { userHome: os.homedir(), env: process.env, ...ctx };
  const raw = readJsonc(file);
  const source: ConfigSource = { kind: 'file', label: file, file: path.resolve(file) };
  if (!isObject(raw))
    throw new ConfigFileError(
      `${file}: expected a JSON object with MCP servers, got ${raw === undefined ? 'an empty file' : kindOf(raw)}`,
      file,
    );
  const layers: Layer[] = [];
  const issues: ConfigIssue[] = duplicateServerIssues(file, source);
  const inputs: McpInput[] = [];
  const section = (servers: unknown, convert?: Layer['convert']) => layers.push({ servers, source, context, convert });
  if (raw[SETTINGS_KEY] !== undefined) section(raw[SETTINGS_KEY]);
  if (raw.servers !== undefined) {
    section(raw.servers);
    inputs.push(...parseInputs(raw.inputs, source, issues));
  }
  if (raw.mcpServers !== undefined) section(raw.mcpServers, (entry) => convertMcpServersEntry(entry).entry);
  const legacy = raw.mcp;
  if (isObject(legacy) && legacy.servers !== undefined) {
    section(legacy.servers);
    inputs.push(...parseInputs(legacy.inputs, source, issues));
  }
  if (layers.length === 0) {
    const keys = Object.keys(raw);
    throw new ConfigFileError(
      `${file}: no MCP servers found: expected "${SETTINGS_KEY}" (VS Code settings.json), "servers" (VS Code mcp.json) ` +
        `or "mcpServers" (Claude Desktop, Cursor, Cline, .mcp.json); the file has ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'no keys'}`,
      file,
    );
  }
  const result = mergeLayers(layers);
  return { servers: result.servers, issues: [...issues, ...result.issues], inputs };
}

/** Validates an `inputs` array (mcp.json's, or the `mcpManager.inputs` setting); bad items become issues. */
export function parseInputs(raw: unknown, source: ConfigSource, issues: ConfigIssue[]): McpInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.push({ field: 'inputs', message: `inputs must be an array, got ${kindOf(raw)}`, source });
    return [];
  }
  const out: McpInput[] = [];
  raw.forEach((item: unknown, i) => {
    const bad = (message: string): void => void issues.push({ field: `inputs.${i}`, message, source });
    if (!isObject(item)) return bad(`expected an object with "type" and "id", got ${kindOf(item)}`);
    if (typeof item.id !== 'string' || !item.id) return bad('missing "id"');
    if (item.type !== 'promptString' && item.type !== 'pickString')
      return bad(`unsupported type ${JSON.stringify(item.type)}: use "promptString" or "pickString"`);
    const options = Array.isArray(item.options)
      ? item.options.map((o: unknown) => (isObject(o) && typeof o.value === 'string' ? o.value : String(o)))
      : undefined;
    out.push({
      type: item.type,
      id: item.id,
      description: typeof item.description === 'string' ? item.description : undefined,
      password: item.password === true,
      default: typeof item.default === 'string' ? item.default : undefined,
      options,
    });
  });
  return out;
}

// ------------------------------------------------------------------------------------ mcpServers dialects

/**
 * Keys other clients keep in their server entries that mean nothing to us (tool auto-approval,
 * per-tool filters, UI hints). They are dropped rather than reported as unknown keys, so a file
 * shared with those clients stays usable.
 */
export const CLIENT_SPECIFIC_KEYS = [
  'autoApprove', // Cline, Roo Code
  'alwaysAllow', // Roo Code
  'disabledTools', // Windsurf, Roo Code
  'enabledTools',
  'includeTools', // Gemini CLI
  'excludeTools', // Gemini CLI
  'trust', // Gemini CLI
  'watchPaths', // Roo Code
  'description',
  'name',
  'icon',
] as const;

export interface ConvertedEntry {
  /** In the shape of a `servers` entry of mcp.json / mcpManager.servers (validated later by parseServer). */
  readonly entry: unknown;
  /** Keys removed because only other clients use them. */
  readonly dropped: string[];
}

/**
 * Normalises an entry of an `mcpServers` object (Claude Desktop, Cursor, Cline, Roo, Windsurf,
 * `.mcp.json`) to our entry shape. Pure: no I/O, input not modified. Anything it does not know is
 * kept, so parseServer can report it against the field the user wrote.
 */
export function convertMcpServersEntry(raw: unknown): ConvertedEntry {
  if (!isObject(raw)) return { entry: raw, dropped: [] };
  const entry: Record<string, unknown> = { ...raw };
  const dropped: string[] = [];
  for (const key of CLIENT_SPECIFIC_KEYS) {
    if (key in entry) {
      delete entry[key];
      dropped.push(key);
    }
  }
  // Cline's older files say `transportType`; Windsurf says `serverUrl`; Gemini CLI `httpUrl` (Streamable HTTP).
  if (entry.type === undefined && entry.transportType !== undefined) entry.type = entry.transportType;
  delete entry.transportType;
  if (entry.url === undefined && typeof entry.serverUrl === 'string') entry.url = entry.serverUrl;
  delete entry.serverUrl;
  if (entry.url === undefined && typeof entry.httpUrl === 'string') {
    entry.url = entry.httpUrl;
    entry.type ??= 'http';
  }
  delete entry.httpUrl;

  if (entry.type !== undefined) {
    entry.type = normaliseTypeSpelling(entry.type);
  } else if (typeof entry.url === 'string' && entry.command === undefined) {
    // No type: Cline treats a bare `url` as SSE while Cursor and Claude Code treat it as Streamable
    // HTTP, so the file alone does not say. The URL usually does: SSE servers conventionally serve
    // their event stream at `/sse`, Streamable HTTP servers at `/mcp` or elsewhere.
    entry.type = guessUrlType(entry.url);
  }
  // Cline's `timeout` is in seconds and bounds each request.
  if (entry.timeout !== undefined) {
    if (entry.requestTimeoutMs === undefined)
      entry.requestTimeoutMs = typeof entry.timeout === 'number' ? Math.round(entry.timeout * 1000) : entry.timeout;
    delete entry.timeout;
  }
  return { entry, dropped };
}

/** `http` unless the URL's path ends with `/sse` (see convertMcpServersEntry). */
export function guessUrlType(url: string): 'http' | 'sse' {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    pathname = url.split(/[?#]/)[0] ?? url;
  }
  return /\/sse\/?$/i.test(pathname) ? 'sse' : 'http';
}

function normaliseTypeSpelling(type: unknown): unknown {
  if (typeof type !== 'string') return type;
  const t = type.toLowerCase().replace(/[-_]/g, '');
  if (t === 'streamablehttp' || t === 'http') return 'http';
  if (t === 'sse' || t === 'stdio') return t;
  return type;
}

// ------------------------------------------------------------------------------------ helpers
