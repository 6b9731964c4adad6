// OAuth for one configured http/sse server: the access token to send, what to do on a 401 (refresh,
// or sign in, or fail with SignInRequiredError) and on a 403 insufficient_scope (step up), sign-in
// and sign-out. The protocol work is the SDK's `auth()` (discovery, issuer checks, registration,
// PKCE, token requests); this file decides when, and keeps the loopback listener and the store.
import {
  auth,
  checkResourceAllowed,
  computeScopeUnion,
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  IssuerMismatchError,
  OAuthError,
  resourceUrlFromServerUrl,
} from '@modelcontextprotocol/client';
import type { HttpDefinition, OAuthConfig } from '../config/types';
import { ServerError, errorMessage } from '../errors';
import type { Logger } from '../logger';
import { nullLogger } from '../logger';
import { CallbackError, startLoopback } from './loopback';
import { NoRegistrationError, StoreProvider } from './provider';
import { SignInRequiredError, type AccountProvider, type AccountToken, type AuthHost, type StoredTokenSet } from './types';

/** The parameters of a WWW-Authenticate Bearer challenge that matter here. */
export interface Challenge {
  readonly resourceMetadataUrl?: string;
  readonly scope?: string;
  readonly error?: string;
}

export interface SignInOptions {
  /** Cancels waiting for the browser. */
  readonly signal?: AbortSignal;
  /** Scopes to ask for (default: configured, else the challenge's, else the resource's). */
  readonly scope?: string;
  readonly challenge?: Challenge;
}

export interface SignInResult {
  readonly issuer: string;
  readonly scope?: string;
  readonly expiresAt?: number;
  /** Signed in with an account of the host (HostAccounts) instead of the browser. */
  readonly account?: { readonly label: string; readonly name: string };
}

export interface AuthStatus {
  readonly signedIn: boolean;
  readonly issuer?: string;
  readonly scope?: string;
  /** When the access token expires (ms since the epoch); a refresh token may renew it. */
  readonly expiresAt?: number;
  readonly refreshable?: boolean;
  /** Signed in with an account of the host (HostAccounts): its provider's label and the account's name. */
  readonly account?: { readonly label: string; readonly name: string };
}

const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;
/** Sign-ins one operation may cause (a first one, then wider scopes on 403 insufficient_scope) before it fails. */
export const MAX_STEP_UPS = 2;

/** Interactive sign-ins in progress, per store and server: concurrent 401s share one browser round trip. */
const signingIn = new WeakMap<object, Map<string, Promise<SignInResult>>>();

export class ServerAuth {
  private readonly config: OAuthConfig;
  private recovering?: Promise<void>;
  /** The scope asked for last (the union grows with step-ups). */
  private requestedScope?: string;
  /** Why the last 401/403 could not be fixed, for the driver's error (taken once). */
  private failure?: ServerError;

  constructor(
    readonly def: HttpDefinition,
    readonly host: AuthHost,
    private readonly log: Logger = nullLogger,
    private readonly onToken?: (token: string) => void,
  ) {
    this.config = def.oauth || {};
  }

  get server(): string {
    return this.def.name;
  }

  /** Whether requests to `url` get our token: the configured server's origin only. */
  covers(url: URL): boolean {
    return url.origin === new URL(this.def.url).origin;
  }

  /** The stored access token, when it was issued for this server's resource. */
  async accessToken(): Promise<string | undefined> {
    const t = await this.currentTokens();
    return t?.access_token;
  }

  async status(): Promise<AuthStatus> {
    const creds = await this.host.store.read(this.server);
    const t = await this.currentTokens();
    if (!t) return { signedIn: false, issuer: creds?.issuer };
    const account = t.account && { label: t.account.label, name: t.account.name };
    // An account's provider renews its token itself (asked again on a 401).
    return {
      signedIn: true,
      issuer: creds?.issuer,
      scope: t.scope,
      expiresAt: t.expiresAt,
      refreshable: !!t.refresh_token || !!account,
      account,
    };
  }

  /** Records why a 401/403 stays unfixed (the transport then fails; the driver reports this). */
  fail(e: unknown): void {
    this.failure = this.explain(e);
  }

  takeFailure(): ServerError | undefined {
    const f = this.failure;
    this.failure = undefined;
    return f;
  }

  /**
   * After a 401: refresh the token, or sign in when the host allows it during operations. Resolves
   * when a new token is stored; throws (SignInRequiredError, or a ServerError saying why signing in failed).
   */
  recover(challenge: Challenge): Promise<void> {
    this.recovering ??= this.doRecover(challenge).finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async doRecover(challenge: Challenge): Promise<void> {
    const stored = await this.currentTokens(true);
    if (stored?.account && (await this.renewFromAccount(stored))) return;
    if (stored?.refresh_token) {
      try {
        const provider = this.provider('http://127.0.0.1/callback');
        const result = await this.quietly(() =>
          auth(provider, {
            serverUrl: this.def.url,
            scope: this.scopeFor(challenge),
            resourceMetadataUrl: url(challenge.resourceMetadataUrl),
          }),
        );
        if (result === 'AUTHORIZED' && (await this.accessToken())) {
          this.log.info(`refreshed the access token (${provider.issuer})`);
          return;
        }
      } catch (e) {
        if (e instanceof NoRegistrationError) this.log.info(`the server now uses ${e.issuer}, where MCP Manager has no registration yet`);
        else if (!(e instanceof OAuthError)) throw this.explain(e);
        else this.log.info(`could not refresh the access token: ${e.code}`);
      }
    }
    // Only a person can go on. Not here, inside a timed request: the connection signs in between
    // attempts when its host allows that (AuthHost.signInOnDemand), else the host offers Sign In.
    const reason = stored ? 'the stored sign-in is no longer accepted (expired or revoked)' : 'the server asks for OAuth sign-in';
    throw this.required(reason, { challenge });
  }

  /** After a 403 insufficient_scope: a new sign-in with the union of scopes is needed (a person must consent). */
  async stepUp(challenge: Challenge): Promise<never> {
    const current = await this.currentTokens();
    const scope = computeScopeUnion(this.requestedScope, current?.scope, challenge.scope);
    throw this.required(`the server needs more permissions (scope "${challenge.scope ?? '?'}")`, { challenge, scope, stepUp: true });
  }

  private required(reason: string, o: { challenge: Challenge; scope?: string; stepUp?: boolean }): SignInRequiredError {
    return new SignInRequiredError(this.server, reason, {
      stepUp: o.stepUp,
      scope: o.scope,
      signIn: (signal) => this.signIn({ signal, challenge: o.challenge, ...(o.scope && { scope: o.scope }) }),
    });
  }

  /** Interactive sign-in: loopback listener, browser, code exchange. One at a time per server. */
  signIn(options: SignInOptions = {}): Promise<SignInResult> {
    let forStore = signingIn.get(this.host.store);
    if (!forStore) signingIn.set(this.host.store, (forStore = new Map()));
    const running = forStore.get(this.server);
    if (running) return running;
    const attempt = this.doSignIn(options).finally(() => forStore.delete(this.server));
    forStore.set(this.server, attempt);
    return attempt;
  }

  private async doSignIn(options: SignInOptions): Promise<SignInResult> {
    const viaAccount = await this.accountSignIn(options);
    if (viaAccount) return viaAccount;
    const ui = this.host.ui;
    if (!ui) throw new SignInRequiredError(this.server, 'signing in is not possible here');
    const loopback = await startLoopback({ port: this.config.redirectPort }).catch((e: unknown) => {
      throw new ServerError(this.server, 'auth', `cannot receive the sign-in: ${errorMessage(e)}`, { field: 'oauth.redirectPort' });
    });
    try {
      const redirectUrl = ui.redirectUrl ? await ui.redirectUrl(loopback.url) : loopback.url;
      const provider = this.provider(redirectUrl, true);
      const scope = options.scope ?? this.scopeFor(options.challenge ?? {});
      const common = { serverUrl: this.def.url, resourceMetadataUrl: url(options.challenge?.resourceMetadataUrl) };
      let first: 'AUTHORIZED' | 'REDIRECT';
      try {
        first = await this.quietly(() => auth(provider, { ...common, scope, forceReauthorization: true }));
      } catch (e) {
        throw this.explain(e);
      }
      if (first === 'REDIRECT') {
        const target = provider.authorizationUrl;
        const state = provider.sentState;
        if (!target || !state) throw new ServerError(this.server, 'auth', 'the sign-in could not start: no authorization URL');
        const issuer = provider.issuer ?? target.origin;
        this.requestedScope = target.searchParams.get('scope') ?? undefined;
        this.log.info(`signing in at ${issuer} (waiting for the browser on ${loopback.url})`);
        const waiting = loopback.wait(state, {
          timeoutMs: this.host.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
          signal: options.signal,
        });
        waiting.catch(() => undefined); // handled below; opening the browser may fail first
        try {
          await ui.openAuthorizationUrl(target.href, { server: this.server, issuer });
        } catch (e) {
          await loopback.close();
          throw new ServerError(this.server, 'auth', `could not show the sign-in page: ${errorMessage(e)}`);
        }
        let callback;
        try {
          callback = await waiting;
        } catch (e) {
          if (e instanceof CallbackError && e.reason === 'cancelled')
            throw new ServerError(this.server, 'cancelled', 'sign-in was cancelled');
          throw new ServerError(this.server, 'auth', `sign-in did not finish: ${errorMessage(e)}. Try again.`);
        }
        try {
          await this.quietly(() => auth(provider, { ...common, authorizationCode: callback.code, iss: callback.iss }));
        } catch (e) {
          throw this.explain(e);
        }
      }
      const t = await this.currentTokens();
      if (!t) throw new ServerError(this.server, 'auth', 'sign-in finished without a token for this server');
      this.log.info(`signed in at ${provider.issuer ?? '?'}${t.scope ? ` (scope "${t.scope}")` : ''}`);
      return { issuer: provider.issuer ?? '', scope: t.scope, expiresAt: t.expiresAt };
    } finally {
      await loopback.close();
    }
  }

  /**
   * Signing in with an account the host already has (HostAccounts), when the resource's
   * authorization server is one of its providers'. Undefined: no such account, or the person chose
   * the browser (the usual sign-in follows). Discovery failures are left to the usual sign-in,
   * which reports them.
   */
  private async accountSignIn(options: SignInOptions): Promise<SignInResult | undefined> {
    const accounts = this.host.accounts;
    if (!accounts) return undefined;
    let metadata: { authorization_servers?: string[]; scopes_supported?: string[] };
    try {
      metadata = await this.quietly(() =>
        discoverOAuthProtectedResourceMetadata(this.def.url, { resourceMetadataUrl: url(options.challenge?.resourceMetadataUrl) }),
      );
    } catch {
      return undefined;
    }
    const authorizationServer = metadata.authorization_servers?.[0];
    const provider = authorizationServer ? accounts.providerFor(authorizationServer) : undefined;
    if (!authorizationServer || !provider) return undefined;
    const scope = options.scope ?? this.scopeFor(options.challenge ?? {}) ?? metadata.scopes_supported?.join(' ');
    // The account's provider keeps its sessions fresh itself: no offline_access.
    const scopes = scope?.split(' ').filter((x) => x && x !== 'offline_access') ?? [];
    this.log.info(`${authorizationServer} is ${provider.label}'s: offering the ${provider.label} account`);
    let got: AccountToken | 'browser' | undefined;
    try {
      got = await accounts.token({ server: this.server, url: this.def.url, provider, scopes, interactive: true });
    } catch (e) {
      throw new ServerError(this.server, 'auth', `could not sign in with the ${provider.label} account: ${errorMessage(e)}`);
    }
    if (got === 'browser') return undefined;
    if (!got) throw new ServerError(this.server, 'cancelled', 'sign-in was cancelled');
    this.requestedScope = scope;
    await this.storeAccountToken(authorizationServer, provider, got, scope);
    this.log.info(`signed in with the ${provider.label} account ${got.account}`);
    return { issuer: authorizationServer, scope, account: { label: provider.label, name: got.account } };
  }

  /** After a 401 with an account's token: asks the account again, without a prompt (its provider renews tokens). */
  private async renewFromAccount(stored: StoredTokenSet): Promise<boolean> {
    const accounts = this.host.accounts;
    const creds = await this.host.store.read(this.server);
    if (!accounts || !stored.account || !creds?.issuer) return false;
    const provider = { id: stored.account.provider, label: stored.account.label };
    const scopes = stored.scope?.split(' ').filter(Boolean) ?? [];
    const got = await accounts
      .token({ server: this.server, url: this.def.url, provider, scopes, interactive: false })
      .catch(() => undefined);
    if (!got || got === 'browser' || got.accessToken === stored.access_token) {
      this.log.info(`the ${provider.label} account's token is no longer accepted`);
      return false;
    }
    await this.storeAccountToken(creds.issuer, provider, got, stored.scope);
    this.log.info(`renewed the token from the ${provider.label} account ${got.account}`);
    return true;
  }

  private async storeAccountToken(issuer: string, provider: AccountProvider, got: AccountToken, scope: string | undefined): Promise<void> {
    const creds = await this.host.store.read(this.server);
    const tokens: StoredTokenSet = {
      access_token: got.accessToken,
      token_type: 'Bearer',
      ...(scope && { scope }),
      resource: resourceUrlFromServerUrl(this.def.url).href,
      obtainedAt: Date.now(),
      account: { provider: provider.id, label: provider.label, name: got.account },
    };
    const issuers = { ...creds?.issuers, [issuer]: { client: creds?.issuers[issuer]?.client, tokens } };
    await this.host.store.write(this.server, { issuer, issuers });
    this.onToken?.(got.accessToken);
  }

  /** Forgets the server's tokens (revoking them at the authorization server when it offers that). Keeps registrations. */
  async signOut(): Promise<{ revoked: boolean; signedIn: boolean }> {
    const creds = await this.host.store.read(this.server);
    const issuer = creds?.issuer;
    const tokens = issuer ? creds?.issuers[issuer]?.tokens : undefined;
    let revoked = false;
    // An account's token is the host's (its provider signs out of the account), not ours to revoke.
    if (issuer && tokens && !tokens.account) revoked = await this.revoke(issuer, tokens).catch(() => false);
    if (creds) {
      const issuers = Object.fromEntries(Object.entries(creds.issuers).map(([k, v]) => [k, { client: v.client }]));
      await this.host.store.write(this.server, { issuers });
    }
    this.log.info(tokens ? `signed out${revoked ? ' (tokens revoked)' : ''}` : 'was not signed in');
    return { revoked, signedIn: !!tokens };
  }

  private async revoke(issuer: string, tokens: StoredTokenSet): Promise<boolean> {
    const provider = this.provider('http://127.0.0.1/callback');
    // Discovery only (no code, no refresh): the issuer's metadata names its revocation endpoint.
    const meta = (await discoverAuthorizationServerMetadata(issuer)) as
      { revocation_endpoint?: string; token_endpoint_auth_methods_supported?: string[] } | undefined;
    if (!meta?.revocation_endpoint) return false;
    provider.saveDiscoveryState({ authorizationServerUrl: issuer, authorizationServerMetadata: meta as never });
    const client = await provider.clientInformation({ issuer });
    if (!client) return false;
    let ok = true;
    for (const [token, hint] of [
      [tokens.refresh_token, 'refresh_token'],
      [tokens.access_token, 'access_token'],
    ] as const) {
      if (!token) continue;
      const body = new URLSearchParams({ token, token_type_hint: hint });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      const secret = 'client_secret' in client ? client.client_secret : undefined;
      if (secret)
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
      else body.set('client_id', client.client_id);
      const r = await fetch(meta.revocation_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      await r.text().catch(() => '');
      ok &&= r.ok;
    }
    return ok;
  }

  /** `interactive`: a sign-in, whose redirect URI a stored registration must list (else register again). */
  private provider(redirectUrl: string, interactive = false): StoreProvider {
    return new StoreProvider({
      interactive,
      server: this.server,
      serverUrl: this.def.url,
      store: this.host.store,
      config: this.config,
      redirectUrl,
      clientName: this.host.clientName ?? 'MCP Manager',
      onToken: this.onToken,
    });
  }

  /** Scopes: configured, else the challenge's, else none here (the SDK then takes the resource's scopes_supported). */
  private scopeFor(challenge: Challenge): string | undefined {
    if (this.config.scopes?.length) return this.config.scopes.join(' ');
    return challenge.scope || undefined;
  }

  /** The server's current tokens, if they were issued for this server's resource (`anyResource`: for refresh). */
  private async currentTokens(anyResource = false): Promise<StoredTokenSet | undefined> {
    const creds = await this.host.store.read(this.server);
    const t = creds?.issuer ? creds.issuers[creds.issuer]?.tokens : undefined;
    if (!t) return undefined;
    if (anyResource) return t;
    const requested = resourceUrlFromServerUrl(this.def.url);
    // Tokens go only to the resource they were issued for (an edited URL gets no old token).
    return t.resource && checkResourceAllowed({ requestedResource: requested, configuredResource: t.resource }) ? t : undefined;
  }

  /** Runs the SDK with its warnings (console.warn: fallbacks, nothing secret) in our log instead of on stderr. */
  private async quietly<T>(fn: () => Promise<T>): Promise<T> {
    const release = captureWarnings(this.log);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** A ServerError for a failed OAuth step: which step, what to do. Never quotes tokens or codes. */
  explain(e: unknown): ServerError {
    if (e instanceof ServerError) return e;
    if (e instanceof IssuerMismatchError) {
      return e.kind === 'metadata'
        ? new ServerError(
            this.server,
            'auth',
            `the authorization server's metadata names a different issuer than the one it was fetched for (expected ${JSON.stringify(e.expected)}). Sign-in was refused to prevent a mix-up; the server's OAuth setup is wrong.`,
          )
        : new ServerError(
            this.server,
            'auth',
            e.received === undefined
              ? `the sign-in answer had no "iss" although the authorization server ${JSON.stringify(e.expected)} promises one (RFC 9207). The sign-in was refused; try again.`
              : `the sign-in answer came from an unexpected issuer (expected ${JSON.stringify(e.expected)}). The sign-in was refused to prevent a mix-up attack; try again.`,
          );
    }
    if (e instanceof OAuthError && (e.code === 'server_error' || e.code === 'temporarily_unavailable')) {
      return new ServerError(
        this.server,
        'auth',
        `the authorization server is failing (${e.code}${e.message && e.message !== e.code ? `: ${firstLine(e.message)}` : ''}). Try again later.`,
      );
    }
    if (e instanceof OAuthError) {
      return new ServerError(
        this.server,
        'auth',
        `the authorization server refused: ${e.code}${e.message && e.message !== e.code ? ` (${firstLine(e.message)})` : ''}. Sign in again.`,
      );
    }
    const msg = errorMessage(e);
    if ((e as { name?: string })?.name === 'ZodError' || /^\s*\[\s*\{/.test(msg)) {
      return new ServerError(
        this.server,
        'auth',
        `the authorization server answered with metadata or a token response that is not valid OAuth (${firstLine(zodSummary(e))}). The server's OAuth setup is wrong.`,
      );
    }
    const net = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|ECONNRESET/.test(msg + String((e as { cause?: unknown })?.cause ?? ''));
    if (net)
      return new ServerError(
        this.server,
        'auth',
        `cannot reach the authorization server: ${firstLine(msg)}. Check that it is up, then sign in again.`,
      );
    if (/HTTP 5\d\d/.test(msg))
      return new ServerError(this.server, 'auth', `the authorization server is failing: ${firstLine(msg)}. Try again later.`);
    return new ServerError(this.server, 'auth', `sign-in failed: ${firstLine(msg)}`);
  }
}

/** Loggers of the SDK flows running now; console.warn is routed to them while any runs (flows overlap). */
const warningLogs = new Set<Logger>();
let originalWarn: typeof console.warn | undefined;

function captureWarnings(log: Logger): () => void {
  if (warningLogs.size === 0) {
    originalWarn = console.warn;
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      for (const l of warningLogs) l.debug(text);
    };
  }
  const token: Logger = { ...nullLogger, debug: (m) => log.debug(m) }; // one entry per flow, even for the same logger
  warningLogs.add(token);
  return () => {
    warningLogs.delete(token);
    if (warningLogs.size === 0 && originalWarn) {
      console.warn = originalWarn;
      originalWarn = undefined;
    }
  };
}

function url(u: string | undefined): URL | undefined {
  try {
    return u ? new URL(u) : undefined;
  } catch {
    return undefined;
  }
}

function zodSummary(e: unknown): string {
  const issues = (e as { issues?: Array<{ path?: unknown[]; message?: string }> }).issues;
  const i = issues?.[0];
  return i ? `${(i.path ?? []).join('.') || 'value'}: ${i.message ?? ''}` : errorMessage(e);
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
