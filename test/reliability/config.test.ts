// Bad configuration: each mistake is a precise issue naming the server and the field, and the rest
// of the configuration keeps working (the healthy server, and a good server next to the bad ones).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseServers, type ConfigIssue } from '../../src/core';
import { loadWorkspaceConfig } from '../../src/core/config/pipeline';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { textOf } from '../unit/helpers';
import { Bench, HEALTHY } from './harness';

describe('reliability: bad configuration', function () {
  this.timeout(30_000);
  let bench: Bench;
  let dir: string;
  before(async () => {
    bench = await new Bench('Bad configuration').start();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-rel-config-')));
  });
  after(async () => {
    await bench?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const good = { command: NODE, args: [FIXTURE_SERVER] };

  /** Applies entries (good + bad) to the registry; returns the issues and checks the good one works. */
  async function apply(t: { names: string[]; mark(ms: number): void }, entries: Record<string, unknown>): Promise<readonly ConfigIssue[]> {
    const t0 = performance.now();
    t.names.push(...Object.keys(entries));
    await bench.configure({ ...bench.entries, ...entries });
    t.mark(performance.now() - t0);
    const ok = bench.registry.get('cfgok');
    assert.ok(ok, 'the good entry next to the bad ones is configured');
    assert.equal(textOf(await ok.callTool('echo', { message: 'fine' })), 'Echo: fine');
    return bench.registry.issues;
  }
  const issue = (issues: readonly ConfigIssue[], server: string, field?: string) => {
    const found = issues.find((i) => i.server === server && (field === undefined || i.field === field));
    assert.ok(found, `an issue for ${server}${field ? `.${field}` : ''} in ${JSON.stringify(issues)}`);
    return found;
  };

  it('wrong types', () =>
    bench.run('wrong types', 'one issue per field with expected and actual type; other servers work', async (t) => {
      const issues = await apply(t, {
        cfgok: good,
        badArgs: { command: 'node', args: 'server.js' },
        badTimeout: { command: 'node', startupTimeoutMs: '30s' },
        badKeepAlive: { command: 'node', keepAlive: 'yes' },
        badEnv: { command: 'node', env: { A: { nested: true } } },
        notObject: ['node', 'server.js'],
      });
      assert.match(issue(issues, 'badArgs', 'args').message, /expected array, got the string "server\.js"/);
      assert.match(issue(issues, 'badTimeout', 'startupTimeoutMs').message, /expected number, got the string "30s"/);
      assert.match(issue(issues, 'badKeepAlive', 'keepAlive').message, /expected boolean, got the string "yes"/);
      assert.match(issue(issues, 'badEnv', 'env.A').message, /expected a string, got an object/);
      assert.match(
        issue(issues, 'notObject').message,
        /entry must be an object with "command" \(stdio\) or "url" \(http\/sse\), got an array/,
      );
      for (const n of ['badArgs', 'badTimeout', 'badKeepAlive', 'badEnv', 'notObject']) assert.equal(bench.registry.get(n), undefined);
      return '5 precise issues; good server and healthy server unaffected';
    }));

  it('unknown keys', () =>
    bench.run('unknown keys', 'issue naming the key, with a did-you-mean', async (t) => {
      const issues = await apply(t, {
        cfgok: good,
        typo: { command: 'node', argz: ['x'] },
        typo2: { type: 'http', url: 'http://127.0.0.1:1/mcp', header: {} },
      });
      assert.match(issue(issues, 'typo', 'argz').message, /unknown key "argz" \(did you mean "args"\?\)/);
      assert.match(issue(issues, 'typo2', 'header').message, /unknown key "header" \(did you mean "headers"\?\)/);
      return 'issue per unknown key with a suggestion';
    }));

  it('empty command', () =>
    bench.run('empty command', 'issue on "command" saying what to put there', async (t) => {
      const issues = await apply(t, {
        cfgok: good,
        empty: { command: '' },
        blank: { command: '   ', args: ['x'] },
        none: { args: ['server.js'] },
      });
      assert.match(issue(issues, 'empty', 'command').message, /must not be empty: name the program to run/);
      assert.match(issue(issues, 'blank', 'command').message, /must not be empty/);
      assert.match(issue(issues, 'none', 'command').message, /missing "command" \(for a stdio server\), or give "url"/);
      return 'issue on "command" for empty, blank and missing';
    }));

  it('relative cwd that does not exist', () =>
    bench.run('relative cwd that does not exist', 'launch error naming the resolved folder and the field; no process', async (t) => {
      const parsed = parseServers({ nocwd: { ...good, cwd: 'does/not/exist' } }, { context: { workspaceFolder: dir } });
      assert.deepEqual(parsed.issues, []);
      t.names.push('nocwd', 'cfgok');
      await bench.configure({ ...bench.entries, cfgok: good }, (r) => ({ servers: [...r.servers, ...parsed.servers], issues: r.issues }));
      const c = bench.registry.get('nocwd')!;
      const e = await t.expectError('nocwd', () => c.ping(), {
        kind: 'launch',
        what: new RegExp(`working directory does not exist: ${path.join(dir, 'does/not/exist').replace(/[/.]/g, '\\$&')}`),
        next: /fix "cwd"|create/i,
      });
      assert.equal(e.field, 'cwd');
      // Without a workspace folder a relative cwd is a configuration issue.
      const noFolder = parseServers({ rel: { command: 'node', cwd: 'sub' } });
      assert.equal(noFolder.issues[0]?.field, 'cwd');
      assert.match(noFolder.issues[0]!.message, /relative path "sub" needs a workspace folder/);
      assert.equal(textOf(await bench.registry.get('cfgok')!.callTool('echo', { message: 'ok' })), 'Echo: ok');
      return 'launch error on "cwd" with the resolved path (config issue without a workspace folder)';
    }));

  it('duplicate names', () =>
    bench.run('duplicate names', 'issue naming both sources; the first entry is used', async (t) => {
      fs.mkdirSync(path.join(dir, 'dup', '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dup', '.vscode', 'settings.json'), JSON.stringify({ 'mcpManager.servers': { twin: good } }));
      fs.writeFileSync(
        path.join(dir, 'dup', '.vscode', 'mcp.json'),
        JSON.stringify({ servers: { twin: { command: 'other' }, cfgok: good } }),
      );
      const t0 = performance.now();
      const loaded = loadWorkspaceConfig(path.join(dir, 'dup'));
      t.mark(performance.now() - t0);
      assert.match(
        issue(loaded.issues, 'twin').message,
        /also defined in \.vscode\/mcp\.json; the entry from Workspace settings \(\.vscode\/settings\.json\) is used/,
      );
      // The same name twice in what reaches the registry (e.g. two folders).
      const parsed = parseServers({ twin: good });
      t.names.push('twin', 'cfgok');
      await bench.configure({ ...bench.entries }, (r) => ({
        servers: [...r.servers, ...loaded.servers, ...parsed.servers],
        issues: [...r.issues, ...loaded.issues],
      }));
      assert.match(issue(bench.registry.issues, 'twin', undefined).message, /also defined in|duplicate server name/);
      assert.ok(
        bench.registry.issues.some((i) =>
          /(duplicate server name|also defined in another source); the entry from Workspace settings/.test(i.message),
        ),
        JSON.stringify(bench.registry.issues),
      );
      assert.equal(textOf(await bench.registry.get('twin')!.callTool('echo', { message: 'twin' })), 'Echo: twin');
      assert.equal(textOf(await bench.registry.get('cfgok')!.callTool('echo', { message: 'ok' })), 'Echo: ok');
      return 'issue names both sources; the first entry runs';
    }));

  it('invalid JSON in mcp.json', () =>
    bench.run('invalid JSON in mcp.json', 'issue with file:line:col; servers from settings.json still load', async (t) => {
      fs.mkdirSync(path.join(dir, 'broken', '.vscode'), { recursive: true });
      const mcpFile = path.join(dir, 'broken', '.vscode', 'mcp.json');
      fs.writeFileSync(mcpFile, '{\n  "servers": {\n    "a": { "command": "node" }\n    "b": { "command": "node" }\n  }\n}\n');
      fs.writeFileSync(path.join(dir, 'broken', '.vscode', 'settings.json'), JSON.stringify({ 'mcpManager.servers': { cfgok: good } }));
      const t0 = performance.now();
      const loaded = loadWorkspaceConfig(path.join(dir, 'broken'));
      t.mark(performance.now() - t0);
      assert.equal(loaded.issues.length, 1);
      assert.equal(loaded.issues[0]!.message, `${mcpFile}:4:5: comma expected`);
      assert.deepEqual(
        loaded.servers.map((s) => s.name),
        ['cfgok'],
      );
      t.names.push('cfgok');
      await bench.configure({ ...bench.entries }, (r) => ({
        servers: [...r.servers, ...loaded.servers],
        issues: [...r.issues, ...loaded.issues],
      }));
      assert.equal(textOf(await bench.registry.get('cfgok')!.callTool('echo', { message: 'ok' })), 'Echo: ok');
      assert.ok(bench.registry.get(HEALTHY));
      return `issue "${path.basename(mcpFile)}:4:5: comma expected"; settings.json servers still run`;
    }));
});
