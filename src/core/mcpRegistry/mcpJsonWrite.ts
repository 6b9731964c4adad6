// Writes one server entry (and the inputs it references) into a VS Code mcp.json-style file,
// keeping the file's comments and formatting (jsonc-parser edits, not a rewrite). Used by the
// CLI's `add` and by the editor's install into .vscode/mcp.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { McpInput } from '../config/files';

export interface WriteResult {
  readonly file: string;
  /** Whether an entry of that name was there before (and has been replaced). */
  readonly replaced: boolean;
  readonly created: boolean;
}

/** The `servers` and `inputs` of the file, if it exists (for conflict checks and input ids). */
export function readServersFile(
  file: string,
  serversKey = 'servers',
  inputsKey = 'inputs',
): { servers: Record<string, unknown>; inputIds: Set<string> } {
  if (!fs.existsSync(file)) return { servers: {}, inputIds: new Set() };
  const doc = parseDocument(file, fs.readFileSync(file, 'utf8'));
  const servers = isObject(doc[serversKey]) ? (doc[serversKey] as Record<string, unknown>) : {};
  const inputs = Array.isArray(doc[inputsKey]) ? (doc[inputsKey] as unknown[]) : [];
  return { servers, inputIds: new Set(inputs.filter(isObject).map((i) => String(i.id))) };
}

/**
 * Sets `servers[name]` to `entry` and appends the inputs whose id is not declared yet. Creates the
 * file (and its folder) when missing. `serversKey` is "servers" for mcp.json; "mcpServers" for
 * Claude-style files.
 */
export function writeServerEntry(
  file: string,
  name: string,
  entry: Record<string, unknown>,
  inputs: readonly McpInput[] = [],
  serversKey = 'servers',
  inputsKey = 'inputs',
): WriteResult {
  const created = !fs.existsSync(file);
  let text = created ? '{\n}\n' : fs.readFileSync(file, 'utf8');
  const doc = parseDocument(file, text);
  const indent = detectIndent(text);
  const formattingOptions = {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
  const replaced = isObject(doc[serversKey]) && Object.prototype.hasOwnProperty.call(doc[serversKey], name);
  const list = Array.isArray(doc[inputsKey]) ? (doc[inputsKey] as unknown[]) : undefined;
  const declared = new Set((list ?? []).filter(isObject).map((i) => String(i.id)));
  const fresh = inputs.filter((i) => !declared.has(i.id));
  if (fresh.length) {
    if (!list) text = applyEdits(text, modify(text, [inputsKey], fresh.map(plainInput), { formattingOptions }));
    else
      fresh.forEach(
        (input, i) =>
          (text = applyEdits(
            text,
            modify(text, [inputsKey, list.length + i], plainInput(input), { formattingOptions, isArrayInsertion: true }),
          )),
      );
  }
  text = applyEdits(text, modify(text, [serversKey, name], entry, { formattingOptions }));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  return { file, replaced, created };
}

function plainInput(input: McpInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function parseDocument(file: string, text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const doc = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length)
    throw new Error(
      `${file} is not valid JSON (${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset}); fix it before adding a server.`,
    );
  if (doc !== undefined && !isObject(doc)) throw new Error(`${file}: expected a JSON object at the top.`);
  return (doc ?? {}) as Record<string, unknown>;
}

function detectIndent(text: string): string {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
