// The seams between the OAuth client (core/auth) and its hosts: where credentials live
// (CredentialStore: a 0600 file in the CLI, SecretStorage in the editor) and how a person signs in
// (SignInUi: open a URL in a browser). Nothing here knows VS Code.
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/client';
import { ServerError } from '../errors';

/** A client registration with one authorization server (pre-registered, metadata document, or DCR). */
export type StoredClient = OAuthClientInformationMixed & {
  /** How we got it: `config` (clientId from the configuration), `metadataDocument`, `dynamic` (DCR). */
  readonly source?: 'config' | 'metadataDocument' | 'dynamic';
};

export type StoredTokenSet = OAuthTokens & {
  /** When the access token expires (ms since the epoch), from `expires_in` at the time it was issued. */
  readonly expiresAt?: number;
  /** The resource (RFC 8707) the tokens were issued for: they are sent to this resource only. */
  readonly resource: string;
  /** When they were obtained (ms since the epoch). */
  readonly obtainedAt: number;
  /** Set when the token came from an account the host already has (HostAccounts), not from our own sign-in. */
  readonly account?: { readonly provider: string; readonly label: string; readonly name: string };
};

/** What one authorization server (issuer) knows of one server entry. */
export interface IssuerCredentials {
  readonly client?: StoredClient;
  readonly tokens?: StoredTokenSet;
}

/**
 * Everything stored for one configured server: per issuer (an authorization server never sees
 * another one's registration or tokens), plus which issuer the server used last.
 */
export interface ServerCredentials {
  /** The issuer the server's protected resource metadata named last. */
  readonly issuer?: string;
  readonly issuers: Readonly<Record<string, IssuerCredentials>>;
}

/**
 * Where tokens, refresh tokens and client registrations live, keyed by server name (and inside, by
 * issuer). Implementations keep them secret: never in settings or logs. The CLI stores a 0600 file
 * (cli/credentials.ts); the editor uses SecretStorage. `write(server, undefined)` forgets a server.
 */
export interface CredentialStore {
  read(server: string): Promise<ServerCredentials | undefined>;
  write(server: string, credentials: ServerCredentials | undefined): Promise<void>;
}

/** Where the authorization page is shown. */
export interface SignInUi {
  /**
   * Shows the authorization URL to the person (opens a browser, prints it). Resolves once it is
   * shown; the redirect arrives on the loopback listener. Rejecting aborts the sign-in.
   */
  openAuthorizationUrl(url: string, info: { readonly server: string; readonly issuer: string }): Promise<void>;
  /**
   * The redirect URI to register and send, for a loopback listener at `localUrl`
   * (`http://127.0.0.1:<port>/callback`). Default: `localUrl` itself. An editor running remotely
   * maps it (vscode.env.asExternalUri) so the browser's redirect still arrives.
   */
  redirectUrl?(localUrl: string): Promise<string>;
}

/** An account provider of the host (the editor: VS Code's GitHub or Microsoft accounts). */
export interface AccountProvider {
  readonly id: string;
  /** What people call it: "GitHub", "Microsoft". */
  readonly label: string;
}

/** A token of one of the host's accounts. */
export interface AccountToken {
  readonly accessToken: string;
  /** The account's name, as the provider shows it. */
  readonly account: string;
}

/**
 * Accounts the host already has at some authorization servers. When a server's authorization
 * server is one of them, signing in offers that account instead of a new browser sign-in, and a
 * rejected token is replaced by asking the account again (its provider renews it).
 */
export interface HostAccounts {
  /** The provider for this authorization server (a URL from the resource's metadata), if the host has one. No prompt. */
  providerFor(authorizationServer: string): AccountProvider | undefined;
  /**
   * A token of the provider's account for these scopes. `interactive`: the person may choose
   * (the account, or the browser: then `'browser'`) and consent; otherwise only an account that
   * needs no prompt. Undefined: none (not interactive), or the person cancelled (interactive).
   */
  token(request: {
    readonly server: string;
    /** The server's URL: the token is sent there (hosts say so before handing it out). */
    readonly url: string;
    readonly provider: AccountProvider;
    readonly scopes: readonly string[];
    readonly interactive: boolean;
  }): Promise<AccountToken | 'browser' | undefined>;
}

/** What a connection needs to sign in to servers that require it (ConnectionOptions.auth). */
export interface AuthHost {
  readonly store: CredentialStore;
  /** Absent: no interactive sign-in here (a 401 that refresh cannot fix fails with SignInRequiredError). */
  readonly ui?: SignInUi;
  /**
   * Whether a 401 during an ordinary operation may start an interactive sign-in at once (the CLI:
   * when it can show a browser or a terminal). Default false: the operation fails with
   * SignInRequiredError, and the host offers Sign In (`signIn()` in core/auth).
   */
  readonly signInOnDemand?: boolean;
  /** How long to wait for the browser's redirect (default 5 minutes). */
  readonly callbackTimeoutMs?: number;
  /** The client's name in registrations and metadata documents (default "MCP Manager"). */
  readonly clientName?: string;
  /** Accounts the host already has (the editor's vscode.authentication providers). */
  readonly accounts?: HostAccounts;
}

export interface SignInRequiredDetails {
  readonly issuer?: string;
  /** The server asked for more scopes (403 insufficient_scope) than the current sign-in has. */
  readonly stepUp?: boolean;
  /** The scopes a new sign-in should ask for. */
  readonly scope?: string;
  /** Signs in as this failure needs (the right challenge and scopes), for hosts that may do so now. */
  readonly signIn?: (signal?: AbortSignal) => Promise<unknown>;
}

/**
 * A server needs (another) sign-in that could not happen here: no UI, not allowed during this
 * operation, or the stored sign-in was revoked. Hosts show "sign-in required" and offer Sign In /
 * `mcp-manager login <server>`. Never carries a token, code or secret.
 */
export class SignInRequiredError extends ServerError {
  readonly issuer?: string;
  readonly stepUp: boolean;
  readonly scope?: string;
  declare readonly signIn?: (signal?: AbortSignal) => Promise<unknown>;

  constructor(
    server: string,
    readonly reason: string,
    details: SignInRequiredDetails = {},
  ) {
    super(
      server,
      'auth',
      `needs sign-in: ${reason}. Sign in (in the editor: Sign In on the server; in a terminal: mcp-manager login ${quoteName(server)}).`,
    );
    this.name = 'SignInRequiredError';
    this.issuer = details.issuer;
    this.stepUp = !!details.stepUp;
    this.scope = details.scope;
    // Not enumerable: the error may be logged or serialised; the function is for the connection.
    Object.defineProperty(this, 'signIn', { value: details.signIn, enumerable: false });
  }
}

export function isSignInRequired(e: unknown): e is SignInRequiredError {
  return e instanceof SignInRequiredError || (e instanceof ServerError && e.kind === 'auth');
}

function quoteName(name: string): string {
  return /^[\w.@:-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}
