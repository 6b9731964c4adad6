// "Import Servers…" logic (src/vscode/importPlan.ts) on real sample files of each dialect in
// test/unit/data/config: reading, the preview (conflicts, invalid entries, secrets) and moving
// secret values out of the entries.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ConfigFileError, parseServer, type HttpDefinition, type StdioDefinition } from '../../src/core';
import {
  importCandidates,
  inputForSettings,
  moveSecrets,
  planImport,
  readImportFile,
  referencedInputs,
  secretFields,
} from '../../src/ui/config/importPlan';

const data = (f: string) => path.join(__dirname, 'data', 'config', f);
const ctx = { workspaceFolder: '/ws', userHome: '/home/u', env: { MCP_TEST_VALUE: 'v' } };
const plan = (file: string, existing: Record<string, unknown> = {}, elsewhere = new Map<string, string>()) =>
  planImport(readImportFile(data(file)), { existing, elsewhere, context: ctx });
const parse = (name: string, entry: unknown) => {
  const r = parseServer(name, entry, { context: ctx });
  assert.ok('definition' in r, JSON.stringify(r));
  return r.definition;
};

describe('import servers', () => {
  describe('importCandidates', () => {
    it('knows where Claude Desktop and Cursor keep their files on each platform', () => {
      const folders = [{ name: 'app', path: '/ws/app' }];
      const linux = importCandidates({ platform: 'linux', home: '/home/u', folders });
      assert.deepEqual(
        linux.map((c) => c.file),
        ['/home/u/.config/Claude/claude_desktop_config.json', '/home/u/.cursor/mcp.json', '/ws/app/.cursor/mcp.json', '/ws/app/.mcp.json'],
      );
      assert.equal(
        importCandidates({ platform: 'darwin', home: '/Users/u', folders: [] })[0]!.file,
        '/Users/u/Library/Application Support/Claude/claude_desktop_config.json',
      );
      assert.equal(
        importCandidates({ platform: 'win32', home: 'C:\\Users\\u', appData: 'C:\\Users\\u\\AppData\\Roaming', folders: [] })[0]!.file,
        'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
      );
      const two = importCandidates({ platform: 'linux', home: '/h', folders: [...folders, { name: 'api', path: '/ws/api' }] });
      assert.ok(two.some((c) => c.label === '.mcp.json (api)'));
    });
  });

  describe('readImportFile and planImport, per dialect', () => {
    it('Claude Desktop: stdio entries; a literal token is flagged as a secret', () => {
      const items = plan('claude_desktop_config.json');
      assert.deepEqual(
        items.map((i) => i.name),
        ['filesystem', 'github'],
      );
      assert.ok(items.every((i) => !i.problem && !i.conflict));
      assert.deepEqual(items[1]!.secrets, ['env.GITHUB_PERSONAL_ACCESS_TOKEN']);
      assert.equal(items[0]!.summary, 'npx -y @modelcontextprotocol/server-filesystem /Users/me/Desktop');
    });

    it('Cline: timeout in seconds, disabled, streamableHttp, a bare SSE url, client-only keys dropped', () => {
      const items = plan('cline_mcp_settings.json');
      const by = new Map(items.map((i) => [i.name, i]));
      assert.ok(
        items.every((i) => !i.problem),
        JSON.stringify(items.filter((i) => i.problem)),
      );
      const weather = parse('weather', by.get('weather')!.entry) as StdioDefinition;
      assert.equal(weather.requestTimeoutMs, 30_000);
      assert.deepEqual(by.get('weather')!.dropped, ['autoApprove']);
      assert.deepEqual(by.get('weather')!.secrets, ['env.OPENWEATHER_API_KEY']);
      const events = parse('events', by.get('events')!.entry);
      assert.equal(events.type, 'sse');
      assert.equal(events.disabled, true);
      assert.equal(parse('stream', by.get('stream')!.entry).type, 'http');
      assert.equal(parse('older', by.get('older')!.entry).type, 'sse');
      assert.deepEqual(by.get('older')!.dropped, ['alwaysAllow']);
    });

    it('Cursor: url + headers (a header secret), envFile', () => {
      const items = plan('cursor-mcp.json');
      const ctx7 = parse('context7', items[0]!.entry) as HttpDefinition;
      assert.equal(ctx7.type, 'http');
      assert.deepEqual(items[0]!.secrets, ['headers.CONTEXT7_API_KEY']);
      assert.equal((parse('local', items[1]!.entry) as StdioDefinition).envFile, '/tmp/cursor.env');
    });

    it('.mcp.json: streamable-http, and ${env:...} references are not secrets to move', () => {
      const items = plan('dot-mcp.json');
      assert.equal(parse('api', items[0]!.entry).type, 'http');
      assert.deepEqual(items[0]!.secrets, []);
      assert.equal(items[2]!.problem, undefined);
    });

    it('Windsurf: serverUrl, a Bearer header, a disabled entry; an invalid entry says why', () => {
      const items = plan('windsurf_mcp_config.json');
      const by = new Map(items.map((i) => [i.name, i]));
      assert.equal(parse('remote-search', by.get('remote-search')!.entry).type, 'sse');
      assert.deepEqual(by.get('remote-search')!.secrets, ['headers.Authorization']);
      assert.equal(parse('notes', by.get('notes')!.entry).disabled, true);
      assert.deepEqual(by.get('notes')!.dropped, ['disabledTools']);
      assert.match(by.get('broken')!.problem ?? '', /^startupTimeoutMs: expected number/);
    });

    it('VS Code mcp.json: servers kept as they are, with their inputs', () => {
      const file = readImportFile(data('vscode-mcp-with-inputs.json'));
      assert.deepEqual(Object.keys(file.servers), ['github', 'local', 'typo']);
      assert.deepEqual(
        file.inputs.map((i) => i.id),
        ['gh-token', 'tier'],
      );
      assert.deepEqual(referencedInputs(file.servers.github), ['gh-token']);
      // ${input:...} is not a literal secret.
      assert.deepEqual(secretFields(file.servers.github), []);
      assert.deepEqual(inputForSettings(file.inputs[1]!), {
        type: 'pickString',
        id: 'tier',
        description: 'Tier',
        default: 'free',
        options: ['free', 'pro'],
      });
    });

    it('a file with no servers, or broken JSON, is a ConfigFileError naming the file', () => {
      assert.throws(
        () => readImportFile(data('no-servers.json')),
        (e: unknown) => e instanceof ConfigFileError && /no MCP servers found/.test(e.message),
      );
      assert.throws(
        () => readImportFile(data('syntax-error.json')),
        (e: unknown) => e instanceof ConfigFileError && /syntax-error\.json:4:\d+/.test(e.message),
      );
    });
  });

  describe('conflicts', () => {
    it('marks a name already in the target scope as identical or replacing, and names other scopes', () => {
      const claude = readImportFile(data('claude_desktop_config.json'));
      const existing = { filesystem: claude.servers.filesystem, github: { command: 'other' } };
      const items = plan('claude_desktop_config.json', existing, new Map([['filesystem', 'Workspace settings']]));
      assert.equal(items[0]!.conflict, 'identical');
      assert.equal(items[0]!.alsoIn, 'Workspace settings');
      assert.equal(items[1]!.conflict, 'replaces');
    });
  });

  describe('moveSecrets', () => {
    it('replaces literal secrets with ${input:...}, keeps Bearer, returns values and password inputs', () => {
      const http = { type: 'http', url: 'https://x.example/mcp', headers: { Authorization: 'Bearer abc123token', Accept: 'json' } };
      const stdio = { command: 'node', env: { API_KEY: 'k-123456', PLAIN: 'p', FROM_ENV: '${env:X_TOKEN}' } };
      const taken = new Set(['srv-API_KEY']);
      const movedHttp = moveSecrets('srv', http, taken);
      assert.deepEqual(movedHttp.entry.headers, { Authorization: 'Bearer ${input:srv-Authorization}', Accept: 'json' });
      assert.deepEqual(movedHttp.values, { 'srv-Authorization': 'abc123token' });
      const movedStdio = moveSecrets('srv', stdio, taken);
      assert.deepEqual(movedStdio.entry.env, { API_KEY: '${input:srv-API_KEY-2}', PLAIN: 'p', FROM_ENV: '${env:X_TOKEN}' });
      assert.deepEqual(movedStdio.values, { 'srv-API_KEY-2': 'k-123456' });
      assert.ok([...movedHttp.inputs, ...movedStdio.inputs].every((i) => i.password && i.type === 'promptString'));
      assert.ok(!JSON.stringify(movedHttp.entry).includes('abc123token'));
      // The originals are untouched, and the results are still valid entries.
      assert.equal(http.headers.Authorization, 'Bearer abc123token');
      assert.deepEqual(parse('srv', movedHttp.entry).inputs, ['srv-Authorization']);
      assert.deepEqual(parse('srv', movedStdio.entry).inputs, ['srv-API_KEY-2']);
    });
  });
});
