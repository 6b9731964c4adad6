// The MCP registry client against a real HTTP registry on 127.0.0.1 (test/fixtures/registry):
// search, latest/exact versions, pagination, updated_since, one entry by name, the cache, and
// what happens when the registry is unreachable (the last answer, marked stale; or a clear error).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { isInstallable, normaliseRegistryUrl, RegistryClient, RegistryError } from '../../src/core/mcpRegistry';
import { startTestRegistry, type TestRegistry } from '../fixtures/registry';

describe('MCP registry client (v0.1)', () => {
  let registry: TestRegistry;
  before(async () => (registry = await startTestRegistry()));
  after(async () => registry.close());

  it('searches by name with version=latest and reads the envelope and _meta', async () => {
    const client = new RegistryClient();
    const page = await client.search(registry.url, { search: 'everything' });
    assert.deepEqual(
      page.entries.map((e) => [e.server.name, e.server.version]),
      [['io.github.modelcontextprotocol/server-everything', '2.0.0']],
    );
    const [entry] = page.entries;
    assert.equal(entry!.meta.status, 'active');
    assert.equal(entry!.meta.isLatest, true);
    assert.equal(entry!.meta.publishedAt, '2025-11-25T12:00:00Z');
    assert.equal(entry!.registry, registry.url);
    assert.equal(page.stale, undefined);
    assert.match(registry.requests.at(-1)!, /^\/v0\.1\/servers\?search=everything&version=latest$/);
  });

  it('lists every version when asked, and one exact version', async () => {
    const client = new RegistryClient();
    const all = await client.search(registry.url, { search: 'server-everything', version: '' });
    assert.deepEqual(all.entries.map((e) => e.server.version).sort(), ['1.0.0', '2.0.0']);
    const one = await client.search(registry.url, { search: 'server-everything', version: '1.0.0' });
    assert.deepEqual(
      one.entries.map((e) => [e.server.version, e.meta.isLatest]),
      [['1.0.0', false]],
    );
  });

  it('follows nextCursor page by page, and searchAll collects every page', async () => {
    const client = new RegistryClient();
    const first = await client.search(registry.url, { limit: 4 });
    assert.equal(first.entries.length, 4);
    assert.ok(first.nextCursor, 'a next cursor');
    const second = await client.search(registry.url, { limit: 4, cursor: first.nextCursor });
    assert.equal(second.entries.length, 4);
    assert.notDeepEqual(
      second.entries.map((e) => e.server.name),
      first.entries.map((e) => e.server.name),
    );
    const everything = await client.searchAll(registry.url, { limit: 4 });
    assert.equal(everything.entries.length, 11, 'the latest version of each of the 11 servers');
    assert.equal(everything.nextCursor, undefined);
    const capped = await client.searchAll(registry.url, { limit: 4 }, 6);
    assert.equal(capped.entries.length, 6);
    assert.ok(capped.nextCursor, 'says there is more');
  });

  it('passes updated_since', async () => {
    const client = new RegistryClient();
    const page = await client.search(registry.url, { updatedSince: '2026-01-01T00:00:00Z' });
    assert.deepEqual(
      page.entries.map((e) => e.server.name),
      ['com.example/every-argument'],
    );
    assert.match(registry.requests.at(-1)!, /updated_since=2026-01-01T00%3A00%3A00Z/);
  });

  it('gets one entry by URL-encoded name, latest or an exact version; an unknown one is a not-found error', async () => {
    const client = new RegistryClient();
    const latest = await client.getEntry(registry.url, 'io.github.modelcontextprotocol/server-everything');
    assert.equal(latest.entry.server.version, '2.0.0');
    assert.equal(registry.requests.at(-1), '/v0.1/servers/io.github.modelcontextprotocol%2Fserver-everything/versions/latest');
    const old = await client.getEntry(registry.url, 'io.github.modelcontextprotocol/server-everything', '1.0.0');
    assert.equal(old.entry.server.version, '1.0.0');
    await assert.rejects(
      client.getEntry(registry.url, 'com.example/nope'),
      (e: unknown) => e instanceof RegistryError && e.kind === 'not-found' && /has no server "com\.example\/nope"/.test(e.message),
    );
  });

  it('marks deprecated and deleted entries as not installable', async () => {
    const client = new RegistryClient();
    const page = await client.search(registry.url, { search: 'com.example/de' });
    const status = Object.fromEntries(page.entries.map((e) => [e.server.name, [e.meta.status, isInstallable(e)]]));
    assert.deepEqual(status, { 'com.example/deprecated-server': ['deprecated', false], 'com.example/deleted-server': ['deleted', false] });
  });

  it('reuses an answer within the TTL and asks again after it (fake clock)', async () => {
    let now = 1_000_000;
    const client = new RegistryClient({ ttlMs: 60_000, now: () => now });
    const before = registry.requests.length;
    await client.search(registry.url, { search: 'time' });
    await client.search(registry.url, { search: 'time' });
    assert.equal(registry.requests.length - before, 1, 'second search from the cache');
    now += 60_001;
    await client.search(registry.url, { search: 'time' });
    assert.equal(registry.requests.length - before, 2, 'asked again after the TTL');
  });

  it('an unreachable registry: the last answer marked stale, else a clear error naming it', async () => {
    const own = await startTestRegistry();
    let now = 0;
    const client = new RegistryClient({ ttlMs: 1000, now: () => now });
    const fresh = await client.search(own.url, { search: 'time' });
    assert.equal(fresh.entries.length, 1);
    await own.close();
    now += 5000;
    const stale = await client.search(own.url, { search: 'time' });
    assert.equal(stale.entries.length, 1, 'the cached entries');
    assert.ok(stale.stale, 'marked stale');
    assert.equal(stale.stale.fetchedAt, 0);
    assert.match(stale.stale.reason, new RegExp(`Could not reach the MCP registry ${own.url.replace(/[.]/g, '\\.')}: ECONNREFUSED`));
    await assert.rejects(
      client.search(own.url, { search: 'other' }),
      (e: unknown) => e instanceof RegistryError && e.kind === 'unreachable' && /mcpManager\.registries/.test(e.message),
    );
  });

  it('a URL that answers something else than a registry gives a format error', async () => {
    const srv = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as net.AddressInfo;
    try {
      await assert.rejects(
        new RegistryClient().search(`http://127.0.0.1:${port}`),
        (e: unknown) => e instanceof RegistryError && e.kind === 'format' && /did not answer like an MCP registry/.test(e.message),
      );
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it("an HTTP error status is reported with the registry's message", async () => {
    await assert.rejects(
      new RegistryClient().search(registry.url, { updatedSince: 'yesterday' }),
      (e: unknown) =>
        e instanceof RegistryError &&
        e.kind === 'http' &&
        /answered 400 Bad Request: updated_since must be an RFC 3339 timestamp/.test(e.message),
    );
  });

  it('normalises registry URLs', () => {
    assert.equal(normaliseRegistryUrl('https://registry.modelcontextprotocol.io/'), 'https://registry.modelcontextprotocol.io');
    assert.equal(normaliseRegistryUrl('https://r.example.com/mcp/v0.1'), 'https://r.example.com/mcp');
    assert.throws(() => normaliseRegistryUrl('registry'), /is not a registry URL/);
    assert.throws(() => normaliseRegistryUrl('ftp://x'), /not an http\(s\) URL/);
  });
});
