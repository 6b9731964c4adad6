// Writes that change only the entry they are about (src/ui/config/configEdits.ts), on real file
// texts: the demo's commented settings.json, an mcp.json in VS Code's documented shape (tabs), a
// .code-workspace file. Each verb, each file kind: the rest of the file is byte-for-byte the same.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import {
  applyChanges,
  applyChangesToValues,
  ConfigEditError,
  copyName,
  detectFormatting,
  entryOffset,
  minimalEdit,
  nameProblem,
  planFileEdit,
  serversIn,
  type ConfigChange,
  type ConfigFileKind,
} from '../../src/ui/config/configEdits';

const data = (f: string) => fs.readFileSync(path.join(__dirname, 'data', 'config', f), 'utf8');
const SETTINGS = data('commented-settings.json');
const MCP_JSON = data('vscode-docs-mcp.json');
const WORKSPACE = data('workspace.code-workspace');
const comments = (text: string) => text.match(/(?<=^|\s)\/\/.*$/gm) ?? [];

/** What is left of `before` around the one edit: everything outside it is unchanged. */
function outside(before: string, after: string) {
  const edit = minimalEdit(before, after)!;
  return { edit, head: before.slice(0, edit.offset), tail: before.slice(edit.offset + edit.length) };
}

describe('configuration edits', () => {
  describe('settings.json with comments (the demo file)', () => {
    const kind: ConfigFileKind = 'settings';

    it('adds a server: every comment and every other entry stay exactly as written', () => {
      const out = applyChanges(SETTINGS, kind, [
        { op: 'set', name: 'memory', entry: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } },
      ]);
      assert.deepEqual(comments(out), comments(SETTINGS));
      const { head, tail } = outside(SETTINGS, out);
      assert.ok(out.startsWith(head) && out.endsWith(tail));
      // Only text was inserted (nothing of the old file was replaced) after the last server.
      assert.equal(minimalEdit(SETTINGS, out)!.length, 0);
      assert.ok(head.includes('"fixture-secret"'));
      const servers = serversIn(out, kind)!;
      assert.deepEqual(Object.keys(servers), ['everything', 'fixture', 'fixture-http', 'fixture-secret', 'memory']);
      // Indented like the rest of the file (2 spaces).
      assert.match(out, /\n {4}"memory": \{\n {6}"command": "npx",/);
    });

    it('replaces an entry in place, keeping its position and the comment above it', () => {
      const out = applyChanges(SETTINGS, kind, [{ op: 'set', name: 'fixture', entry: { command: 'node', args: ['other.mjs'] } }]);
      assert.deepEqual(comments(out), comments(SETTINGS));
      assert.deepEqual(Object.keys(serversIn(out, kind)!), ['everything', 'fixture', 'fixture-http', 'fixture-secret']);
      assert.match(
        out,
        /\/\/ This repository's test server \(stdio\): echo, add, fail, sleep, \.\.\.\n {4}"fixture": \{\n {6}"command": "node",\n {6}"args": \[\n {8}"other\.mjs"\n {6}\]\n {4}\},\n {4}\/\/ The same test server/,
      );
    });

    it('removes only the entry with the comment lines right above it; every other line stays', () => {
      const out = applyChanges(SETTINGS, kind, [{ op: 'remove', name: 'fixture-http' }]);
      const gone = SETTINGS.slice(
        SETTINGS.indexOf('    // The same test server over Streamable HTTP'),
        SETTINGS.indexOf('    // A secret from an input'),
      );
      assert.equal(out, SETTINGS.replace(gone, ''));
      // The last entry: the comma before it goes too, the file stays valid.
      const last = applyChanges(SETTINGS, kind, [{ op: 'remove', name: 'fixture-secret' }]);
      assert.deepEqual(Object.keys(serversIn(last, kind)!), ['everything', 'fixture', 'fixture-http']);
      assert.match(last, /"url": "http:\/\/127\.0\.0\.1:39217\/mcp"\n {4}\}\n {2}\},\n {2}"mcpManager\.inputs"/);
    });

    it('keeps a trailing comment on its line when a key is added after it and removed again', () => {
      const text = '{\n  "mcpManager.servers": {\n    "a": {\n      "command": "node",\n      "args": ["x"] // why\n    }\n  }\n}\n';
      const off = applyChanges(text, kind, [{ op: 'setFlag', name: 'a', flag: 'disabled', value: true }]);
      assert.equal(off, text.replace('"args": ["x"] // why\n', '"args": ["x"], // why\n      "disabled": true\n'));
      assert.equal(applyChanges(off, kind, [{ op: 'setFlag', name: 'a', flag: 'disabled', value: false }]), text);
    });

    it('disables and enables with the "disabled" key, nothing else changes', () => {
      const off = applyChanges(SETTINGS, kind, [{ op: 'setFlag', name: 'everything', flag: 'disabled', value: true }]);
      assert.equal((serversIn(off, kind)!.everything as { disabled?: boolean }).disabled, true);
      assert.deepEqual(comments(off), comments(SETTINGS));
      const on = applyChanges(off, kind, [{ op: 'setFlag', name: 'everything', flag: 'disabled', value: false }]);
      assert.equal(on, SETTINGS);
      // Enabling a server that is not disabled is no edit at all.
      assert.equal(planFileEdit(SETTINGS, kind, [{ op: 'setFlag', name: 'fixture', flag: 'disabled', value: false }]), undefined);
    });

    it('writes "expose": false to stop offering a server, and removes the key to offer it again', () => {
      const off = applyChanges(SETTINGS, kind, [{ op: 'setFlag', name: 'everything', flag: 'expose', value: false }]);
      assert.equal((serversIn(off, kind)!.everything as { expose?: boolean }).expose, false);
      assert.deepEqual(comments(off), comments(SETTINGS));
      assert.equal(applyChanges(off, kind, [{ op: 'setFlag', name: 'everything', flag: 'expose', value: true }]), SETTINGS);
      // Offered is the default: offering an offered server is no edit.
      assert.equal(planFileEdit(SETTINGS, kind, [{ op: 'setFlag', name: 'fixture', flag: 'expose', value: true }]), undefined);
    });

    it('renames in place: only the key changes', () => {
      const out = applyChanges(SETTINGS, kind, [{ op: 'rename', name: 'fixture', to: 'test-server' }]);
      assert.equal(out, SETTINGS.replace('"fixture": {', '"test-server": {'));
      assert.throws(
        () => applyChanges(SETTINGS, kind, [{ op: 'rename', name: 'fixture', to: 'everything' }]),
        /a server named "everything" already exists in the file/,
      );
      assert.throws(
        () => applyChanges(SETTINGS, kind, [{ op: 'rename', name: 'nope', to: 'x' }], 'settings.json'),
        (e: Error) => e instanceof ConfigEditError && /there is no server "nope" in settings\.json/.test(e.message),
      );
    });

    it('appends input declarations, keeping those already declared as written', () => {
      const out = applyChanges(SETTINGS, kind, [
        {
          op: 'addInputs',
          inputs: [
            { type: 'promptString', id: 'demo-token' },
            { type: 'promptString', id: 'memory-KEY', password: true },
          ],
        },
      ]);
      assert.ok(
        out.includes(
          '{ "id": "demo-token", "type": "promptString", "description": "Any text: the demo passes it to fixture-secret as DEMO_TOKEN", "password": true }',
        ),
      );
      const inputs = (parse(out) as Record<string, { id: string }[]>)['mcpManager.inputs']!;
      assert.deepEqual(
        inputs.map((i) => i.id),
        ['demo-token', 'memory-KEY'],
      );
    });

    it('refuses a file with a syntax error, naming it', () => {
      assert.throws(
        () => applyChanges('{ "mcpManager.servers": { "a": } }', kind, [{ op: 'remove', name: 'a' }], '/ws/.vscode/settings.json'),
        /\/ws\/\.vscode\/settings\.json has a syntax error \(ValueExpected on line 1\)/,
      );
    });

    it('creates the setting in an empty or missing file', () => {
      const out = applyChanges('', kind, [{ op: 'set', name: 'a', entry: { command: 'x' } }]);
      assert.deepEqual(parse(out), { 'mcpManager.servers': { a: { command: 'x' } } });
      assert.ok(out.endsWith('\n'));
      const other = applyChanges('{\n    // mine\n    "editor.fontSize": 14\n}\n', kind, [
        { op: 'set', name: 'a', entry: { command: 'x' } },
      ]);
      assert.match(other, /\/\/ mine\n {4}"editor\.fontSize": 14,\n {4}"mcpManager\.servers": \{\n {8}"a": \{/);
    });
  });

  describe("mcp.json in VS Code's documented shape (tabs, inputs, dev)", () => {
    const kind: ConfigFileKind = 'mcpJson';
    const cases: [string, ConfigChange[], (out: string) => void][] = [
      [
        'set',
        [
          {
            op: 'set',
            name: 'memory',
            entry: {
              command: 'npx',
              args: ['-y', '@modelcontextprotocol/server-memory'],
              env: { MEMORY_FILE_PATH: '${workspaceFolder}/memory.json' },
            },
          },
        ],
        (out) => assert.match(out, /\n\t\t"memory": \{\n\t\t\t"command": "npx",/),
      ],
      ['remove', [{ op: 'remove', name: 'fetch' }], (out) => assert.ok(!out.includes('"fetch"'))],
      [
        'disable',
        [{ op: 'setFlag', name: 'github', flag: 'disabled', value: true }],
        (out) => assert.match(out, /"url": "https:\/\/api\.githubcopilot\.com\/mcp\/",\n\t\t\t"disabled": true/),
      ],
      [
        'rename',
        [{ op: 'rename', name: 'Perplexity', to: 'perplexity' }],
        (out) => assert.ok(out.includes('// https://github.com/ppl-ai/modelcontextprotocol/\n\t\t"perplexity": {')),
      ],
      [
        'duplicate',
        [{ op: 'set', name: 'gistpad-copy', entry: serversIn(MCP_JSON, kind)!.gistpad }],
        (out) =>
          assert.deepEqual((serversIn(out, kind)!['gistpad-copy'] as { dev: unknown }).dev, {
            watch: 'build/**/*.js',
            debug: { type: 'node' },
          }),
      ],
      [
        'add inputs',
        [{ op: 'addInputs', inputs: [{ type: 'promptString', id: 'memory-token', password: true }] }],
        (out) => assert.match(out, /"password": true\n\t\t\},\n\t\t\{\n\t\t\t"type": "promptString",\n\t\t\t"id": "memory-token",/),
      ],
    ];
    for (const [verb, changes, check] of cases) {
      it(`${verb}: the comments, the inputs and the other servers are untouched`, () => {
        const out = applyChanges(MCP_JSON, kind, changes);
        assert.deepEqual(comments(out), comments(MCP_JSON));
        check(out);
        const before = serversIn(MCP_JSON, kind)!;
        const after = serversIn(out, kind)!;
        for (const name of Object.keys(before)) {
          const touched = changes.some((c) => 'name' in c && c.name === name);
          if (!touched) assert.deepEqual(after[name], before[name], name);
        }
      });
    }

    it("detects the file's indentation and line ends", () => {
      assert.deepEqual(detectFormatting(MCP_JSON), { insertSpaces: false, tabSize: 4, eol: '\n' });
      assert.deepEqual(detectFormatting(SETTINGS), { insertSpaces: true, tabSize: 2, eol: '\n' });
      assert.deepEqual(detectFormatting('{\r\n    "a": 1\r\n}'), { insertSpaces: true, tabSize: 4, eol: '\r\n' });
      const crlf = applyChanges('{\r\n    "servers": {}\r\n}\r\n', kind, [{ op: 'set', name: 'a', entry: { command: 'x' } }]);
      assert.ok(!/[^\r]\n/.test(crlf), JSON.stringify(crlf));
    });

    it('creates "servers" in a new mcp.json', () => {
      assert.deepEqual(parse(applyChanges('', kind, [{ op: 'set', name: 'a', entry: { url: 'http://127.0.0.1:1/mcp', type: 'http' } }])), {
        servers: { a: { url: 'http://127.0.0.1:1/mcp', type: 'http' } },
      });
    });
  });

  describe('.code-workspace file', () => {
    it('edits under "settings", keeping the other settings and the trailing comment', () => {
      const out = applyChanges(WORKSPACE, 'workspaceFile', [
        { op: 'set', name: 'fetch', entry: { command: 'uvx', args: ['mcp-server-fetch'] } },
        { op: 'setFlag', name: 'time', flag: 'disabled', value: true },
      ]);
      assert.deepEqual(comments(out), comments(WORKSPACE));
      assert.ok(out.includes('"editor.tabSize": 2,'));
      assert.deepEqual(serversIn(out, 'workspaceFile'), {
        time: { command: 'uvx', args: ['mcp-server-time'], disabled: true },
        fetch: { command: 'uvx', args: ['mcp-server-fetch'] },
      });
      assert.equal(entryOffset(out, 'workspaceFile', 'fetch') !== undefined, true);
      assert.equal(entryOffset(out, 'settings', 'fetch'), undefined);
    });
  });

  describe('values (no file: the configuration API writes the setting)', () => {
    it('applies each verb and keeps the order', () => {
      const servers = { a: { command: 'x' }, b: { command: 'y', disabled: true }, c: { url: 'http://h/mcp' } };
      const r = applyChangesToValues(
        servers,
        [],
        [
          { op: 'rename', name: 'b', to: 'bee' },
          { op: 'setFlag', name: 'bee', flag: 'disabled', value: false },
          { op: 'setFlag', name: 'a', flag: 'disabled', value: true },
          { op: 'setFlag', name: 'a', flag: 'expose', value: false },
          { op: 'setFlag', name: 'bee', flag: 'expose', value: true },
          { op: 'remove', name: 'c' },
          { op: 'set', name: 'd', entry: { command: 'z' } },
          { op: 'addInputs', inputs: [{ id: 'k', type: 'promptString' }] },
        ],
      );
      assert.deepEqual(Object.keys(r.servers), ['a', 'bee', 'd']);
      assert.deepEqual(r.servers, { a: { command: 'x', disabled: true, expose: false }, bee: { command: 'y' }, d: { command: 'z' } });
      assert.deepEqual(r.inputs, [{ id: 'k', type: 'promptString' }]);
      assert.throws(
        () => applyChangesToValues(servers, [], [{ op: 'remove', name: 'zz' }], 'User settings'),
        /there is no server "zz" in User settings/,
      );
    });
  });

  describe('names', () => {
    it('proposes a free copy name and validates new names', () => {
      const taken = new Set(['a', 'a-copy']);
      assert.equal(
        copyName('a', (n) => taken.has(n)),
        'a-copy-2',
      );
      assert.equal(
        copyName('b', (n) => taken.has(n)),
        'b-copy',
      );
      assert.equal(
        nameProblem(' ', (n) => taken.has(n)),
        'The name must not be empty',
      );
      assert.equal(
        nameProblem('a', (n) => taken.has(n)),
        'A server named "a" already exists',
      );
      assert.equal(
        nameProblem('a', (n) => taken.has(n), 'a'),
        undefined,
      );
      assert.equal(
        nameProblem('new', (n) => taken.has(n)),
        undefined,
      );
    });
  });
});
