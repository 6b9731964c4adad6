// The one configuration pipeline both hosts use (src/core/config/pipeline.ts): the precedence order
// as a pure function, and resolveConfig on real files (trust, the last valid mcp.json, inputs per
// source). The editor's host answers from the settings API; here a plain object answers instead.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StdioDefinition } from '../../src/core';
import type { LayerSource } from '../../src/core/config/layers';
import type { McpJsonContent } from '../../src/core/config/mcpJson';
import {
  precedence,
  resolveConfig,
  type FolderRef,
  type PipelineHost,
  type SettingsSlot,
  type WorkspaceShape,
} from '../../src/core/config/pipeline';

const slotNames = (shape: WorkspaceShape) =>
  precedence(shape).map((s) => (s.kind === 'folder' || s.kind === 'mcp.json' ? `${s.kind}:${s.folder.name}` : s.kind));

describe('configuration pipeline', () => {
  describe('precedence (most specific first)', () => {
    const a: FolderRef = { name: 'a', index: 0, path: '/ws/a' };
    const b: FolderRef = { name: 'b', index: 1, path: '/ws/b' };

    it('single folder: its settings (the workspace settings), its mcp.json, then user settings', () => {
      assert.deepEqual(slotNames({ folders: [a], multiRoot: false, readMcpJson: true, user: true }), ['workspace', 'mcp.json:a', 'user']);
    });

    it('multi-root: each folder’s settings then its mcp.json, then the .code-workspace settings, then user', () => {
      assert.deepEqual(slotNames({ folders: [a, b], multiRoot: true, readMcpJson: true, user: true }), [
        'folder:a',
        'mcp.json:a',
        'folder:b',
        'mcp.json:b',
        'workspace',
        'user',
      ]);
    });

    it('no mcp.json when the setting is off or the folder is not on disk; the CLI has no user settings', () => {
      assert.deepEqual(slotNames({ folders: [a, b], multiRoot: true, readMcpJson: false, user: true }), [
        'folder:a',
        'folder:b',
        'workspace',
        'user',
      ]);
      assert.deepEqual(slotNames({ folders: [{ name: 'remote', index: 0 }], multiRoot: false, readMcpJson: true, user: true }), [
        'workspace',
        'user',
      ]);
      assert.deepEqual(slotNames({ folders: [a], multiRoot: false, readMcpJson: true, user: false }), ['workspace', 'mcp.json:a']);
      assert.deepEqual(slotNames({ folders: [], multiRoot: false, readMcpJson: true, user: true }), ['workspace', 'user']);
    });
  });

  describe('resolveConfig', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-pipeline-'));
      fs.mkdirSync(path.join(tmp, '.vscode'));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const writeMcp = (value: unknown) =>
      fs.writeFileSync(path.join(tmp, '.vscode', 'mcp.json'), typeof value === 'string' ? value : JSON.stringify(value));

    const source = (kind: string, label: string, workspaceDefined: boolean): LayerSource => ({
      kind,
      label,
      order: 0,
      secretScope: kind,
      workspaceDefined,
    });
    const shape = (): WorkspaceShape => ({
      folders: [{ name: 'ws', index: 0, path: tmp }],
      multiRoot: false,
      readMcpJson: true,
      user: true,
    });
    /** A host whose settings scopes hold `values` (by slot kind). */
    const host = (
      values: Partial<Record<SettingsSlot['kind'], { servers?: unknown; inputs?: unknown }>>,
      trusted = true,
    ): PipelineHost => ({
      trusted,
      settings: (slot) => {
        const src = slot.kind === 'user' ? source('user', 'User settings', false) : source('workspace', 'Workspace settings', true);
        return { source: src, servers: values[slot.kind]?.servers, inputs: values[slot.kind]?.inputs };
      },
      mcpJsonSource: (folder) => ({ ...source('mcp.json', '.vscode/mcp.json', true), file: path.join(folder.path, '.vscode', 'mcp.json') }),
      context: (folder) => ({ workspaceFolder: folder?.path, userHome: '/home/u', env: {} }),
    });

    it('merges every source once, most specific first, with one note per other definition', () => {
      writeMcp({
        servers: { shared: { command: 'from-mcp' }, mcp: { command: 'm', cwd: '${workspaceFolder}' } },
        inputs: [{ type: 'promptString', id: 'tok' }],
      });
      const r = resolveConfig(
        shape(),
        host({
          workspace: { servers: { shared: { command: 'from-ws' } } },
          user: { servers: { shared: { command: 'from-user' }, mine: { command: 'u' } }, inputs: [] },
        }),
      );
      assert.deepEqual(
        r.servers.map((s) => [s.name, (s as StdioDefinition).command]),
        [
          ['shared', 'from-ws'],
          ['mcp', 'm'],
          ['mine', 'u'],
        ],
      );
      assert.equal((r.servers[1] as StdioDefinition).cwd, tmp);
      assert.deepEqual(
        r.issues.map((i) => i.message),
        [
          'also defined in .vscode/mcp.json; the entry from Workspace settings is used',
          'also defined in User settings; the entry from Workspace settings is used',
        ],
      );
      assert.deepEqual([...r.inputs.keys()], ['workspace', 'mcp.json', 'user']);
      assert.deepEqual(
        r.inputs.get('mcp.json')!.map((i) => i.id),
        ['tok'],
      );
      assert.deepEqual(r.ignored, []);
    });

    it('untrusted: nothing the workspace wrote is used, and what is ignored is counted; user settings still load', () => {
      writeMcp({ servers: { one: { command: 'x' }, two: { command: 'y' } } });
      const r = resolveConfig(
        shape(),
        host(
          { workspace: { servers: { w: { command: 'w' } }, inputs: 'not parsed' }, user: { servers: { mine: { command: 'u' } } } },
          false,
        ),
      );
      assert.deepEqual(
        r.servers.map((s) => s.name),
        ['mine'],
      );
      assert.deepEqual(r.ignored, [
        { label: 'Workspace settings', servers: 1 },
        { label: '.vscode/mcp.json', servers: 2 },
      ]);
      assert.deepEqual(r.issues, [], 'the ignored inputs are not even checked');
      assert.deepEqual([...r.inputs.keys()], ['user']);
    });

    it('while mcp.json has a syntax error the last valid version is used, with the error as an issue', () => {
      const lastGood = new Map<string, McpJsonContent>();
      writeMcp({ servers: { a: { command: 'node' } } });
      assert.deepEqual(
        resolveConfig(shape(), host({}), lastGood).servers.map((s) => s.name),
        ['a'],
      );
      writeMcp('{ "servers": { "a": { "command": "node" } "b": {} } }');
      const broken = resolveConfig(shape(), host({}), lastGood);
      assert.deepEqual(
        broken.servers.map((s) => s.name),
        ['a'],
      );
      assert.match(broken.issues[0]!.message, /mcp\.json:1:\d+: comma expected \(the last valid version is still in use\)/);
      fs.rmSync(path.join(tmp, '.vscode', 'mcp.json'));
      assert.deepEqual(resolveConfig(shape(), host({}), lastGood).servers, []);
      assert.equal(lastGood.size, 0, 'a deleted file is forgotten');
    });
  });
});
