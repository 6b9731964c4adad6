// Both protocol eras through ServerConnection, against real servers: the SDK v2 fixture in each era
// over stdio and Streamable HTTP, hand-written misbehaving servers (test/fixtures/eras/README.md),
// and the 2025-era fixture. What is asserted is what a user of the tree or the CLI relies on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServerCatalog, ServerConnection, connectionSource } from '../../src/core';
import { ERAS, FIXTURE_SERVER, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf, waitFor } from '../unit/helpers';

describe('protocol eras', function () {
  this.timeout(60_000);
  const open: ServerConnection[] = [];
  const conn = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const logger = recordingLogger();
    const c = new ServerConnection(definition('era', entry), { timing: { ...fastTiming, stdioProbeTimeoutMs: 1500, ...extra }, logger });
    open.push(c);
    return Object.assign(c, { logged: logger.lines });
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  const stdio = (era: 'both' | 'modern' | 'legacy', env: Record<string, string> = {}) =>
    conn({ command: NODE, args: [ERAS.modern, '--era', era], env });

  describe('the SDK v2 fixture over stdio', () => {
    for (const [era, expected] of [
      ['both', '2026-07-28'],
      ['modern', '2026-07-28'],
      ['legacy', '2025-11-25'],
    ] as const) {
      it(`--era ${era}: negotiates ${expected}, lists and calls`, async () => {
        const c = stdio(era);
        const tools = await c.listTools();
        assert.ok(tools.some((t) => t.name === 'echo'));
        assert.equal(textOf(await c.callTool('echo', { message: 'hi' })), 'Echo: hi');
        assert.equal(c.info?.protocolVersion, expected);
        assert.equal(c.state.kind === 'running' && c.state.protocolVersion, expected);
        const who = JSON.parse(textOf(await c.callTool('whoami', {}))) as { era: string; clientName: string };
        assert.equal(who.era, expected === '2026-07-28' ? 'modern' : 'legacy');
        assert.equal(who.clientName, 'mcp-manager', 'clientInfo reaches the server in either era');
        const resources = await c.listResources();
        assert.ok(resources.some((r) => r.uri === 'eras://hello'));
        const read = await c.readResource('eras://hello');
        assert.ok(read.contents.length > 0);
        const prompt = await c.getPrompt('greet', { name: 'Ada' });
        assert.ok(JSON.stringify(prompt.messages).includes('Ada'));
        await c.ping();
      });
    }

    it('keeps one process for a stateless (2026-07-28) stdio server', async () => {
      const c = stdio('modern');
      const a = JSON.parse(textOf(await c.callTool('whoami', {}))) as { pid: number };
      const b = JSON.parse(textOf(await c.callTool('whoami', {}))) as { pid: number };
      assert.equal(a.pid, b.pid);
      assert.equal(c.info?.pid, a.pid);
    });
  });

  describe('2025-era stdio servers that mishandle the probe', () => {
    const bad = (kase: string) => conn({ command: NODE, args: [ERAS.misbehavingStdio, '--case', kase] });

    it('a server that exits on server/discover is started again with initialize, and not probed again', async () => {
      const c = bad('exit-on-discover');
      assert.equal(textOf(await c.callTool('echo', { message: 'a' })), 'Echo: a');
      assert.equal(c.info?.protocolVersion, '2025-11-25');
      assert.equal(c.logged.filter((l) => /closed its end on the protocol version probe/.test(l)).length, 1);
      await c.stop();
      assert.equal(textOf(await c.callTool('echo', { message: 'b' })), 'Echo: b');
      assert.equal(c.logged.filter((l) => /closed its end on the protocol version probe/.test(l)).length, 1, 'the era is remembered');
    });

    it('a server that ignores server/discover answers initialize after the probe timeout', async () => {
      const c = bad('silent-on-discover');
      assert.equal(textOf(await c.callTool('echo', { message: 'a' })), 'Echo: a');
      assert.equal(c.info?.protocolVersion, '2025-11-25');
    });

    it('a server that answers server/discover with an error falls back at once', async () => {
      const c = bad('error-on-discover');
      assert.equal(textOf(await c.callTool('echo', { message: 'a' })), 'Echo: a');
      assert.equal(c.info?.era, 'legacy');
    });
  });

  it('follows a server that changes era between restarts', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-era-')), 'era');
    fs.writeFileSync(file, 'legacy');
    const c = conn({ command: NODE, args: [ERAS.modern], env: { ERA_FILE: file } });
    await c.listTools();
    assert.equal(c.info?.era, 'legacy');
    // Remembered as 2025-era, the next session tries initialize first; a now 2026-only server
    // refuses it, and the connection probes again.
    fs.writeFileSync(file, 'modern');
    await c.stop();
    await c.listTools();
    assert.equal(c.info?.era, 'modern');
    assert.ok(c.logged.some((l) => /no longer accepts the 2025 handshake/.test(l)));
    // restart() forgets the era: back to 2025 without a failed initialize first.
    fs.writeFileSync(file, 'legacy');
    await c.restart();
    assert.equal(c.info?.era, 'legacy');
  });

  describe('the SDK v2 fixture over Streamable HTTP', () => {
    const servers: StartedServer[] = [];
    after(() => Promise.all(servers.map((s) => s.stop())));
    const http = async (era: string, env: Record<string, string> = {}) => {
      const s = await startHttpFixture(['--http', '--era', era], { script: ERAS.modern, env });
      servers.push(s);
      return s;
    };

    for (const [era, expected] of [
      ['both', '2026-07-28'],
      ['modern', '2026-07-28'],
      ['legacy', '2025-11-25'],
    ] as const) {
      it(`--era ${era}: negotiates ${expected}`, async () => {
        const s = await http(era);
        const c = conn({ type: 'http', url: s.url });
        assert.equal(textOf(await c.callTool('echo', { message: 'hi' })), 'Echo: hi');
        assert.equal(c.info?.protocolVersion, expected);
      });
    }

    it('mirrors x-mcp-header arguments into Mcp-Param-* headers, also on a first call before any list', async () => {
      const s = await http('modern');
      const c = conn({ type: 'http', url: s.url });
      const first = JSON.parse(textOf(await c.callTool('route', { region: 'eu-west' }))) as Record<string, string>;
      assert.equal(first.param, 'eu-west');
      assert.equal(first.method, 'tools/call');
      assert.equal(first.name, 'route');
      assert.equal(first.protocolVersion, '2026-07-28');
      const other = JSON.parse(textOf(await c.callTool('route', { region: 'Zürich ' }))) as Record<string, string>;
      // The server checks header against body (-32020 otherwise), so it decoded this one to the argument.
      assert.equal(other.param, `=?base64?${Buffer.from('Zürich ').toString('base64')}?=`, 'a non-ASCII value travels base64-encoded');
      assert.equal(other.region, 'Zürich ');
    });

    it('serves a list from cache while its ttlMs lasts, and asks again without it', async () => {
      const cached = await http('modern', { ERA_TTL_MS: '600000', ERA_LOG_REQUESTS: '1' });
      const fresh = await http('modern', { ERA_LOG_REQUESTS: '1' });
      for (const [s, expected] of [
        [cached, 1],
        [fresh, 2],
      ] as const) {
        const c = conn({ type: 'http', url: s.url });
        const catalog = new ServerCatalog(connectionSource(c), () => recordingLogger());
        await catalog.list(c, 'tools');
        await catalog.list(c, 'tools');
        await catalog.list(c, 'prompts');
        await catalog.list(c, 'prompts');
        catalog.dispose();
        // The server logs each request on stderr, a pipe that may lag behind its HTTP answers: a
        // last request whose line has arrived means every earlier line has too.
        await c.callTool('echo', { message: 'last' });
        await waitFor(() => /^request tools\/call /m.test(s.stderr()), 10_000, 'the request log of the last call');
        const count = (m: string) =>
          s
            .stderr()
            .split('\n')
            .filter((l) => l.startsWith(`request ${m} `)).length;
        assert.equal(count('tools/list'), expected, `tools/list with ${expected === 1 ? 'a ttlMs' : 'no ttlMs'}`);
        assert.equal(count('prompts/list'), expected);
      }
    });

    it('hears list changes of a 2026-07-28 server on subscriptions/listen', async () => {
      const s = await http('modern');
      const c = conn({ type: 'http', url: s.url });
      const before = await c.listTools();
      let changed = 0;
      c.onDidChangeTools(() => changed++);
      await c.callTool('change', {});
      await waitFor(() => changed > 0, 10_000, 'tools list_changed over subscriptions/listen');
      const after = await c.listTools();
      assert.equal(after.length, before.length + 1);
    });
  });

  describe('following a resource (watchResource)', () => {
    const servers: StartedServer[] = [];
    after(() => Promise.all(servers.map((s) => s.stop())));
    const http = async (era: string) => {
      const s = await startHttpFixture(['--http', '--era', era], { script: ERAS.modern, env: { ERA_LOG_REQUESTS: '1' } });
      servers.push(s);
      return s;
    };
    const cases: Array<[string, () => Promise<ServerConnection>]> = [
      ['2026-07-28 over stdio (subscriptions/listen)', async () => stdio('modern')],
      ['2025-11-25 over stdio (resources/subscribe)', async () => stdio('legacy')],
      ['2026-07-28 over HTTP (subscriptions/listen)', async () => conn({ type: 'http', url: (await http('modern')).url })],
      ['2025-11-25 over HTTP (resources/subscribe)', async () => conn({ type: 'http', url: (await http('legacy')).url })],
    ];
    for (const [label, make] of cases) {
      it(`hears updates of a followed resource: ${label}`, async () => {
        const c = await make();
        const read = async () => {
          const r = await c.readResource('eras://hello');
          return (r.contents[0] as { text: string }).text;
        };
        assert.equal(await read(), 'Hello from eras (v1)');
        let updates = 0;
        const watch = await c.watchResource('eras://hello', () => updates++);
        await c.callTool('touch', {});
        await waitFor(() => updates > 0, 15_000, 'notifications/resources/updated');
        assert.equal(await read(), 'Hello from eras (v2)');
        watch.dispose();
      });
    }

    it('stops following on dispose: resources/unsubscribe (2025) or a listen stream without the resource (2026)', async () => {
      const legacy = await http('legacy');
      const modern = await http('modern');
      const a = conn({ type: 'http', url: legacy.url });
      const b = conn({ type: 'http', url: modern.url });
      const wa = await a.watchResource('eras://hello', () => undefined);
      const wb = await b.watchResource('eras://hello', () => undefined);
      const listens = () => (modern.stderr().match(/request subscriptions\/listen /g) ?? []).length;
      // Server logs lag behind answers (a pipe): wait for them rather than read them at once.
      await waitFor(() => /request resources\/subscribe /.test(legacy.stderr()), 10_000, 'resources/subscribe');
      await waitFor(() => listens() >= 2, 10_000, 'the session listen, then one with the resource');
      wa.dispose();
      wb.dispose();
      await waitFor(() => /request resources\/unsubscribe /.test(legacy.stderr()), 10_000, 'resources/unsubscribe');
      await waitFor(() => listens() >= 3, 10_000, 'a new listen stream without the resource');
    });

    it('tells followers to read again after the server restarts', async () => {
      const c = stdio('legacy');
      let updates = 0;
      const watch = await c.watchResource('eras://hello', () => updates++);
      await c.restart();
      await waitFor(() => updates > 0, 15_000, 'a follower told after the restart');
      let after = 0;
      const again = await c.watchResource('eras://hello', () => after++);
      await c.callTool('touch', {});
      await waitFor(() => after > 0, 15_000, 'updates heard on the new session');
      watch.dispose();
      again.dispose();
    });

    it('says why a resource cannot be followed', async () => {
      const noSubscribe = conn({ command: NODE, args: [FIXTURE_SERVER] });
      await assert.rejects(
        noSubscribe.watchResource('fixture://readme', () => undefined),
        (e: Error) => /cannot follow fixture:\/\/readme: the server does not announce resource updates/.test(e.message),
      );
      const ephemeral = conn({ command: NODE, args: [ERAS.modern], keepAlive: false });
      await assert.rejects(
        ephemeral.watchResource('eras://hello', () => undefined),
        (e: Error) => /"keepAlive": false.*Set "keepAlive": true/.test(e.message),
      );
    });
  });

  describe('server log messages', () => {
    const serverLines = (c: { logged: string[] }) =>
      c.logged.filter((l) => / \[server \w+\] eras: \w+ from log$/.test(l)).map((l) => l.replace(/ \[server (\w+)\].*/, ' $1'));
    for (const era of ['modern', 'legacy'] as const) {
      const label = era === 'modern' ? '2026-07-28 (level in each request)' : '2025-11-25 (logging/setLevel)';
      it(`reach the log at their own level, from the entry's logLevel and then setLogLevel: ${label}`, async () => {
        const c = conn({ command: NODE, args: [ERAS.modern, '--era', era], logLevel: 'warning' });
        assert.equal(textOf(await c.callTool('log', {})), 'logged');
        await waitFor(() => serverLines(c).length >= 2, 10_000, 'the warning and the error');
        assert.deepEqual(serverLines(c), ['warn warning', 'error error']);
        await c.setLogLevel('debug');
        assert.equal(c.logLevel, 'debug');
        await c.callTool('log', {});
        await waitFor(() => serverLines(c).length >= 6, 10_000, 'all four levels');
        assert.deepEqual(serverLines(c).slice(2), ['debug debug', 'info info', 'warn warning', 'error error']);
      });
    }

    it('a 2026-07-28 server logs at info and worse unless told otherwise; a 2025 one decides itself', async () => {
      const modern = stdio('modern');
      const legacy = stdio('legacy');
      await Promise.all([modern.callTool('log', {}), legacy.callTool('log', {})]);
      await waitFor(() => serverLines(modern).length >= 3 && serverLines(legacy).length >= 4, 10_000, 'the log messages');
      assert.deepEqual(serverLines(modern), ['info info', 'warn warning', 'error error']);
      assert.deepEqual(serverLines(legacy), ['debug debug', 'info info', 'warn warning', 'error error']);
    });
  });

  describe('misbehaving 2026-07-28 HTTP servers', () => {
    let srv: StartedServer;
    before(async () => {
      srv = await startHttpFixture([], { script: ERAS.misbehavingHttp });
    });
    after(() => srv.stop());
    const at = (kase: string) => srv.url.replace(/\/mcp$/, `/${kase}/mcp`);
    const stats = async (kase: string) =>
      (await (await fetch(srv.url.replace(/\/mcp$/, `/${kase}/stats`))).json()) as {
        neverFetch: number;
        listens: number;
        openListens: number;
      };

    it('leaves out tools with invalid x-mcp-header annotations, saying why in the log', async () => {
      const c = conn({ type: 'http', url: at('bad-x-mcp-header') });
      const names = (await c.listTools()).map((t) => t.name);
      assert.ok(names.includes('with_header'));
      for (const bad of ['bad_space', 'bad_object', 'dup_header']) assert.ok(!names.includes(bad), bad);
      assert.ok(c.logged.some((l) => /warn .*left out tool "bad_space": x-mcp-header "Bad Name"/.test(l)));
      const answer = JSON.parse(textOf(await c.callTool('with_header', { region: 'us' }))) as { param: string };
      assert.equal(answer.param, 'us');
    });

    it('takes results without resultType as complete', async () => {
      const c = conn({ type: 'http', url: at('no-result-type-all') });
      assert.ok((await c.listTools()).length > 0);
      assert.equal(textOf(await c.callTool('echo', { message: 'x' })), 'Echo: x');
    });

    it('settles on a version the server supports after -32022', async () => {
      const c = conn({ type: 'http', url: at('version-32022') });
      assert.equal(textOf(await c.callTool('echo', { message: 'x' })), 'Echo: x');
      assert.equal(c.info?.protocolVersion, '2026-07-28');
    });

    it('passes schemas through verbatim and never fetches a network $ref', async () => {
      const c = conn({ type: 'http', url: at('ref-network') });
      const tools = await c.listTools();
      const raw = (await (
        await fetch(at('ref-network'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2026-07-28',
            'mcp-method': 'tools/list',
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/list',
            params: {
              _meta: {
                'io.modelcontextprotocol/protocolVersion': '2026-07-28',
                'io.modelcontextprotocol/clientCapabilities': {},
                'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
              },
            },
          }),
        })
      ).json()) as { result: { tools: unknown[] } };
      assert.deepEqual(tools, raw.result.tools, 'the tools as the server sent them');
      assert.ok(JSON.stringify(await c.callTool('local_ref', { point: { x: 1, y: 2 } })).includes('1'));
      await c.callTool('remote_ref', { thing: 'x' });
      assert.equal((await stats('ref-network')).neverFetch, 0);
    });

    it('listens again when the subscriptions/listen stream drops', async () => {
      const c = conn({ type: 'http', url: at('listen-drop') });
      await c.listTools();
      await waitFor(async () => (await stats('listen-drop')).openListens === 1, 10_000, 'the first listen');
      const opened = (await stats('listen-drop')).listens;
      await fetch(srv.url.replace(/\/mcp$/, '/listen-drop/drop'), { method: 'POST' });
      await waitFor(async () => (await stats('listen-drop')).listens > opened, 15_000, 'a second listen after the drop');
      assert.ok(c.logged.some((l) => /subscriptions\/listen stream dropped; listening again/.test(l)));
    });

    it('never takes a 401 for era evidence', async () => {
      const c = conn({ type: 'http', url: at('auth-401') });
      await assert.rejects(c.listTools(), (e: Error) => /401/.test(e.message) && !/initialize/.test(e.message));
      assert.equal((await stats('auth-401')) !== undefined, true);
    });
  });

  it('the 2025-era fixture on SDK v1 is served as before, over the 2025 handshake', async () => {
    const c = conn({ command: NODE, args: [FIXTURE_SERVER] });
    assert.equal(textOf(await c.callTool('echo', { message: 'v1' })), 'Echo: v1');
    assert.equal(c.info?.era, 'legacy');
  });
});
