// The gateway in one process: in-memory upstream servers (SDK v2 McpServer), the gateway's SDK
// server, and a real SDK v2 client downstream over linked in-memory transports.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import {
  FileToolChoices,
  Gateway,
  inMemoryServer,
  listsKey,
  MemoryMetadataStore,
  askHostFor,
  NameTable,
  parseServer,
  serveGatewayStdio,
  ServerConnection,
  nullLogger,
  type GatewayStdio,
  type Logger,
  type MemoryOptions,
} from '../../src/core';
import { definition, fastTiming, waitFor } from './helpers';

interface Upstream {
  conn: ServerConnection;
  /** How many sessions (server instances) were made: "started" for an in-memory server. */
  starts: number;
  cancelled: number;
}

function upstream(name: string, tools: string[], options: MemoryOptions & { prompts?: string[] } = {}): Upstream {
  const u: Upstream = { conn: undefined as unknown as ServerConnection, starts: 0, cancelled: 0 };
  const create = () => {
    u.starts++;
    const mcp = new McpServer({ name: `${name}-server`, version: '1.0.0' });
    for (const tool of tools)
      mcp.registerTool(
        tool,
        { description: `${tool} of ${name}`, inputSchema: z.object({ message: z.string().optional() }) },
        async ({ message }) => ({
          content: [{ type: 'text', text: `${name}/${tool}: ${message ?? ''}` }],
        }),
      );
    mcp.registerTool('slow', { inputSchema: z.object({ steps: z.number() }) }, async ({ steps }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        if (token !== undefined)
          await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
      }
      // Then wait until cancelled.
      await new Promise<void>((resolve) => ctx.mcpReq.signal.addEventListener('abort', () => resolve(), { once: true }));
      u.cancelled++;
      throw new Error('cancelled');
    });
    for (const p of options.prompts ?? [])
      mcp.registerPrompt(p, { description: p }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: `${name}/${p}` } }] }));
    return mcp;
  };
  u.conn = new ServerConnection(inMemoryServer(name, create, options), { timing: fastTiming });
  return u;
}

describe('gateway (in memory)', function () {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function serve(
    servers: Upstream[],
    opts: {
      store?: MemoryMetadataStore;
      choices?: FileToolChoices;
      capabilities?: ConstructorParameters<typeof Client>[1];
      only?: string[];
      serverLogger?: (server: string) => Logger;
    } = {},
  ) {
    const gateway = new Gateway({
      servers: () => servers.map((s) => s.conn),
      store: opts.store,
      choices: opts.choices,
      only: opts.only,
      serverLogger: opts.serverLogger,
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const stdio: GatewayStdio = await serveGatewayStdio(gateway, { transport: serverSide });
    const client = new Client({ name: 'test-client', version: '1.0.0' }, opts.capabilities);
    await client.connect(clientSide);
    cleanup.push(async () => {
      await client.close();
      await stdio.close();
      gateway.dispose();
      await Promise.all(servers.map((s) => s.conn.dispose()));
    });
    return { gateway, client };
  }

  it('names tools <server>_<tool>, within the spec rules, and resolves collisions', () => {
    const t = NameTable.build([
      { server: 'a_b', names: ['c'] },
      { server: 'a', names: ['b_c', 'x y'] },
      { server: 'long'.repeat(20), names: ['tool'] },
    ]);
    assert.deepEqual(t.resolve('a_b_c'), { server: 'a', name: 'b_c' });
    assert.deepEqual(t.resolve('a_b_c_2'), { server: 'a_b', name: 'c' });
    assert.equal(t.offered('a', 'x y'), 'a_x_y');
    const long = t.offered('long'.repeat(20), 'tool')!;
    assert.ok(long.length <= 64 && /^[A-Za-z0-9_.-]+$/.test(long), long);
  });

  it('lists every server once, then answers tools/list from memory and routes calls', async () => {
    const a = upstream('alpha', ['echo']);
    const b = upstream('beta', ['echo']);
    const store = new MemoryMetadataStore();
    const { client } = await serve([a, b], { store });
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['alpha_echo', 'alpha_slow', 'beta_echo', 'beta_slow']);
    const r = await client.callTool({ name: 'beta_echo', arguments: { message: 'hi' } });
    assert.deepEqual(r.content, [{ type: 'text', text: 'beta/echo: hi' }]);
    assert.ok(await store.get('alpha', listsKey(a.conn.definition)));
  });

  it('counts the clients that use a server, says so in its log, and forgets them when they go', async () => {
    const a = upstream('alpha', ['echo']);
    const b = upstream('beta', ['echo']);
    const lines: string[] = [];
    const log = (server: string): Logger => ({ ...nullLogger, info: (m: string) => void lines.push(`${server}: ${m}`) });
    const whole = await serve([a, b], { serverLogger: log });
    let events = 0;
    whole.gateway.onDidChangeClients(() => void events++);
    await whole.client.listTools();
    assert.equal(whole.gateway.clientsOf('alpha'), 0, 'listing every server is not using them');
    await whole.client.callTool({ name: 'alpha_echo', arguments: {} });
    assert.equal(whole.gateway.clientsOf('alpha'), 1);
    assert.equal(whole.gateway.clientsOf('beta'), 0);
    assert.deepEqual(lines, ['alpha: the client "test-client" uses this server through the gateway']);
    assert.equal(events, 1);
    // A gateway of one server (VS Code's definition of that server): listing it is using it.
    const c = upstream('gamma', ['echo']);
    const single = await serve([c], { only: ['gamma'], serverLogger: log });
    await single.client.listTools();
    assert.equal(single.gateway.clientsOf('gamma'), 1);
    await whole.client.close();
    await waitFor(() => whole.gateway.clientsOf('alpha') === 0, 5000, 'the client that went is forgotten');
    assert.ok(lines.includes('alpha: the client "test-client" disconnected from the gateway'), lines.join('\n'));
    assert.equal(events, 2);
  });

  it('starts nothing for tools/list when the lists are remembered, and lists again after a start', async () => {
    const store = new MemoryMetadataStore();
    const a = upstream('alpha', ['echo', 'new']);
    await store.set('alpha', listsKey(a.conn.definition), {
      tools: [{ name: 'echo', inputSchema: { type: 'object' } }],
      resources: [],
      resourceTemplates: [],
      prompts: [],
      listedAt: 0,
    });
    const { client } = await serve([a], { store });
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['alpha_echo'],
    );
    assert.equal(a.starts, 0);
    assert.equal(a.conn.state.kind, 'idle');
    await client.callTool({ name: 'alpha_echo', arguments: {} });
    assert.equal(a.starts, 1);
    await waitFor(() => changed > 0, 5000, 'tools list_changed after the start');
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['alpha_echo', 'alpha_new', 'alpha_slow']);
  });

  it('reads expose from a server entry: false is kept, true and absent are the same, anything else names the field', () => {
    assert.equal(definition('a', { command: 'node', expose: false }).expose, false);
    assert.equal('expose' in definition('a', { command: 'node', expose: true }), false);
    const bad = parseServer('a', { command: 'node', expose: 'no' });
    assert.ok('issues' in bad && bad.issues.some((i) => i.field === 'expose'), JSON.stringify(bad));
  });

  it('keys the remembered lists by the configuration, not by expose', () => {
    const key = (entry: Record<string, unknown>) => listsKey(definition('alpha', entry));
    const base = { command: 'node', args: ['server.mjs'] };
    assert.equal(key(base), key({ ...base, expose: false }));
    assert.notEqual(key(base), key({ ...base, args: ['other.mjs'] }));
    assert.notEqual(key(base), key({ ...base, env: { TOKEN: 'x' } }));
    assert.ok(!key({ ...base, env: { TOKEN: 'secret-value' } }).includes('secret'));
  });

  it('leaves out servers with expose: false and tools turned off, and says list_changed', async () => {
    const a = upstream('alpha', ['echo']);
    const hidden = upstream('hidden', ['echo'], { expose: false } as MemoryOptions);
    const choices = new FileToolChoices();
    const { client } = await serve([a, hidden], { choices });
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['alpha_echo', 'alpha_slow']);
    assert.equal(hidden.starts, 0);
    await choices.setOffered('alpha', 'slow', false);
    await waitFor(() => changed > 0, 5000, 'list_changed after a tool was turned off');
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['alpha_echo'],
    );
    await assert.rejects(client.callTool({ name: 'alpha_slow', arguments: { steps: 1 } }), /turned off|unknown tool/);
  });

  it('passes progress through and cancellation back', async () => {
    const a = upstream('alpha', []);
    const { client } = await serve([a]);
    const progress: number[] = [];
    const controller = new AbortController();
    const call = client.callTool(
      { name: 'alpha_slow', arguments: { steps: 3 } },
      {
        signal: controller.signal,
        onprogress: (p) => {
          progress.push(p.progress);
          if (p.progress === 3) controller.abort();
        },
      },
    );
    await assert.rejects(call);
    await waitFor(() => a.cancelled === 1, 5000, 'the upstream server saw the cancellation');
    assert.deepEqual(progress, [1, 2, 3]);
  });

  it('relays an upstream question to the client whose call is waiting on that server', async () => {
    const a = upstream('alpha', []);
    const { gateway, client } = await serve([a], { capabilities: { capabilities: { elicitation: {}, sampling: {} } } });
    client.setRequestHandler('elicitation/create', (req) => ({ action: 'accept', content: { answer: `yes to ${req.params.message}` } }));
    client.setRequestHandler('sampling/createMessage', () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled' },
      model: 'm',
    }));
    const controller = new AbortController();
    let inFlight = false;
    const call = client.callTool(
      { name: 'alpha_slow', arguments: { steps: 1 } },
      { signal: controller.signal, onprogress: () => (inFlight = true) },
    );
    call.catch(() => undefined);
    await waitFor(() => inFlight, 5000, 'the call to reach the server');
    const ask = askHostFor(gateway);
    const answer = await ask.elicit({ message: 'proceed?', requestedSchema: { type: 'object', properties: {} } }, { server: 'alpha' });
    assert.deepEqual(answer, { action: 'accept', content: { answer: 'yes to proceed?' } });
    const sampled = await ask.sample({ messages: [], maxTokens: 5 }, { server: 'alpha' });
    assert.deepEqual(sampled.content, { type: 'text', text: 'sampled' });
    controller.abort();
    // Once the call has ended on the gateway, nobody is left to ask.
    await waitFor(
      () =>
        ask.elicit({ message: 'later?', requestedSchema: { type: 'object', properties: {} } }, { server: 'alpha' }).then(
          () => false,
          (e: Error) => /no gateway client is waiting/.test(e.message),
        ),
      5000,
      'the call to end on the gateway',
    );
  });

  it('says so when the calling client cannot answer a question', async () => {
    const a = upstream('alpha', []);
    const { gateway, client } = await serve([a]);
    let inFlight = false;
    const controller = new AbortController();
    client
      .callTool({ name: 'alpha_slow', arguments: { steps: 1 } }, { signal: controller.signal, onprogress: () => (inFlight = true) })
      .catch(() => undefined);
    await waitFor(() => inFlight, 5000, 'the call to reach the server');
    await assert.rejects(
      askHostFor(gateway).elicit({ message: 'x', requestedSchema: { type: 'object', properties: {} } }, { server: 'alpha' }),
      /alpha: asked for elicitation, but the gateway client test-client does not support it/,
    );
    controller.abort();
  });
});
