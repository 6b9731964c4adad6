// The SDK's OAuthClientProvider over a CredentialStore, for one run of the SDK's `auth()` (a
// refresh, or the two legs of a sign-in). Discovery state, the PKCE verifier and `state` live in
// memory for that run only; registrations and tokens go to the store, keyed by issuer.
import { randomBytes } from 'node:crypto';
import {
  resourceUrlFromServerUrl,
  type OAuthClientInformationContext,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { OAuthConfig } from '../config/types';
import type { CredentialStore, IssuerCredentials, ServerCredentials, StoredClient } from './types';

export interface ProviderOptions {
  readonly server: string;
  /** The configured MCP URL: the resource when the server publishes no metadata naming one. */
  readonly serverUrl: string;
  readonly store: CredentialStore;
  readonly config: OAuthConfig;
  /** The redirect URI sent (and registered with DCR). */
  readonly redirectUrl: string;
  /** A sign-in (else a refresh or revocation, which keep whatever registration is stored). */
  readonly interactive?: boolean;
  readonly clientName: string;
  /** Told of every new access token (the connection masks them in logs). */
  readonly onToken?: (token: string) => void;
}

/** A refresh found no registration with the (possibly new) authorization server: only a sign-in can make one. */
export class NoRegistrationError extends Error {
  constructor(readonly issuer: string) {
    super(`no client registration with ${issuer}`);
  }
}

export class StoreProvider implements OAuthClientProvider {
  /** Set by the SDK when it needs the person: the URL to open. */
  authorizationUrl?: URL;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;
  private generatedState?: string;
  private resource?: string;

  constructor(private readonly o: ProviderOptions) {}

  get redirectUrl(): string {
    return this.o.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    // Handled in clientInformation() (the SDK accepts only https; we also allow loopback http for local tests).
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.o.clientName,
      redirect_uris: [this.o.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    } as OAuthClientMetadata;
  }

  state(): string {
    this.generatedState = randomBytes(24).toString('base64url');
    return this.generatedState;
  }

  /** The `state` sent with the authorization request. */
  get sentState(): string | undefined {
    return this.generatedState;
  }

  /** The issuer discovery resolved (after the first leg). */
  get issuer(): string | undefined {
    return this.discovery?.authorizationServerMetadata?.issuer ?? this.discovery?.authorizationServerUrl;
  }

  get revocationEndpoint(): string | undefined {
    return (this.discovery?.authorizationServerMetadata as { revocation_endpoint?: string } | undefined)?.revocation_endpoint;
  }

  get authMethods(): string[] {
    return this.discovery?.authorizationServerMetadata?.token_endpoint_auth_methods_supported ?? [];
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const issuer = ctx?.issuer ?? this.issuer;
    if (!issuer) return undefined;
    const { clientId, clientSecret, clientMetadataUrl } = this.o.config;
    // 1. A client pre-registered by the user (its secret is never written to the store).
    if (clientId) return { client_id: clientId, ...(clientSecret && { client_secret: clientSecret }), issuer };
    // 2. A Client ID Metadata Document, when the authorization server takes them.
    const meta = this.discovery?.authorizationServerMetadata;
    if (clientMetadataUrl && meta?.client_id_metadata_document_supported === true) return { client_id: clientMetadataUrl, issuer };
    // 3. A registration made earlier with this issuer (DCR), if it still fits our redirect URI.
    const stored = (await this.issuerEntry(issuer))?.client;
    // Registering is part of signing in, never of a background refresh.
    if (!stored && !this.o.interactive) throw new NoRegistrationError(issuer);
    if (!stored || stored.source !== 'dynamic' || !this.o.interactive) return stored && { ...stored, issuer };
    const uris = (stored as { redirect_uris?: string[] }).redirect_uris;
    return !uris || uris.includes(this.o.redirectUrl) ? { ...stored, issuer } : undefined;
  }

  async saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    const issuer = ctx?.issuer ?? info.issuer ?? this.issuer;
    // Only registrations the SDK made (DCR) are ours to keep; the configured client stays in the configuration.
    if (!issuer || info.client_id === this.o.config.clientId || info.client_id === this.o.config.clientMetadataUrl) return;
    const { issuer: _stamp, ...client } = info;
    await this.update(issuer, (e) => ({ ...e, client: { ...client, source: 'dynamic' } as StoredClient }));
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const creds = await this.o.store.read(this.o.server);
    const issuer = ctx?.issuer ?? creds?.issuer;
    const t = issuer ? creds?.issuers[issuer]?.tokens : undefined;
    return t && { ...t, issuer };
  }

  async saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): Promise<void> {
    const issuer = ctx?.issuer ?? tokens.issuer ?? this.issuer;
    if (!issuer) return;
    const { issuer: _stamp, ...rest } = tokens;
    const now = Date.now();
    this.o.onToken?.(rest.access_token);
    if (rest.refresh_token) this.o.onToken?.(rest.refresh_token);
    await this.update(
      issuer,
      (e) => ({
        ...e,
        tokens: {
          ...rest,
          ...(rest.expires_in !== undefined && { expiresAt: now + rest.expires_in * 1000 }),
          resource: this.resource ?? resourceUrlFromServerUrl(this.o.serverUrl).href,
          obtainedAt: now,
        },
      }),
      true,
    );
  }

  saveResourceUrl(resource: string): void {
    this.resource = resource;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no PKCE code verifier for this sign-in');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') this.verifier = undefined;
    if (scope === 'discovery' || scope === 'all') this.discovery = undefined;
    const issuer = this.issuer;
    if (!issuer || scope === 'verifier' || scope === 'discovery') return;
    await this.update(issuer, (e) => ({
      ...(scope === 'tokens' ? { client: e.client } : {}),
      ...(scope === 'client' ? { tokens: e.tokens } : {}),
    }));
  }

  private async issuerEntry(issuer: string): Promise<IssuerCredentials | undefined> {
    return (await this.o.store.read(this.o.server))?.issuers[issuer];
  }

  /** Changes one issuer's entry; `current` also makes it the server's issuer. */
  private async update(issuer: string, change: (e: IssuerCredentials) => IssuerCredentials, current = false): Promise<void> {
    const creds: ServerCredentials = (await this.o.store.read(this.o.server)) ?? { issuers: {} };
    const next = change(creds.issuers[issuer] ?? {});
    await this.o.store.write(this.o.server, {
      issuer: current ? issuer : creds.issuer,
      issuers: { ...creds.issuers, [issuer]: next },
    });
  }
}
