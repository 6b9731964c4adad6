// The editor's configuration sources, in plain Node: precedence between settings scopes and
// mcp.json files (src/vscode/configLayers.ts) and reading a folder's .vscode/mcp.json
// (src/vscode/mcpJsonSource.ts), on real sample files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HttpDefinition, StdioDefinition } from '../../src/core';
import { mergeLayers, type Layer, type LayerSource } from '../../src/core/config/layers';
import { readMcpJson } from '../../src/core/config/mcpJson';

const DATA = path.join(__dirname, 'data', 'config');

function source(kind: string, label: string, workspaceDefined = true): LayerSource {
  return { kind, label, order: 0, secretScope: kind, workspaceDefined };
}

const folderA = source('folder:a', 'Folder settings (a)');
const mcpA = source('mcp.json:a', '.vscode/mcp.json (a)');
const workspace = source('workspace', 'Workspace settings');
const user = source('user', 'User settings', false);
const layer = (src: LayerSource, servers: unknown, workspaceFolder = '/ws/a'): Layer => ({
  source: src,
  servers,
  context: { workspaceFolder, userHome: '/home/u', env: {} },
});

describe('configuration sources', () => {
  describe('mergeLayers (precedence)', () => {
    it('the most specific source wins a name; each other definition is a note naming both', () => {
      const result = mergeLayers([
        layer(folderA, { shared: { command: 'from-folder' } }),
        layer(mcpA, { shared: { command: 'from-mcp' }, mcpOnly: { command: 'm' } }),
        layer(workspace, { shared: { command: 'from-ws' } }),
        layer(user, { shared: { command: 'from-user' }, userOnly: { command: 'u' } }),
      ]);
      assert.deepEqual(
        result.servers.map((s) => s.name),
        ['shared', 'mcpOnly', 'userOnly'],
      );
      const shared = result.servers[0] as StdioDefinition;
      assert.equal(shared.command, 'from-folder');
      assert.equal(shared.source, folderA);
      assert.deepEqual(
        result.issues.map((i) => [i.server, i.severity, i.message]),
        [
          ['shared', 'warning', 'also defined in .vscode/mcp.json (a); the entry from Folder settings (a) is used'],
          ['shared', 'warning', 'also defined in Workspace settings; the entry from Folder settings (a) is used'],
          ['shared', 'warning', 'also defined in User settings; the entry from Folder settings (a) is used'],
        ],
      );
    });

    it('an invalid entry still owns its name: the less specific one does not silently take over', () => {
      const result = mergeLayers([
        layer(workspace, { s: { command: 'x', startupTimeoutMs: 'soon' } }),
        layer(user, { s: { command: 'y' } }),
      ]);
      assert.deepEqual(result.servers, []);
      assert.equal(result.issues.length, 2);
      assert.equal(result.issues[0]!.field, 'startupTimeoutMs');
      assert.equal(result.issues[0]!.source, workspace);
      assert.match(result.issues[1]!.message, /takes precedence \(and has errors\)/);
    });

    it('one bad entry never hides the others; a non-object servers value is one issue', () => {
      const result = mergeLayers([layer(workspace, { ok: { command: 'a' }, bad: { comand: 'b' } }), layer(mcpA, ['not', 'an', 'object'])]);
      assert.deepEqual(
        result.servers.map((s) => s.name),
        ['ok'],
      );
      assert.match(result.issues.find((i) => i.server === 'bad')!.message, /missing "command"/);
      assert.match(result.issues.find((i) => i.source === mcpA)!.message, /got an array/);
    });

    it('each layer resolves ${workspaceFolder} to its own folder (multi-root)', () => {
      const folderB = source('folder:b', 'Folder settings (b)');
      const result = mergeLayers([
        layer(folderA, { a: { command: 'node', cwd: '${workspaceFolder}' } }, '/ws/a'),
        layer(folderB, { b: { command: 'node', cwd: '${workspaceFolder}/sub' } }, '/ws/b'),
      ]);
      assert.deepEqual(
        result.servers.map((s) => (s as StdioDefinition).cwd),
        ['/ws/a', '/ws/b/sub'],
      );
    });

    it('leaves ${input:ID} for connect time and records the ids', () => {
      const result = mergeLayers([
        layer(user, { h: { type: 'http', url: 'https://x.example/mcp', headers: { Authorization: 'Bearer ${input:tok}' } } }),
      ]);
      const h = result.servers[0] as HttpDefinition;
      assert.equal(h.headers.Authorization, 'Bearer ${input:tok}');
      assert.deepEqual(h.inputs, ['tok']);
    });
  });

  describe('readMcpJson', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-mcpjson-'));
      fs.mkdirSync(path.join(tmp, '.vscode'));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const write = (text: string) => fs.writeFileSync(path.join(tmp, '.vscode', 'mcp.json'), text);
    const src = source('mcp.json', '.vscode/mcp.json');

    it('reads VS Code’s format (JSONC, servers and inputs); bad input items are issues', () => {
      fs.copyFileSync(path.join(DATA, 'vscode-mcp-with-inputs.json'), path.join(tmp, '.vscode', 'mcp.json'));
      const content = readMcpJson(tmp, src)!;
      assert.deepEqual(Object.keys(content.servers as object), ['github', 'local', 'typo']);
      assert.deepEqual(
        content.inputs.map((i) => [i.type, i.id, i.password]),
        [
          ['promptString', 'gh-token', true],
          ['pickString', 'tier', false],
        ],
      );
      assert.deepEqual(content.inputs[1]!.options, ['free', 'pro']);
      assert.equal(content.issues.length, 1);
      assert.equal(content.issues[0]!.field, 'inputs.2');
      // Parsed with the other layers, the typo is an error node and the rest loads.
      const merged = mergeLayers([{ source: src, servers: content.servers, context: { workspaceFolder: tmp } }]);
      assert.deepEqual(
        merged.servers.map((s) => s.name),
        ['github', 'local'],
      );
      assert.deepEqual((merged.servers[1] as StdioDefinition).args, [path.join(tmp, 'server.js'), '--tier', '${input:tier}']);
      assert.equal(merged.issues[0]!.server, 'typo');
    });

    it('is undefined without a file; a syntax error is an issue with file:line:col, not an exception', () => {
      assert.equal(readMcpJson(tmp, src), undefined);
      write('{ "servers": { "a": { "command": "node" } "b": {} } }');
      const content = readMcpJson(tmp, src)!;
      assert.equal(content.servers, undefined);
      assert.match(content.issues[0]!.message, /mcp\.json:1:\d+: comma expected/);
      assert.equal(content.issues[0]!.source, src);
    });

    it('an empty or comment-only file has no servers and no issues', () => {
      write('// nothing yet\n');
      assert.deepEqual(readMcpJson(tmp, src), { servers: undefined, inputs: [], issues: [] });
    });
  });
});
