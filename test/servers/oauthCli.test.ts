// `mcp-manager login` / `logout` and sign-in on a 401 in the built CLI (dist/cli.js), against the
// fixture authorization server and a protected server on 127.0.0.1 (test/fixtures/oauth). The
// browser is test/fixtures/oauth/consent.mjs through $BROWSER, as a person's browser would be.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ERAS, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { buildCli, runCli } from './runCli';
import { CONSENT_SCRIPT, startAuthServer, startProtectedServer, type AuthServer, type ProtectedServer } from '../fixtures/oauth';

describe('cli: OAuth sign-in (dist/cli.js)', function () {
  this.timeout(120_000);
  let upstream: StartedServer;
  let as: AuthServer;
  let rs: ProtectedServer;
  let tmp: string;
  let config: string;

  before(async function () {
    this.timeout(60_000);
    buildCli();
    upstream = await startHttpFixture(['--http', '--era', 'both'], { script: ERAS.modern });
    as = await startAuthServer();
    rs = await startProtectedServer({ upstream: upstream.url, authServer: as });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-oauth-cli-'));
    config = path.join(tmp, 'mcp.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ servers: { svc: { type: 'http', url: rs.url }, local: { command: NODE, args: ['-e', ''] } } }, null, 2),
    );
  });

  after(async () => {
    await rs?.close();
    await as?.close();
    await upstream?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the CLI with its own credentials directory and no browser unless `browser` is given. */
  function cli(args: string[], o: { home: string; browser?: string; env?: NodeJS.ProcessEnv }) {
    return runCli([...args, '--config', config], {
      cwd: tmp,
      env: { XDG_CONFIG_HOME: o.home, BROWSER: o.browser ?? '', DISPLAY: '', WAYLAND_DISPLAY: '', ...o.env },
      timeoutMs: 60_000,
    });
  }

  const consent = `${JSON.stringify(NODE)} ${JSON.stringify(CONSENT_SCRIPT)}`;
  const home = (name: string) => path.join(tmp, name);
  const credentialsFile = (h: string) => path.join(h, 'mcp-manager', 'credentials.json');

  function tokensIn(h: string): string[] {
    const data = JSON.parse(fs.readFileSync(credentialsFile(h), 'utf8')) as {
      servers: Record<string, { issuers: Record<string, { tokens?: { access_token: string; refresh_token?: string } }> }>;
    };
    return Object.values(data.servers).flatMap((s) =>
      Object.values(s.issuers).flatMap((e) => [e.tokens?.access_token, e.tokens?.refresh_token].filter((t): t is string => !!t)),
    );
  }

  it('without a browser or terminal a 401 exits 3 saying to run mcp-manager login', async () => {
    const r = await cli(['call', 'svc', 'echo', '{"message":"hi"}'], { home: home('none') });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      r.stderr.trim(),
      'mcp-manager: svc: needs sign-in: the server asks for OAuth sign-in. Run "mcp-manager login svc" to sign in.',
    );
    assert.equal(fs.existsSync(credentialsFile(home('none'))), false);
  });

  it('login signs in through $BROWSER into a 0600 file; later commands use it; logout revokes', async () => {
    const h = home('login');
    const login = await cli(['login', 'svc'], { home: h, browser: consent });
    assert.equal(login.code, 0, login.stderr);
    assert.match(
      login.stdout,
      new RegExp(`^Signed in to svc at ${as.issuer} \\(scope: mcp:read mcp:write offline_access\\), until \\d{4}-`),
    );
    assert.match(login.stderr, /sign in at .* \(opening your browser\):\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
    const file = credentialsFile(h);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    const tokens = tokensIn(h);
    assert.equal(tokens.length, 2);
    for (const t of tokens) assert.ok(!login.stdout.includes(t) && !login.stderr.includes(t), 'a token was printed');

    // No browser now: the stored token is enough.
    const call = await cli(['call', 'svc', 'echo', '{"message":"hi"}', '--verbose'], { home: h });
    assert.equal(call.code, 0, call.stderr);
    assert.equal(call.stdout.trim(), 'Echo: hi');
    for (const t of tokens) assert.ok(!call.stderr.includes(t), 'a token reached the verbose log');

    const out = await cli(['logout', 'svc'], { home: h });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'Signed out of svc (tokens revoked at the authorization server).\n');
    assert.deepEqual(tokensIn(h), []);
    const again = await cli(['logout', 'svc'], { home: h });
    assert.equal(again.stdout, 'svc was not signed in.\n');
    const refused = await cli(['tools', 'svc'], { home: h });
    assert.equal(refused.code, 3);
  });

  it('with $BROWSER set, a 401 during any command signs in by itself', async () => {
    const r = await cli(['call', 'svc', 'echo', '{"message":"auto"}'], { home: home('auto'), browser: consent });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Echo: auto');
    assert.match(r.stderr, /svc: sign in at /);
    assert.equal(tokensIn(home('auto')).length, 2);
  });

  it('a browser that never answers: login gives up after the timeout, exit 3', async () => {
    const silent = `${JSON.stringify(NODE)} -e ""`;
    const r = await cli(['login', 'svc'], { home: home('silent'), browser: silent, env: { MCP_MANAGER_SIGNIN_TIMEOUT_MS: '500' } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr.trim().split('\n').at(-1)!,
      /^mcp-manager: svc: sign-in did not finish: no answer from the browser within 500 ms\. Try again\.$/,
    );
  });

  it('login names what is wrong with servers that cannot sign in', async () => {
    const r = await cli(['login', 'local'], { home: home('x') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^mcp-manager: local: is a stdio server; only http and sse servers sign in \(OAuth\)\.\n$/);
  });
});
