// A repository set up for VS Code's built-in MCP works unchanged (issue 11, point 6): an mcp.json
// in VS Code's documented shapes (inputs, dev, type stdio/http), `type: "http"` falling back to
// SSE against a real legacy SSE server, `~` in command/cwd/envFile, and VS Code's variables
// ${execPath}, ${cwd}, ${config:…} and ${command:…} (deferred to the editor).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseServer, parseServers, ServerConnection, type StdioDefinition } from '../../src/core';
import { readMcpJson } from '../../src/core/config/mcpJson';
import { expandHome, inputIds, substituteVariables } from '../../src/core/config/variables';
import { startHttpFixture, type StartedServer } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf } from '../unit/helpers';

const ctx = { workspaceFolder: '/ws', userHome: '/home/u', env: {} };

describe('VS Code mcp.json compatibility', function () {
  this.timeout(60_000);

  describe('the documented mcp.json shapes', () => {
    it('reads servers with inputs, dev, stdio and http types without an issue', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-compat-'));
      try {
        fs.mkdirSync(path.join(dir, '.vscode'));
        fs.copyFileSync(
          path.join(__dirname, '..', 'unit', 'data', 'config', 'vscode-docs-mcp.json'),
          path.join(dir, '.vscode', 'mcp.json'),
        );
        const content = readMcpJson(dir, { kind: 'mcp.json', label: '.vscode/mcp.json' })!;
        assert.deepEqual(content.issues, []);
        assert.deepEqual(
          content.inputs.map((i) => i.id),
          ['perplexity-key'],
        );
        const parsed = parseServers(content.servers, { context: { ...ctx, workspaceFolder: dir } });
        assert.deepEqual(parsed.issues, []);
        assert.deepEqual(
          parsed.servers.map((s) => `${s.name}:${s.type}`),
          ['Perplexity:stdio', 'fetch:stdio', 'github:http', 'gistpad:stdio'],
        );
        assert.deepEqual(parsed.servers[0]!.inputs, ['perplexity-key']);
        assert.equal((parsed.servers[3] as StdioDefinition).cwd, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('variables and ~', () => {
    it('expands ~ in command, cwd and envFile (not in args), as VS Code does', () => {
      const r = parseServer('t', { command: '~/bin/server', args: ['~/data'], cwd: '~', envFile: '~/.env' }, { context: ctx });
      assert.ok('definition' in r);
      const def = r.definition as StdioDefinition;
      assert.equal(def.command, path.join('/home/u', 'bin/server'));
      assert.deepEqual(def.args, ['~/data']);
      assert.equal(def.cwd, '/home/u');
      assert.equal(def.envFile, path.join('/home/u', '.env'));
      assert.equal(expandHome('~user/x', '/h'), '~user/x');
    });

    it('resolves ${execPath}, ${cwd} and ${config:…}, and says where they cannot be', () => {
      assert.equal(substituteVariables('${execPath}', ctx), process.execPath);
      assert.equal(substituteVariables('${execPath}', { ...ctx, execPath: '/opt/code/code' }), '/opt/code/code');
      assert.equal(substituteVariables('${cwd}/x', ctx), '/ws/x');
      assert.equal(substituteVariables('${cwd}', { userHome: '/h' }), process.cwd());
      const config = (key: string): unknown =>
        ({ 'python.defaultInterpreterPath': '/usr/bin/python3', 'editor.fontSize': 14, 'files.exclude': { a: true } })[key];
      assert.equal(substituteVariables('${config:python.defaultInterpreterPath}', { ...ctx, config }), '/usr/bin/python3');
      assert.equal(substituteVariables('${config:editor.fontSize}', { ...ctx, config }), '14');
      assert.throws(() => substituteVariables('${config:files.exclude}', { ...ctx, config }), /"files\.exclude" is a structured value/);
      assert.throws(() => substituteVariables('${config:nope}', { ...ctx, config }), /there is no setting "nope"/);
      // The CLI has no VS Code settings and runs no VS Code commands: a clear error, per field.
      const r = parseServer('t', { command: '${config:python.defaultInterpreterPath}', args: ['${command:ext.token}'] }, { context: ctx });
      assert.ok('issues' in r);
      assert.equal(r.issues[0]!.field, 'command');
      assert.match(r.issues[0]!.message, /reads a VS Code setting, which only the editor can do/);
      const c = parseServer('t', { command: 'node', args: ['${command:ext.token}'] }, { context: ctx });
      assert.ok('issues' in c && /runs a VS Code command, which only the editor can do/.test(c.issues[0]!.message));
    });

    it('defers ${command:…} to connect time in the editor, next to ${input:…}', () => {
      const r = parseServer(
        't',
        { command: 'node', args: ['${command:ext.token}'], env: { K: '${input:key}' } },
        { context: { ...ctx, commands: true } },
      );
      assert.ok('definition' in r);
      assert.deepEqual([...r.definition.inputs].sort(), ['command:ext.token', 'key']);
      assert.deepEqual((r.definition as StdioDefinition).args, ['${command:ext.token}']);
      assert.deepEqual(inputIds('${input:a} ${command:b.c}'), ['a', 'command:b.c']);
    });

    it('passes the resolved ${command:…} value to the server', async () => {
      // As the editor parses it (`commands`): the value comes from the resolver at connect time.
      const r = parseServer(
        'cmd',
        {
          command: process.execPath,
          args: [path.join(__dirname, '..', 'fixtures', 'server.mjs')],
          env: { FROM_COMMAND: '${command:ext.token}' },
        },
        { context: { ...ctx, workspaceFolder: __dirname, commands: true } },
      );
      assert.ok('definition' in r);
      const asked: string[][] = [];
      const c = new ServerConnection(r.definition, {
        timing: fastTiming,
        logger: recordingLogger(),
        parentEnv: process.env,
        inputResolver: async (_server, ids) => {
          asked.push([...ids]);
          return { 'command:ext.token': 'from-the-command' };
        },
      });
      try {
        assert.equal(JSON.parse(textOf(await c.callTool('env', { name: 'FROM_COMMAND' }))), 'from-the-command');
        assert.deepEqual(asked, [['command:ext.token']]);
      } finally {
        await c.dispose();
      }
    });
  });

  describe('type "http" falls back to SSE', () => {
    const started: StartedServer[] = [];
    const open: ServerConnection[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      await Promise.all(started.splice(0).map((s) => s.stop()));
    });
    const conn = (entry: Record<string, unknown>) => {
      const logger = recordingLogger();
      const c = new ServerConnection(definition('legacy', entry), { timing: fastTiming, logger });
      open.push(c);
      return { c, logger };
    };

    it('connects to a legacy SSE server configured as "http" (its POST answers 404) and calls tools', async () => {
      const fixture = await startHttpFixture(['--sse']);
      started.push(fixture);
      const { c, logger } = conn({ type: 'http', url: fixture.url });
      assert.equal(textOf(await c.callTool('echo', { message: 'over sse' })), 'Echo: over sse');
      assert.equal(textOf(await c.callTool('echo', { message: 'again' })), 'Echo: again');
      assert.ok(
        logger.lines.some((l) => /Streamable HTTP was refused \(HTTP 404\); trying the legacy HTTP\+SSE transport/.test(l)),
        logger.lines.join('\n'),
      );
    });

    it('does not fall back on a 401 (credentials), nor for a Streamable HTTP server', async () => {
      const server = http.createServer((_req, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('no');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
        const { c, logger } = conn({ type: 'http', url });
        await assert.rejects(c.start(), /refused access: HTTP 401/);
        assert.ok(!logger.lines.some((l) => /legacy HTTP\+SSE/.test(l)));
      } finally {
        server.close();
      }
      const fixture = await startHttpFixture(['--http']);
      started.push(fixture);
      const { c, logger } = conn({ type: 'http', url: fixture.url });
      assert.equal(textOf(await c.callTool('echo', { message: 'streamable' })), 'Echo: streamable');
      assert.ok(!logger.lines.some((l) => /legacy HTTP\+SSE/.test(l)));
    });

    it('reports the SSE failure when neither transport is served at the URL', async () => {
      const fixture = await startHttpFixture(['--sse']);
      started.push(fixture);
      const { c } = conn({ type: 'http', url: fixture.url.replace(/\/sse$/, '/nothing') });
      await assert.rejects(c.start(), /404/);
    });
  });
});
