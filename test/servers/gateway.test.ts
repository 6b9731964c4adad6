// The gateway end to end: `node dist/cli.js serve` as a real child process, real upstream servers
// (our 2025-era fixture, the 2026-07-28 eras fixture, server-everything) and a real SDK v2 client
// downstream, over stdio. Processes are counted through /proc (descendants of the gateway).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ERAS, FIXTURE_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';
import { buildCli, CLI, runCli } from './runCli';
import { descendants, waitFor } from './gatewayHelpers';

const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

describe('gateway: mcp-manager serve over stdio', function () {
  this.timeout(120_000);
  let tmp: string;
  let config: string;
  let xdg: string;
  const open: { client: Client; transport: StdioClientTransport }[] = [];

  function writeConfig(servers: Record<string, unknown>): void {
    fs.writeFileSync(config, JSON.stringify({ servers }, null, 2));
  }
  const base = () => ({
    fixture: { command: NODE, args: [FIXTURE_SERVER] },
    modern: { command: NODE, args: [ERAS.modern] },
    everything: { command: NODE, args: [EVERYTHING, 'stdio'] },
    hidden: { command: NODE, args: [FIXTURE_SERVER], expose: false },
  });

  async function serve(args: string[] = [], clientOptions: ConstructorParameters<typeof Client>[1] = {}) {
    const transport = new StdioClientTransport({
      command: NODE,
      args: [CLI, 'serve', '--config', config, '-v', ...args],
      env: { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: xdg },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const client = new Client({ name: 'gateway-test', version: '1.0.0' }, clientOptions);
    await client.connect(transport);
    open.push({ client, transport });
    return { client, transport, pid: transport.pid!, stderr: () => stderr };
  }

  before(function () {
    buildCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-gateway-'));
    config = path.join(tmp, 'mcp.json');
    xdg = path.join(tmp, 'xdg');
  });
  beforeEach(() => writeConfig(base()));
  afterEach(async () => {
    for (const { client } of open.splice(0)) await client.close().catch(() => undefined);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('offers every exposed server under prefixed names; later runs list them without starting anything', async () => {
    const first = await serve();
    const tools = (await first.client.listTools()).tools.map((t) => t.name);
    for (const name of ['fixture_echo', 'fixture_sleep', 'modern_echo', 'modern_whoami', 'everything_echo', 'everything_get-sum'])
      assert.ok(tools.includes(name), `${name} in ${tools.join(', ')}`);
    assert.ok(!tools.some((t) => t.startsWith('hidden_')), 'expose: false is not offered');
    assert.equal(new Set(tools).size, tools.length, 'no name twice');
    for (const t of tools) assert.match(t, /^[A-Za-z0-9_.-]{1,64}$/);
    await first.client.close();

    const second = await serve();
    const again = (await second.client.listTools()).tools.map((t) => t.name);
    assert.deepEqual(again.sort(), [...tools].sort());
    assert.deepEqual(descendants(second.pid), [], 'tools/list from the remembered lists starts no process');
    const r = await second.client.callTool({ name: 'modern_echo', arguments: { message: 'through the gateway' } });
    assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: through the gateway' }]);
    assert.equal(descendants(second.pid).length, 1, 'only the server that was used started');
    const prompts = (await second.client.listPrompts()).prompts.map((p) => p.name);
    assert.ok(prompts.includes('modern_greet'), prompts.join(', '));
    const greet = await second.client.getPrompt({ name: 'modern_greet', arguments: { name: 'Ada' } });
    assert.deepEqual(greet.messages[0]?.content, { type: 'text', text: 'Hello, Ada!' });
    const read = await second.client.readResource({ uri: 'eras://hello' });
    assert.match(JSON.stringify(read.contents), /Hello from eras/);
  });

  it('lists a server again when it changes its tools, and tells the client', async () => {
    const { client } = await serve(['fixture']);
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    await client.listTools();
    await client.callTool({ name: 'fixture_add_tool', arguments: {} });
    await waitFor(() => changed > 0, 'tools/list_changed from the gateway');
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'fixture_dynamic_0'), 'the new tool offered');
  });

  it('forgets the remembered lists when the configuration changes', async () => {
    const warm = await serve(['fixture']);
    await warm.client.listTools();
    await warm.client.close();
    const cold = await serve(['fixture']);
    await cold.client.listTools();
    assert.deepEqual(descendants(cold.pid), [], 'remembered');
    await cold.client.close();
    writeConfig({ ...base(), fixture: { command: NODE, args: [FIXTURE_SERVER], env: { CHANGED: '1' } } });
    const changed = await serve(['fixture']);
    assert.ok((await changed.client.listTools()).tools.some((t) => t.name === 'fixture_echo'));
    assert.equal(descendants(changed.pid).length, 1, 'the changed server was started to list it');
  });

  it('passes progress through and cancellation back to the server', async () => {
    const gw = await serve(['fixture']);
    const controller = new AbortController();
    let progress = 0;
    const call = gw.client.callTool(
      { name: 'fixture_sleep', arguments: { ms: 60_000, progress: true } },
      {
        signal: controller.signal,
        onprogress: () => {
          if (++progress === 2) controller.abort();
        },
      },
    );
    await assert.rejects(call);
    await waitFor(() => /\[fixture\].*cancelled/.test(gw.stderr()), 'the server saw notifications/cancelled');
    assert.ok(progress >= 2);
    const r = await gw.client.callTool({ name: 'fixture_echo', arguments: { message: 'still here' } });
    assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: still here' }]);
  });

  it("a server's malformed result reaches the client as an error naming the server and tool, not as a result", async () => {
    writeConfig({ odd: { command: NODE, args: [ERAS.misbehavingStdio, '--case', 'error-on-discover'] } });
    const { client } = await serve(['odd']);
    await assert.rejects(
      client.callTool({ name: 'odd_echo', arguments: { message: 'malformed' } }),
      /odd: tools\/call "echo" failed: Invalid result/,
    );
    const r = await client.callTool({ name: 'odd_echo', arguments: { message: 'fine' } });
    assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: fine' }]);
  });

  it('serves a 2026-07-28 client too', async () => {
    const { client } = await serve(['modern', 'fixture'], { versionNegotiation: { mode: 'auto' } } as never);
    assert.equal(client.getProtocolEra?.(), 'modern');
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('fixture_echo') && names.includes('modern_echo'));
    const r = await client.callTool({ name: 'fixture_echo', arguments: { message: 'new era' } });
    assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: new era' }]);
  });

  it('names an unknown server with the configured ones, and prints client configuration', async () => {
    const bad = await runCli(['serve', 'fixtur', '--config', config]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no server named "fixtur".*did you mean "fixture"/);
    const claude = await runCli(['serve', 'fixture', '--config', config, '--print-config', 'claude']);
    assert.equal(claude.code, 0, claude.stderr);
    const entry = JSON.parse(claude.stdout).mcpServers['mcp-manager'];
    assert.equal(entry.command, process.execPath);
    assert.deepEqual(entry.args, [CLI, 'serve', 'fixture', '--config', config]);
    const vscode = await runCli(['serve', '--config', config, '--http', '127.0.0.1:7777', '--print-config', 'vscode']);
    const server = JSON.parse(vscode.stdout).servers['mcp-manager'];
    assert.equal(server.url, 'http://127.0.0.1:7777/mcp');
    assert.equal(server.headers.Authorization, 'Bearer ${input:mcp-manager-gateway-token}');
  });

  it("relays a server's elicitation to the client whose call caused it", async () => {
    const { client } = await serve(['everything'], { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', (req) => {
      asked.push(req.params.message);
      return { action: 'decline' };
    });
    const tools = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(tools.includes('everything_trigger-elicitation-request'), tools.join(', '));
    const r = await client.callTool({ name: 'everything_trigger-elicitation-request', arguments: {} });
    assert.equal(asked.length, 1, 'the downstream client was asked once');
    assert.match(JSON.stringify(r.content), /decline/i);
  });
});
