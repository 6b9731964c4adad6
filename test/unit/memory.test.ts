// In-memory servers: a real SDK McpServer in this process, linked to ServerConnection through the
// SDK's InMemoryTransport pair. Same connection semantics as stdio, without a process.
import * as assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { inMemoryServer, parseServer, ServerConnection, ServerError, type MemoryOptions } from '../../src/core';
import { childPids, fastTiming, recordingLogger, textOf, waitFor } from './helpers';

/** Builds McpServers with echo, progress and a way to end the session from the server side. */
function serverFactory() {
  const made: { server: McpServer; closed: boolean }[] = [];
  const create = () => {
    const server = new McpServer({ name: 'memory-fixture', version: '2.0.0' });
    const entry = { server, closed: false };
    server.registerTool('echo', { inputSchema: { message: z.string() } }, ({ message }) => ({
      content: [{ type: 'text', text: `Echo: ${message}` }],
    }));
    server.registerTool('instance', {}, () => ({ content: [{ type: 'text', text: String(made.indexOf(entry)) }] }));
    server.registerTool('progress', { inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        if (token !== undefined)
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
      }
      return { content: [{ type: 'text', text: 'done' }] };
    });
    server.server.onclose = () => (entry.closed = true);
    made.push(entry);
    return server;
  };
  return { create, made };
}

describe('in-memory servers', function () {
  const open: ServerConnection[] = [];
  const connect = (create: () => McpServer | Promise<McpServer>, options: MemoryOptions = {}) => {
    const c = new ServerConnection(inMemoryServer('mem', create, options), { timing: fastTiming, logger: recordingLogger() });
    open.push(c);
    return c;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  it('creates nothing until the first operation, then lists and calls tools without a process', async () => {
    const f = serverFactory();
    const before = childPids().length;
    const c = connect(f.create);
    assert.equal(c.state.kind, 'idle');
    assert.equal(f.made.length, 0);
    const tools = await c.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['echo', 'instance', 'progress']);
    assert.equal(textOf(await c.callTool('echo', { message: 'hi' })), 'Echo: hi');
    assert.equal(c.state.kind, 'running');
    assert.equal(c.info?.serverInfo?.name, 'memory-fixture');
    assert.equal(childPids().length, before, 'an in-memory server spawns no process');
  });

  it('keeps one server across operations (keepAlive: true) and closes it on stop', async () => {
    const f = serverFactory();
    const c = connect(f.create);
    for (let i = 0; i < 3; i++) assert.equal(textOf(await c.callTool('instance', {})), '0');
    assert.equal(f.made.length, 1);
    await c.stop();
    assert.equal(f.made[0]!.closed, true);
    assert.equal(c.state.kind, 'stopped');
    assert.equal(textOf(await c.callTool('instance', {})), '1', 'the next use creates a fresh server');
  });

  it('creates a fresh server per operation and closes it afterwards (keepAlive: false)', async () => {
    const f = serverFactory();
    const c = connect(f.create, { keepAlive: false });
    assert.equal(textOf(await c.callTool('instance', {})), '0');
    assert.equal(textOf(await c.callTool('instance', {})), '1');
    assert.deepEqual(
      f.made.map((m) => m.closed),
      [true, true],
    );
    assert.equal(c.state.kind, 'idle');
  });

  it('delivers progress notifications to the caller', async () => {
    const c = connect(serverFactory().create);
    const seen: number[] = [];
    const result = await c.callTool('progress', { steps: 3 }, { onProgress: (p) => seen.push(p.progress) });
    assert.equal(textOf(result), 'done');
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('reports a server that ends the session as a crash, and restarts it on next use', async () => {
    const f = serverFactory();
    const c = connect(f.create);
    await c.ping();
    await f.made[0]!.server.close();
    await waitFor(() => c.state.kind === 'error', 2000, 'error state');
    assert.match(c.state.kind === 'error' ? c.state.message : '', /^mem: closed the connection unexpectedly/);
    assert.equal(textOf(await c.callTool('instance', {})), '1');
    assert.equal(c.state.kind, 'running');
  });

  it('explains a factory that throws, naming the server, and other connections keep working', async () => {
    const bad = connect(() => {
      throw new Error('database not reachable');
    });
    const good = connect(serverFactory().create);
    await assert.rejects(
      bad.ping(),
      (e: unknown) => e instanceof ServerError && e.kind === 'handshake' && /^mem: .*database not reachable/.test(e.message),
    );
    assert.equal(bad.state.kind, 'error');
    assert.equal(textOf(await good.callTool('echo', { message: 'still here' })), 'Echo: still here');
  });

  it('cannot be asked for from configuration: type "memory" is rejected with the valid types', () => {
    const r = parseServer('x', { type: 'memory' });
    assert.ok('issues' in r);
    assert.equal(r.issues[0]!.field, 'type');
    assert.match(r.issues[0]!.message, /unsupported type "memory": use "stdio", "http" or "sse"/);
  });
});
