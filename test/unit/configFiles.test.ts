// Reading configuration files (src/core/config/files.ts) against real sample files of every
// dialect in test/unit/data/config.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CLIENT_SPECIFIC_KEYS,
  ConfigFileError,
  convertMcpServersEntry,
  guessUrlType,
  isConfigNote,
  loadConfigFile,
  duplicateKeys,
  readJsonc,
  type ConfigFileResult,
} from '../../src/core/config/files';
import { loadWorkspaceConfig } from '../../src/core/config/pipeline';
import type { HttpDefinition, ServerDefinition, StdioDefinition } from '../../src/core/config/types';

const DATA = path.join(__dirname, 'data', 'config');
const data = (...p: string[]) => path.join(DATA, ...p);
const ctx = { userHome: '/home/tester', env: { MCP_TEST_VALUE: 'from-env' } };

function server(result: ConfigFileResult, name: string): ServerDefinition {
  const s = result.servers.find((d) => d.name === name);
  assert.ok(s, `server "${name}" not found; issues: ${JSON.stringify(result.issues)}`);
  return s;
}
const stdio = (r: ConfigFileResult, name: string) => {
  const s = server(r, name);
  assert.equal(s.type, 'stdio');
  return s as StdioDefinition;
};
const http = (r: ConfigFileResult, name: string) => {
  const s = server(r, name);
  assert.notEqual(s.type, 'stdio');
  return s as HttpDefinition;
};

describe('config files', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-config-files-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('duplicate names in one file', () => {
    it('warns about a server defined twice (JSON keeps the last silently) and names the line', () => {
      const file = path.join(tmp, 'dup.json');
      fs.writeFileSync(
        file,
        '{\n  "mcpServers": {\n    "a": { "command": "node" },\n    // again\n    "a": { "command": "python3" },\n    "b": { "command": "x", "env": { "K": "1", "K": "2" } }\n  }\n}\n',
      );
      const r = loadConfigFile(file);
      const notes = r.issues.filter((i) => i.severity === 'warning');
      assert.deepEqual(
        notes.map((i) => [i.server, i.message]),
        [['a', 'defined twice in dup.json (again at line 5); the last definition is used']],
      );
      assert.equal((r.servers.find((d) => d.name === 'a') as StdioDefinition).command, 'python3');
      assert.deepEqual(
        duplicateKeys('{"x":{"k":1,"k":2}}').map((d) => [d.path, d.key]),
        [[['x'], 'k']],
      );
    });
  });

  describe('readJsonc', () => {
    it('accepts comments and trailing commas', () => {
      const value = readJsonc(data('vscode-mcp.json')) as { servers: Record<string, unknown> };
      assert.deepEqual(Object.keys(value.servers), ['files', 'remote', 'legacy']);
    });

    it('reports a syntax error as file:line:col: message', () => {
      const file = data('syntax-error.json');
      assert.throws(
        () => readJsonc(file),
        (e: unknown) => {
          assert.ok(e instanceof ConfigFileError);
          // Line 4 starts with 4 spaces and the unexpected "b" property: a comma was expected before it.
          assert.equal(e.message, `${file}:4:5: comma expected`);
          assert.equal(e.line, 4);
          assert.equal(e.column, 5);
          return true;
        },
      );
    });

    it('says how many more errors there are', () => {
      const file = data('workspace-broken', '.vscode', 'settings.json');
      assert.throws(() => readJsonc(file), { message: `${file}:3:33: property name expected (and 1 more error)` });
    });

    it('treats an empty or comment-only file as no value, and skips a BOM', () => {
      const empty = path.join(tmp, 'empty.json');
      fs.writeFileSync(empty, '  // nothing here yet\n/* still nothing */\n');
      assert.equal(readJsonc(empty), undefined);
      const bom = path.join(tmp, 'bom.json');
      fs.writeFileSync(bom, '\uFEFF{"a": 1}');
      assert.deepEqual(readJsonc(bom), { a: 1 });
    });

    it('explains a missing file', () => {
      const missing = path.join(tmp, 'nope.json');
      assert.throws(() => readJsonc(missing), { message: `${missing}: file not found` });
    });
  });

  describe('loadWorkspaceConfig', () => {
    const dir = data('workspace');
    const result = () => loadWorkspaceConfig(dir, ctx);

    it('reads .vscode/settings.json and .vscode/mcp.json, with sources', () => {
      const r = result();
      assert.deepEqual(r.servers.map((s) => s.name).sort(), ['mcp-only', 'own', 'shared']);
      assert.deepEqual(server(r, 'own').source, {
        kind: 'workspace',
        label: 'Workspace settings (.vscode/settings.json)',
        file: path.join(dir, '.vscode', 'settings.json'),
      });
      assert.deepEqual(server(r, 'mcp-only').source, {
        kind: 'mcp.json',
        label: '.vscode/mcp.json',
        file: path.join(dir, '.vscode', 'mcp.json'),
      });
      assert.deepEqual(r.inputs, [
        { type: 'promptString', id: 'token', description: undefined, password: true, default: undefined, options: undefined },
      ]);
    });

    it('settings win over mcp.json for the same name, with a note naming both', () => {
      const r = result();
      assert.deepEqual(stdio(r, 'shared').args, ['from-settings.js']);
      const note = r.issues.find((i) => i.server === 'shared');
      assert.ok(note && isConfigNote(note), JSON.stringify(r.issues));
      assert.match(
        note.message,
        /also defined in \.vscode\/mcp\.json; the entry from Workspace settings \(\.vscode\/settings\.json\) is used/,
      );
      assert.equal(note.source?.kind, 'mcp.json');
    });

    it("an invalid settings entry still claims its name (mcp.json's is not used silently)", () => {
      const r = result();
      assert.equal(
        r.servers.find((s) => s.name === 'broken'),
        undefined,
      );
      const errors = r.issues.filter((i) => i.server === 'broken' && !isConfigNote(i));
      // args.0 is a number, which is accepted (and made a string); args.1 is an object.
      assert.deepEqual(
        errors.map((i) => i.field),
        ['args.1'],
      );
      assert.equal(errors[0]!.source?.kind, 'workspace');
      assert.ok(r.issues.some((i) => i.server === 'broken' && isConfigNote(i)));
    });

    it('resolves variables against the folder: workspaceFolder, relative paths, default cwd', () => {
      const r = result();
      const own = stdio(r, 'own');
      assert.equal(own.command, path.join(dir, 'bin', 'server'));
      assert.equal(own.envFile, path.join(dir, '.env'));
      assert.equal(own.cwd, dir);
      assert.deepEqual(server(r, 'mcp-only').inputs, ['token']);
    });

    it('a file with a syntax error becomes an issue; the other file still loads', () => {
      const broken = data('workspace-broken');
      const r = loadWorkspaceConfig(broken, ctx);
      assert.deepEqual(
        r.servers.map((s) => s.name),
        ['ok'],
      );
      assert.equal(r.issues.length, 1);
      assert.equal(r.issues[0]!.server, undefined);
      assert.match(r.issues[0]!.message, /settings\.json:3:33: property name expected/);
      assert.equal(r.issues[0]!.source?.kind, 'workspace');
    });

    it('a folder without configuration has no servers and no issues', () => {
      assert.deepEqual(loadWorkspaceConfig(data('workspace-empty'), ctx), { servers: [], issues: [], inputs: [] });
    });

    it('reports a settings.json that is not an object', () => {
      const ws = path.join(tmp, 'array-ws');
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), '[]');
      const r = loadWorkspaceConfig(ws, ctx);
      assert.match(r.issues[0]!.message, /expected a JSON object, got an array/);
    });
  });

  describe('loadConfigFile: dialects', () => {
    it('VS Code mcp.json: servers, inputs and every variable kind', () => {
      const r = loadConfigFile(data('vscode-mcp.json'), { ...ctx, workspaceFolder: '/ws' });
      assert.deepEqual(r.issues, []);
      const files = stdio(r, 'files');
      assert.deepEqual(files.args, ['-y', '@modelcontextprotocol/server-filesystem', '/ws/src']);
      assert.deepEqual(files.env, {
        API_TOKEN: '${input:api-token}',
        REGION: '${input:region}',
        HOME_DIR: '/home/tester',
        FROM_ENV: 'from-env',
        REMOVED: null,
        PORT: '8080',
      });
      assert.deepEqual([...files.inputs].sort(), ['api-token', 'region']);
      assert.equal(http(r, 'remote').type, 'http');
      assert.equal(http(r, 'legacy').type, 'sse');
      assert.deepEqual(
        r.inputs.map((i) => [i.id, i.type, i.password, i.default, i.options]),
        [
          ['api-token', 'promptString', true, undefined, undefined],
          ['region', 'pickString', false, 'eu', ['eu', 'us']],
        ],
      );
      assert.deepEqual(files.source, { kind: 'file', label: data('vscode-mcp.json'), file: data('vscode-mcp.json') });
    });

    it('VS Code settings.json: mcpManager.servers, other settings ignored', () => {
      const r = loadConfigFile(data('settings.json'), { ...ctx, workspaceFolder: '/proj' });
      assert.deepEqual(r.issues, []);
      assert.equal(stdio(r, 'fixture').cwd, '/proj/tools');
      assert.equal(http(r, 'web').type, 'http');
    });

    it('Claude Desktop: mcpServers, unrelated top-level keys ignored', () => {
      const r = loadConfigFile(data('claude_desktop_config.json'), ctx);
      assert.deepEqual(r.issues, []);
      assert.deepEqual(
        r.servers.map((s) => s.name),
        ['filesystem', 'github'],
      );
      assert.equal(stdio(r, 'github').env.GITHUB_PERSONAL_ACCESS_TOKEN, 'ghp_example');
      // No workspace folder: no default cwd (the Claude Desktop file has no cwd concept).
      assert.equal(stdio(r, 'filesystem').cwd, undefined);
    });

    it('Cursor: url without type is Streamable HTTP; envFile kept', () => {
      const r = loadConfigFile(data('cursor-mcp.json'), ctx);
      assert.deepEqual(r.issues, []);
      const c7 = http(r, 'context7');
      assert.equal(c7.type, 'http');
      assert.deepEqual(c7.headers, { CONTEXT7_API_KEY: 'ctx7-example' });
      assert.equal(stdio(r, 'local').envFile, '/tmp/cursor.env');
    });

    it('Cline: timeout in seconds, url ending in /sse is SSE, autoApprove dropped, disabled, transportType', () => {
      const r = loadConfigFile(data('cline_mcp_settings.json'), ctx);
      assert.deepEqual(r.issues, []);
      const weather = stdio(r, 'weather');
      assert.equal(weather.requestTimeoutMs, 30_000);
      assert.equal(weather.disabled, false);
      const events = http(r, 'events');
      assert.equal(events.type, 'sse');
      assert.equal(events.disabled, true);
      const stream = http(r, 'stream');
      assert.equal(stream.type, 'http');
      assert.equal(stream.requestTimeoutMs, 120_000);
      // maxTotalTimeoutMs never below the request timeout.
      assert.ok(stream.maxTotalTimeoutMs >= 120_000);
      assert.equal(http(r, 'older').type, 'sse');
    });

    it('.mcp.json: streamable-http, sse and stdio types; ${env:} in headers', () => {
      const r = loadConfigFile(data('dot-mcp.json'), { ...ctx, workspaceFolder: '/repo' });
      assert.deepEqual(r.issues, []);
      const api = http(r, 'api');
      assert.equal(api.type, 'http');
      assert.equal(api.headers.Authorization, 'Bearer from-env');
      assert.equal(http(r, 'sse-server').type, 'sse');
      assert.equal(stdio(r, 'local').cwd, '/repo/py');
    });

    it('a file with none of the keys: a clear error listing what it has', () => {
      const file = data('no-servers.json');
      assert.throws(
        () => loadConfigFile(file, ctx),
        (e: unknown) => {
          assert.ok(e instanceof ConfigFileError);
          assert.match(e.message, /no MCP servers found: expected "mcpManager\.servers".*"servers".*"mcpServers"/);
          assert.match(e.message, /the file has "editor\.fontSize", "files\.exclude"$/);
          return true;
        },
      );
    });

    it('syntax errors and non-objects throw with the file name', () => {
      assert.throws(() => loadConfigFile(data('syntax-error.json'), ctx), /syntax-error\.json:4:5: comma expected/);
      const arr = path.join(tmp, 'array.json');
      fs.writeFileSync(arr, '[1]');
      assert.throws(() => loadConfigFile(arr, ctx), /expected a JSON object with MCP servers, got an array/);
    });

    it('older VS Code settings with "mcp": { "servers" } are read too; duplicates across keys noted', () => {
      const file = path.join(tmp, 'legacy-settings.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          'mcpManager.servers': { a: { command: 'node' } },
          mcp: { servers: { a: { command: 'python' }, b: { command: 'uvx' } } },
        }),
      );
      const r = loadConfigFile(file, ctx);
      assert.deepEqual(
        r.servers.map((s) => [s.name, (s as StdioDefinition).command]),
        [
          ['a', 'node'],
          ['b', 'uvx'],
        ],
      );
      assert.ok(r.issues.length === 1 && isConfigNote(r.issues[0]!) && /twice in/.test(r.issues[0]!.message));
    });

    it('one bad mcpServers entry does not hide the others', () => {
      const file = path.join(tmp, 'mixed.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ mcpServers: { good: { command: 'node' }, bad: { type: 'websocket', url: 'ws://x' }, worse: 'node' } }),
      );
      const r = loadConfigFile(file, ctx);
      assert.deepEqual(
        r.servers.map((s) => s.name),
        ['good'],
      );
      assert.deepEqual(
        r.issues.map((i) => [i.server, i.field]),
        [
          ['bad', 'type'],
          ['worse', undefined],
        ],
      );
    });
  });

  describe('convertMcpServersEntry', () => {
    it('normalises type spellings', () => {
      const cases: [unknown, unknown][] = [
        ['streamableHttp', 'http'],
        ['streamable-http', 'http'],
        ['streamable_http', 'http'],
        ['http', 'http'],
        ['SSE', 'sse'],
        ['stdio', 'stdio'],
        ['websocket', 'websocket'], // left for the schema to report
      ];
      for (const [type, expected] of cases) {
        assert.equal((convertMcpServersEntry({ type, url: 'http://h/x' }).entry as { type: unknown }).type, expected, String(type));
      }
    });

    it('a url without type: sse when the path ends with /sse, else http', () => {
      assert.equal(guessUrlType('http://h:1/sse'), 'sse');
      assert.equal(guessUrlType('http://h:1/sse/'), 'sse');
      assert.equal(guessUrlType('https://h/api/SSE?key=1'), 'sse');
      assert.equal(guessUrlType('https://h/mcp'), 'http');
      assert.equal(guessUrlType('https://h/sse-stream'), 'http');
      assert.equal(guessUrlType('https://h/?path=/sse'), 'http');
      assert.deepEqual(convertMcpServersEntry({ url: 'https://h/sse' }).entry, { url: 'https://h/sse', type: 'sse' });
      // With a command, a url is not a transport hint: leave it for the schema.
      assert.deepEqual(convertMcpServersEntry({ command: 'node', url: 'https://h/sse' }).entry, { command: 'node', url: 'https://h/sse' });
    });

    it('drops client-specific keys and says which; does not modify its input', () => {
      const input = { command: 'node', autoApprove: ['a'], alwaysAllow: [], disabledTools: ['b'], disabled: true, timeout: 1.5 };
      const copy = structuredClone(input);
      const { entry, dropped } = convertMcpServersEntry(input);
      assert.deepEqual(entry, { command: 'node', disabled: true, requestTimeoutMs: 1500 });
      assert.deepEqual(dropped, ['autoApprove', 'alwaysAllow', 'disabledTools']);
      assert.deepEqual(input, copy);
      assert.ok(CLIENT_SPECIFIC_KEYS.includes('autoApprove'));
    });

    it('other dialects: serverUrl (Windsurf), httpUrl (Gemini), transportType (Cline)', () => {
      assert.deepEqual(convertMcpServersEntry({ serverUrl: 'https://h/mcp' }).entry, { url: 'https://h/mcp', type: 'http' });
      assert.deepEqual(convertMcpServersEntry({ httpUrl: 'https://h/sse' }).entry, { url: 'https://h/sse', type: 'http' });
      assert.deepEqual(convertMcpServersEntry({ transportType: 'stdio', command: 'x' }).entry, { type: 'stdio', command: 'x' });
    });

    it('leaves what it cannot convert for validation to report', () => {
      assert.deepEqual(convertMcpServersEntry({ command: 'x', timeout: 'soon' }).entry, { command: 'x', requestTimeoutMs: 'soon' });
      assert.equal(convertMcpServersEntry('node server.js').entry, 'node server.js');
      assert.equal(convertMcpServersEntry(null).entry, null);
    });
  });
});
