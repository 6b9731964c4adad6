// HTTP faults: refused connections, error pages, HTML instead of MCP, headers that never come,
// response streams cut mid-message, HTTP errors during calls, and expired sessions (transparent
// re-initialisation).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { startHttpFixture } from '../fixtures/paths';
import { textOf } from '../unit/helpers';
import { Bench } from './harness';
import { misbehavingMcpServer, sessionForgettingProxy, slowHeadersServer, statusServer, type FaultServer } from './httpFaults';

describe('reliability: HTTP', function () {
  this.timeout(30_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('HTTP').start()));
  after(() => bench?.dispose());

  /** A port nothing listens on (bound, then closed). */
  const closedPort = () =>
    new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });

  const serve = async <S extends FaultServer>(t: { onCleanup(fn: () => Promise<unknown>): void }, s: Promise<S>): Promise<S> => {
    const server = await s;
    t.onCleanup(() => server.close());
    return server;
  };

  it('connection refused', () =>
    bench.run('connection refused', 'handshake error saying nothing listens there', async (t) => {
      const url = `http://127.0.0.1:${await closedPort()}/mcp`;
      const c = await t.server('refused', { type: 'http', url, startupTimeoutMs: 5000 });
      await t.expectError('refused', () => c.ping(), {
        kind: 'handshake',
        what: new RegExp(`cannot connect to ${url}: connection refused`),
        next: /Is the server running/,
      });
      const s = await t.server('refusedsse', { type: 'sse', url: url.replace('/mcp', '/sse'), startupTimeoutMs: 5000 });
      await assert.rejects(s.ping(), (e: Error) => /connection refused/.test(e.message));
      return 'handshake error within milliseconds (Streamable HTTP and SSE)';
    }));

  it('server returns 404', () =>
    bench.run('HTTP 404 (wrong URL)', 'handshake error with the status and a hint about the URL', async (t) => {
      const srv = await serve(t, statusServer(404, 'Cannot POST /mcp'));
      const c = await t.server('notfound', { type: 'http', url: srv.url });
      await t.expectError('notfound', () => c.ping(), { kind: 'handshake', what: /HTTP 404/, next: /check the URL|\/mcp/i });
      return 'handshake error quoting HTTP 404';
    }));

  it('server returns 500', () =>
    bench.run('HTTP 500 at initialize', 'handshake error with the status and the body', async (t) => {
      const srv = await serve(t, statusServer(500, 'database unavailable'));
      const c = await t.server('broken', { type: 'http', url: srv.url });
      await t.expectError('broken', () => c.ping(), {
        kind: 'handshake',
        what: /HTTP 500.*database unavailable/,
        next: /server's own logs|try again/i,
      });
      return 'handshake error quoting HTTP 500 and its body';
    }));

  it('server returns an HTML page', () =>
    bench.run('HTML page instead of MCP', 'handshake error: not an MCP endpoint', async (t) => {
      const srv = await serve(t, statusServer(200, '<!DOCTYPE html><html><body>Welcome</body></html>', 'text/html; charset=utf-8'));
      const c = await t.server('html', { type: 'http', url: srv.url });
      await t.expectError('html', () => c.ping(), { kind: 'handshake', what: /text\/html/, next: /not an MCP endpoint|check the URL/i });
      return 'handshake error: answered text/html, not MCP';
    }));

  it('slow headers (never sent)', () =>
    bench.run('slow headers (never sent)', 'handshake error after startupTimeoutMs; request aborted', async (t) => {
      const srv = await serve(t, slowHeadersServer());
      const c = await t.server('slow', { type: 'http', url: srv.url, startupTimeoutMs: 800 });
      await t.expectError('slow', () => c.ping(), {
        kind: 'handshake',
        what: /did not answer the MCP handshake within 800 ms/,
        next: /raise startupTimeoutMs|check/i,
      });
      return 'handshake timeout; connection closed';
    }));

  it('HTTP faults during calls: cut stream, reset, stall, 500, no headers', () =>
    bench.run(
      'stream stops mid-message (and other faults during calls)',
      'the affected call fails promptly with what happened; the session keeps working',
      async (t) => {
        const srv = await serve(t, misbehavingMcpServer());
        const c = await t.server('midstream', { type: 'http', url: srv.url, requestTimeoutMs: 1500 });
        assert.equal(textOf(await c.callTool('echo', { message: 'before' })), 'Echo: before');
        await t.expectError('midstream', () => c.callTool('cut', {}), {
          kind: 'protocol',
          what: /ended the response stream before the answer arrived/,
          next: /server|try again/i,
        });
        await assert.rejects(c.callTool('reset', {}), (e: Error) =>
          /midstream: tools\/call "reset" failed: the connection was lost .* before the answer arrived/.test(e.message),
        );
        await assert.rejects(c.callTool('stall', {}), (e: Error) => /midstream: tools\/call "stall" timed out/.test(e.message));
        await assert.rejects(c.callTool('error500', {}), (e: Error) =>
          /midstream: tools\/call "error500" failed: HTTP 500.*upstream crashed/.test(e.message),
        );
        await assert.rejects(c.callTool('nohead', {}), (e: Error) => /midstream: tools\/call "nohead" timed out/.test(e.message));
        assert.equal(textOf(await c.callTool('echo', { message: 'after' })), 'Echo: after');
        return 'cut/reset streams fail the call at once; stall/no headers time out; 500 quoted; session keeps working';
      },
    ));

  it('session expired: 404 on the session id, transparent re-initialisation', () =>
    bench.run('session expired (404 on the session id)', 'reconnects once and retries; the caller sees no error', async (t) => {
      const backend = await startHttpFixture(['--http']);
      t.onCleanup(() => backend.stop());
      const proxy = await serve(t, sessionForgettingProxy(backend.url));
      const c = await t.server('expiring', { type: 'http', url: proxy.url });
      assert.equal(textOf(await c.callTool('echo', { message: 'one' })), 'Echo: one');
      const pid = Number(textOf(await c.callTool('pid', {})));
      proxy.forgetSessions();
      const started = Date.now();
      assert.equal(textOf(await c.callTool('echo', { message: 'two' })), 'Echo: two');
      t.mark(Date.now() - started);
      assert.ok(proxy.expired >= 1, 'the proxy answered 404 for the old session');
      assert.equal(Number(textOf(await c.callTool('pid', {}))), pid);
      assert.equal(c.state.kind, 'running');
      // Expiring while several calls are in flight: all of them succeed on one new session.
      proxy.forgetSessions();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.callTool('echo', { message: `c${i}` })));
      assert.deepEqual(
        results.map(textOf),
        Array.from({ length: 8 }, (_, i) => `Echo: c${i}`),
      );
      const inits = proxy.requests.filter((r) => r.method === 'POST' && !r.session).length;
      // The first session probes the era (server/discover) before its initialize; the era is then
      // remembered, so each new session sends only initialize.
      assert.equal(inits, 4, 'one probe, then one initialize per session');
      return 'the call after expiry succeeded after one re-initialisation; 8 concurrent calls shared one new session';
    }));
});
