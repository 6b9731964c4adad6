// The one catalog of tools, resources and prompts (src/core/catalog.ts): its invalidation policy as
// a pure function, and the tools kind against real in-memory SDK servers (no process), through a
// registry as the editor uses it and through one connection as the CLI does.
import * as assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inMemoryServer, ServerConnection, ServerRegistry } from '../../src/core';
import { CATALOG_KINDS, connectionSource, invalidation, ServerCatalog } from '../../src/core/catalog';
import { fastTiming, recordingLogger } from './helpers';

/** Waits for the next event an `on` function delivers that satisfies `match`. */
function next<T>(on: (listener: (e: T) => void) => { dispose(): void }, match: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const sub = on((e) => {
      if (!match(e)) return;
      sub.dispose();
      resolve(e);
    });
  });
}

describe('catalog: one list of tools, resources and prompts per server', function () {
  describe('invalidation (one policy for every kind)', function () {
    it('a removed or replaced server, a stop and a refresh forget everything, listings in flight included', function () {
      for (const event of [{ kind: 'server' }, { kind: 'refresh' }, { kind: 'state', state: 'stopped' }] as const) {
        assert.deepEqual(invalidation(event), { kinds: CATALOG_KINDS, keepLoading: false }, JSON.stringify(event));
      }
      assert.deepEqual(CATALOG_KINDS, ['tools', 'resources', 'prompts']);
    });

    it('a starting session forgets the lists but keeps the listing that started it', function () {
      assert.deepEqual(invalidation({ kind: 'state', state: 'starting' }), { kinds: CATALOG_KINDS, keepLoading: true });
    });

    it('a list_changed forgets only that kind', function () {
      for (const list of CATALOG_KINDS) assert.deepEqual(invalidation({ kind: 'list', list }), { kinds: [list], keepLoading: false });
    });

    it('idle, running, error and disabled keep what is known (keepAlive: false servers go idle after every call)', function () {
      for (const state of ['idle', 'running', 'error', 'disabled'] as const)
        assert.equal(invalidation({ kind: 'state', state }), undefined, state);
    });
  });

  describe('tools', function () {
    this.timeout(10_000);
    const disposables: { dispose(): unknown }[] = [];
    afterEach(async () => {
      for (const d of disposables.splice(0).reverse()) await d.dispose();
    });

    let server: McpServer | undefined;
    let sessions = 0;
    const create = () => {
      sessions++;
      server = new McpServer({ name: 'tools', version: '1.0.0' });
      server.registerTool('first', { description: 'the first tool' }, () => ({ content: [{ type: 'text', text: '1' }] }));
      return server;
    };
    beforeEach(() => {
      server = undefined;
      sessions = 0;
    });

    async function withRegistry(options: { keepAlive?: boolean } = {}) {
      const registry = new ServerRegistry({ timing: fastTiming, loggerFor: () => recordingLogger() });
      disposables.push(registry);
      await registry.update({ servers: [inMemoryServer('mem', create, options)], issues: [] });
      const catalog = new ServerCatalog(registry, () => recordingLogger());
      disposables.push(catalog);
      return { registry, catalog, conn: registry.get('mem')! };
    }

    it('lists once for concurrent callers, is what peek returns, and is the session’s own list', async function () {
      const { catalog, conn } = await withRegistry();
      assert.equal(catalog.peek(conn, 'tools'), undefined);
      assert.equal(catalog.offers(conn, 'tools'), undefined, 'unknown before the first handshake');
      const [a, b] = await Promise.all([catalog.list(conn, 'tools'), catalog.list(conn, 'tools')]);
      assert.equal(a, b);
      assert.deepEqual(
        a.map((t) => t.name),
        ['first'],
      );
      assert.equal(catalog.peek(conn, 'tools')?.value, a);
      assert.equal(conn.cachedTools, a, 'one copy: the catalog hands out the session’s list');
      assert.equal(catalog.offers(conn, 'tools'), true);
      assert.equal(sessions, 1);
    });

    it('a tools/list_changed forgets the tools, tells the views, and lists anew', async function () {
      const { catalog, conn } = await withRegistry();
      await catalog.list(conn, 'tools');
      const changed = next(catalog.onDidChange, (e) => e.kind === 'tools');
      server!.registerTool('second', {}, () => ({ content: [] }));
      assert.deepEqual(await changed, { server: 'mem', kind: 'tools' });
      assert.equal(catalog.peek(conn, 'tools'), undefined);
      assert.deepEqual(
        (await catalog.list(conn, 'tools')).map((t) => t.name),
        ['first', 'second'],
      );
    });

    it('keeps the tools of a keepAlive: false server across idle; a stop forgets them', async function () {
      const { catalog, conn } = await withRegistry({ keepAlive: false });
      const tools = await catalog.list(conn, 'tools');
      assert.equal(conn.state.kind, 'idle', 'no session left');
      assert.equal(conn.cachedTools, undefined);
      assert.equal(catalog.peek(conn, 'tools')?.value, tools, 'still known: the tree shows them without starting the server');
      await conn.stop();
      assert.equal(catalog.peek(conn, 'tools'), undefined);
    });

    it('refresh asks the server again', async function () {
      const { catalog, conn } = await withRegistry();
      const before = await catalog.list(conn, 'tools');
      const after = await catalog.list(conn, 'tools', { refresh: true });
      assert.notEqual(after, before);
      assert.deepEqual(after, before);
      assert.equal(catalog.peek(conn, 'tools')?.value, after);
    });

    it('a replaced server’s lists are forgotten with it', async function () {
      const { registry, catalog, conn } = await withRegistry();
      await catalog.list(conn, 'tools');
      await registry.update({ servers: [inMemoryServer('mem', create, { requestTimeoutMs: 12_345 })], issues: [] });
      const replaced = registry.get('mem')!;
      assert.notEqual(replaced, conn);
      assert.equal(catalog.peek(replaced, 'tools'), undefined);
      assert.equal(catalog.peek(conn, 'tools'), undefined, 'nor kept for the old connection');
    });

    it('works over one connection without a registry (the CLI)', async function () {
      const conn = new ServerConnection(inMemoryServer('mem', create), { timing: fastTiming });
      disposables.push(conn);
      const catalog = new ServerCatalog(connectionSource(conn), () => recordingLogger());
      disposables.push(catalog);
      const tools = await catalog.list(conn, 'tools');
      assert.deepEqual(
        tools.map((t) => t.name),
        ['first'],
      );
      const changed = next(catalog.onDidChange, (e) => e.kind === 'tools');
      server!.registerTool('second', {}, () => ({ content: [] }));
      await changed;
      assert.deepEqual(
        (await catalog.list(conn, 'tools')).map((t) => t.name),
        ['first', 'second'],
      );
      await conn.stop();
      assert.equal(catalog.peek(conn, 'tools'), undefined, 'the same policy: a stop forgets');
    });
  });
});
