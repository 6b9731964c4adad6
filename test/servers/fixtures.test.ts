// Exercises the MCP server fixtures in test/fixtures through the SDK's own client, so the other
// test suites can rely on them behaving as documented.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { WAIT_FLOOR_MS } from '../unit/helpers';
import {
  BAD,
  EVERYTHING_SERVER,
  FIXTURE_SERVER,
  NODE,
  isProcessAlive,
  startEverythingHttp,
  startHttpFixture,
  stopChild,
  type StartedServer,
} from '../fixtures/paths';

const BASE_TOOLS = ['echo', 'add', 'pid', 'env', 'cwd', 'sleep', 'fail', 'throw', 'big', 'crash', 'form', 'image', 'add_tool'];

// ---- bookkeeping: everything started by a test is stopped in afterEach ----
const clients: Client[] = [];
const pids = new Set<number>();
const children: ChildProcess[] = [];
const servers: StartedServer[] = [];

const isAlive = isProcessAlive;

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  // Never less than the shared floor: a budget only turns a hang into a failure (see helpers.ts).
  const deadline = Date.now() + Math.max(timeoutMs, WAIT_FLOOR_MS);
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ensureDead(pid: number): Promise<void> {
  try {
    await waitFor(() => !isAlive(pid), 1000);
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(children.splice(0).map((c) => stopChild(c, 500)));
  await Promise.all([...pids].map(ensureDead));
  pids.clear();
});

/** A stdio transport whose stderr is piped and collected (so stderr never blocks the server). */
function stdio(params: StdioServerParameters): { transport: StdioClientTransport; stderr: () => string } {
  const transport = new StdioClientTransport({ stderr: 'pipe', ...params });
  let err = '';
  // With stderr: 'pipe' the stream exists before start(); it must be drained or the server blocks.
  transport.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-200_000);
  });
  return { transport, stderr: () => err };
}

async function connect(transport: Transport, timeout?: number): Promise<Client> {
  const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
  clients.push(client);
  try {
    await client.connect(transport, timeout === undefined ? undefined : { timeout });
  } finally {
    if (transport instanceof StdioClientTransport && transport.pid !== null) pids.add(transport.pid);
  }
  return client;
}

async function connectStdio(script: string, opts: Partial<StdioServerParameters> = {}) {
  const { transport, stderr } = stdio({ command: NODE, args: [script], ...opts });
  const client = await connect(transport);
  return { client, transport, stderr };
}

function textOf(result: unknown): string {
  const content = (result as CallToolResult).content;
  return content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('');
}

/** Raw child process with stdio pipes and a line-based JSON-RPC helper (no SDK). */
function rawSpawn(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, detached = false) {
  const child = spawn(NODE, [script, ...args], { stdio: 'pipe', env: { ...process.env, ...env }, detached });
  children.push(child);
  if (child.pid) pids.add(child.pid);
  let stderr = '';
  let pending: string[] = []; // stdout chunks of the current, unfinished line
  const waiters = new Map<number, (msg: { result?: unknown; error?: { code: number; message: string } }) => void>();
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    let nl;
    while ((nl = chunk.indexOf('\n')) >= 0) {
      const line = pending.join('') + chunk.slice(0, nl);
      pending = [];
      chunk = chunk.slice(nl + 1);
      try {
        const msg = JSON.parse(line);
        waiters.get(msg.id)?.(msg);
      } catch {
        /* not JSON */
      }
    }
    if (chunk) pending.push(chunk);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let nextId = 1;
  const request = (method: string, params: unknown = {}) => {
    const id = nextId++;
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    return new Promise<{ result?: unknown; error?: { code: number; message: string } }>((resolve) => waiters.set(id, resolve));
  };
  const initialize = async () => {
    const res = await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    return res;
  };
  return { child, request, initialize, exit, stderr: () => stderr };
}

describe('test fixtures', function () {
  this.timeout(60_000);

  describe('server.mjs over stdio', () => {
    it('lists its tools with titles and annotations, and answers echo/add/fail/image/form', async () => {
      const { client, stderr } = await connectStdio(FIXTURE_SERVER);
      const { tools, nextCursor } = await client.listTools();
      assert.equal(nextCursor, undefined);
      assert.deepEqual(
        tools.map((t) => t.name),
        BASE_TOOLS,
      );
      const echo = tools.find((t) => t.name === 'echo');
      assert.equal(echo?.title, 'Echo');
      assert.equal(echo?.annotations?.readOnlyHint, true);
      assert.ok(tools.find((t) => t.name === 'add')?.outputSchema);
      assert.equal(tools.find((t) => t.name === 'fail')?.annotations?.destructiveHint, false);

      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })), 'Echo: hi');
      const add = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      assert.equal(textOf(add), '5');
      assert.deepEqual(add.structuredContent, { sum: 5 });

      const fail = await client.callTool({ name: 'fail', arguments: { message: 'nope' } });
      assert.equal(fail.isError, true);
      assert.equal(textOf(fail), 'nope');

      await assert.rejects(
        client.callTool({ name: 'throw', arguments: {} }),
        (err: unknown) => err instanceof McpError && err.code === ErrorCode.InternalError && /thrown on purpose/.test(err.message),
      );

      const image = (await client.callTool({ name: 'image', arguments: {} })) as CallToolResult;
      assert.equal(image.content[0].type, 'image');
      assert.equal((image.content[0] as { mimeType: string }).mimeType, 'image/png');

      const form = JSON.parse(
        textOf(await client.callTool({ name: 'form', arguments: { name: 'n', mode: 'fast', options: { depth: 2, label: 'l' } } })),
      );
      assert.deepEqual(form, { name: 'n', count: 3, mode: 'fast', verbose: false, options: { depth: 2, label: 'l' } });
      const bad = await client.callTool({ name: 'form', arguments: { name: '', mode: 'medium' } });
      assert.equal(bad.isError, true, 'invalid form arguments are a tool error');
      const formSchema = tools.find((t) => t.name === 'form')?.inputSchema as {
        properties: Record<string, { default?: unknown }>;
        required: string[];
      };
      assert.equal(formSchema.properties.count.default, 3);
      assert.deepEqual(formSchema.required.sort(), ['mode', 'name']);

      assert.match(stderr(), /^fixture server started pid=\d+$/m);
    });

    it('reports pid, env, cwd; returns big results; reads resources and prompts', async () => {
      const { client, transport } = await connectStdio(FIXTURE_SERVER, { env: { FIXTURE_X: 'yes' }, cwd: os.tmpdir() });
      assert.equal(textOf(await client.callTool({ name: 'pid', arguments: {} })), String(transport.pid));
      assert.equal(JSON.parse(textOf(await client.callTool({ name: 'env', arguments: { name: 'FIXTURE_X' } }))), 'yes');
      assert.equal(JSON.parse(textOf(await client.callTool({ name: 'env', arguments: { name: 'NOPE_UNSET' } }))), null);
      const env = JSON.parse(textOf(await client.callTool({ name: 'env', arguments: {} })));
      assert.equal(env.FIXTURE_X, 'yes');
      assert.equal(textOf(await client.callTool({ name: 'cwd', arguments: {} })), os.tmpdir());
      const big = textOf(await client.callTool({ name: 'big', arguments: { bytes: 1 << 20 } }));
      assert.equal(big.length, 1 << 20);
      assert.match(big, /^x+$/);

      const readme = await client.readResource({ uri: 'fixture://readme' });
      assert.equal((readme.contents[0] as { text: string }).text, 'Fixture server readme.');
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.equal(resourceTemplates[0].uriTemplate, 'fixture://item/{id}');
      const item = await client.readResource({ uri: 'fixture://item/42' });
      assert.deepEqual(JSON.parse((item.contents[0] as { text: string }).text), { id: '42' });
      const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      assert.deepEqual(prompt.messages[0].content, { type: 'text', text: 'Hello, Ada!' });
    });

    it('sleep sends progress and honours cancellation', async () => {
      const { client, stderr } = await connectStdio(FIXTURE_SERVER);
      const progress: number[] = [];
      const slept = await client.callTool({ name: 'sleep', arguments: { ms: 350, progress: true } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      assert.equal(textOf(slept), 'slept 350');
      assert.ok(progress.length >= 2, `progress notifications: ${progress.length}`);

      const abort = new AbortController();
      const call = client.callTool({ name: 'sleep', arguments: { ms: 10_000 } }, undefined, { signal: abort.signal });
      setTimeout(() => abort.abort('stop'), 150);
      // The call sleeps 10 s: only the abort makes it reject.
      await assert.rejects(call);
      await waitFor(() => /^cancelled$/m.test(stderr()), 2000, 'the "cancelled" line');
      // The server is still usable after a cancellation.
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } })), 'Echo: again');
    });

    it('paginates tools/list with FIXTURE_PAGE_SIZE and adds FIXTURE_TOOL_COUNT tools with output schemas', async () => {
      const { client } = await connectStdio(FIXTURE_SERVER, {
        env: { FIXTURE_PAGE_SIZE: '4', FIXTURE_TOOL_COUNT: '10', FIXTURE_OUTPUT_SCHEMA: '1' },
      });
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor });
        assert.ok(page.tools.length <= 4);
        names.push(...page.tools.map((t) => t.name));
        cursor = page.nextCursor;
        pages++;
        if (pages === 1) assert.ok(page.tools[0].title === 'Echo');
        if (page.tools.some((t) => t.name === 't0')) assert.ok(page.tools.find((t) => t.name === 't0')?.outputSchema);
      } while (cursor !== undefined);
      const expected = [...BASE_TOOLS, ...Array.from({ length: 10 }, (_, i) => `t${i}`)];
      assert.deepEqual(names, expected);
      assert.equal(pages, Math.ceil(expected.length / 4));
      const t7 = await client.callTool({ name: 't7', arguments: { value: 'v' } });
      assert.deepEqual(t7.structuredContent, { index: 7, value: 'v' });
      await assert.rejects(client.listTools({ cursor: 'bogus' }), /invalid cursor/);
      // The paginated list follows runtime changes.
      await client.callTool({ name: 'add_tool', arguments: {} });
      const after: string[] = [];
      cursor = undefined;
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor });
        after.push(...page.tools.map((t) => t.name));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      assert.deepEqual(after, [...expected, 'dynamic_0']);
    });

    it('add_tool registers dynamic_<n> and sends tools/list_changed', async () => {
      const { client } = await connectStdio(FIXTURE_SERVER);
      await checkListChanged(client);
    });

    it('crash exits mid-call with the given code after writing "crashing"', async () => {
      const { client, stderr } = await connectStdio(FIXTURE_SERVER);
      await assert.rejects(
        client.callTool({ name: 'crash', arguments: {} }),
        (err: unknown) => err instanceof McpError && err.code === ErrorCode.ConnectionClosed,
      );
      await waitFor(() => stderr().includes('crashing'), 2000, 'crashing');

      const raw = rawSpawn(FIXTURE_SERVER);
      await raw.initialize();
      void raw.request('tools/call', { name: 'crash', arguments: { code: 5 } });
      assert.deepEqual(await raw.exit, { code: 5, signal: null });
    });

    it('skips non-JSON stdin lines and can produce a result larger than the SDK 10 MiB stdio cap', async () => {
      const raw = rawSpawn(FIXTURE_SERVER);
      raw.child.stdin.write('this is not json\n{"also":"not json-rpc"}\n');
      const init = await raw.initialize();
      assert.ok(init.result);
      const bytes = 12 * 1024 * 1024;
      const res = await raw.request('tools/call', { name: 'big', arguments: { bytes } });
      assert.equal((res.result as CallToolResult).content[0].type, 'text');
      assert.equal(((res.result as CallToolResult).content[0] as { text: string }).text.length, bytes);
    });
  });

  describe('server.mjs over HTTP', () => {
    it('--http serves Streamable HTTP with sessions', async () => {
      const server = await startHttpFixture(['--http']);
      servers.push(server);
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.equal(server.stderr().match(/^LISTENING /gm)?.length, 1);
      const transport = new StreamableHTTPClientTransport(new URL(server.url));
      const client = await connect(transport);
      assert.ok(transport.sessionId, 'stateful: a session id was assigned');
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'http' } })), 'Echo: http');
      assert.deepEqual((await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).structuredContent, { sum: 3 });
      assert.equal(textOf(await client.callTool({ name: 'pid', arguments: {} })), String(server.pid));
      const readme = await client.readResource({ uri: 'fixture://readme' });
      assert.equal((readme.contents[0] as { text: string }).text, 'Fixture server readme.');
      assert.equal((await client.getPrompt({ name: 'greet', arguments: { name: 'B' } })).messages.length, 1);

      const second = new StreamableHTTPClientTransport(new URL(server.url));
      await connect(second);
      assert.notEqual(second.sessionId, transport.sessionId);
      await checkListChanged(client);
      // DELETE ends a session; the server then answers 404 for it.
      const ended = second.sessionId as string;
      await second.terminateSession();
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': ended },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      assert.equal(res.status, 404);
    });

    it('--http paginates with FIXTURE_PAGE_SIZE', async () => {
      const server = await startHttpFixture(['--http'], { env: { FIXTURE_PAGE_SIZE: '5' } });
      servers.push(server);
      const client = await connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const first = await client.listTools();
      assert.equal(first.tools.length, 5);
      assert.equal(first.nextCursor, '5');
    });

    it('--sse serves the legacy HTTP+SSE transport', async () => {
      const server = await startHttpFixture(['--sse']);
      servers.push(server);
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/sse$/);
      const client = await connect(new SSEClientTransport(new URL(server.url)));
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'sse' } })), 'Echo: sse');
      assert.deepEqual((await client.callTool({ name: 'add', arguments: { a: 4, b: 5 } })).structuredContent, { sum: 9 });
      const item = await client.readResource({ uri: 'fixture://item/7' });
      assert.deepEqual(JSON.parse((item.contents[0] as { text: string }).text), { id: '7' });
      await checkListChanged(client);
    });
  });

  describe('misbehaving fixtures', () => {
    it('no-initialize: the handshake times out', async () => {
      const { transport } = stdio({ command: NODE, args: [BAD.noInitialize] });
      await assert.rejects(connect(transport, 300), (err: unknown) => err instanceof McpError && err.code === ErrorCode.RequestTimeout);
    });

    it('late-initialize: answers after LATE_MS, then serves echo', async () => {
      const early = stdio({ command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '400' } });
      await assert.rejects(connect(early.transport, 150), /timed out/i);

      const t0 = Date.now();
      const { transport } = stdio({ command: NODE, args: [BAD.lateInitialize], env: { LATE_MS: '300' } });
      const client = await connect(transport, 5000);
      assert.ok(Date.now() - t0 >= 300);
      await client.ping();
      assert.deepEqual(
        (await client.listTools()).tools.map((t) => t.name),
        ['echo'],
      );
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'late' } })), 'Echo: late');
    });

    it('bad-protocol: the client rejects protocolVersion 1999-01-01', async () => {
      const { transport } = stdio({ command: NODE, args: [BAD.badProtocol] });
      await assert.rejects(connect(transport), /protocol version is not supported: 1999-01-01/);
    });

    it('exit-now: exits with code 2 and a fatal message', async () => {
      const raw = rawSpawn(BAD.exitNow);
      assert.deepEqual(await raw.exit, { code: 2, signal: null });
      assert.equal(raw.stderr(), 'fatal: missing API_KEY\n');
      const { transport } = stdio({ command: NODE, args: [BAD.exitNow] });
      await assert.rejects(connect(transport, 5000));
    });

    it('crash-on-start: exits with code 1 after ~50 ms', async () => {
      const t0 = Date.now();
      const raw = rawSpawn(BAD.crashOnStart);
      assert.deepEqual(await raw.exit, { code: 1, signal: null });
      assert.ok(Date.now() - t0 >= 50);
      assert.equal(raw.stderr(), 'boom: cannot start\n');
    });

    it('noisy-stdout: non-JSON stdout lines are reported as errors but calls still work', async () => {
      const { transport } = stdio({ command: NODE, args: [BAD.noisyStdout] });
      const errors: Error[] = [];
      const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
      clients.push(client);
      client.onerror = (e) => errors.push(e);
      await client.connect(transport);
      if (transport.pid !== null) pids.add(transport.pid);
      for (let i = 0; i < 5; i++) {
        assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: `n${i}` } })), `Echo: n${i}`);
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.ok(errors.length >= 4, `parse errors reported: ${errors.length}`);
    });

    it('grandchild: the grandchild outlives a normal close but dies with the process group', async () => {
      const { client, transport, stderr } = await connectStdio(BAD.grandchild);
      const gpid = Number(textOf(await client.callTool({ name: 'grandchild', arguments: {} })));
      pids.add(gpid);
      assert.ok(isAlive(gpid));
      assert.match(stderr(), new RegExp(`^GRANDCHILD ${gpid}$`, 'm'));
      const serverPid = transport.pid;
      await client.close();
      await waitFor(() => serverPid === null || !isAlive(serverPid), 3000, 'server exit');
      assert.ok(isAlive(gpid), 'closing only the direct child orphans the grandchild');
      process.kill(gpid, 'SIGKILL');

      // Spawned as a group leader, the whole tree goes with one group kill.
      const raw = rawSpawn(BAD.grandchild, [], {}, true);
      await waitFor(() => /GRANDCHILD \d+/.test(raw.stderr()), 3000, 'GRANDCHILD line');
      const gpid2 = Number(/GRANDCHILD (\d+)/.exec(raw.stderr())?.[1]);
      pids.add(gpid2);
      assert.ok(isAlive(gpid2));
      process.kill(-(raw.child.pid as number), 'SIGKILL');
      await raw.exit;
      await waitFor(() => !isAlive(gpid2), 2000, 'grandchild death');
    });

    it('ignore-sigterm: survives SIGTERM and stdin close, dies on SIGKILL', async () => {
      const raw = rawSpawn(BAD.ignoreSigterm);
      const init = await raw.initialize();
      assert.ok(init.result);
      const echo = await raw.request('tools/call', { name: 'echo', arguments: { message: 'x' } });
      assert.equal(((echo.result as CallToolResult).content[0] as { text: string }).text, 'Echo: x');
      raw.child.kill('SIGTERM');
      raw.child.stdin.end();
      await waitFor(() => raw.stderr().includes('ignoring SIGTERM'), 2000, 'SIGTERM log');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(raw.child.exitCode, null);
      assert.ok(isAlive(raw.child.pid as number));
      raw.child.kill('SIGKILL');
      assert.equal((await raw.exit).signal, 'SIGKILL');
    });

    it('stderr-flood: serves echo while writing ~1 MB/s of stderr', async () => {
      const { client, stderr } = await connectStdio(BAD.stderrFlood);
      let bytes = 0;
      const start = stderr().length;
      await waitFor(() => (bytes = stderr().length - start) > 150_000, 30_000, 'stderr flood');
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'f' } })), 'Echo: f');
      assert.ok(bytes > 150_000);
    });

    it('shell-wrapper.sh: a shell parent runs the node server as a grandchild', async () => {
      const { client, transport } = await connectStdio(BAD.shellWrapper, { command: BAD.shellWrapper, args: [] });
      const nodePid = Number(textOf(await client.callTool({ name: 'pid', arguments: {} })));
      pids.add(nodePid);
      assert.notEqual(nodePid, transport.pid);
      const { execFileSync } = await import('node:child_process');
      const ppid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(nodePid)], { encoding: 'utf8' }).trim());
      assert.equal(ppid, transport.pid);
    });
  });

  describe('server-everything over HTTP', () => {
    for (const mode of ['streamableHttp', 'sse'] as const) {
      it(`starts in ${mode} mode and answers echo`, async () => {
        assert.ok(EVERYTHING_SERVER.endsWith('index.js'));
        const server = await startEverythingHttp(mode);
        servers.push(server);
        const transport =
          mode === 'sse' ? new SSEClientTransport(new URL(server.url)) : new StreamableHTTPClientTransport(new URL(server.url));
        const client = await connect(transport);
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'echo'));
        assert.match(textOf(await client.callTool({ name: 'echo', arguments: { message: 'e' } })), /e/);
      });
    }
  });
});

/** Calls add_tool and expects a tools/list_changed notification and the new tool in the list. */
async function checkListChanged(client: Client): Promise<void> {
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changed++;
  });
  assert.equal(textOf(await client.callTool({ name: 'add_tool', arguments: {} })), 'added dynamic_0');
  await waitFor(() => changed > 0, 3000, 'notifications/tools/list_changed');
  const { tools } = await client.listTools();
  assert.ok(tools.some((t) => t.name === 'dynamic_0'));
  assert.equal(textOf(await client.callTool({ name: 'dynamic_0', arguments: {} })), 'dynamic 0');
}
