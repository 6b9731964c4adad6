// Proves the protocol-era fixtures in test/fixtures/eras behave as their headers say, using a plain
// SDK v2 Client (`versionNegotiation: { mode: 'auto' }`, or the default 2025 handshake) and raw HTTP /
// raw stdio where the wire matters. Tests named "SDK: ..." pin what the plain SDK v2 client does with a
// misbehaving case (see test/fixtures/eras/README.md): if one fails after an SDK upgrade, the SDK's
// behaviour changed; update the README table and tell whoever relies on the gap.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, SdkErrorCode, StreamableHTTPClientTransport, type CallToolResult, type ClientOptions } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { WAIT_FLOOR_MS } from '../unit/helpers';
import { ERAS, NODE, startHttpFixture, stopChild, type StartedServer } from '../fixtures/paths';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const HELLO = 'eras://hello';
const BASE_TOOLS = [
  'echo',
  'add',
  'slow',
  'route',
  'log',
  'reset',
  'whoami',
  'change',
  'touch',
  'ask_form',
  'ask_url',
  'url_required',
  'ask_sample',
  'ask_roots',
  'ask_sample_tools',
  'ask_twice',
  'ask_forever',
  'task_ok',
  'task_fail',
  'task_wait',
  'task_timer',
  'task_gate',
  'task_ask',
  'open_gate',
];
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

type Mode = 'auto' | 'legacy';
interface JsonRpcReply {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

// ---- bookkeeping: clients and raw children are closed after each test ----
const clients: Client[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(children.splice(0).map((c) => stopChild(c, 1000)));
});

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + Math.max(timeoutMs, WAIT_FLOOR_MS);
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function count(haystack: string, line: string): number {
  return haystack.split('\n').filter((l) => l === line).length;
}

function newClient(mode: Mode, options: ClientOptions = {}): Client {
  const client = new Client(
    { name: 'era-fixtures-test', version: '1.0.0' },
    mode === 'auto' ? { versionNegotiation: { mode: 'auto' }, ...options } : options,
  );
  clients.push(client);
  return client;
}

/** A v2 stdio transport for a fixture script; its stderr is collected (the probe sibling's is discarded by the SDK). */
function stdioTransport(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: NODE,
    args: [script, ...args],
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return { transport, stderr: () => stderr };
}

async function connectStdio(
  mode: Mode,
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  options: ClientOptions = {},
) {
  const { transport, stderr } = stdioTransport(script, args, env);
  const client = newClient(mode, options);
  await client.connect(transport);
  return { client, stderr };
}

async function connectHttp(mode: Mode, url: string, options: ClientOptions = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = newClient(mode, options);
  await client.connect(transport);
  return { client, transport };
}

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('');
}

async function callJson(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return JSON.parse(textOf(await client.callTool({ name, arguments: args }))) as Record<string, unknown>;
}

/** Collects notifications by method (handlers replace any earlier one for the same method). */
function collect(client: Client, ...methods: ('notifications/tools/list_changed' | 'notifications/resources/updated')[]) {
  const seen: { method: string; params: Record<string, unknown> }[] = [];
  for (const method of methods) {
    client.setNotificationHandler(method, (n: { method: string; params?: Record<string, unknown> }) => {
      seen.push({ method: n.method, params: n.params ?? {} });
    });
  }
  return seen;
}

// ---- raw HTTP ----
interface RawReply {
  status: number;
  contentType: string;
  text: string;
  body: JsonRpcReply | undefined;
}

async function post(url: string, message: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let body: JsonRpcReply | undefined;
  if (contentType.includes('text/event-stream')) {
    const messages = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => JSON.parse(l.slice(5)) as JsonRpcReply);
    body = messages.find((m) => m.id !== undefined && (m.result !== undefined || m.error !== undefined));
  } else if (contentType.includes('application/json') && text) {
    body = JSON.parse(text) as JsonRpcReply;
  }
  return { status: res.status, contentType, text, body };
}

/** A 2026-07-28 request body (with the `_meta` envelope). */
function modernRequest(method: string, params: Record<string, unknown> = {}, id = 1) {
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta: ENVELOPE } };
}

/** The standard 2026-07-28 headers for a request. */
function modernHeaders(method: string, name?: string): Record<string, string> {
  return { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) };
}

const initializeRequest = (id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
});

async function getJson<T>(url: string, method = 'GET'): Promise<T> {
  return (await (await fetch(url, { method })).json()) as T;
}

// ---- raw stdio (line-delimited JSON-RPC, no SDK) ----
function rawStdio(script: string, args: string[]) {
  const child = spawn(NODE, [script, ...args], { stdio: 'pipe' });
  children.push(child);
  let stderr = '';
  let buffered = '';
  const received: JsonRpcReply[] = [];
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) received.push(JSON.parse(line) as JsonRpcReply);
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const reply = async (id: number) => {
    await waitFor(() => received.some((m) => m.id === id), `a reply to request ${id}`);
    return received.find((m) => m.id === id) as JsonRpcReply;
  };
  return { child, send, reply, received, exit, stderr: () => stderr };
}

describe('protocol-era fixtures (test/fixtures/eras)', function () {
  this.timeout(60_000);

  describe('modern.mjs over stdio', () => {
    it('--era both: an auto client lands on 2026-07-28 with the envelope; a default client on 2025-11-25', async () => {
      const { client } = await connectStdio('auto', ERAS.modern);
      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(client.getServerVersion()?.name, 'eras-fixture');
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        BASE_TOOLS,
      );
      const who = await callJson(client, 'whoami');
      assert.deepEqual([who.era, who.protocolVersion, who.clientName, who.envelope], ['modern', MODERN, 'era-fixtures-test', true]);
      const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      assert.deepEqual(sum.structuredContent, { sum: 5 });
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })), 'Echo: hi');
      const hello = await client.readResource({ uri: HELLO });
      assert.equal((hello.contents[0] as { text: string }).text, 'Hello from eras (v1)');
      const item = await client.readResource({ uri: 'eras://item/42' });
      assert.deepEqual(JSON.parse((item.contents[0] as { text: string }).text), { id: '42' });
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => t.uriTemplate),
        ['eras://item/{id}'],
      );
      const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      assert.deepEqual(prompt.messages[0].content, { type: 'text', text: 'Hello, Ada!' });

      const legacy = await connectStdio('legacy', ERAS.modern);
      assert.equal(legacy.client.getProtocolEra(), 'legacy');
      const legacyWho = await callJson(legacy.client, 'whoami');
      assert.deepEqual(
        [legacyWho.era, legacyWho.protocolVersion, legacyWho.clientName, legacyWho.envelope],
        ['legacy', LEGACY, 'era-fixtures-test', false],
      );
    });

    it('--era modern: initialize gets -32022 naming 2026-07-28 and the connection stays open for discover', async () => {
      const raw = rawStdio(ERAS.modern, ['--era', 'modern']);
      raw.send(initializeRequest(1));
      const refused = await raw.reply(1);
      assert.equal(refused.error?.code, -32022);
      assert.deepEqual(refused.error?.data?.supported, [MODERN]);
      raw.send(modernRequest('server/discover', {}, 2));
      const discovered = await raw.reply(2);
      assert.deepEqual(discovered.result?.supportedVersions, [MODERN]);

      const auto = await connectStdio('auto', ERAS.modern, ['--era', 'modern']);
      assert.equal(auto.client.getProtocolEra(), 'modern');
      await assert.rejects(connectStdio('legacy', ERAS.modern, ['--era', 'modern']), /Unsupported protocol version/);
    });

    it('--era legacy: server/discover is an unknown method and an auto client falls back to initialize', async () => {
      const raw = rawStdio(ERAS.modern, ['--era', 'legacy']);
      raw.send(modernRequest('server/discover', {}, 1));
      const answer = await raw.reply(1);
      assert.equal(answer.error?.code, -32601);

      const { client, stderr } = await connectStdio('auto', ERAS.modern, ['--era', 'legacy'], { ERA_LOG_REQUESTS: '1' });
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.equal((await callJson(client, 'whoami')).protocolVersion, LEGACY);
      // The SDK probes on a sibling process: the session process only ever saw initialize. (stderr is
      // read independently of stdout: wait for the last request's line, the earlier ones precede it.)
      await waitFor(() => stderr().includes(`request tools/call ${LEGACY}`), 'the tools/call line');
      assert.match(stderr(), /^request initialize 2025-11-25$/m);
      assert.doesNotMatch(stderr(), /server\/discover/);
    });

    it('ERA_FILE chooses the era at each start', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'era-file-'));
      const eraFile = path.join(dir, 'era');
      try {
        fs.writeFileSync(eraFile, 'legacy\n');
        const first = await connectStdio('auto', ERAS.modern, [], { ERA_FILE: eraFile });
        assert.equal(first.client.getProtocolEra(), 'legacy');
        await first.client.close();
        fs.writeFileSync(eraFile, 'modern\n');
        const second = await connectStdio('auto', ERAS.modern, [], { ERA_FILE: eraFile });
        assert.equal(second.client.getProtocolEra(), 'modern');
        await assert.rejects(connectStdio('legacy', ERAS.modern, [], { ERA_FILE: eraFile }));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('change and touch reach a 2026 client over subscriptions/listen and a 2025 client as plain notifications', async () => {
      const modern = await connectStdio('auto', ERAS.modern);
      const seen = collect(modern.client, 'notifications/tools/list_changed', 'notifications/resources/updated');
      const sub = await modern.client.listen({ toolsListChanged: true, resourceSubscriptions: [HELLO] });
      assert.deepEqual(sub.honoredFilter, { toolsListChanged: true, resourceSubscriptions: [HELLO] });
      assert.equal(textOf(await modern.client.callTool({ name: 'change', arguments: {} })), 'added added_0');
      await waitFor(() => seen.some((n) => n.method === 'notifications/tools/list_changed'), 'tools list_changed on the listen stream');
      assert.ok((await modern.client.listTools()).tools.some((t) => t.name === 'added_0'));
      await modern.client.callTool({ name: 'touch', arguments: {} });
      await waitFor(() => seen.some((n) => n.method === 'notifications/resources/updated'), 'resources/updated on the listen stream');
      assert.equal(seen.find((n) => n.method === 'notifications/resources/updated')?.params.uri, HELLO);
      const hello = await modern.client.readResource({ uri: HELLO });
      assert.equal((hello.contents[0] as { text: string }).text, 'Hello from eras (v2)');

      const legacy = await connectStdio('legacy', ERAS.modern);
      const legacySeen = collect(legacy.client, 'notifications/tools/list_changed', 'notifications/resources/updated');
      await legacy.client.subscribeResource({ uri: HELLO });
      await legacy.client.callTool({ name: 'change', arguments: {} });
      await legacy.client.callTool({ name: 'touch', arguments: {} });
      await waitFor(() => legacySeen.length >= 2, 'both legacy notifications');
      assert.deepEqual(legacySeen.map((n) => n.method).sort(), ['notifications/resources/updated', 'notifications/tools/list_changed']);
    });

    it('slow sends progress and stops when cancelled', async () => {
      const { client, stderr } = await connectStdio('auto', ERAS.modern);
      const controller = new AbortController();
      const progress: number[] = [];
      const call = client.callTool(
        { name: 'slow', arguments: { ms: 60_000, steps: 600 } },
        {
          signal: controller.signal,
          onprogress: (p) => {
            progress.push(p.progress);
            controller.abort();
          },
        },
      );
      await assert.rejects(call);
      assert.ok(progress.length >= 1);
      await waitFor(() => stderr().includes('slow cancelled'), 'the server to notice the cancellation');
    });

    it('ERA_LOG_REQUESTS counts round trips: a 2026 list with ttlMs is served from the SDK cache, a 2025 one is not', async () => {
      const env = { ERA_LOG_REQUESTS: '1', ERA_TTL_MS: '60000' };
      const modern = await connectStdio('auto', ERAS.modern, [], env);
      const first = await modern.client.listTools();
      assert.equal((first as { ttlMs?: number }).ttlMs, 60_000);
      assert.equal((first as { cacheScope?: string }).cacheScope, 'private');
      await modern.client.listTools();
      await modern.client.callTool({ name: 'echo', arguments: { message: 'marker' } }); // logged after any tools/list
      await waitFor(() => modern.stderr().includes(`request tools/call ${MODERN}`), 'the marker call in the log');
      assert.equal(count(modern.stderr(), `request tools/list ${MODERN}`), 1);

      const legacy = await connectStdio('legacy', ERAS.modern, [], env);
      await legacy.client.listTools();
      await legacy.client.listTools();
      await legacy.client.callTool({ name: 'echo', arguments: { message: 'marker' } });
      await waitFor(() => legacy.stderr().includes(`request tools/call ${LEGACY}`), 'the marker call in the log');
      assert.equal(count(legacy.stderr(), `request tools/list ${LEGACY}`), 2);
    });
  });

  describe('modern.mjs over HTTP', () => {
    let both: StartedServer;
    let modernOnly: StartedServer;
    let legacyOnly: StartedServer;
    let stateless: StartedServer;

    before(async () => {
      const log = { ERA_LOG_REQUESTS: '1' };
      [both, modernOnly, legacyOnly, stateless] = await Promise.all([
        startHttpFixture(['--http'], { script: ERAS.modern, env: { ...log, ERA_TTL_MS: '60000', ERA_CACHE_SCOPE: 'public' } }),
        startHttpFixture(['--http', '--era', 'modern'], { script: ERAS.modern, env: log }),
        startHttpFixture(['--http', '--era', 'legacy'], { script: ERAS.modern, env: log }),
        startHttpFixture(['--http'], { script: ERAS.modern, env: { ...log, ERA_LEGACY_HTTP: 'stateless' } }),
      ]);
    });
    after(async () => {
      await Promise.all([both, modernOnly, legacyOnly, stateless].map((s) => s?.stop()));
    });

    it('--era both: an auto client lands on 2026-07-28; a default client gets a 2025 session', async () => {
      const modern = await connectHttp('auto', both.url);
      assert.equal(modern.client.getProtocolEra(), 'modern');
      assert.equal(modern.transport.sessionId, undefined);
      const who = await callJson(modern.client, 'whoami');
      assert.deepEqual([who.era, who.protocolVersion, who.envelope], ['modern', MODERN, true]);

      const legacy = await connectHttp('legacy', both.url);
      assert.equal(legacy.client.getProtocolEra(), 'legacy');
      assert.equal(typeof legacy.transport.sessionId, 'string');
      assert.equal((await callJson(legacy.client, 'whoami')).protocolVersion, LEGACY);
    });

    it('SDK: mirrors region into Mcp-Param-Region and sends the standard headers (retrying after -32020 when it had not listed)', async () => {
      const { client } = await connectHttp('auto', both.url);
      const lists = () => count(both.stderr(), `request tools/list ${MODERN}`);
      const calls = () => count(both.stderr(), `request tools/call ${MODERN}`);
      const [listsBefore, callsBefore] = [lists(), calls()];
      // No tools/list yet: the first call is refused (-32020), the SDK lists and retries with the header.
      const seen = await callJson(client, 'route', { region: 'eu-west' });
      assert.deepEqual(seen, {
        region: 'eu-west',
        param: 'eu-west',
        protocolVersion: MODERN,
        method: 'tools/call',
        name: 'route',
        transport: 'http',
      });
      await waitFor(() => calls() === callsBefore + 2, 'the refused call and its retry in the log');
      assert.equal(lists(), listsBefore + 1);
      const none = await callJson(client, 'route', {});
      assert.equal(none.param, null);

      const legacy = await connectHttp('legacy', both.url);
      const legacySeen = await callJson(legacy.client, 'route', { region: 'eu-west' });
      assert.deepEqual([legacySeen.param, legacySeen.protocolVersion, legacySeen.method], [null, LEGACY, null]);
    });

    it('raw: the SDK entry requires Mcp-Param-Region when region is in the body and checks the standard headers', async () => {
      const call = (args: Record<string, unknown>) => modernRequest('tools/call', { name: 'route', arguments: args });
      const missing = await post(both.url, call({ region: 'eu' }), modernHeaders('tools/call', 'route'));
      assert.equal(missing.status, 400);
      assert.equal(missing.body?.error?.code, -32020);
      const wrong = await post(both.url, call({ region: 'eu' }), { ...modernHeaders('tools/call', 'route'), 'mcp-param-region': 'us' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body?.error?.code, -32020);
      const right = await post(both.url, call({ region: 'eu' }), { ...modernHeaders('tools/call', 'route'), 'mcp-param-region': 'eu' });
      assert.equal(right.status, 200);
      assert.equal(JSON.parse(textOf(right.body?.result)).param, 'eu');
      assert.equal(right.body?.result?.resultType, 'complete');
      const without = await post(both.url, call({}), modernHeaders('tools/call', 'route'));
      assert.equal(JSON.parse(textOf(without.body?.result)).param, null);
      const badMethod = await post(both.url, modernRequest('tools/list'), modernHeaders('prompts/list'));
      assert.equal(badMethod.status, 400);
      assert.equal(badMethod.body?.error?.code, -32020);
      const badName = await post(both.url, call({}), modernHeaders('tools/call', 'echo'));
      assert.equal(badName.status, 400);
      assert.equal(badName.body?.error?.code, -32020);
      const list = await post(both.url, modernRequest('tools/list'), modernHeaders('tools/list'));
      assert.deepEqual(
        [list.body?.result?.resultType, list.body?.result?.ttlMs, list.body?.result?.cacheScope],
        ['complete', 60_000, 'public'],
      );
    });

    it('ERA_TTL_MS: a second listTools is served from the SDK cache (one tools/list reached the server)', async () => {
      const { client } = await connectHttp('auto', both.url);
      const lists = () => count(both.stderr(), `request tools/list ${MODERN}`);
      const calls = () => count(both.stderr(), `request tools/call ${MODERN}`);
      const [listsBefore, callsBefore] = [lists(), calls()];
      await client.listTools();
      await client.listTools();
      await client.callTool({ name: 'echo', arguments: { message: 'marker' } });
      await waitFor(() => calls() > callsBefore, 'the marker call in the log');
      assert.equal(lists(), listsBefore + 1);
    });

    it('--era modern: initialize gets HTTP 400 with -32022; GET gets 405; a default client cannot connect', async () => {
      const refused = await post(modernOnly.url, initializeRequest());
      assert.equal(refused.status, 400);
      assert.equal(refused.body?.error?.code, -32022);
      assert.deepEqual(refused.body?.error?.data?.supported, [MODERN]);
      const get = await fetch(modernOnly.url, { headers: { accept: 'text/event-stream' } });
      await get.body?.cancel();
      assert.equal(get.status, 405);
      assert.equal((await connectHttp('auto', modernOnly.url)).client.getProtocolEra(), 'modern');
      await assert.rejects(connectHttp('legacy', modernOnly.url));
    });

    it('--era legacy: server/discover gets a non-modern 400 and an auto client falls back to a session', async () => {
      const probe = await post(legacyOnly.url, modernRequest('server/discover'), modernHeaders('server/discover'));
      assert.equal(probe.status, 400);
      assert.equal(probe.body?.error?.code, -32000);
      const { client, transport } = await connectHttp('auto', legacyOnly.url);
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.equal(typeof transport.sessionId, 'string');
    });

    it('change and touch: a 2026 client hears them on subscriptions/listen, a 2025 session on its GET stream', async () => {
      const modern = await connectHttp('auto', both.url);
      const seen = collect(modern.client, 'notifications/tools/list_changed', 'notifications/resources/updated');
      await modern.client.listen({ toolsListChanged: true, resourceSubscriptions: [HELLO] });
      const streamsBefore = count(both.stderr(), 'stream GET 200');
      const legacy = await connectHttp('legacy', both.url);
      const legacySeen = collect(legacy.client, 'notifications/tools/list_changed', 'notifications/resources/updated');
      await legacy.client.subscribeResource({ uri: HELLO });
      await waitFor(() => count(both.stderr(), 'stream GET 200') > streamsBefore, "the legacy session's GET stream");

      await modern.client.callTool({ name: 'change', arguments: {} });
      await modern.client.callTool({ name: 'touch', arguments: {} });
      await waitFor(() => seen.length >= 2 && legacySeen.length >= 2, 'both notifications on both eras');
      for (const got of [seen, legacySeen]) {
        assert.deepEqual(got.map((n) => n.method).sort(), ['notifications/resources/updated', 'notifications/tools/list_changed']);
      }
    });

    it('slow over HTTP: progress arrives; aborting closes the stream and the server stops', async () => {
      const { client } = await connectHttp('auto', both.url);
      const controller = new AbortController();
      const cancelledBefore = count(both.stderr(), 'slow cancelled');
      const call = client.callTool(
        { name: 'slow', arguments: { ms: 60_000, steps: 600 } },
        { signal: controller.signal, onprogress: () => controller.abort() },
      );
      await assert.rejects(call);
      await waitFor(() => count(both.stderr(), 'slow cancelled') > cancelledBefore, 'the server to notice the closed stream');
    });

    it('ERA_LEGACY_HTTP=stateless: a 2025 client gets no session and GET answers 405', async () => {
      const { client, transport } = await connectHttp('legacy', stateless.url);
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.equal(transport.sessionId, undefined);
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } })), 'Echo: x');
      const get = await fetch(stateless.url, { headers: { accept: 'text/event-stream' } });
      await get.body?.cancel();
      assert.equal(get.status, 405);
      assert.equal((await connectHttp('auto', stateless.url)).client.getProtocolEra(), 'modern');
    });
  });

  describe('misbehaving-http.mjs', () => {
    let server: StartedServer;
    let base: string;
    const at = (c: string) => `${base}/${c}/mcp`;
    interface Stats {
      requests: Record<string, number>;
      calls: Record<string, number>;
      rejections: { status: number; code: number | null; method: string | null; message: string }[];
      neverFetch: number;
      listens: number;
      openListens: number;
      drops: number;
    }
    const stats = (c: string) => getJson<Stats>(`${base}/${c}/stats`);

    before(async () => {
      server = await startHttpFixture([], { script: ERAS.misbehavingHttp });
      base = server.url.replace(/\/mcp$/, '');
    });
    after(async () => {
      await server?.stop();
    });

    it('validates 2026-07-28 requests the way the spec says (good)', async () => {
      await fetch(`${base}/good/reset`, { method: 'POST' });
      const url = at('good');
      const echo = modernRequest('tools/call', { name: 'echo', arguments: { message: 'hi' } });
      const ok = await post(url, echo, modernHeaders('tools/call', 'echo'));
      assert.equal(ok.status, 200);
      assert.equal(ok.body?.result?.resultType, 'complete');
      assert.equal(textOf(ok.body?.result), 'Echo: hi');
      const sentinel = await post(url, echo, modernHeaders('tools/call', `=?base64?${Buffer.from('echo').toString('base64')}?=`));
      assert.equal(sentinel.status, 200);

      const cases: [string, unknown, Record<string, string>, number, number][] = [
        ['no MCP-Protocol-Version', echo, { 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, 400, -32020],
        ['header != _meta version', echo, { ...modernHeaders('tools/call', 'echo'), 'mcp-protocol-version': LEGACY }, 400, -32020],
        ['wrong Mcp-Method', echo, modernHeaders('tools/list', 'echo'), 400, -32020],
        ['no Mcp-Method', echo, { 'mcp-protocol-version': MODERN, 'mcp-name': 'echo' }, 400, -32020],
        ['no Mcp-Name', echo, modernHeaders('tools/call'), 400, -32020],
        ['wrong Mcp-Name', echo, modernHeaders('tools/call', 'other'), 400, -32020],
        ['header but no envelope', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, modernHeaders('tools/list'), 400, -32602],
        ['unknown method', modernRequest('prompts/list'), modernHeaders('prompts/list'), 404, -32601],
        ['claim-less initialize', initializeRequest(), {}, 400, -32020],
      ];
      for (const [what, body, headers, status, code] of cases) {
        const reply = await post(url, body, headers);
        assert.deepEqual([what, reply.status, reply.body?.error?.code], [what, status, code]);
      }
      const get = await fetch(url);
      assert.equal(get.status, 405);
      await get.body?.cancel();
      const notification = await post(url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
      assert.equal(notification.status, 202);
      assert.equal((await stats('good')).rejections.length, cases.length);

      const { client } = await connectHttp('auto', url);
      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } })), 'Echo: x');
    });

    it('SDK: drops the tools with an invalid x-mcp-header and mirrors the valid one (bad-x-mcp-header)', async () => {
      const { client } = await connectHttp('auto', at('bad-x-mcp-header'));
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
      let names: string[];
      try {
        names = (await client.listTools()).tools.map((t) => t.name);
      } finally {
        console.warn = warn;
      }
      assert.deepEqual(names, ['echo', 'with_header']);
      for (const bad of ['bad_space', 'bad_object', 'dup_header'])
        assert.ok(
          warnings.some((w) => w.includes(`'${bad}'`)),
          bad,
        );
      assert.deepEqual(await callJson(client, 'with_header', { region: 'eu' }), { region: 'eu', param: 'eu' });
      // A dropped tool can still be called by name: the SDK does not stop it (the server counts it).
      assert.equal(textOf(await client.callTool({ name: 'bad_space', arguments: { q: 'x' } })), 'bad_space was called');
      assert.equal((await stats('bad-x-mcp-header')).calls.bad_space, 1);
      const raw = await post(
        at('bad-x-mcp-header'),
        modernRequest('tools/call', { name: 'with_header', arguments: { region: 'eu' } }),
        modernHeaders('tools/call', 'with_header'),
      );
      assert.deepEqual([raw.status, raw.body?.error?.code], [400, -32020]);
    });

    it('version-32022: other versions get -32022 with supported [2026-07-28]; SDK: retries with a mutual version', async () => {
      const other = '2099-01-01';
      const reply = await post(
        at('version-32022'),
        { ...modernRequest('server/discover'), params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': other } } },
        { ...modernHeaders('server/discover'), 'mcp-protocol-version': other },
      );
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body?.error?.data, { supported: [MODERN], requested: other });
      const { client } = await connectHttp('auto', at('version-32022'), { supportedProtocolVersions: [other, MODERN, LEGACY] });
      assert.equal(client.getProtocolEra(), 'modern');
      const s = await stats('version-32022');
      assert.equal(s.rejections.filter((r) => r.code === -32022).length, 2); // the raw one and the SDK's first probe
    });

    it('version-32022-legacy: supported lists only 2025-11-25; SDK: falls back to initialize', async () => {
      const reply = await post(at('version-32022-legacy'), modernRequest('server/discover'), modernHeaders('server/discover'));
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body?.error?.data?.supported, [LEGACY]);
      const { client } = await connectHttp('auto', at('version-32022-legacy'));
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } })), 'Echo: x');
      assert.equal((await stats('version-32022-legacy')).requests.initialize, 1);
    });

    it('ref-network: nothing fetches the network $ref; SDK: cannot compile an outputSchema with one', async () => {
      await fetch(`${base}/ref-network/reset`, { method: 'POST' });
      const { client } = await connectHttp('auto', at('ref-network'));
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ['echo', 'remote_ref', 'remote_ref_output', 'local_ref'],
      );
      assert.deepEqual(await callJson(client, 'local_ref', { p: { x: 1, y: 2 } }), { p: { x: 1, y: 2 } });
      assert.deepEqual(await callJson(client, 'remote_ref', { thing: 's' }), { thing: 's' });
      await assert.rejects(client.callTool({ name: 'remote_ref_output', arguments: {} }), /can't resolve reference/);
      // ... and it refuses before sending: the server never ran the tool. Arguments are not validated
      // client-side either (local_ref's schema would refuse x: 'a'; the server got the call).
      await client.callTool({ name: 'local_ref', arguments: { p: { x: 'a' } } });
      const s = await stats('ref-network');
      assert.deepEqual(s.calls, { local_ref: 2, remote_ref: 1 });
      assert.equal(s.neverFetch, 0);
      // The endpoint does count (so 0 above means something).
      await getJson(`${base}/ref-network/never-fetch.json`);
      assert.equal((await stats('ref-network')).neverFetch, 1);
    });

    it('no-result-type: results lack resultType; SDK: rejects them (the spec says missing = complete)', async () => {
      const raw = await post(
        at('no-result-type'),
        modernRequest('tools/call', { name: 'echo', arguments: { message: 'x' } }),
        modernHeaders('tools/call', 'echo'),
      );
      assert.equal(raw.status, 200);
      assert.equal('resultType' in (raw.body?.result ?? {}), false);
      const { client } = await connectHttp('auto', at('no-result-type'));
      await assert.rejects(client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }), (err: { code?: string }) => {
        assert.equal(err.code, SdkErrorCode.InvalidResult);
        return true;
      });
      // no-result-type-all: a discover result without resultType is accepted, the list is not.
      const all = await connectHttp('auto', at('no-result-type-all'));
      assert.equal(all.client.getProtocolEra(), 'modern');
      await assert.rejects(all.client.listTools(), /missing required resultType/);
    });

    it('listen-drop: SDK: reports a dropped stream as "remote" and does not listen again', async () => {
      await fetch(`${base}/listen-drop/reset`, { method: 'POST' });
      const { client } = await connectHttp('auto', at('listen-drop'));
      const seen = collect(client, 'notifications/tools/list_changed');
      const sub = await client.listen({ toolsListChanged: true });
      assert.deepEqual(sub.honoredFilter, { toolsListChanged: true });
      assert.deepEqual(await getJson(`${base}/listen-drop/notify`, 'POST'), { sent: 1 });
      await waitFor(() => seen.length === 1, 'list_changed on the listen stream');
      assert.deepEqual(await getJson(`${base}/listen-drop/drop`, 'POST'), { dropped: 1 });
      assert.equal(await sub.closed, 'remote');
      await client.callTool({ name: 'echo', arguments: { message: 'one more round trip' } });
      assert.deepEqual(await stats('listen-drop').then((s) => [s.listens, s.openListens]), [1, 0]);

      // The SDK-managed stream (listChanged option) is not re-opened either.
      const managed = newClient('auto', { listChanged: { tools: { onChanged: () => undefined } } });
      await managed.connect(new StreamableHTTPClientTransport(new URL(at('listen-drop'))));
      await waitFor(async () => (await stats('listen-drop')).openListens === 1, 'the auto-opened listen stream');
      await getJson(`${base}/listen-drop/drop`, 'POST');
      assert.equal(await managed.autoOpenedSubscription?.closed, 'remote');
      await managed.callTool({ name: 'echo', arguments: { message: 'one more round trip' } });
      assert.deepEqual(await stats('listen-drop').then((s) => [s.listens, s.openListens]), [2, 0]);

      // --drop-after-ms drops each stream by itself (here on the plain /mcp of --case listen-drop).
      const timed = await startHttpFixture(['--case', 'listen-drop', '--drop-after-ms', '200'], { script: ERAS.misbehavingHttp });
      try {
        const { client: c } = await connectHttp('auto', timed.url);
        assert.equal(await (await c.listen({ toolsListChanged: true })).closed, 'remote');
        await c.close();
      } finally {
        await timed.stop();
      }
    });

    it('legacy-400: initialize gets a text/plain 400 naming MCP-Protocol-Version; discover still works', async () => {
      const refused = await post(at('legacy-400'), initializeRequest());
      assert.equal(refused.status, 400);
      assert.match(refused.contentType, /^text\/plain/);
      assert.match(refused.text, /MCP-Protocol-Version/);
      assert.equal((await connectHttp('auto', at('legacy-400'))).client.getProtocolEra(), 'modern');
      await assert.rejects(connectHttp('legacy', at('legacy-400')), /MCP-Protocol-Version/);
    });

    it('auth-401: SDK: a 401 on the probe is an authorization failure, never a fallback to initialize', async () => {
      const reply = await post(at('auth-401'), initializeRequest());
      assert.equal(reply.status, 401);
      await assert.rejects(connectHttp('auto', at('auth-401')), (err: { code?: string }) => {
        assert.equal(err.code, SdkErrorCode.ClientHttpAuthentication);
        return true;
      });
      const s = await stats('auth-401');
      assert.deepEqual(s.requests, { initialize: 1, 'server/discover': 1 }); // the raw initialize and the probe
    });
  });

  describe('misbehaving-stdio.mjs', () => {
    const probe = { versionNegotiation: { mode: 'auto' as const, probe: { timeoutMs: 2000 } } };

    for (const c of ['exit-on-discover', 'silent-on-discover', 'error-on-discover']) {
      it(`${c}: SDK: an auto client probes on a sibling process and lands on 2025-11-25`, async () => {
        const { client, stderr } = await connectStdio('auto', ERAS.misbehavingStdio, ['--case', c], {}, probe);
        assert.equal(client.getProtocolEra(), 'legacy');
        assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } })), 'Echo: x');
        await waitFor(() => stderr().includes('request tools/call'), 'the tools/call line');
        assert.match(stderr(), /^request initialize$/m);
        assert.doesNotMatch(stderr(), /server\/discover/);
      });
    }

    it('raw: exit-on-discover exits, silent-on-discover says nothing, error-on-discover answers -32602', async () => {
      const exits = rawStdio(ERAS.misbehavingStdio, ['--case', 'exit-on-discover']);
      exits.send(modernRequest('server/discover', {}, 1));
      assert.equal(await exits.exit, 1);
      assert.match(exits.stderr(), /exiting: first message was server\/discover/);

      const silent = rawStdio(ERAS.misbehavingStdio, ['--case', 'silent-on-discover']);
      silent.send(modernRequest('server/discover', {}, 1));
      silent.send(initializeRequest(2));
      assert.equal((await silent.reply(2)).result?.protocolVersion, LEGACY);
      // Answers are written in order, so a reply to the probe would have come first.
      assert.deepEqual(
        silent.received.map((m) => m.id),
        [2],
      );
      silent.send({ jsonrpc: '2.0', id: 3, method: 'server/discover', params: {} });
      assert.equal((await silent.reply(3)).error?.code, -32601);

      const errors = rawStdio(ERAS.misbehavingStdio, ['--case', 'error-on-discover']);
      errors.send(modernRequest('server/discover', {}, 1));
      assert.equal((await errors.reply(1)).error?.code, -32602);
    });
  });
});
