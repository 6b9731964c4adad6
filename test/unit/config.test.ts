import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprint, parseServers, substituteVariables } from '../../src/core';

describe('config: parsing server entries', () => {
  it('accepts the mcp.json shapes and applies defaults', () => {
    const r = parseServers({
      a: { command: 'node', args: ['x.js', 3], env: { A: '1', N: 2, GONE: null } },
      b: { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { 'X-K': 'v' } },
      c: { type: 'sse', url: 'http://127.0.0.1:1/sse' },
      d: { type: 'streamableHttp', url: 'http://127.0.0.1:1/mcp' },
    });
    assert.deepEqual(r.issues, []);
    const [a, b, c, d] = r.servers;
    assert.equal(a!.type, 'stdio');
    assert.ok(a!.type === 'stdio' && a!.args[1] === '3' && a!.env.N === '2' && a!.env.GONE === null);
    assert.equal(a!.keepAlive, true);
    assert.equal(a!.startupTimeoutMs, 30_000);
    assert.equal(a!.requestTimeoutMs, 60_000);
    assert.equal(a!.inheritEnv, false);
    assert.equal(b!.type, 'http');
    assert.equal(c!.type, 'sse');
    assert.equal(d!.type, 'http');
  });

  it('reports each bad entry with its field, and keeps the good ones', () => {
    const r = parseServers({
      good: { command: 'node' },
      typo: { comand: 'node' },
      empty: { command: '  ' },
      wrongType: { command: 'node', startupTimeoutMs: 'soon' },
      badUrl: { type: 'http', url: 'ftp://x' },
      badTransport: { type: 'ws', url: 'ws://x' },
      notObject: 'node server.js',
    });
    assert.deepEqual(
      r.servers.map((s) => s.name),
      ['good'],
    );
    const find = (server: string, field?: string) => r.issues.find((i) => i.server === server && i.field === field);
    assert.match(find('typo', 'comand')!.message, /unknown key "comand" \(did you mean "command"\?\)/);
    assert.match(find('empty', 'command')!.message, /must not be empty/);
    assert.match(find('wrongType', 'startupTimeoutMs')!.message, /expected number, got the string "soon"/);
    assert.match(find('badUrl', 'url')!.message, /http/);
    assert.match(find('badTransport', 'type')!.message, /unsupported type "ws"/);
    assert.match(find('notObject')!.message, /must be an object/);
  });

  it('names the exact place and what is expected for every kind of wrong value, all of them at once', () => {
    const r = parseServers({
      many: {
        command: 'node',
        args: ['ok', { not: 'text' }],
        env: { GOOD: true, BAD: ['x'] },
        requestTimeoutMs: 1500.5,
        idleTimeoutMinutes: -1,
        maxResultBytes: 10,
        roots: [''],
        sampling: 'sometimes',
        registry: { url: 'https://r.example', name: 'n', tag: 'x' },
        constructor: 1,
      },
      url: { type: 'http', url: 42 },
      missingUrl: { type: 'sse' },
    });
    assert.deepEqual(r.servers, []);
    const of = (server: string) => Object.fromEntries(r.issues.filter((i) => i.server === server).map((i) => [i.field, i.message]));
    assert.deepEqual(of('many'), {
      'args.1': 'expected a string, got an object',
      'env.BAD': 'expected a string, got an array',
      requestTimeoutMs: 'expected a whole number, got number 1500.5',
      idleTimeoutMinutes: 'must be 0 (never) or more minutes',
      maxResultBytes: 'must be at least 1024 (bytes)',
      'roots.0': 'must not be empty: give a directory path',
      sampling: 'must be "ask", "allow" or "deny"',
      'registry.tag': 'unknown key "tag" (a registry entry has url, name and version)',
      // A key that every object has through its prototype is still an unknown key of the entry.
      constructor: 'unknown key "constructor"',
    });
    assert.deepEqual(of('url'), { url: 'expected string, got number 42' });
    assert.deepEqual(of('missingUrl'), { url: 'expected string, but it is missing' });
  });

  it('gives each entry its own default lists and objects, and keeps values written as numbers or booleans as text', () => {
    const r = parseServers({ a: { command: ' node ', env: { ON: true, N: 0 } }, b: { command: 'node' } });
    const [a, b] = r.servers;
    assert.ok(a?.type === 'stdio' && b?.type === 'stdio');
    assert.equal(a.command, 'node', 'trimmed');
    assert.deepEqual(a.env, { ON: 'true', N: '0' });
    assert.notEqual(a.args, b.args);
    assert.notEqual(a.passEnv, b.passEnv);
    assert.deepEqual(b.env, {});
  });

  it("takes a logLevel of MCP's levels, and names them for any other value", () => {
    const r = parseServers({ quiet: { command: 'node', logLevel: 'error' }, noisy: { command: 'node', logLevel: 'verbose' } });
    assert.equal(r.servers.find((s) => s.name === 'quiet')?.logLevel, 'error');
    const issue = r.issues.find((i) => i.server === 'noisy');
    assert.equal(issue?.field, 'logLevel');
    assert.match(issue!.message, /must be one of debug, info, notice, warning, error, critical, alert, emergency/);
  });

  it('says when a key belongs to the other kind of server', () => {
    const r = parseServers({ h: { type: 'http', url: 'http://127.0.0.1/mcp', env: {} }, s: { command: 'node', headers: {} } });
    assert.match(r.issues.find((i) => i.server === 'h')!.message, /"env" applies only to stdio servers/);
    assert.match(r.issues.find((i) => i.server === 's')!.message, /"headers" applies only to http\/sse servers/);
  });

  it('substitutes variables, and an unknown variable is an error for that server only', () => {
    const ctx = {
      workspaceFolder: '/ws/app',
      workspaceFolders: [
        { name: 'app', path: '/ws/app' },
        { name: 'lib', path: '/ws/lib' },
      ],
      userHome: '/home/u',
      env: { TOKEN: 't0k3n' },
    };
    const r = parseServers(
      {
        ok: {
          command: '${userHome}/bin/srv',
          args: ['${workspaceFolder:lib}', '${workspaceFolderBasename}', 'a${pathSeparator}b', '${/}'],
          env: { T: '${env:TOKEN}', U: '${env:UNSET_X}' },
          cwd: 'sub',
        },
        bad: { command: 'node', args: ['${nope}'] },
        badFolder: { command: 'node', args: ['${workspaceFolder:missing}'] },
        input: { type: 'http', url: 'http://127.0.0.1/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
      },
      { context: ctx },
    );
    const ok = r.servers.find((s) => s.name === 'ok')!;
    assert.ok(ok.type === 'stdio');
    assert.equal(ok.command, '/home/u/bin/srv');
    assert.deepEqual(ok.args, ['/ws/lib', 'app', `a${path.sep}b`, path.sep]);
    assert.equal(ok.env.T, 't0k3n');
    assert.equal(ok.env.U, '');
    assert.equal(ok.cwd, path.resolve('/ws/app', 'sub'));
    assert.deepEqual(
      r.issues.map((i) => [i.server, i.field]),
      [
        ['bad', 'args.0'],
        ['badFolder', 'args.0'],
      ],
    );
    assert.match(r.issues[0]!.message, /unknown variable \$\{nope\}/);
    const input = r.servers.find((s) => s.name === 'input')!;
    assert.deepEqual(input.inputs, ['token']);
  });

  it('defaults cwd to the workspace folder and rejects relative paths without one', () => {
    const withFolder = parseServers({ s: { command: 'node' } }, { context: { workspaceFolder: '/ws' } });
    assert.equal(withFolder.servers[0]!.type === 'stdio' && withFolder.servers[0]!.cwd, '/ws');
    const without = parseServers({ s: { command: 'node', cwd: 'rel' } });
    assert.equal(without.issues[0]!.field, 'cwd');
  });

  it('fingerprints change only when the resolved configuration changes', () => {
    const a = parseServers({ s: { command: 'node', env: { A: '1', B: '2' } } }).servers[0]!;
    const b = parseServers({ s: { env: { B: '2', A: '1' }, command: 'node' } }, { source: { kind: 'user', label: 'User' } }).servers[0]!;
    const c = parseServers({ s: { command: 'node', env: { A: '1', B: '3' } } }).servers[0]!;
    assert.equal(fingerprint(a), fingerprint(b));
    assert.notEqual(fingerprint(a), fingerprint(c));
  });

  it('substituteVariables uses the home directory by default', () => {
    assert.equal(substituteVariables('${userHome}', {}), os.homedir());
  });
});
