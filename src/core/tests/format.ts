// The `*.mcptest.json` file (JSONC): a default server and a list of tests, each one tool call,
// resource read or prompt get with expectations. Parsed strictly (unknown keys are typos that
// would silently test nothing), and every problem names the file, the test and the field.
import { parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import * as z from '../zod';
import type { ZodIssue } from '../zod';
import { ConfigFileError, parseJsoncText } from '../config/files';
import { suggest } from '../text';
import { parseJsonPath } from './jsonPath';

export const COLLECTION_SUFFIX = '.mcptest.json';

export function isCollectionFile(file: string): boolean {
  return file.endsWith(COLLECTION_SUFFIX);
}

const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));

const expectSchema = z.strictObject({
  isError: z.optional(z.boolean()),
  contains: z.optional(z.union([z.string(), z.array(z.string()).check(z.minLength(1, 'must list at least one string'))])),
  matches: z.optional(z.string()),
  structuredContent: z.optional(z.unknown()),
  snapshot: z.optional(z.boolean()),
  ignore: z.optional(z.array(nonEmpty)),
  maxMs: z.optional(z.int().check(z.positive('must be a positive number of milliseconds'))),
});

const testSchema = z.strictObject({
  name: nonEmpty,
  tool: z.optional(nonEmpty),
  resource: z.optional(nonEmpty),
  prompt: z.optional(nonEmpty),
  arguments: z.optional(z.record(z.string(), z.unknown())),
  server: z.optional(nonEmpty),
  skip: z.optional(z.boolean()),
  timeoutMs: z.optional(z.int().check(z.positive())),
  expect: z.optional(expectSchema),
});

const fileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  server: z.optional(nonEmpty),
  ignore: z.optional(z.array(nonEmpty)),
  tests: z.array(z.unknown()),
});

export type Expectations = z.output<typeof expectSchema>;
export type TestKind = 'tool' | 'resource' | 'prompt';

export interface TestCase {
  readonly name: string;
  /** Position in the file's `tests` array. */
  readonly index: number;
  /** 0-based line and character of the test's object in the file (for editors and messages). */
  readonly line: number;
  readonly character: number;
  readonly server: string;
  readonly kind: TestKind;
  /** The tool name, resource URI or prompt name. */
  readonly target: string;
  readonly arguments: Record<string, unknown>;
  readonly expect: Expectations;
  /** Snapshot masks: the file's `ignore` followed by the test's own. */
  readonly ignore: readonly string[];
  readonly skip: boolean;
  readonly timeoutMs?: number;
}

export interface Collection {
  readonly file: string;
  readonly server?: string;
  readonly tests: readonly TestCase[];
}

export interface CollectionIssue {
  readonly file: string;
  /** The test's name (or `tests[3]` before it has one); absent for file-level problems. */
  readonly test?: string;
  /** The field, as a path from the test (or the file), e.g. `expect.matches`. */
  readonly field?: string;
  readonly message: string;
  /** 0-based line of the problem when known. */
  readonly line?: number;
}

export function formatIssue(i: CollectionIssue): string {
  const where = [i.test !== undefined ? `test "${i.test}"` : undefined, i.field].filter(Boolean).join(', ');
  return `${i.file}${i.line !== undefined ? `:${i.line + 1}` : ''}: ${where ? `${where}: ` : ''}${i.message}`;
}

/** Thrown by loadCollection: every problem of one file. */
export class CollectionError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly CollectionIssue[],
  ) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'CollectionError';
  }
}

export interface ParseOptions {
  /** Configured server names: a test naming another one is an error. Absent: not checked. */
  readonly servers?: readonly string[];
}

/** Parses a collection's text; `file` is used in messages. Never throws: problems are in `issues`. */
export function parseCollection(
  text: string,
  file: string,
  options: ParseOptions = {},
): { collection?: Collection; issues: CollectionIssue[] } {
  const issues: CollectionIssue[] = [];
  let raw: unknown;
  try {
    raw = parseJsoncText(text, file);
  } catch (e) {
    const line = e instanceof ConfigFileError && e.line !== undefined ? e.line - 1 : undefined;
    return {
      issues: [
        {
          file,
          message:
            e instanceof ConfigFileError ? e.message.replace(/^.*?:\d+:\d+: /, `syntax error at line ${(line ?? 0) + 1}: `) : String(e),
          line,
        },
      ],
    };
  }
  if (raw === undefined) return { issues: [{ file, message: 'the file is empty; expected { "server": "<name>", "tests": [ ... ] }' }] };
  const root = parseTree(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, [], { allowTrailingComma: true });
  const lineOf = lineIndex(text);
  const at = (p: (string | number)[]) => {
    const node = root && findNodeAtLocation(root, p);
    return node ? lineOf(node.offset) : undefined;
  };

  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    for (const i of top.error.issues)
      issues.push({
        file,
        field: fieldOf(i, Object.keys(fileSchema.shape)),
        message: messageOf(i, Object.keys(fileSchema.shape)),
        line: at(i.path as (string | number)[]),
      });
    return { issues };
  }
  const known = options.servers;
  const checkServer = (server: string, test: string | undefined, field: string, p: (string | number)[]) => {
    if (!known || known.includes(server)) return;
    const hint = suggest(server, [...known]);
    const list = known.length ? `configured: ${known.join(', ')}` : 'no servers are configured';
    issues.push({
      file,
      test,
      field,
      message: `unknown server "${server}"${hint ? ` (did you mean "${hint}"?)` : ''}; ${list}`,
      line: at(p),
    });
  };
  if (top.data.server) checkServer(top.data.server, undefined, 'server', ['server']);
  const fileIgnore = top.data.ignore ?? [];
  fileIgnore.forEach((p, k) => checkPath(p, (m) => issues.push({ file, field: `ignore[${k}]`, message: m, line: at(['ignore', k]) })));

  const tests: TestCase[] = [];
  const seen = new Set<string>();
  top.data.tests.forEach((item, index) => {
    const p = ['tests', index];
    const node = root && findNodeAtLocation(root, p);
    const pos = node ? lineColumn(text, node.offset) : { line: 0, character: 0 };
    const label = isRecord(item) && typeof item.name === 'string' && item.name ? item.name : `tests[${index}]`;
    const problem = (field: string | undefined, message: string, sub: (string | number)[] = []) =>
      issues.push({ file, test: label, field, message, line: at([...p, ...sub]) ?? pos.line });
    const parsed = testSchema.safeParse(item);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        problem(
          fieldOf(i, Object.keys(testSchema.shape)),
          messageOf(i, Object.keys(testSchema.shape), expectKeysFor(i)),
          i.path as (string | number)[],
        );
      return;
    }
    const t = parsed.data;
    const kinds = (['tool', 'resource', 'prompt'] as const).filter((k) => t[k] !== undefined);
    if (kinds.length !== 1) {
      problem(
        undefined,
        kinds.length
          ? `gives ${kinds.map((k) => `"${k}"`).join(' and ')}; a test makes exactly one call`
          : 'says nothing to call: give "tool": "<name>", "resource": "<uri>" or "prompt": "<name>"',
      );
      return;
    }
    const kind = kinds[0]!;
    if (seen.has(t.name))
      problem('name', 'is used by an earlier test; names must be unique in a file (snapshots are stored by name)', ['name']);
    seen.add(t.name);
    const server = t.server ?? top.data.server;
    if (!server) {
      problem('server', 'no server: give "server" in the test or a default "server" at the top of the file');
      return;
    }
    if (t.server) checkServer(t.server, t.name, 'server', [...p, 'server']);
    const ex = t.expect ?? {};
    if (ex.matches !== undefined) {
      try {
        new RegExp(ex.matches);
      } catch (e) {
        problem(
          'expect.matches',
          `is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
          ['expect', 'matches'],
        );
      }
    }
    if (kind === 'prompt' && t.arguments) {
      for (const [k, v] of Object.entries(t.arguments))
        if (typeof v !== 'string') problem(`arguments.${k}`, 'prompt arguments must be strings', ['arguments', k]);
    }
    if (kind === 'resource' && t.arguments) problem('arguments', 'a resource read takes no arguments', ['arguments']);
    if (kind !== 'tool' && ex.isError !== undefined) problem('expect.isError', 'applies to tool calls only', ['expect', 'isError']);
    if (kind !== 'tool' && ex.structuredContent !== undefined)
      problem('expect.structuredContent', 'applies to tool calls only', ['expect', 'structuredContent']);
    (ex.ignore ?? []).forEach((q, k) => checkPath(q, (m) => problem(`expect.ignore[${k}]`, m, ['expect', 'ignore', k])));
    if (ex.ignore && !ex.snapshot) problem('expect.ignore', 'masks snapshot fields; it needs "snapshot": true', ['expect', 'ignore']);
    tests.push({
      name: t.name,
      index,
      line: pos.line,
      character: pos.character,
      server,
      kind,
      target: t[kind]!,
      arguments: t.arguments ?? {},
      expect: ex,
      ignore: [...fileIgnore, ...(ex.ignore ?? [])],
      skip: t.skip ?? false,
      timeoutMs: t.timeoutMs,
    });
  });
  if (issues.length) return { issues };
  return { collection: { file, server: top.data.server, tests }, issues };
}

/** Same, throwing a CollectionError listing every problem. */
export function loadCollection(text: string, file: string, options: ParseOptions = {}): Collection {
  const { collection, issues } = parseCollection(text, file, options);
  if (!collection) throw new CollectionError(file, issues);
  return collection;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldOf(i: ZodIssue, _keys: readonly string[]): string | undefined {
  const p = (i.path as (string | number)[]).slice();
  // Test-level paths arrive as [key, ...] relative to the test; file-level ones as [key, ...].
  if (i.code === 'unrecognized_keys') {
    const key = i.keys[0]!;
    return [...p, key].map((s, k) => (typeof s === 'number' ? `[${s}]` : k ? `.${s}` : s)).join('');
  }
  return p.length ? p.map((s, k) => (typeof s === 'number' ? `[${s}]` : k ? `.${s}` : s)).join('') : undefined;
}

function expectKeysFor(i: ZodIssue): readonly string[] | undefined {
  return i.path[0] === 'expect' ? Object.keys(expectSchema.shape) : undefined;
}

function messageOf(i: ZodIssue, keys: readonly string[], nestedKeys?: readonly string[]): string {
  if (i.code === 'unrecognized_keys') {
    const key = i.keys[0]!;
    const pool = nestedKeys ?? keys;
    const hint = suggest(key, [...pool]);
    return `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${pool.join(', ')}`;
  }
  if (i.code === 'invalid_type' && i.input === undefined) return 'is required';
  return i.message;
}

/** Rejects mask paths the masker would not understand (see jsonPath.ts). */
function checkPath(p: string, report: (message: string) => void): void {
  try {
    parseJsonPath(p);
  } catch (e) {
    report((e as Error).message);
  }
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) starts.push(k + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

function lineColumn(text: string, offset: number): { line: number; character: number } {
  const line = lineIndex(text)(offset);
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return { line, character: offset - start };
}

/** The node of the `tests` array in a parsed tree (for editors appending a test). */
export function testsArrayNode(root: Node | undefined): Node | undefined {
  return root ? findNodeAtLocation(root, ['tests']) : undefined;
}
