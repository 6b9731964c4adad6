// Planning writes to configuration files so that only the entry being changed changes: comments,
// key order and formatting elsewhere in the file survive (jsonc-parser's modify on the file text,
// never parse-then-stringify). Plain TypeScript (no `vscode`): unit-tested on real file texts; the
// editor side applies the result as one WorkspaceEdit, so undo works and open editors stay in sync.
// The ESM build: esbuild cannot bundle the package's UMD main (see settingsEditor.ts).
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  format,
  modify as jsoncModify,
  parse,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type JSONPath,
  type ParseError,
} from 'jsonc-parser';

/** Where servers live in a file: a settings.json, a .code-workspace file, or a VS Code mcp.json. */
export type ConfigFileKind = 'settings' | 'workspaceFile' | 'mcpJson';

export const SERVERS_SETTING = 'mcpManager.servers';
export const INPUTS_SETTING = 'mcpManager.inputs';

/** One change to the servers of a file (or to the inputs declared beside them). */
export type ConfigChange =
  /** Adds the entry, or replaces the entry of that name (its position is kept). */
  | { readonly op: 'set'; readonly name: string; readonly entry: unknown }
  | { readonly op: 'remove'; readonly name: string }
  /** Renames in place: the entry's text, its comments and its position are kept. */
  | { readonly op: 'rename'; readonly name: string; readonly to: string }
  /** Sets a boolean of the entry; the key is removed when the value is its default (see FLAG_DEFAULTS). */
  | { readonly op: 'setFlag'; readonly name: string; readonly flag: EntryFlag; readonly value: boolean }
  /** Appends input declarations whose id is not declared yet. */
  | { readonly op: 'addInputs'; readonly inputs: readonly Record<string, unknown>[] };

/** A text replacement, in offsets of the original text. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

/** The entry's on/off keys the tree's actions change: Disable / Enable, and the gateway checkbox. */
export type EntryFlag = 'disabled' | 'expose';
/** Each flag's meaning when absent: enabled, and offered by the gateway. Written only when it differs. */
export const FLAG_DEFAULTS: Readonly<Record<EntryFlag, boolean>> = { disabled: false, expose: true };

export class ConfigEditError extends Error {}

export function serversPath(kind: ConfigFileKind): JSONPath {
  return kind === 'mcpJson' ? ['servers'] : kind === 'workspaceFile' ? ['settings', SERVERS_SETTING] : [SERVERS_SETTING];
}

export function inputsPath(kind: ConfigFileKind): JSONPath {
  return kind === 'mcpJson' ? ['inputs'] : kind === 'workspaceFile' ? ['settings', INPUTS_SETTING] : [INPUTS_SETTING];
}

/** The file's own indentation and line ends, so inserted text looks like the rest. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]!);
  if (indents.some((i) => i.startsWith('\t'))) return { insertSpaces: false, tabSize: 4, eol };
  const sizes = indents.map((i) => i.length).filter((n) => n > 0);
  const tabSize = sizes.length ? Math.min(...sizes) : 2;
  return { insertSpaces: true, tabSize: Math.min(Math.max(tabSize, 1), 8), eol };
}

/** Parses the text (JSONC, trailing commas allowed); throws a ConfigEditError naming the file on a syntax error. */
export function readText(text: string, file: string): unknown {
  if (!text.trim()) return undefined;
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0]!;
    const line = text.slice(0, e.offset).split('\n').length;
    throw new ConfigEditError(`${file} has a syntax error (${printParseErrorCode(e.error)} on line ${line}); fix it first, then try again`);
  }
  return value;
}

/** The servers object of a file's text (undefined when absent). */
export function serversIn(text: string, kind: ConfigFileKind, file = 'the file'): Record<string, unknown> | undefined {
  const value = getPath(readText(text, file), serversPath(kind));
  return isObject(value) ? value : undefined;
}

/** The inputs array of a file's text (empty when absent). */
export function inputsIn(text: string, kind: ConfigFileKind, file = 'the file'): unknown[] {
  const value = getPath(readText(text, file), inputsPath(kind));
  return Array.isArray(value) ? value : [];
}

/**
 * The new text after `changes`, each applied to the text the previous one produced. Throws a
 * ConfigEditError (naming the file and the server) for a change that cannot apply: a syntax error,
 * removing or renaming a server that is not there, renaming onto a taken name.
 */
export function applyChanges(text: string, kind: ConfigFileKind, changes: readonly ConfigChange[], file = 'the file'): string {
  const formattingOptions = detectFormatting(text);
  let out = text;
  for (const change of changes) {
    readText(out, file);
    out = applyEdits(out, editsFor(out, kind, change, formattingOptions, file));
  }
  // A new file (or one jsonc-parser filled from nothing) ends with a line end, as editors write it.
  if (!text.trim() && out && !out.endsWith(formattingOptions.eol!)) out += formattingOptions.eol;
  return out;
}

/** The one replacement that turns `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}

/** Plans `changes` on a file's text: the edit to apply (undefined when nothing changes). */
export function planFileEdit(
  text: string,
  kind: ConfigFileKind,
  changes: readonly ConfigChange[],
  file = 'the file',
): TextEdit | undefined {
  return minimalEdit(text, applyChanges(text, kind, changes, file));
}

/**
 * jsonc-parser's modify, formatted like the file, but formatting only the inserted text: its own
 * formatting reformats whole lines around an insertion (e.g. expands a one-line `"args": [...]`
 * above an added `"disabled": true`), which would change what the user wrote.
 */
function modify(
  text: string,
  path: JSONPath,
  value: unknown,
  options: { formattingOptions: FormattingOptions; isArrayInsertion?: boolean },
): TextEdit[] {
  if (value === undefined) return removeProperty(text, path) ?? jsoncModify(text, path, undefined, {});
  const raw = jsoncModify(text, path, value, { isArrayInsertion: options.isArrayInsertion });
  if (raw.length !== 1) return raw;
  const edit = raw[0]!;
  // Appending after `"args": [...] // note`: the comma goes before the comment, the new property
  // after it, so the comment stays on the line it explains.
  const trailing = /^[ \t]*(\/\/[^\r\n]*|\/\*[^\r\n]*?\*\/)/.exec(text.slice(edit.offset));
  const split = edit.length === 0 && edit.content.startsWith(',') && trailing !== null;
  const edits = split
    ? [
        { offset: edit.offset, length: 0, content: ',' },
        {
          offset: edit.offset + trailing[0].length,
          length: 0,
          content: `${options.formattingOptions.eol ?? '\n'}${lineIndent(text, edit.offset)}${edit.content.slice(1).trimStart()}`,
        },
      ]
    : [edit];
  const main = edits[edits.length - 1]!;
  const inserted = applyEdits(text, edits);
  const start = main.offset + (split ? 1 : 0);
  const end = start + main.content.length;
  const own = format(inserted, { offset: start, length: end - start }, options.formattingOptions).filter(
    (f) => f.offset >= start && f.offset + f.length <= end,
  );
  const changed = minimalEdit(text, applyEdits(inserted, own));
  return changed ? [changed] : [];
}

/**
 * Removes a property that sits on lines of its own, line by line: with the `//` comment lines right
 * above it (they describe it) and its comma, but not the previous line's trailing comment, which
 * jsonc-parser's removal (from the previous comma on) would take along. Undefined for other layouts.
 */
function removeProperty(text: string, path: JSONPath): TextEdit[] | undefined {
  const root = parseTree(text);
  const prop = root && findNodeAtLocation(root, path)?.parent;
  const siblings = prop?.type === 'property' ? prop.parent?.children : undefined;
  if (!prop || !siblings) return undefined;
  const index = siblings.indexOf(prop);
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  let start = lineStart(prop.offset);
  if (text.slice(start, prop.offset).trim()) return undefined;
  for (let above = start; above > 0;) {
    const prevStart = lineStart(above - 1);
    if (!/^[ \t]*\/\/[^\n]*\r?\n$/.test(text.slice(prevStart, above))) break;
    start = above = prevStart;
  }
  let end = prop.offset + prop.length;
  const edits: TextEdit[] = [];
  if (index < siblings.length - 1) {
    const comma = commaAfter(text, end);
    if (comma === undefined) return undefined;
    end = comma + 1;
  } else if (index > 0) {
    const prev = siblings[index - 1]!;
    const comma = commaAfter(text, prev.offset + prev.length);
    if (comma === undefined) return undefined;
    edits.push({ offset: comma, length: 1, content: '' });
  }
  const rest = /^[ \t]*(\/\/[^\r\n]*)?(\r?\n|$)/.exec(text.slice(end));
  if (!rest) return undefined;
  end += rest[0].length;
  edits.push({ offset: start, length: end - start, content: '' });
  return edits;
}

/** The offset of the comma that follows `offset` (past whitespace and comments), if that is what comes next. */
function commaAfter(text: string, offset: number): number | undefined {
  // The scanner skips whitespace and comments (ignoreTrivia). SyntaxKind is a const enum, not
  // importable under isolatedModules: 5 is CommaToken.
  const COMMA = 5;
  const scanner = createScanner(text, true);
  scanner.setPosition(offset);
  return scanner.scan() === COMMA ? scanner.getTokenOffset() : undefined;
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function editsFor(text: string, kind: ConfigFileKind, change: ConfigChange, formattingOptions: FormattingOptions, file: string) {
  const servers = serversPath(kind);
  const existing = serversIn(text, kind, file) ?? {};
  const has = (name: string) => Object.prototype.hasOwnProperty.call(existing, name);
  const missing = (name: string) =>
    new ConfigEditError(`there is no server "${name}" in ${file}; it may have been changed or removed meanwhile (refresh the view)`);
  const options = { formattingOptions };
  switch (change.op) {
    case 'set':
      return modify(text, [...servers, change.name], change.entry, options);
    case 'remove':
      if (!has(change.name)) throw missing(change.name);
      return modify(text, [...servers, change.name], undefined, options);
    case 'setFlag': {
      if (!has(change.name)) throw missing(change.name);
      const entry = existing[change.name];
      if (!isObject(entry)) throw new ConfigEditError(`the entry of "${change.name}" in ${file} is not an object; fix it by hand`);
      const isDefault = change.value === FLAG_DEFAULTS[change.flag];
      if (isDefault && entry[change.flag] === undefined) return [];
      return modify(text, [...servers, change.name, change.flag], isDefault ? undefined : change.value, options);
    }
    case 'rename': {
      if (!has(change.name)) throw missing(change.name);
      if (change.to === change.name) return [];
      if (has(change.to)) throw new ConfigEditError(`a server named "${change.to}" already exists in ${file}`);
      // The property's key is replaced in place: the value's text and its comments stay as written.
      const root = parseTree(text);
      const value = root && findNodeAtLocation(root, [...servers, change.name]);
      const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
      if (!key) throw missing(change.name);
      return [{ offset: key.offset, length: key.length, content: JSON.stringify(change.to) }];
    }
    case 'addInputs': {
      const declared = inputsIn(text, kind, file);
      const ids = new Set(declared.map((d) => (isObject(d) ? String(d.id) : '')));
      const fresh = change.inputs.filter((i) => !ids.has(String(i.id)) && ids.add(String(i.id)));
      if (!fresh.length) return [];
      const path = inputsPath(kind);
      if (!Array.isArray(getPath(readText(text, file), path))) return modify(text, path, fresh, options);
      // Appended one by one (-1: at the end), so the declarations already there keep their text.
      let out = text;
      for (const input of fresh) out = applyEdits(out, modify(out, [...path, -1], input, { ...options, isArrayInsertion: true }));
      const edit = minimalEdit(text, out);
      return edit ? [edit] : [];
    }
  }
}

/**
 * The same changes on plain values, for a scope with no file to edit (the configuration API then
 * writes the whole setting). Rename and set keep the entry's position.
 */
export function applyChangesToValues(
  servers: Readonly<Record<string, unknown>> | undefined,
  inputs: readonly unknown[] | undefined,
  changes: readonly ConfigChange[],
  where = 'the settings',
): { servers: Record<string, unknown>; inputs: unknown[] } {
  let s: Record<string, unknown> = { ...(servers ?? {}) };
  const i: unknown[] = [...(inputs ?? [])];
  const missing = (name: string) =>
    new ConfigEditError(`there is no server "${name}" in ${where}; it may have been changed or removed meanwhile (refresh the view)`);
  for (const change of changes) {
    switch (change.op) {
      case 'set':
        s[change.name] = change.entry;
        break;
      case 'remove':
        if (!(change.name in s)) throw missing(change.name);
        delete s[change.name];
        break;
      case 'setFlag': {
        const entry = s[change.name];
        if (!isObject(entry)) throw missing(change.name);
        const { [change.flag]: _old, ...rest } = entry;
        s[change.name] = change.value === FLAG_DEFAULTS[change.flag] ? rest : { ...rest, [change.flag]: change.value };
        break;
      }
      case 'rename': {
        if (!(change.name in s)) throw missing(change.name);
        if (change.to === change.name) break;
        if (change.to in s) throw new ConfigEditError(`a server named "${change.to}" already exists in ${where}`);
        s = Object.fromEntries(Object.entries(s).map(([k, v]) => [k === change.name ? change.to : k, v]));
        break;
      }
      case 'addInputs': {
        const ids = new Set(i.map((d) => (isObject(d) ? String(d.id) : '')));
        for (const input of change.inputs) {
          if (ids.has(String(input.id))) continue;
          ids.add(String(input.id));
          i.push(input);
        }
        break;
      }
    }
  }
  return { servers: s, inputs: i };
}

/** A name not taken yet: `base`, else `base-copy`, `base-copy-2`, ... */
export function copyName(base: string, taken: (name: string) => boolean): string {
  let name = `${base}-copy`;
  for (let n = 2; taken(name); n++) name = `${base}-copy-${n}`;
  return name;
}

/** Why a new server name cannot be used, or undefined. */
export function nameProblem(name: string, taken: (name: string) => boolean, current?: string): string | undefined {
  const n = name.trim();
  if (!n) return 'The name must not be empty';
  if (n === current) return undefined;
  if (taken(n)) return `A server named "${n}" already exists`;
  return undefined;
}

/** The offset of a server's key in the text, for "Edit" (undefined when absent). */
export function entryOffset(text: string, kind: ConfigFileKind, name: string): { offset: number; length: number } | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, [...serversPath(kind), name]);
  const key = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return key ? { offset: key.offset, length: key.length } : undefined;
}

function getPath(value: unknown, path: JSONPath): unknown {
  let v = value;
  for (const p of path) v = isObject(v) ? v[p as string] : undefined;
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
