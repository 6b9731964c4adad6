// The production bundle as it ships: activation loads dist/extension.js only, starts nothing, and
// the first connection loads dist/protocol.js (the SDK, esbuild.mjs's LAZY list) and works. Built
// into a temp directory (`node esbuild.mjs --production --outdir=...`), loaded in a fresh Node
// process (test/fixtures/activateBundle.ts) with the bench's `vscode` stub and the demo workspace,
// against the real fixture server over stdio.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface Report {
  afterLoad: string[];
  afterActivate: string[];
  loadedByActivation?: string;
  activationSpawns: string[];
  servers: { name: string; state: string }[];
  tools: string[];
  afterConnect: string[];
  result: { content: { type: string; text?: string }[]; isError?: boolean };
}

describe('production bundle (dist/extension.js + dist/protocol.js)', function () {
  this.timeout(120_000);
  let dir: string;
  let report: Report;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-bundle-'));
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${dir}`], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 100_000 });
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'fixtures', 'activateBundle.ts'), dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 100_000,
    });
    report = JSON.parse(out.trim().split('\n').pop()!) as Report;
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds protocol.js beside extension.js, and the CLI as one file', () => {
    assert.deepEqual(fs.readdirSync(dir).sort(), ['cli.js', 'extension.js', 'protocol.js']);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'cli.js'), 'utf8'), /protocol\.js/);
  });

  it('activation loads extension.js only and starts no process', () => {
    // A value of a LAZY module used at module top level, or in activate(), loads protocol.js. The
    // stack is of the minified bundle: `node esbuild.mjs --outdir=<dir>` and running
    // test/fixtures/activateBundle.ts with --enable-source-maps names the source line.
    const why = `protocol.js was loaded by: ${report.loadedByActivation ?? '?'}`;
    assert.deepEqual(report.afterLoad, ['extension.js'], why);
    assert.deepEqual(report.afterActivate, ['extension.js'], why);
    assert.deepEqual(report.activationSpawns, []);
    // demo/'s settings configure these (the e2e may add servers to demo/.vscode/mcp.json meanwhile).
    const names = report.servers.map((s) => s.name);
    for (const name of ['everything', 'fixture', 'fixture-http', 'fixture-secret']) assert.ok(names.includes(name), names.join(', '));
    assert.deepEqual(
      report.servers.filter((s) => s.state !== 'idle'),
      [],
      'every server is idle',
    );
  });

  it('the first connection loads protocol.js, lists tools and calls one', () => {
    assert.deepEqual(report.afterConnect, ['extension.js', 'protocol.js']);
    assert.ok(report.tools.includes('echo'), report.tools.join(', '));
    assert.notEqual(report.result.isError, true, JSON.stringify(report.result));
    assert.deepEqual(report.result.content, [{ type: 'text', text: 'Echo: through protocol.js' }]);
  });
});
