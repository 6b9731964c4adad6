// OAuth sign-in through the core (core/auth) against real servers on 127.0.0.1: the fixture
// authorization server and a protected proxy in front of our eras fixture (both protocol eras) or
// the SSE fixture (test/fixtures/oauth/README.md).
import assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  MemoryCredentialStore,
  ServerConnection,
  ServerError,
  authStatus,
  isSignInRequired,
  parseServer,
  signIn,
  signOut,
  bestAccountProvider,
  type AuthHost,
  type HostAccounts,
  type HttpDefinition,
  type Logger,
} from '../../src/core';
import { ERAS, FIXTURE_SERVER, startHttpFixture, type StartedServer } from '../fixtures/paths';
import {
  consentUi,
  follow,
  startAuthServer,
  startProtectedServer,
  type AuthKnobs,
  type AuthServer,
  type ProtectedKnobs,
  type ProtectedServer,
} from '../fixtures/oauth';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f().catch(() => undefined)));
});

let modern: StartedServer | undefined;
let legacy: StartedServer | undefined;
let sse: StartedServer | undefined;
before(async () => {
  [modern, legacy, sse] = await Promise.all([
    startHttpFixture(['--http', '--era', 'both'], { script: ERAS.modern }),
    startHttpFixture(['--http', '--era', 'legacy'], { script: ERAS.modern }),
    startHttpFixture(['--sse'], { script: FIXTURE_SERVER }),
  ]);
});
after(async () => {
  await Promise.all([modern?.stop(), legacy?.stop(), sse?.stop()]);
});

/** Log lines, to check that no secret reaches them. */
function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string | Error) => lines.push(String(m instanceof Error ? m.message : m));
  return { lines, trace: add, debug: add, info: add, warn: add, error: add };
}

interface Setup {
  as: AuthServer;
  rs: ProtectedServer;
  def: HttpDefinition;
  store: MemoryCredentialStore;
  host: AuthHost;
  ui: ReturnType<typeof consentUi>;
  log: ReturnType<typeof memoryLog>;
  connect(host?: AuthHost): ServerConnection;
}

async function setup(
  o: {
    upstream?: StartedServer;
    oauth?: Record<string, unknown> | false;
    asPath?: string;
    as?: Partial<AuthKnobs>;
    rs?: Partial<Omit<ProtectedKnobs, 'authServer'>>;
    type?: 'http' | 'sse';
    onDemand?: boolean;
    ui?: ReturnType<typeof consentUi>;
    callbackTimeoutMs?: number;
  } = {},
): Promise<Setup> {
  const as = await startAuthServer({ path: o.asPath, knobs: o.as });
  cleanup.push(() => as.close());
  const upstream = o.upstream ?? modern!;
  const rs = await startProtectedServer({
    upstream: upstream.url,
    authServer: as,
    knobs: o.rs,
    ...(o.type === 'sse' && { resourcePath: '/' }),
  });
  cleanup.push(() => rs.close());
  const parsed = parseServer('svc', { type: o.type ?? 'http', url: rs.url, ...(o.oauth !== undefined && { oauth: o.oauth }) });
  assert.ok('definition' in parsed, JSON.stringify(parsed));
  const def = parsed.definition as HttpDefinition;
  const store = new MemoryCredentialStore();
  const ui = o.ui ?? consentUi();
  const log = memoryLog();
  const host: AuthHost = { store, ui, signInOnDemand: o.onDemand ?? true, callbackTimeoutMs: o.callbackTimeoutMs ?? 60_000 };
  const connect = (h: AuthHost = host) => {
    const c = new ServerConnection(def, { auth: h, logger: log, timing: { backoffBaseMs: 1 } });
    cleanup.push(() => c.dispose());
    return c;
  };
  return { as, rs, def, store, host, ui, log, connect };
}

async function echo(conn: ServerConnection, text = 'hi'): Promise<string> {
  const r = await conn.callTool('echo', { message: text });
  return (r.content as Array<{ text: string }>)[0]!.text;
}

async function rejects(p: Promise<unknown>): Promise<ServerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ServerError, `expected a ServerError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

/** Whether something listens on the port (the loopback listener must be gone after a sign-in). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function assertNoSecrets(s: Setup, texts: string[]): Promise<void> {
  const creds = await s.store.read('svc');
  const secrets = Object.values(creds?.issuers ?? {}).flatMap((e) => [e.tokens?.access_token, e.tokens?.refresh_token]);
  assert.ok(secrets.length > 0);
  for (const t of texts) for (const sec of secrets) if (sec) assert.ok(!t.includes(sec), 'a token reached a log or message');
}

describe('OAuth sign-in (core)', function () {
  this.timeout(60_000);

  for (const era of ['modern', 'legacy'] as const) {
    it(`a 401 signs in on demand, then calls work (${era} era), and the token goes only to the resource`, async () => {
      const s = await setup({ upstream: era === 'modern' ? modern : legacy });
      const conn = s.connect();
      assert.equal(await echo(conn), 'Echo: hi');
      assert.equal(conn.info?.era, era);
      assert.equal(s.ui.opened.length, 1);
      const authz = s.ui.opened[0]!;
      assert.equal(authz.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authz.searchParams.get('state'));
      assert.equal(authz.searchParams.get('resource'), s.rs.resource);
      // Scope: the resource's scopes_supported (no challenge scope), plus offline_access (the AS supports it).
      assert.equal(authz.searchParams.get('scope'), 'mcp:read mcp:write offline_access');
      const token = s.as.events.token.find((t) => t.grantType === 'authorization_code');
      assert.equal(token?.resource, s.rs.resource);
      // DCR, as a native application, since nothing is configured and the AS has no metadata document for us.
      assert.equal(s.as.events.register.length, 1);
      assert.equal(s.as.events.register[0]!.application_type, 'native');
      const status = await authStatus(s.def, s.host);
      assert.equal(status.signedIn, true);
      assert.equal(status.issuer, s.as.issuer);
      await assertNoSecrets(s, s.log.lines);
    });
  }

  it('over SSE too', async () => {
    const s = await setup({ upstream: sse, type: 'sse' });
    const conn = s.connect();
    assert.equal(await echo(conn), 'Echo: hi');
    assert.equal(s.ui.opened.length, 1);
    assert.equal(s.ui.opened[0]!.searchParams.get('resource'), s.rs.resource);
    // The GET stream and the POSTs to /messages both carried the token.
    assert.ok(s.rs.seenAuthorization.filter((h) => h.startsWith('Bearer ')).length >= 2);
  });

  it('the time spent in the browser does not count against startupTimeoutMs', async () => {
    const slow = consentUi();
    const ui: ReturnType<typeof consentUi> = {
      ...slow,
      // A person takes longer to sign in than the handshake may take.
      openAuthorizationUrl: (url, info) => new Promise((r) => setTimeout(r, 5000)).then(() => slow.openAuthorizationUrl(url, info)),
    };
    const s = await setup({ ui });
    const def = { ...s.def, startupTimeoutMs: 3000 };
    const conn = new ServerConnection(def, { auth: s.host, logger: s.log });
    cleanup.push(() => conn.dispose());
    assert.equal(await echo(conn), 'Echo: hi');
    assert.equal(slow.opened.length, 1);
  });

  it('without on-demand sign-in a 401 is a typed "sign-in required" failure; signIn() then fixes it', async () => {
    const s = await setup({ onDemand: false });
    const conn = s.connect();
    const e = await rejects(conn.start());
    assert.ok(isSignInRequired(e), e.message);
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /^svc: needs sign-in: .*mcp-manager login svc/);
    const state = conn.state;
    assert.equal(state.kind, 'error');
    assert.equal(state.kind === 'error' && state.signInRequired, true);
    assert.equal(s.ui.opened.length, 0, 'no browser without the person acting');
    await signIn(s.def, s.host);
    await conn.restart();
    assert.equal(await echo(conn), 'Echo: hi');
  });

  it('refreshes an expired token transparently', async () => {
    const s = await setup();
    await signIn(s.def, s.host);
    const creds = (await s.store.read('svc'))!;
    const entry = creds.issuers[s.as.issuer]!;
    const refreshToken = entry.tokens!.refresh_token!;
    // The resource no longer accepts the access token (as when it expired); the refresh token is still good.
    await s.store.write('svc', {
      ...creds,
      issuers: { [s.as.issuer]: { ...entry, tokens: { ...entry.tokens!, access_token: 'expired-token' } } },
    });
    const conn = s.connect({ ...s.host, signInOnDemand: false });
    assert.equal(await echo(conn), 'Echo: hi');
    const refreshed = s.as.events.token.filter((t) => t.grantType === 'refresh_token');
    assert.equal(refreshed.length, 1);
    assert.equal(refreshed[0]!.resource, s.rs.resource);
    const after = await s.store.read('svc');
    assert.notEqual(after!.issuers[s.as.issuer]!.tokens!.refresh_token, refreshToken, 'rotated');
    assert.equal(s.ui.opened.length, 1, 'no second browser sign-in');
  });

  it('a revoked sign-in returns to "sign-in required" without a retry loop; signOut revokes', async () => {
    const s = await setup({ onDemand: false });
    await signIn(s.def, s.host);
    const conn = s.connect();
    assert.equal(await echo(conn), 'Echo: hi');
    s.as.revokeAll();
    const before = s.rs.refused.length;
    const opened = s.ui.opened.length;
    const e = await rejects(echo(conn));
    assert.ok(isSignInRequired(e), e.message);
    assert.match(e.message, /no longer accepted/);
    // One refused request, no loop (a notifications/cancelled for it may follow).
    assert.deepEqual(
      s.rs.refused.slice(before).filter((r) => !r.method?.startsWith('notifications/')),
      [{ status: 401, path: '/mcp', method: 'tools/call' }],
    );
    assert.equal(conn.state.kind === 'error' && conn.state.signInRequired, true, JSON.stringify(conn.state));
    const again = await rejects(echo(conn));
    assert.ok(isSignInRequired(again));
    assert.equal(s.ui.opened.length, opened, 'never a browser without on-demand sign-in');
    // Sign in again, then out: the AS gets both tokens revoked and the store forgets them.
    await signIn(s.def, s.host);
    const out = await signOut(s.def, s.host);
    assert.deepEqual(out, { revoked: true, signedIn: true });
    assert.deepEqual(s.as.events.revoke.sort(), ['access_token', 'refresh_token']);
    assert.equal((await authStatus(s.def, s.host)).signedIn, false);
    const creds = await s.store.read('svc');
    assert.ok(creds!.issuers[s.as.issuer]!.client, 'the registration is kept');
  });
});

/** A plain HTTP server on 127.0.0.1 for the test's own needs (metadata documents, redirect targets). */
async function web(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, origin: string) => void) {
  const http = await import('node:http');
  let origin = '';
  const server = http.createServer((req, res) => handler(req, res, origin));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  cleanup.push(() => new Promise((r) => (server.closeAllConnections(), server.close(r))));
  return origin;
}

/** The fixture's HTML escaping (&#N;) undone. */
function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

describe('OAuth discovery, client identity and scopes', function () {
  this.timeout(60_000);

  for (const discovery of ['oauth', 'oidc-insert', 'oidc-append'] as const) {
    it(`finds an issuer with a path through ${discovery} discovery`, async () => {
      const s = await setup({ asPath: '/tenant1', as: { discovery } });
      await signIn(s.def, s.host);
      const wanted = {
        oauth: '/.well-known/oauth-authorization-server/tenant1',
        'oidc-insert': '/.well-known/openid-configuration/tenant1',
        'oidc-append': '/tenant1/.well-known/openid-configuration',
      }[discovery];
      assert.equal(s.as.events.metadataFetches.at(-1), wanted);
      assert.equal((await authStatus(s.def, s.host)).issuer, `${s.as.origin}/tenant1`);
    });
  }

  for (const at of ['path', 'root'] as const) {
    it(`finds protected resource metadata at the ${at} well-known URL when the 401 does not name it`, async () => {
      const s = await setup({ rs: { metadataAt: at, advertiseMetadata: false } });
      assert.equal(await echo(s.connect()), 'Echo: hi');
    });
  }

  it('a pre-registered client is used as configured, with each token endpoint auth method', async () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'none'] as const) {
      const s = await setup({ as: { authMethods: [method] } });
      s.as.addClient({
        clientId: `pre-${method}`,
        ...(method !== 'none' && { clientSecret: `secret-${method}` }),
        redirectUris: ['http://127.0.0.1/callback'],
        authMethod: method,
      });
      const parsed = parseServer('svc', {
        type: 'http',
        url: s.rs.url,
        oauth: { clientId: `pre-${method}`, ...(method !== 'none' && { clientSecret: `secret-${method}` }) },
      });
      assert.ok('definition' in parsed);
      await signIn(parsed.definition as HttpDefinition, s.host);
      assert.equal(s.as.events.register.length, 0, 'no DCR with a configured client');
      assert.deepEqual(
        s.as.events.token.map((t) => [t.clientId, t.method]),
        [[`pre-${method}`, method]],
      );
      const stored = JSON.stringify(await s.store.read('svc'));
      assert.ok(!stored.includes(`secret-${method}`), 'the configured secret is not copied into the store');
      await s.as.close();
    }
  });

  it("a clientSecret from an ${input:} is resolved for signIn() through the host's resolver", async () => {
    const s = await setup({ as: { authMethods: ['client_secret_post'] } });
    s.as.addClient({
      clientId: 'pre',
      clientSecret: 'from-input',
      redirectUris: ['http://127.0.0.1/callback'],
      authMethod: 'client_secret_post',
    });
    const parsed = parseServer('svc', { type: 'http', url: s.rs.url, oauth: { clientId: 'pre', clientSecret: '${input:sec}' } });
    assert.ok('definition' in parsed);
    const asked: string[][] = [];
    await signIn(parsed.definition as HttpDefinition, s.host, {
      inputs: async (_server, ids) => (asked.push([...ids]), { sec: 'from-input' }),
    });
    assert.deepEqual(asked, [['sec']]);
    assert.deepEqual(
      s.as.events.token.map((t) => [t.clientId, t.method]),
      [['pre', 'client_secret_post']],
    );
  });

  it('a Client ID Metadata Document URL is the client_id when the server supports them; DCR otherwise', async () => {
    let docUrl = '';
    const origin = await web((_req, res, o) => {
      docUrl = `${o}/client.json`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          client_id: `${o}/client.json`,
          client_name: 'MCP Manager',
          redirect_uris: ['http://127.0.0.1/callback'],
          token_endpoint_auth_method: 'none',
        }),
      );
    });
    docUrl = `${origin}/client.json`;
    const s = await setup({ oauth: { clientMetadataUrl: docUrl } });
    await signIn(s.def, s.host);
    assert.equal(s.ui.opened[0]!.searchParams.get('client_id'), docUrl);
    assert.deepEqual(s.as.events.cimdFetches, [docUrl, docUrl]);
    assert.equal(s.as.events.register.length, 0);
    // The same configuration against a server without metadata-document support registers instead.
    const t = await setup({ oauth: { clientMetadataUrl: docUrl }, as: { cimd: false } });
    await signIn(t.def, t.host);
    assert.equal(t.as.events.register.length, 1);
    assert.notEqual(t.ui.opened[0]!.searchParams.get('client_id'), docUrl);
  });

  it('scopes: the challenge scope first, else the configured ones; offline_access only when the server offers it', async () => {
    const a = await setup({ rs: { challengeScope: 'mcp:read' } });
    await echo(a.connect());
    assert.equal(a.ui.opened[0]!.searchParams.get('scope'), 'mcp:read offline_access');
    const b = await setup({ oauth: { scopes: ['mcp:write'] }, rs: { challengeScope: 'mcp:read' } });
    await echo(b.connect());
    assert.equal(b.ui.opened[0]!.searchParams.get('scope'), 'mcp:write offline_access');
    const c = await setup({ as: { scopesSupported: ['mcp:read', 'mcp:write'] } });
    await echo(c.connect());
    assert.equal(c.ui.opened[0]!.searchParams.get('scope'), 'mcp:read mcp:write');
    const d = await setup({ rs: { scopesSupported: undefined } });
    await echo(d.connect());
    assert.equal(d.ui.opened[0]!.searchParams.get('scope'), null);
  });

  it('403 insufficient_scope steps up with the union of scopes, then works', async () => {
    const s = await setup({ rs: { challengeScope: 'mcp:read', toolScopes: { echo: ['mcp:write'] } } });
    const conn = s.connect();
    assert.equal(await echo(conn), 'Echo: hi');
    assert.equal(s.ui.opened.length, 2);
    assert.deepEqual(s.ui.opened[1]!.searchParams.get('scope')!.split(' ').sort(), ['mcp:read', 'mcp:write', 'offline_access']);
  });

  it('step-up stops at its limit with a clear error', async () => {
    const s = await setup({ rs: { alwaysInsufficient: true } });
    const e = await rejects(echo(s.connect()));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /still refuses with insufficient_scope after 2 sign-ins with more scopes/);
    assert.equal(s.ui.opened.length, 3, 'the first sign-in and two step-ups');
  });

  it('without on-demand sign-in, a step-up is "sign-in required" naming the scope', async () => {
    const s = await setup({ onDemand: false, rs: { toolScopes: { echo: ['mcp:admin'] } } });
    s.as.knobs.scopesSupported.push('mcp:admin');
    await signIn(s.def, s.host);
    const e = await rejects(echo(s.connect()));
    assert.ok(isSignInRequired(e), e.message);
    assert.match(e.message, /needs more permissions \(scope "mcp:admin"\)/);
  });

  it('the consent page (for browser tests): its Allow button posts the consent and redirects to the listener', async () => {
    const statuses: number[] = [];
    const ui: ReturnType<typeof consentUi> = {
      opened: [],
      delivered: statuses,
      async openAuthorizationUrl(url) {
        const page = await fetch(url);
        const html = await page.text();
        assert.match(html, /<button id="allow" type="submit">Allow<\/button>/);
        const form = new URLSearchParams(
          [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m): [string, string] => [
            unescape(m[1]!),
            unescape(m[2]!),
          ]),
        );
        const action = new URL(/<form method="post" action="([^"]*)">/.exec(html)![1]!, url);
        const posted = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
        await posted.text();
        void follow(new URL(posted.headers.get('location')!)).then((st) => statuses.push(st));
      },
    };
    const s = await setup({ as: { consent: 'page' }, ui });
    await signIn(s.def, s.host);
    assert.deepEqual(statuses, [200]);
    assert.equal((await authStatus(s.def, s.host)).signedIn, true);
  });

  it('a server that moves to another authorization server: a new registration there, the old one never shown to it', async () => {
    const s = await setup({ onDemand: true });
    const conn = s.connect();
    assert.equal(await echo(conn), 'Echo: hi');
    const first = await s.store.read('svc');
    const oldClient = first!.issuers[s.as.issuer]!.client!.client_id;
    const other = await startAuthServer();
    cleanup.push(() => other.close());
    s.rs.knobs.authServer = other;
    assert.equal(await echo(conn, 'again'), 'Echo: again');
    assert.equal(other.events.register.length, 1);
    for (const a of other.events.authorize) assert.notEqual(a.client_id, oldClient);
    for (const t of other.events.token) assert.notEqual(t.clientId, oldClient);
    const after = await s.store.read('svc');
    assert.equal(after!.issuer, other.issuer);
    assert.deepEqual(Object.keys(after!.issuers).sort(), [s.as.issuer, other.issuer].sort());
  });

  it('"oauth": false keeps the 401 explained, with no sign-in', async () => {
    const s = await setup({ oauth: false });
    const e = await rejects(s.connect().start());
    assert.equal(e.kind, 'handshake');
    assert.match(e.message, /needs sign-in: HTTP 401/);
    assert.equal(s.ui.opened.length, 0);
  });

  it('an entry with its own Authorization header keeps it: no OAuth for it', async () => {
    const seen: string[] = [];
    const origin = await web((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource"` }).end();
    });
    const parsed = parseServer('own', { type: 'http', url: `${origin}/mcp`, headers: { Authorization: 'Bearer static-token' } });
    assert.ok('definition' in parsed);
    const ui = consentUi();
    const conn = new ServerConnection(parsed.definition, { auth: { store: new MemoryCredentialStore(), ui, signInOnDemand: true } });
    cleanup.push(() => conn.dispose());
    const e = await rejects(conn.start());
    assert.equal(e.kind, 'handshake');
    assert.ok(seen.length > 0 && seen.every((h) => h === 'Bearer static-token'), JSON.stringify(seen));
    assert.equal(ui.opened.length, 0);
  });

  it('tokens never follow a redirect to another origin', async () => {
    const seen: string[] = [];
    const elsewhere = await web((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(404).end();
    });
    const s = await setup();
    await signIn(s.def, s.host);
    s.rs.knobs.redirectTo = `${elsewhere}/mcp`;
    await rejects(s.connect({ ...s.host, signInOnDemand: false }).start());
    assert.ok(!seen.some((h) => /bearer/i.test(h)), `the other origin saw ${JSON.stringify(seen)}`);
  });
});

describe('OAuth issuer checks (RFC 9207, RFC 8414)', function () {
  this.timeout(60_000);

  const cases: Array<[string, Partial<AuthKnobs>, RegExp | undefined]> = [
    ['a missing iss when the server promises one', { iss: 'off', advertiseIss: true }, /had no "iss" although/],
    ['a wrong iss', { iss: 'wrong', advertiseIss: true }, /unexpected issuer/],
    ['an unexpected iss from a server that does not promise one', { iss: 'wrong', advertiseIss: false }, /unexpected issuer/],
    ['no iss from a server that does not promise one (accepted)', { iss: 'off', advertiseIss: false }, undefined],
  ];
  for (const [name, knobs, error] of cases) {
    it(`${error ? 'refuses' : 'accepts'} ${name}`, async () => {
      const s = await setup({ as: knobs });
      const r = signIn(s.def, s.host);
      if (!error) return void (await r);
      const e = await rejects(r);
      assert.equal(e.kind, 'auth');
      assert.match(e.message, error);
      assert.equal(s.as.events.token.length, 0, 'the code was not redeemed');
      assert.equal((await authStatus(s.def, s.host)).signedIn, false);
    });
  }

  it('refuses metadata whose issuer differs from the one it was fetched for', async () => {
    const s = await setup();
    s.as.knobs.metadataIssuer = `${s.as.origin}/someone-else`;
    const e = await rejects(signIn(s.def, s.host));
    assert.match(e.message, /metadata names a different issuer/);
    assert.equal(s.ui.opened.length, 0);
  });
});

describe('OAuth sign-in with an account the host already has', function () {
  this.timeout(60_000);

  /** The host's accounts: one provider for `glob`, whose account gets its tokens from the fixture AS. */
  function accounts(s: Setup, o: { glob: string; answer?: 'account' | 'browser' | 'cancel'; renew?: boolean }) {
    const requests: Array<{ scopes: readonly string[]; interactive: boolean }> = [];
    let token: string | undefined;
    const issue = (scopes: readonly string[]) =>
      (token = s.as.grant({ clientId: 'vscode-account', scope: scopes.join(' '), resource: s.rs.resource }));
    const host: HostAccounts = {
      providerFor: (as) => bestAccountProvider([{ id: 'test-account', label: 'Test', authorizationServerGlobs: [o.glob] }], as),
      token: async (r) => {
        requests.push({ scopes: r.scopes, interactive: r.interactive });
        if (r.interactive) {
          if (o.answer === 'browser') return 'browser';
          if (o.answer === 'cancel') return undefined;
          return { accessToken: issue(r.scopes), account: 'octocat' };
        }
        // Not interactive: the provider's session, renewed when it can be (a new token), else the old one.
        return token ? { accessToken: o.renew ? issue(r.scopes) : token, account: 'octocat' } : undefined;
      },
    };
    return { host, requests };
  }

  for (const era of ['modern', 'legacy'] as const) {
    it(`signs in with the account instead of the browser (${era} era), and the status names it`, async () => {
      const s = await setup({ upstream: era === 'modern' ? modern : legacy, asPath: '/accounts', onDemand: false });
      const a = accounts(s, { glob: 'http://127.0.0.1:*/accounts' });
      const host: AuthHost = { ...s.host, accounts: a.host };
      const r = await signIn(s.def, host, { log: s.log });
      assert.deepEqual(r.account, { label: 'Test', name: 'octocat' });
      assert.equal(s.ui.opened.length, 0, 'no browser');
      assert.equal(s.as.events.register.length, 0, 'no registration');
      // The resource's scopes, without offline_access: the provider renews its own sessions.
      assert.deepEqual(a.requests, [{ scopes: ['mcp:read', 'mcp:write'], interactive: true }]);
      const conn = s.connect(host);
      assert.equal(await echo(conn), 'Echo: hi');
      assert.equal(conn.info?.era, era);
      const status = await authStatus(s.def, host);
      assert.deepEqual(status.account, { label: 'Test', name: 'octocat' });
      assert.equal(status.issuer, s.as.issuer);
      await assertNoSecrets(s, s.log.lines);
    });
  }

  it('a rejected token is renewed from the account without a prompt; when it cannot be, sign-in is required', async () => {
    const s = await setup({ asPath: '/accounts', onDemand: false });
    const renewing = accounts(s, { glob: 'http://127.0.0.1:*/accounts', renew: true });
    const host: AuthHost = { ...s.host, accounts: renewing.host };
    await signIn(s.def, host, { log: s.log });
    const conn = s.connect(host);
    assert.equal(await echo(conn), 'Echo: hi');
    s.as.revokeAll();
    await conn.restart();
    assert.equal(await echo(conn, 'again'), 'Echo: again');
    assert.deepEqual(
      renewing.requests.map((r) => r.interactive),
      [true, false],
    );
    assert.equal(s.ui.opened.length, 0);

    // The provider has nothing newer: the server needs a sign-in, and nothing loops.
    const stale = accounts(s, { glob: 'http://127.0.0.1:*/accounts' });
    const host2: AuthHost = { ...s.host, accounts: stale.host };
    await signIn(s.def, host2, { log: s.log });
    s.as.revokeAll();
    const conn2 = s.connect(host2);
    const e = await rejects(conn2.start());
    assert.ok(isSignInRequired(e), e.message);
    assert.equal(stale.requests.filter((r) => !r.interactive).length, 1);
  });

  it('"browser" falls back to the usual sign-in; a cancel cancels; another authorization server is not offered the account', async () => {
    const s = await setup({ asPath: '/accounts', onDemand: false });
    const browser = accounts(s, { glob: 'http://127.0.0.1:*/accounts', answer: 'browser' });
    const r = await signIn(s.def, { ...s.host, accounts: browser.host }, { log: s.log });
    assert.equal(r.account, undefined);
    assert.equal(s.ui.opened.length, 1);
    assert.equal((await authStatus(s.def, s.host)).account, undefined);

    const cancel = accounts(s, { glob: 'http://127.0.0.1:*/accounts', answer: 'cancel' });
    const e = await rejects(signIn(s.def, { ...s.host, accounts: cancel.host }, { log: s.log }));
    assert.equal(e.kind, 'cancelled');

    const elsewhere = accounts(s, { glob: 'http://127.0.0.1:*/other' });
    await signIn(s.def, { ...s.host, accounts: elsewhere.host }, { log: s.log });
    assert.equal(elsewhere.requests.length, 0);
    assert.equal(s.ui.opened.length, 2);
  });

  it("sign-out forgets the account token without revoking it (the account is the host's)", async () => {
    const s = await setup({ asPath: '/accounts', onDemand: false });
    const a = accounts(s, { glob: 'http://127.0.0.1:*/accounts' });
    const host: AuthHost = { ...s.host, accounts: a.host };
    await signIn(s.def, host, { log: s.log });
    const r = await signOut(s.def, host, { log: s.log });
    assert.deepEqual(r, { revoked: false, signedIn: true });
    assert.deepEqual(s.as.events.revoke, []);
    assert.equal((await authStatus(s.def, host)).signedIn, false);
  });
});

describe('OAuth sign-in reliability', function () {
  this.timeout(60_000);

  const redirectPort = (s: Setup) => Number(new URL(s.ui.opened[0]!.searchParams.get('redirect_uri')!).port);

  it('a callback that never arrives times out, and nothing is left listening', async () => {
    const s = await setup({ ui: consentUi('never'), callbackTimeoutMs: 300 });
    const e = await rejects(signIn(s.def, s.host));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /sign-in did not finish: no answer from the browser within 300 ms\. Try again\./);
    assert.equal(await listening(redirectPort(s)), false);
  });

  it('cancelling the wait ends the sign-in, and nothing is left listening', async () => {
    const s = await setup({ ui: consentUi('never') });
    const abort = new AbortController();
    const r = signIn(s.def, s.host, { signal: abort.signal });
    await waitFor(() => s.ui.opened.length === 1, 'the authorization URL');
    assert.equal(await listening(redirectPort(s)), true);
    abort.abort();
    const e = await rejects(r);
    assert.equal(e.kind, 'cancelled');
    assert.equal(await listening(redirectPort(s)), false);
  });

  it('stopping the server ends a sign-in that waits for the browser, and nothing is left listening', async () => {
    const s = await setup({ ui: consentUi('never') });
    const conn = s.connect();
    const call = echo(conn).then(
      () => assert.fail('the call went through without a sign-in'),
      (e: unknown) => e,
    );
    await waitFor(() => s.ui.opened.length === 1, 'the authorization URL');
    assert.equal(await listening(redirectPort(s)), true);
    await conn.stop();
    const e = await call;
    assert.ok(e instanceof ServerError && e.kind === 'cancelled', String(e));
    assert.equal(await listening(redirectPort(s)), false);
    assert.equal(conn.state.kind, 'stopped', 'stopped, not failed');
  });

  it('a callback with the wrong state is refused and does not sign in', async () => {
    const s = await setup({ ui: consentUi('wrong-state'), callbackTimeoutMs: 2000 });
    const e = await rejects(signIn(s.def, s.host));
    assert.deepEqual(s.ui.delivered, [400]);
    assert.match(e.message, /no answer from the browser/);
    assert.equal(s.as.events.token.length, 0);
    assert.equal(await listening(redirectPort(s)), false);
  });

  it('a token endpoint that answers 500: a clear error', async () => {
    const s = await setup({ as: { tokenError500: true } });
    const e = await rejects(signIn(s.def, s.host));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /^svc: the authorization server is failing \(server_error: .*\)\. Try again later\.$/);
    assert.equal(await listening(redirectPort(s)), false);
  });

  it('an authorization server that is down: a clear error, during sign-in and on connect', async () => {
    const s = await setup();
    await s.as.close();
    const e = await rejects(signIn(s.def, s.host));
    assert.match(e.message, /^svc: cannot reach the authorization server: .*Check that it is up, then sign in again\.$/);
    const c = await rejects(s.connect().start());
    assert.equal(c.kind, 'auth');
    assert.match(c.message, /cannot reach the authorization server/);
  });
});
