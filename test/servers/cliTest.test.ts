// `mcp-manager test` end to end: the built CLI (dist/cli.js) as a child process, against the real
// fixture server, in temporary workspaces: lines, the closing line, exit codes, --junit, --json,
// --filter, --update-snapshots, and the repository's own collection (test/collections).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCli } from '../../src/cli/args';
import { FIXTURE_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(NODE, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli: mcp-manager test', function () {
  this.timeout(90_000);
  let ws: string;

  before(function () {
    this.timeout(60_000);
    execFileSync(NODE, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 50_000 });
  });
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-cli-test-'));
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(
      path.join(ws, '.vscode', 'mcp.json'),
      JSON.stringify({ servers: { fixture: { command: NODE, args: [FIXTURE_SERVER] } } }),
    );
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const write = (rel: string, value: unknown) => {
    const file = path.join(ws, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  };

  it('parses its options', () => {
    const a = parseCli(['test', 'a.mcptest.json', 'dir', '--junit', 'out.xml', '--update-snapshots', '--filter', 'echo']);
    assert.deepEqual(
      [a.command, a.paths, a.junit, a.updateSnapshots, a.filter],
      ['test', ['a.mcptest.json', 'dir'], 'out.xml', true, 'echo'],
    );
    assert.throws(() => parseCli(['tools', 'x', '--junit', 'o.xml']), /--junit, --update-snapshots and --filter apply to "test" only/);
    assert.throws(() => parseCli(['test', '--stdio', 'node x']), /takes no --stdio or --url/);
  });

  it('finds every collection under the workspace, prints one line per test and exits 1 on a failure', async () => {
    write('tests/a.mcptest.json', {
      server: 'fixture',
      tests: [
        { name: 'echo', tool: 'echo', arguments: { message: 'hi' }, expect: { contains: 'Echo: hi' } },
        { name: 'sum is wrong', tool: 'add', arguments: { a: 2, b: 3 }, expect: { structuredContent: { sum: 6 } } },
        { name: 'later', tool: 'echo', skip: true },
      ],
    });
    write('b.mcptest.json', {
      server: 'fixture',
      tests: [{ name: 'greet', prompt: 'greet', arguments: { name: 'Ada' }, expect: { contains: 'Ada' } }],
    });
    write('node_modules/x/c.mcptest.json', '{ not even json');
    const r = await cli(['test', '--junit', 'out/junit.xml'], ws);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^PASS b\.mcptest\.json › greet \(\d+ ms\)$/);
    assert.match(lines[1]!, /^PASS tests\/a\.mcptest\.json › echo \(\d+ ms\)$/);
    assert.match(lines[2]!, /^FAIL tests\/a\.mcptest\.json › sum is wrong \(\d+ ms\)$/);
    assert.deepEqual(lines.slice(3, 10), [
      '    structuredContent: structuredContent differs at $.sum',
      '    - expected',
      '    + actual',
      '      {',
      '    -   "sum": 6',
      '    +   "sum": 5',
      '      }',
    ]);
    assert.equal(lines[10], 'SKIP tests/a.mcptest.json › later (skip: true)');
    assert.equal(lines.at(-1), '2 passed, 1 failed, 1 skipped');
    const xml = fs.readFileSync(path.join(ws, 'out', 'junit.xml'), 'utf8');
    assert.match(xml, /<testsuite name="tests\/a\.mcptest\.json" tests="3" failures="1" errors="0" skipped="1"/);
    assert.match(xml, /<failure message="structuredContent: structuredContent differs at \$\.sum"/);
  });

  it('--filter, --json, and exit 0 when all pass', async () => {
    write('a.mcptest.json', {
      server: 'fixture',
      tests: [
        { name: 'echo', tool: 'echo', arguments: { message: 'hi' } },
        { name: 'fails', tool: 'fail' },
      ],
    });
    const r = await cli(['test', '--filter', 'ECHO', '--json'], ws);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      passed: number;
      failed: number;
      tests: { name: string; status: string; tool: string; line: number }[];
    };
    assert.deepEqual([out.passed, out.failed], [1, 0]);
    assert.deepEqual(
      out.tests.map((t) => [t.name, t.status, t.tool]),
      [['echo', 'passed', 'echo']],
    );
    const none = await cli(['test', '--filter', 'zzz'], ws);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--filter "zzz" matches no test in 1 collection/);
  });

  it('exits 2 for an invalid file, naming the file, the test and the field, and runs nothing', async () => {
    write('ok.mcptest.json', { server: 'fixture', tests: [{ name: 'echo', tool: 'echo' }] });
    write('bad.mcptest.json', { server: 'fixtrue', tests: [{ name: 'x', tool: 'echo', expect: { matches: '(' } }] });
    const r = await cli(['test'], ws);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'mcp-manager: bad.mcptest.json:2: server: unknown server "fixtrue" (did you mean "fixture"?); configured: fixture',
      'mcp-manager: bad.mcptest.json:8: test "x", expect.matches: is not a valid regular expression: /(/: Unterminated group',
      'mcp-manager: 2 problems in test collections; nothing was run.',
    ]);
    const missing = await cli(['test', 'nope'], ws);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such file or directory/);
  });

  it('writes missing snapshots, fails on a change with a diff, and --update-snapshots rewrites', async () => {
    const file = write('s.mcptest.json', {
      server: 'fixture',
      tests: [{ name: 'echo', tool: 'echo', arguments: { message: 'one' }, expect: { snapshot: true } }],
    });
    const first = await cli(['test', 's.mcptest.json'], ws);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /PASS s\.mcptest\.json › echo \(\d+ ms, snapshot written\)\nsnapshots written: __snapshots__\/s\.mcptest\.snap\.json\n1 passed, 0 failed\n$/,
    );
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"one"', '"two"'));
    const changed = await cli(['test', 's.mcptest.json'], ws);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /snapshot: the result differs from the snapshot/);
    assert.match(changed.stdout, /-\s+"text": "Echo: one",\n\s+\+\s+"text": "Echo: two",/);
    const updated = await cli(['test', 's.mcptest.json', '--update-snapshots'], ws);
    assert.equal(updated.code, 0);
    assert.match(updated.stdout, /snapshot updated/);
    assert.equal((await cli(['test'], ws)).code, 0);
  });

  it("the repository's own collection passes (npm run test:collections)", async () => {
    const r = await cli(['test', 'test/collections', '--config', 'test/collections/servers.json'], REPO_ROOT);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\n\d+ passed, 0 failed\n$/);
    assert.doesNotMatch(r.stdout, /snapshot written/, 'the committed snapshots are complete');
  });
});
