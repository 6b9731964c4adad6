// The pure parts of OAuth sign-in: the `oauth` configuration key, how the SDK provider keeps
// registrations and tokens per issuer, the CLI's credentials file and browser choice. The flows
// themselves run against real servers in test/servers/oauth*.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  MemoryCredentialStore,
  bestAccountProvider,
  matchesAuthorizationServer,
  parseServer,
  SignInRequiredError,
  isSignInRequired,
  ServerError,
  type HttpDefinition,
} from '../../src/core';
import { isMetadataDocumentUrl } from '../../src/core/config/schema';
import { StoreProvider, NoRegistrationError } from '../../src/core/auth/provider';
import { FileCredentialStore, credentialsDir } from '../../src/cli/credentials';
import { browserCommand } from '../../src/cli/signIn';
import { formatError } from '../../src/cli/errors';

const URL_ = 'https://mcp.example.com/mcp';

function issues(oauth: unknown) {
  const r = parseServer('s', { type: 'http', url: URL_, oauth });
  return 'issues' in r ? r.issues.map((i) => `${i.field}: ${i.message}`) : [];
}

describe('oauth configuration', () => {
  it('accepts the documented keys and false', () => {
    const r = parseServer('s', {
      type: 'http',
      url: URL_,
      oauth: {
        clientId: 'abc',
        clientSecret: '${input:secret}',
        clientMetadataUrl: 'https://app.example.com/client.json',
        scopes: ['repo', 'read:user'],
        redirectPort: 33418,
      },
    });
    assert.ok('definition' in r);
    const def = r.definition as HttpDefinition;
    assert.deepEqual(def.oauth, {
      clientId: 'abc',
      clientSecret: '${input:secret}',
      clientMetadataUrl: 'https://app.example.com/client.json',
      scopes: ['repo', 'read:user'],
      redirectPort: 33418,
    });
    assert.deepEqual(def.inputs, ['secret']);
    const off = parseServer('s', { type: 'sse', url: URL_, oauth: false });
    assert.ok('definition' in off && (off.definition as HttpDefinition).oauth === false);
  });

  it('names the field of each mistake', () => {
    assert.deepEqual(issues(true), [
      'oauth: expected an object (clientId, clientSecret, clientMetadataUrl, scopes, redirectPort) or false, got boolean true',
    ]);
    assert.deepEqual(issues({ clientID: 'x' }), ['oauth.clientID: unknown key "clientID" (did you mean "clientId"?)']);
    assert.deepEqual(issues({ clientSecret: 'x' }), [
      'oauth.clientSecret: a clientSecret needs the clientId it belongs to: add "clientId"',
    ]);
    assert.deepEqual(issues({ clientId: '' }), ['oauth.clientId: expected a non-empty string, got the string ""']);
    assert.deepEqual(issues({ scopes: 'repo' }), ['oauth.scopes: expected a list of scope names, got the string "repo"']);
    assert.deepEqual(issues({ scopes: ['ok', 'two words'] }), [
      'oauth.scopes.1: expected a scope name (no spaces or quotes), got the string "two words"',
    ]);
    assert.deepEqual(issues({ redirectPort: 70000 }), ['oauth.redirectPort: expected a port number from 1 to 65535, got number 70000']);
    assert.match(
      issues({ clientMetadataUrl: 'http://app.example.com/c.json' })[0]!,
      /^oauth\.clientMetadataUrl: must be an https:\/\/ URL with a path/,
    );
  });

  it('is for http/sse servers only', () => {
    const r = parseServer('s', { command: 'node', oauth: {} });
    assert.ok('issues' in r);
    assert.equal(r.issues[0]!.message, '"oauth" applies only to http/sse servers (with "url"), not to stdio servers');
  });

  it('metadata document URLs: https with a path; http only on loopback', () => {
    assert.equal(isMetadataDocumentUrl('https://a.example/client.json'), true);
    assert.equal(isMetadataDocumentUrl('https://a.example/'), false);
    assert.equal(isMetadataDocumentUrl('http://127.0.0.1:8080/c.json'), true);
    assert.equal(isMetadataDocumentUrl('http://a.example/c.json'), false);
    assert.equal(isMetadataDocumentUrl('not a url'), false);
  });
});

describe('oauth provider over a credential store', () => {
  const ISS_A = 'https://as-a.example';
  const ISS_B = 'https://as-b.example';
  const provider = (store: MemoryCredentialStore, config = {}, interactive = true) =>
    new StoreProvider({
      server: 's',
      serverUrl: 'https://mcp.example.com/mcp',
      store,
      config,
      redirectUrl: 'http://127.0.0.1:5000/callback',
      clientName: 'Test',
      interactive,
    });

  it('keeps registrations and tokens per issuer, never showing one issuer another one’s', async () => {
    const store = new MemoryCredentialStore();
    const p = provider(store);
    await p.saveClientInformation({ client_id: 'reg-a', redirect_uris: ['http://127.0.0.1:5000/callback'] } as never, { issuer: ISS_A });
    p.saveResourceUrl('https://mcp.example.com/mcp');
    await p.saveTokens({ access_token: 'tok-a', token_type: 'Bearer', expires_in: 60 }, { issuer: ISS_A });
    assert.equal((await p.clientInformation({ issuer: ISS_A }))?.client_id, 'reg-a');
    assert.equal(await p.clientInformation({ issuer: ISS_B }), undefined);
    assert.equal((await p.tokens({ issuer: ISS_A }))?.access_token, 'tok-a');
    assert.equal(await p.tokens({ issuer: ISS_B }), undefined);
    const stored = await store.read('s');
    assert.equal(stored?.issuer, ISS_A);
    assert.equal(stored?.issuers[ISS_A]?.tokens?.resource, 'https://mcp.example.com/mcp');
    assert.ok(stored!.issuers[ISS_A]!.tokens!.expiresAt! > Date.now());
  });

  it('a configured client comes first and its secret is never stored', async () => {
    const store = new MemoryCredentialStore();
    const p = provider(store, { clientId: 'pre', clientSecret: 'shh' });
    const info = await p.clientInformation({ issuer: ISS_A });
    assert.deepEqual(info, { client_id: 'pre', client_secret: 'shh', issuer: ISS_A });
    await p.saveClientInformation(info!, { issuer: ISS_A });
    assert.equal(await store.read('s'), undefined);
  });

  it('a dynamic registration for another redirect URI is made again at sign-in; a refresh never registers', async () => {
    const store = new MemoryCredentialStore();
    await provider(store).saveClientInformation({ client_id: 'old', redirect_uris: ['http://127.0.0.1:4000/callback'] } as never, {
      issuer: ISS_A,
    });
    assert.equal(await provider(store).clientInformation({ issuer: ISS_A }), undefined);
    assert.equal((await provider(store, {}, false).clientInformation({ issuer: ISS_A }))?.client_id, 'old');
    await assert.rejects(provider(store, {}, false).clientInformation({ issuer: ISS_B }), NoRegistrationError);
  });
});

describe('sign-in required', () => {
  it('is a ServerError of kind auth with the next step, worded for the CLI', () => {
    const e = new SignInRequiredError('my server', 'the server asks for OAuth sign-in');
    assert.ok(e instanceof ServerError && isSignInRequired(e));
    assert.equal(e.kind, 'auth');
    assert.equal(
      e.message,
      "my server: needs sign-in: the server asks for OAuth sign-in. Sign in (in the editor: Sign In on the server; in a terminal: mcp-manager login 'my server').",
    );
    assert.equal(
      formatError(e),
      `mcp-manager: my server: needs sign-in: the server asks for OAuth sign-in. Run "mcp-manager login 'my server'" to sign in.`,
    );
    assert.equal(isSignInRequired(new ServerError('s', 'handshake', 'x')), false);
  });
});

describe('cli credentials and browser', () => {
  it('stores credentials in $XDG_CONFIG_HOME/mcp-manager (default ~/.config), mode 0600', async () => {
    assert.equal(credentialsDir({ XDG_CONFIG_HOME: '/x/cfg' }), path.join('/x/cfg', 'mcp-manager'));
    assert.equal(credentialsDir({ XDG_CONFIG_HOME: 'relative' }), path.join(os.homedir(), '.config', 'mcp-manager'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-cred-'));
    try {
      const store = new FileCredentialStore(path.join(dir, 'mcp-manager'));
      assert.equal(await store.read('a'), undefined);
      await store.write('a', { issuer: 'i', issuers: { i: { client: { client_id: 'c' } } } });
      await store.write('b', { issuers: {} });
      assert.equal((await store.read('a'))?.issuers.i?.client?.client_id, 'c');
      assert.equal(fs.statSync(store.file).mode & 0o777, 0o600);
      await store.write('a', undefined);
      assert.equal(await store.read('a'), undefined);
      assert.deepEqual(await store.read('b'), { issuers: {} });
      fs.writeFileSync(store.file, 'not json');
      assert.equal(await store.read('b'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens $BROWSER, else the desktop opener when there is a display, else nothing', () => {
    assert.deepEqual(browserCommand({ BROWSER: 'firefox --new-tab' }, 'linux'), ['firefox', '--new-tab']);
    assert.deepEqual(browserCommand({ BROWSER: ':w3m:lynx' }, 'linux'), ['w3m']);
    assert.equal(browserCommand({ BROWSER: '', DISPLAY: '' }, 'linux'), undefined);
    assert.deepEqual(browserCommand({}, 'darwin'), ['open']);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bin-'));
    try {
      fs.writeFileSync(path.join(bin, 'xdg-open'), '#!/bin/sh\n', { mode: 0o755 });
      assert.deepEqual(browserCommand({ DISPLAY: ':0', PATH: bin }, 'linux'), ['xdg-open']);
      assert.equal(browserCommand({ PATH: bin }, 'linux'), undefined, 'no display: no desktop browser');
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('account providers for authorization servers (authorizationServerGlobs)', () => {
  const vscodeProviders = [
    // As VS Code's built-in github-authentication and microsoft-authentication declare them.
    { id: 'github', label: 'GitHub', authorizationServerGlobs: ['https://github.com/login/oauth'] },
    { id: 'github-enterprise', label: 'GitHub Enterprise Server', authorizationServerGlobs: ['*'] },
    {
      id: 'microsoft',
      label: 'Microsoft',
      authorizationServerGlobs: ['https://login.microsoftonline.com/*', 'https://login.microsoftonline.com/*/v2.0'],
    },
  ];

  it('finds GitHub and Microsoft by their globs, case and trailing "/" aside', () => {
    assert.equal(bestAccountProvider(vscodeProviders, 'https://github.com/login/oauth')?.id, 'github');
    assert.equal(bestAccountProvider(vscodeProviders, 'https://GitHub.com/login/oauth/')?.id, 'github');
    assert.equal(bestAccountProvider(vscodeProviders, 'https://login.microsoftonline.com/common')?.id, 'microsoft');
    assert.equal(bestAccountProvider(vscodeProviders, 'https://login.microsoftonline.com/72f988bf/v2.0')?.id, 'microsoft');
  });

  it('offers no account for other servers, nor through a glob that matches every server', () => {
    assert.equal(bestAccountProvider(vscodeProviders, 'https://auth.example.com'), undefined);
    assert.equal(bestAccountProvider(vscodeProviders, 'https://github.com/login/oauth/evil'), undefined);
    assert.equal(bestAccountProvider(vscodeProviders, 'https://github.com.evil.example/login/oauth'), undefined);
    assert.equal(bestAccountProvider(vscodeProviders, 'https://login.microsoftonline.com/a/b/v2.0'), undefined);
  });

  it('"*" stays within a path segment, "**" does not; other characters are literal', () => {
    assert.equal(matchesAuthorizationServer('http://127.0.0.1:*/accounts', 'http://127.0.0.1:4000/accounts'), true);
    assert.equal(matchesAuthorizationServer('http://127.0.0.1:*/accounts', 'http://127.0.0.1:4000/x/accounts'), false);
    assert.equal(matchesAuthorizationServer('https://idp.example/**', 'https://idp.example/t/1/oauth'), true);
    assert.equal(matchesAuthorizationServer('https://a.example/x.y', 'https://a.example/xzy'), false);
  });
});
