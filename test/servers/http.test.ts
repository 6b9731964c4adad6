// The keep-alive fetch (src/core/transport/http.ts) on its own against an in-process server, and
// through the SDK's HTTP transports inside ServerConnection against the fixture server.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerConnection } from '../../src/core';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../src/core/transport/http';
import { startHttpFixture, type StartedServer } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf } from '../unit/helpers';

interface TestServer {
  url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests seen (method, url, headers). */
  readonly requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

function listen(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  const requests: TestServer['requests'] = [];
  let connections = 0;
  server.on('connection', () => connections++);
  server.on('request', (req: http.IncomingMessage) => requests.push({ method: req.method, url: req.url, headers: req.headers }));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        connections: () => connections,
        requests,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Answers JSON with what it received; /slow never answers; /redirect/* redirect; /sse streams. */
const handler: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '/';
    if (url === '/slow') return; // never answers (abort tests)
    if (url === '/redirect/307') {
      res.writeHead(307, { location: '/echo' }).end();
      return;
    }
    if (url === '/redirect/303') {
      res.writeHead(303, { location: '/echo?from=303' }).end();
      return;
    }
    if (url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: one\n\n');
      setTimeout(() => res.end('event: message\ndata: two\n\n'), 20);
      return;
    }
    const body = JSON.stringify({
      method: req.method,
      url,
      body: Buffer.concat(chunks).toString('utf8'),
      contentType: req.headers['content-type'] ?? null,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
    res.end(body);
  });
};

describe('keep-alive fetch', function () {
  let server: TestServer;
  let fetcher: KeepAliveFetch;

  beforeEach(async () => {
    server = await listen(handler);
    fetcher = createKeepAliveFetch();
  });

  afterEach(async () => {
    fetcher.destroy();
    await server.close();
  });

  it('reuses one socket for sequential requests', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await fetcher(`${server.url}/echo`, {
        method: 'POST',
        body: JSON.stringify({ i }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(((await r.json()) as { body: string }).body, JSON.stringify({ i }));
    }
    assert.equal(server.connections(), 1);
  });

  it('leaves no abort listener on a signal shared by many requests', async () => {
    const shared = new AbortController();
    for (let i = 0; i < 1000; i++) {
      const r = await fetcher(`${server.url}/echo`, { method: 'POST', body: 'x', signal: shared.signal });
      await r.text();
    }
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0);
    // Bodies that are cancelled or read as a stream release their listener too.
    const a = await fetcher(`${server.url}/echo`, { signal: shared.signal });
    await a.body?.cancel();
    const b = await fetcher(`${server.url}/sse`, { signal: shared.signal });
    const reader = b.body!.getReader();
    while (!(await reader.read()).done);
    await new Promise((r) => setImmediate(r));
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0);
  });

  it('aborts a pending request, and rejects at once when already aborted', async () => {
    const ac = new AbortController();
    const pending = fetcher(`${server.url}/slow`, { method: 'POST', body: '{}', signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    await assert.rejects(fetcher(`${server.url}/echo`, { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
    // An abort while the body streams ends the stream with the reason.
    const streaming = new AbortController();
    const r = await fetcher(`${server.url}/sse`, { signal: streaming.signal });
    const reader = r.body!.getReader();
    await reader.read();
    streaming.abort();
    await assert.rejects(async () => {
      while (!(await reader.read()).done);
    });
  });

  it('speaks enough of Response for the SDK: status, headers, json, text, body stream', async () => {
    const r = await fetcher(`${server.url}/echo`, { method: 'POST', body: 'hello' });
    assert.equal(r.status, 200);
    assert.equal(r.ok, true);
    assert.equal(r.headers.get('Content-Type'), 'application/json');
    assert.equal(r.headers.get('x-multi'), 'a, b');
    assert.equal(r.headers.has('x-none'), false);
    assert.deepEqual(await r.json(), { method: 'POST', url: '/echo', body: 'hello', contentType: 'text/plain;charset=UTF-8' });
    await assert.rejects(r.text(), /already been read/);

    const form = await fetcher(`${server.url}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    assert.equal(((await form.json()) as { contentType: string }).contentType, 'application/x-www-form-urlencoded;charset=UTF-8');

    const sse = await fetcher(`${server.url}/sse`);
    const text = await new Response(sse.body).text();
    assert.match(text, /data: one[\s\S]*data: two/);
  });

  it('follows redirects like fetch, or returns them with redirect: manual', async () => {
    const manual = await fetcher(`${server.url}/redirect/307`, { method: 'POST', body: 'b', redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(manual.headers.get('location'), '/echo');
    await manual.body?.cancel();
    const kept = await fetcher(`${server.url}/redirect/307`, { method: 'POST', body: 'b' });
    assert.equal(kept.redirected, true);
    assert.deepEqual(await kept.json(), { method: 'POST', url: '/echo', body: 'b', contentType: 'text/plain;charset=UTF-8' });
    const asGet = await fetcher(`${server.url}/redirect/303`, { method: 'POST', body: 'b' });
    assert.deepEqual(await asGet.json(), { method: 'GET', url: '/echo?from=303', body: '', contentType: null });
    await assert.rejects(fetcher(`${server.url}/redirect/307`, { redirect: 'error' }), TypeError);
  });

  it('fails like fetch when nothing listens', async () => {
    await assert.rejects(
      fetcher('http://127.0.0.1:9/mcp', { method: 'POST', body: '{}' }),
      (e: Error) => e instanceof TypeError && /fetch failed: .*ECONNREFUSED/.test(e.message),
    );
  });
});

describe('HTTP transports with the keep-alive fetch', function () {
  // A hang guard: many calls, on a machine that may be busy.
  this.timeout(180_000);
  const open: ServerConnection[] = [];
  const started: StartedServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  const conn = (entry: Record<string, unknown>) => {
    const c = new ServerConnection(definition('h', entry), { timing: fastTiming, logger: recordingLogger() });
    open.push(c);
    return c;
  };

  /** The SDK transport's own AbortSignal, shared by all its requests. */
  const sharedSignal = (c: ServerConnection) =>
    (c as unknown as { session: { transport: { _abortController: AbortController } } }).session.transport._abortController.signal;

  it('keeps the shared signal of a Streamable HTTP session free of listeners over many calls, on few sockets', async () => {
    const fixture = await startHttpFixture(['--http']);
    started.push(fixture);
    // A recording proxy in front of the fixture counts TCP connections and sees every header.
    const upstream = new URL(fixture.url);
    const proxy = await listen((req, res) => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    let warnings = 0;
    const onWarning = (w: Error) => {
      if (w.name === 'MaxListenersExceededWarning') warnings++;
    };
    process.on('warning', onWarning);
    try {
      const c = conn({ type: 'http', url: `${proxy.url}/mcp`, headers: { Authorization: 'Bearer s3cret' } });
      assert.equal(textOf(await c.callTool('echo', { message: 'first' })), 'Echo: first');
      const signal = sharedSignal(c);
      const before = getEventListeners(signal, 'abort').length;
      for (let i = 0; i < 2000; i++) await c.callTool('echo', { message: String(i) });
      const after = getEventListeners(signal, 'abort').length;
      assert.ok(after <= before, `listeners grew from ${before} to ${after}`);
      assert.ok(after <= 1, `at most the GET stream's listener remains, found ${after}`);
      assert.equal(warnings, 0);
      // POSTs reuse their sockets: one or two for requests, one for the standalone GET stream.
      assert.ok(proxy.connections() <= 4, `${proxy.connections()} TCP connections for 2001 calls`);
      assert.ok(proxy.requests.length > 2000);
      for (const r of proxy.requests)
        assert.equal(r.headers.authorization, 'Bearer s3cret', `${r.method} ${r.url} lacks the configured header`);
      assert.ok(
        proxy.requests.some((r) => r.method === 'GET'),
        'the GET stream was opened',
      );
    } finally {
      process.off('warning', onWarning);
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      await proxy.close();
    }
  });

  it('sends the configured headers on the SSE event stream and its POSTs', async () => {
    const fixture = await startHttpFixture(['--sse']);
    started.push(fixture);
    const upstream = new URL(fixture.url);
    const proxy = await listen((req, res) => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    try {
      const c = conn({ type: 'sse', url: `${proxy.url}/sse`, headers: { 'X-Api-Key': 'k1' } });
      for (let i = 0; i < 20; i++) assert.equal(textOf(await c.callTool('echo', { message: `s${i}` })), `Echo: s${i}`);
      const get = proxy.requests.find((r) => r.method === 'GET');
      assert.equal(get?.headers['x-api-key'], 'k1');
      assert.equal(get?.headers.accept, 'text/event-stream');
      for (const r of proxy.requests) assert.equal(r.headers['x-api-key'], 'k1');
      assert.ok(proxy.connections() <= 3, `${proxy.connections()} TCP connections`);
    } finally {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      await proxy.close();
    }
  });
});
