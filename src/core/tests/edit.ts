// Appending a test to a collection's text, keeping its comments and formatting (jsonc-parser
// edits), for "Save as Test...". Pure: text in, text out, plus where the new test starts.
import { applyEdits, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import { parseCollection } from './format';

export interface NewTest {
  readonly name: string;
  readonly server?: string;
  readonly tool: string;
  readonly arguments?: Record<string, unknown>;
  readonly expect: Record<string, unknown>;
}

/** The text of a new collection for `server`. */
export function newCollectionText(server: string): string {
  return `${JSON.stringify({ server, tests: [] }, null, 2)}\n`;
}

/**
 * `text` with `test` appended to its `tests` array (created when missing). A test naming the
 * file's default server drops `server`. Throws when the text is not a collection object.
 */
export function appendTest(text: string, test: NewTest): { text: string; line: number } {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  if (!tree || tree.type !== 'object')
    throw new Error('the file does not hold a JSON object; expected { "server": "<name>", "tests": [ ... ] }');
  const defaultServer = findNodeAtLocation(tree, ['server'])?.value as unknown;
  const entry: Record<string, unknown> = { name: test.name };
  if (test.server !== undefined && test.server !== defaultServer) entry.server = test.server;
  entry.tool = test.tool;
  if (test.arguments && Object.keys(test.arguments).length) entry.arguments = test.arguments;
  entry.expect = test.expect;
  const tests = findNodeAtLocation(tree, ['tests']);
  if (tests && tests.type !== 'array') throw new Error('"tests" is not an array');
  const index = tests?.children?.length ?? 0;
  const indent = detectIndent(text);
  const edits = modify(text, tests ? ['tests', index] : ['tests'], tests ? entry : [entry], {
    formattingOptions: {
      insertSpaces: indent !== '\t',
      tabSize: indent === '\t' ? 1 : indent.length,
      eol: text.includes('\r\n') ? '\r\n' : '\n',
    },
    isArrayInsertion: !!tests,
  });
  const next = applyEdits(text, edits);
  const parsed = parseCollection(next, 'new');
  const line = parsed.collection?.tests.find((t) => t.name === test.name)?.line ?? lineOfNewTest(next, index);
  return { text: next, line };
}

function lineOfNewTest(text: string, index: number): number {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const node = tree && findNodeAtLocation(tree, ['tests', index]);
  return node ? text.slice(0, node.offset).split('\n').length - 1 : 0;
}

function detectIndent(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '  ';
  return m[1]!.startsWith('\t') ? '\t' : m[1]!;
}
