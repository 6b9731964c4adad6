// MCP test collections, the core half (src/core/tests): the file format and its errors, matching,
// masks, snapshots, diffs, JUnit, appending a saved call, and the runner against the real fixture server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServerConnection } from '../../src/core';
import {
  appendTest,
  checkExpectations,
  expectationsFromResult,
  formatFailure,
  formatIssue,
  junitXml,
  lineDiff,
  maskPaths,
  newCollectionText,
  parseCollection,
  parseJsonPath,
  runCollections,
  SnapshotStore,
  snapshotFile,
  subsetMismatch,
  summaryText,
  uniqueName,
  type Collection,
} from '../../src/core/tests';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { definition, fastTiming } from '../unit/helpers';

const FILE = '/ws/weather.mcptest.json';

function issuesOf(text: string, servers?: string[]) {
  const r = parseCollection(text, FILE, { servers });
  assert.equal(r.collection, undefined, 'expected the file to be rejected');
  return r.issues.map(formatIssue);
}

const toolResult = (text: string, extra: Partial<CallToolResult> = {}): CallToolResult => ({ content: [{ type: 'text', text }], ...extra });

describe('test collections: the file', () => {
  it('parses JSONC with comments, defaults and the line of each test', () => {
    const text = `{
  // default server
  "server": "weather",
  "tests": [
    { "name": "paris", "tool": "get_forecast", "arguments": { "city": "Paris" }, "expect": { "contains": "Paris" } },
    {
      "name": "readme", "resource": "file:///readme", "server": "docs",
    },
  ],
}`;
    const { collection, issues } = parseCollection(text, FILE, { servers: ['weather', 'docs'] });
    assert.deepEqual(issues, []);
    const [a, b] = collection!.tests;
    assert.deepEqual(
      [a!.name, a!.kind, a!.target, a!.server, a!.line, a!.arguments],
      ['paris', 'tool', 'get_forecast', 'weather', 4, { city: 'Paris' }],
    );
    assert.deepEqual([b!.name, b!.kind, b!.target, b!.server, b!.line], ['readme', 'resource', 'file:///readme', 'docs', 5]);
  });

  it('names the file, the test and the field: unknown server, unknown key, bad regex', () => {
    const text = `{
  "server": "weathr",
  "tests": [
    { "name": "a", "tool": "t", "expect": { "contians": "x" } },
    { "name": "b", "tool": "t", "expect": { "matches": "([a-z" } },
    { "name": "c", "tool": "t", "server": "nope" }
  ]
}`;
    const issues = issuesOf(text, ['weather']);
    assert.deepEqual(issues, [
      `${FILE}:2: server: unknown server "weathr" (did you mean "weather"?); configured: weather`,
      `${FILE}:4: test "a", expect.contians: unknown key (did you mean "contains"?); allowed: isError, contains, matches, structuredContent, snapshot, ignore, maxMs`,
      `${FILE}:5: test "b", expect.matches: is not a valid regular expression: /([a-z/: Unterminated character class`,
      `${FILE}:6: test "c", server: unknown server "nope"; configured: weather`,
    ]);
  });

  it('rejects a test with nothing or two things to call, duplicate names, no server, bad masks', () => {
    const issues = issuesOf(`{ "tests": [
      { "name": "none" },
      { "name": "two", "tool": "a", "prompt": "b", "server": "s" },
      { "name": "dup", "tool": "a", "server": "s" },
      { "name": "dup", "tool": "a", "server": "s" },
      { "name": "orphan", "tool": "a" },
      { "name": "mask", "tool": "a", "server": "s", "expect": { "snapshot": true, "ignore": ["content[0]"] } },
      { "tool": "a", "server": "s" }
    ] }`);
    assert.equal(issues.length, 6, issues.join('\n'));
    assert.match(issues[0]!, /test "none": says nothing to call: give "tool"/);
    assert.match(issues[1]!, /test "two": gives "tool" and "prompt"; a test makes exactly one call/);
    assert.match(issues[2]!, /:5: test "dup", name: is used by an earlier test/);
    assert.match(issues[3]!, /test "orphan", server: no server/);
    assert.match(issues[4]!, /test "mask", expect\.ignore\[0\]: "content\[0\]" is not a JSONPath: start it with "\$"/);
    assert.equal(issues[5]!, `${FILE}:8: test "tests[6]", name: is required`);
  });

  it('reports a syntax error with its line, and an empty file', () => {
    assert.match(issuesOf('{\n  "tests": [\n    { "name": }\n  ]\n}')[0]!, /^\/ws\/weather\.mcptest\.json:3: syntax error at line 3: /);
    assert.match(issuesOf('  ')[0]!, /the file is empty/);
    assert.match(issuesOf('{ "server": "s" }')[0]!, /tests: is required/);
    assert.match(issuesOf('{ "tests": [], "servers": "x" }')[0]!, /servers: unknown key \(did you mean "server"\?\)/);
  });
});

describe('test collections: matching', () => {
  it('isError, contains (string and list), matches', () => {
    assert.deepEqual(checkExpectations('tool', toolResult('Echo: hi'), { contains: ['Echo', 'hi'], matches: '^Echo: \\w+$' }, 1), []);
    const f = checkExpectations('tool', toolResult('boom', { isError: true }), { contains: ['boom', 'bang'] }, 1);
    assert.deepEqual(
      f.map((x) => x.expectation),
      ['isError', 'contains'],
    );
    assert.equal(f[0]!.message, 'the tool reported an error (isError: true): boom');
    assert.equal(f[1]!.message, 'the text does not contain "bang"');
    assert.equal(
      checkExpectations('tool', toolResult('ok'), { isError: true }, 1)[0]!.message,
      'expected the tool to report an error (isError: true), but it succeeded',
    );
    assert.equal(checkExpectations('tool', toolResult('12 C'), { matches: '\\d+ °C' }, 1)[0]!.message, 'the text does not match /\\d+ °C/');
  });

  it('structuredContent is a deep subset; arrays keep their length', () => {
    assert.equal(subsetMismatch({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), undefined);
    assert.equal(subsetMismatch({ a: [1, { x: 1 }] }, { a: [1, { x: 1, y: 2 }] }), undefined);
    assert.equal(subsetMismatch({ a: [1] }, { a: [1, 2] }), '$.a');
    assert.equal(subsetMismatch({ a: { b: 1 } }, { a: { b: 2 } }), '$.a.b');
    assert.equal(subsetMismatch({ 'a-b': 1 }, {}), '$["a-b"]');
    const [f] = checkExpectations(
      'tool',
      toolResult('', { structuredContent: { city: 'Lyon', t: 3 } }),
      { structuredContent: { city: 'Paris' } },
      1,
    );
    assert.equal(f!.message, 'structuredContent differs at $.city');
    // The actual side is cut down to the keys asked about, so the diff shows only those.
    assert.deepEqual(formatFailure(f!), [
      'structuredContent: structuredContent differs at $.city',
      '- expected',
      '+ actual',
      '  {',
      '-   "city": "Paris"',
      '+   "city": "Lyon"',
      '  }',
    ]);
    assert.equal(
      checkExpectations('tool', toolResult('x'), { structuredContent: {} }, 1)[0]!.message,
      'the result has no structuredContent',
    );
  });

  it('maxMs is the call duration; resources and prompts match on their text', () => {
    assert.equal(checkExpectations('tool', toolResult('x'), { maxMs: 10 }, 11)[0]!.message, 'took 11 ms, more than maxMs 10');
    assert.deepEqual(checkExpectations('tool', toolResult('x'), { maxMs: 10 }, 10), []);
    assert.deepEqual(checkExpectations('resource', { contents: [{ uri: 'u', text: 'readme' }] }, { contains: 'readme' }, 1), []);
    assert.deepEqual(
      checkExpectations('prompt', { messages: [{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }] }, { matches: 'Ada' }, 1),
      [],
    );
  });
});

describe('test collections: masks and snapshots', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcptest-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('masks keys, indexes, wildcards and any-depth keys, leaving absent paths absent', () => {
    const v = {
      id: 1,
      a: {
        id: 2,
        list: [
          { ts: 1, k: 'x' },
          { ts: 2, k: 'y' },
        ],
      },
      'odd key': 3,
    };
    assert.deepEqual(maskPaths(v, ['$..id', '$.a.list[*].ts', "$['odd key']", '$.missing.deep']), {
      id: '<ignored>',
      a: {
        id: '<ignored>',
        list: [
          { ts: '<ignored>', k: 'x' },
          { ts: '<ignored>', k: 'y' },
        ],
      },
      'odd key': '<ignored>',
    });
    assert.deepEqual(maskPaths(v, ['$.a.list[1]']), { ...v, a: { ...v.a, list: [v.a.list[0], '<ignored>'] } });
    assert.equal(v.id, 1, 'the input is not changed');
    assert.throws(() => parseJsonPath('$.a[x]'), /not a valid mask path at character 4: expected \[n\], \[\*\] or \['key'\]/);
  });

  it('writes a missing snapshot, matches it, fails with a diff, and updates on request', () => {
    const file = snapshotFile(path.join(tmp, 'w.mcptest.json'));
    assert.equal(file, path.join(tmp, '__snapshots__', 'w.mcptest.snap.json'));
    const first = new SnapshotStore(file);
    assert.equal(first.check('t', { id: 'abc', n: 1 }, ['$.id']).kind, 'written');
    assert.equal(first.save(), true);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { t: { id: '<ignored>', n: 1 } });

    const again = new SnapshotStore(file);
    assert.equal(again.check('t', { n: 1, id: 'other id' }, ['$.id']).kind, 'matched', 'key order and masked values do not matter');
    const failed = again.check('t', { id: 'x', n: 2 }, ['$.id']);
    assert.equal(failed.kind, 'failed');
    if (failed.kind !== 'failed') return;
    assert.match(failed.failure.message, /differs from the snapshot in w\.mcptest\.snap\.json \(run with --update-snapshots/);
    assert.deepEqual(formatFailure(failed.failure).slice(3), ['  {', '    "id": "<ignored>",', '-   "n": 1', '+   "n": 2', '  }']);
    assert.equal(again.save(), false, 'a failure writes nothing');

    const update = new SnapshotStore(file, true);
    assert.equal(update.check('t', { id: 'x', n: 2 }, ['$.id']).kind, 'updated');
    update.save();
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { t: { id: '<ignored>', n: 2 } });
  });

  it('says what to do with a corrupt snapshot file', () => {
    const file = snapshotFile(path.join(tmp, 'w.mcptest.json'));
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '{ nope');
    assert.throws(
      () => new SnapshotStore(file).check('t', 1, []),
      /w\.mcptest\.snap\.json: the snapshot file is not valid JSON .*delete it to record the snapshots again/,
    );
  });
});

describe('test collections: text out', () => {
  it('line diffs keep context short', () => {
    const a = Array.from({ length: 20 }, (_, k) => `line ${k}`);
    const b = [...a];
    b[10] = 'changed';
    assert.deepEqual(lineDiff(a.join('\n'), b.join('\n')), [
      '  …',
      '  line 8',
      '  line 9',
      '- line 10',
      '+ changed',
      '  line 11',
      '  line 12',
      '  …',
    ]);
    assert.deepEqual(lineDiff('same', 'same'), []);
  });

  it('summary line and JUnit XML', () => {
    assert.equal(summaryText({ passed: 3, failed: 1, skipped: 0 }), '3 passed, 1 failed');
    assert.equal(summaryText({ passed: 0, failed: 0, skipped: 2 }), '0 passed, 0 failed, 2 skipped');
    const test = parseCollection(
      '{"server":"s","tests":[{"name":"a <b>","tool":"t"},{"name":"c","tool":"t","skip":true}]}',
      '/w/x.mcptest.json',
    ).collection!.tests;
    const xml = junitXml(
      [
        {
          file: '/w/x.mcptest.json',
          test: test[0]!,
          status: 'failed',
          durationMs: 12,
          failures: [{ expectation: 'contains', message: 'the text does not contain "&"' }],
          notes: [],
        },
        { file: '/w/x.mcptest.json', test: test[1]!, status: 'skipped', durationMs: 0, failures: [], notes: [] },
      ],
      () => 'x.mcptest.json',
    );
    assert.match(xml, /<testsuites name="mcp-manager test" tests="2" failures="1" errors="0" skipped="1" time="0\.012">/);
    assert.match(
      xml,
      /<testcase classname="x\.mcptest\.json" name="a &lt;b&gt;" time="0\.012">\n {6}<failure message="contains: the text does not contain &quot;&amp;&quot;" type="contains">/,
    );
    assert.match(xml, /<skipped\/>/);
  });
});

describe('test collections: saving a call as a test', () => {
  it('prefills isError, then structuredContent or the first line of the text', () => {
    assert.deepEqual(expectationsFromResult({ server: 's', tool: 't', arguments: {}, result: toolResult('Echo: hi\nmore') }), {
      isError: false,
      contains: 'Echo: hi',
    });
    assert.deepEqual(
      expectationsFromResult({ server: 's', tool: 't', arguments: {}, result: toolResult('5', { structuredContent: { sum: 5 } }) }),
      { isError: false, structuredContent: { sum: 5 } },
    );
    assert.deepEqual(
      expectationsFromResult({
        server: 's',
        tool: 't',
        arguments: {},
        result: toolResult('bad', { isError: true, structuredContent: { e: 1 } }),
      }),
      { isError: true, contains: 'bad' },
    );
    assert.deepEqual(expectationsFromResult({ server: 's', tool: 't', arguments: {}, isError: true }), { isError: true });
    assert.equal(uniqueName('echo', ['echo', 'echo (2)']), 'echo (3)');
  });

  it('appends to the tests array keeping comments, and to a new file', () => {
    const text = `{
    // mine
    "server": "fixture",
    "tests": [
        { "name": "old", "tool": "echo" } // keep me
    ]
}
`;
    const r = appendTest(text, { name: 'new', server: 'fixture', tool: 'add', arguments: { a: 1 }, expect: { isError: false } });
    assert.match(r.text, /\/\/ mine/);
    assert.match(r.text, /\/\/ keep me/);
    const parsed = parseCollection(r.text, 'f').collection!;
    assert.deepEqual(
      parsed.tests.map((t) => [t.name, t.server, t.arguments]),
      [
        ['old', 'fixture', {}],
        ['new', 'fixture', { a: 1 }],
      ],
    );
    assert.equal(r.line, parsed.tests[1]!.line);
    assert.ok(!/"server": "fixture",\s*"tool": "add"/.test(r.text), 'the default server is not repeated');
    const fresh = appendTest(newCollectionText('other'), { name: 'x', server: 'fixture', tool: 'echo', expect: {} });
    assert.equal(parseCollection(fresh.text, 'f').collection!.tests[0]!.server, 'fixture');
  });
});

describe('test collections: the runner against the fixture server', function () {
  this.timeout(20_000);
  let tmp: string;
  let conn: ServerConnection;
  before(() => {
    conn = new ServerConnection(definition('fixture', { command: NODE, args: [FIXTURE_SERVER] }), { timing: fastTiming });
  });
  after(() => conn.dispose());
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcptest-run-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function collection(tests: unknown[]): Collection {
    const file = path.join(tmp, 'f.mcptest.json');
    const text = JSON.stringify({ server: 'fixture', tests });
    fs.writeFileSync(file, text);
    const r = parseCollection(text, file, { servers: ['fixture'] });
    assert.deepEqual(r.issues, []);
    return r.collection!;
  }

  it('runs tools, resources and prompts on one kept-alive session, with snapshots and skips', async () => {
    const c = collection([
      { name: 'echo', tool: 'echo', arguments: { message: 'hi' }, expect: { contains: 'Echo: hi' } },
      { name: 'sum', tool: 'add', arguments: { a: 2, b: 3 }, expect: { structuredContent: { sum: 6 } } },
      { name: 'pid', tool: 'pid', expect: { snapshot: true, ignore: ['$.content[0].text'] } },
      { name: 'readme', resource: 'fixture://readme', expect: { contains: 'readme' } },
      { name: 'greet', prompt: 'greet', arguments: { name: 'Ada' }, expect: { contains: 'Hello, Ada!' } },
      { name: 'nope', tool: 'ecko' },
      { name: 'skipped', tool: 'echo', skip: true },
    ]);
    const seen: string[] = [];
    const s = await runCollections([c], {
      connectionFor: (n) => (n === 'fixture' ? conn : undefined),
      onDidRun: (r) => seen.push(`${r.test.name}:${r.status}`),
    });
    assert.deepEqual(seen, ['echo:passed', 'sum:failed', 'pid:passed', 'readme:passed', 'greet:passed', 'nope:errored', 'skipped:skipped']);
    assert.deepEqual([s.passed, s.failed, s.skipped], [4, 2, 1]);
    assert.equal(s.results[1]!.failures[0]!.message, 'structuredContent differs at $.sum');
    assert.equal(s.results[5]!.failures[0]!.message, 'server "fixture" has no tool named "ecko" (did you mean "echo"?)');
    assert.deepEqual(s.results[2]!.notes, ['snapshot written']);
    assert.deepEqual(s.snapshotsWritten, [snapshotFile(c.file)]);
    const pidBefore = conn.info?.pid;
    // A second run: the same process (kept alive), the masked pid snapshot matches.
    const again = await runCollections([c], { connectionFor: () => conn, select: (t) => t.name === 'pid' });
    assert.deepEqual(
      again.results.map((r) => r.status),
      ['passed'],
    );
    assert.equal(conn.info?.pid, pidBefore);
  });

  it('reports an unknown server and stops on cancellation', async () => {
    const c = collection([
      { name: 'slow', tool: 'sleep', arguments: { ms: 60_000 } },
      { name: 'after', tool: 'echo', arguments: { message: 'x' } },
    ]);
    const none = await runCollections([c], { connectionFor: () => undefined, serverNames: () => ['fixtur'] });
    assert.equal(
      none.results[0]!.failures[0]!.message,
      'no server named "fixture" is configured (did you mean "fixtur"?); configured: fixtur',
    );
    const ac = new AbortController();
    const run = runCollections([c], {
      connectionFor: () => conn,
      signal: ac.signal,
      onWillRun: (t) => t.name === 'slow' && setImmediate(() => ac.abort()),
    });
    const s = await run;
    assert.equal(s.cancelled, true);
    assert.deepEqual(s.results, []);
  });
});
