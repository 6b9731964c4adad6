// Sign-in to OAuth servers in the editor (core/auth does the protocol): tokens, refresh tokens and
// client registrations in SecretStorage (never in settings, logs or tooltips), the authorization
// page in the system browser (vscode.env.openExternal) with the redirect to a 127.0.0.1 loopback
// listener, mapped through vscode.env.asExternalUri where the editor runs remotely (code-server,
// remote SSH). The browser opens only when the person acts: Sign In on a server (the tree's inline
// action, a failed call's "Sign In", or the palette); a 401 during anything else leaves the server
// in "sign-in required".
import * as vscode from 'vscode';
import {
  authStatus,
  errorMessage,
  ServerError,
  signIn,
  signOut,
  type AuthHost,
  type AuthStatus,
  type CredentialStore,
  type HttpDefinition,
  type ServerConnection,
  type ServerCredentials,
  type ServerRegistry,
  type SignInUi,
} from '../../core';
import type { Prompter } from '../prompts';
import type { ServerLogs } from '../serverLogs';
import { pickServer } from '../serverPicker';
import { editorAccounts } from './accounts';

const KEY_PREFIX = 'mcpManager.oauth/';

/** The system browser, and the redirect mapped for an editor that runs remotely. */
const browserUi: SignInUi = {
  openAuthorizationUrl: async (url) => {
    if (!(await vscode.env.openExternal(vscode.Uri.parse(url, true))))
      throw new Error('the browser could not be opened for the sign-in page');
  },
  // Where the editor runs remotely (code-server, remote SSH) the browser is elsewhere: VS Code
  // maps the loopback URL so the redirect still arrives.
  redirectUrl: async (local) => (await vscode.env.asExternalUri(vscode.Uri.parse(local, true))).toString(true),
};

/** Credentials per server in SecretStorage (inside, per authorization server: see core/auth/types). */
export class SecretCredentialStore implements CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async read(server: string): Promise<ServerCredentials | undefined> {
    const text = await this.secrets.get(KEY_PREFIX + server);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as ServerCredentials;
    } catch {
      return undefined;
    }
  }

  async write(server: string, credentials: ServerCredentials | undefined): Promise<void> {
    if (credentials) await this.secrets.store(KEY_PREFIX + server, JSON.stringify(credentials));
    else await this.secrets.delete(KEY_PREFIX + server);
  }
}

export interface EditorAuthDeps {
  readonly secrets: vscode.SecretStorage;
  readonly logs: ServerLogs;
  readonly prompter: Prompter;
  /** `${input:}` values (a clientSecret), resolved as for a connection. */
  readonly resolveInputs: (server: string, ids: readonly string[]) => Promise<Record<string, string>>;
}

export class EditorAuth implements vscode.Disposable {
  readonly store: SecretCredentialStore;
  /** What connections get (ConnectionOptions.auth): no sign-in on their own, a 401 is a state. */
  readonly host: AuthHost;
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  private readonly statuses = new Map<string, { readonly stamp: string; readonly status?: AuthStatus }>();
  /** Bumped on each sign-in and sign-out: cached statuses are read again. */
  private generation = 0;
  /** A server's sign-in changed (signed in or out): its tooltip and actions change. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly deps: EditorAuthDeps) {
    this.store = new SecretCredentialStore(deps.secrets);
    this.host = {
      store: this.store,
      signInOnDemand: false,
      clientName: 'MCP Manager (VS Code)',
      // GitHub, Microsoft or another provider's account, where the server's authorization server is theirs.
      accounts: editorAccounts(deps.prompter),
      ui: {
        openAuthorizationUrl: async (url, info) => {
          this.browserOpened.get(info.server)?.();
          await this.ui.openAuthorizationUrl(url, info);
        },
        redirectUrl: (local) => this.ui.redirectUrl?.(local) ?? Promise.resolve(local),
      },
    };
  }

  /** Per server signing in now: says on its progress notification that the browser has the sign-in page. */
  private readonly browserOpened = new Map<string, () => void>();

  /** The system browser; tests install a stand-in that consents (useUi). */
  private ui: SignInUi = browserUi;

  /** Installs a stand-in browser (integration tests); the returned function restores the real one. */
  useUi(ui: SignInUi): () => void {
    this.ui = ui;
    return () => {
      if (this.ui === ui) this.ui = browserUi;
    };
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private registry?: ServerRegistry;

  /** The commands; the registry comes after the host (its connections are built with it). */
  register(registry: ServerRegistry): vscode.Disposable {
    this.registry = registry;
    return vscode.Disposable.from(
      vscode.commands.registerCommand('mcpManager.signIn', (arg?: unknown) => this.signIn(arg)),
      vscode.commands.registerCommand('mcpManager.signOut', (arg?: unknown) => this.signOut(arg)),
    );
  }

  /** Who is signed in to the server, for its tooltip (no network); undefined for servers that cannot sign in. */
  private async status(conn: ServerConnection): Promise<AuthStatus | undefined> {
    const def = conn.definition;
    if ((def.type !== 'http' && def.type !== 'sse') || def.oauth === false) return undefined;
    try {
      return await authStatus(def, this.host);
    } catch {
      return undefined;
    }
  }

  /**
   * The status known now, for a tooltip that must be built at once; reads it in the background
   * when not known yet (or the server's state changed since) and fires onDidChange when it is.
   */
  known(conn: ServerConnection): AuthStatus | undefined {
    const entry = this.statuses.get(conn.name);
    const stamp = `${conn.state.kind}:${this.generation}`;
    if (entry?.stamp !== stamp) {
      this.statuses.set(conn.name, { stamp, status: entry?.status });
      void this.status(conn).then((status) => {
        const now = this.statuses.get(conn.name);
        if (now?.stamp !== stamp || JSON.stringify(now.status) === JSON.stringify(status)) return;
        this.statuses.set(conn.name, { stamp, status });
        this.changeEmitter.fire(conn.name);
      });
    }
    return entry?.status;
  }

  /** mcpManager.signIn: signs in through the browser, then restarts the server with the new tokens. */
  async signIn(arg?: unknown): Promise<boolean> {
    const conn = await this.resolve(arg, 'Sign In to an MCP Server');
    if (!conn) return false;
    const log = this.deps.logs.loggerFor(conn.name);
    try {
      const def = this.oauthDefinition(conn);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to ${conn.name}`, cancellable: true },
        (progress, token) => {
          // The browser opens only for our own sign-in (an account of VS Code's needs none).
          this.browserOpened.set(conn.name, () => progress.report({ message: 'complete the sign-in in your browser…' }));
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          // Stopping, disabling or removing the server while the browser is open ends the sign-in too.
          const stopped = this.registry?.onDidChangeState(({ connection, state }) => {
            if (connection === conn && (state.kind === 'stopped' || state.kind === 'disabled')) ac.abort();
          });
          const removed = this.registry?.onDidChangeServers(() => {
            if (this.registry?.get(conn.name) !== conn) ac.abort();
          });
          return signIn(def, this.host, { signal: ac.signal, log, inputs: this.deps.resolveInputs }).finally(() => {
            this.browserOpened.delete(conn.name);
            sub.dispose();
            stopped?.dispose();
            removed?.dispose();
          });
        },
      );
      log.info(
        result.account
          ? `signed in with the ${result.account.label} account ${result.account.name}`
          : `signed in at ${result.issuer}${result.scope ? ` (scope ${result.scope})` : ''}`,
      );
      this.generation++;
      this.changeEmitter.fire(conn.name);
      await conn.restart().catch(() => undefined);
      void this.deps.prompter.notify(
        `Signed in to ${conn.name}${result.account ? ` with your ${result.account.label} account ${result.account.name}` : ''}${result.expiresAt ? ` (until ${new Date(result.expiresAt).toLocaleString()})` : ''}.`,
      );
      return true;
    } catch (e) {
      const message = conn.masker.mask(errorMessage(e));
      log.warn(`sign-in failed: ${message}`);
      if (e instanceof ServerError && e.kind === 'cancelled') return false;
      const again = 'Try Again';
      const logs = 'Show Logs';
      void this.deps.prompter.error(`Could not sign in to ${conn.name}: ${stripName(message, conn.name)}`, again, logs).then((a) => {
        if (a === again) void this.signIn({ serverName: conn.name });
        if (a === logs) this.deps.logs.show(conn.name, false);
      });
      return false;
    }
  }

  /** mcpManager.signOut: forgets the server's tokens (revoking them where the server can), then stops it. */
  async signOut(arg?: unknown): Promise<boolean> {
    const conn = await this.resolve(arg, 'Sign Out of an MCP Server');
    if (!conn) return false;
    try {
      const def = this.oauthDefinition(conn);
      const r = await signOut(def, this.host, { log: this.deps.logs.loggerFor(conn.name), inputs: this.deps.resolveInputs });
      this.generation++;
      this.changeEmitter.fire(conn.name);
      await conn.stop().catch(() => undefined);
      void this.deps.prompter.notify(
        r.signedIn
          ? `Signed out of ${conn.name}${r.revoked ? '; its tokens were revoked' : '; its tokens were forgotten'}.`
          : `${conn.name} was not signed in.`,
      );
      return r.signedIn;
    } catch (e) {
      void this.deps.prompter.error(`Could not sign out of ${conn.name}: ${stripName(conn.masker.mask(errorMessage(e)), conn.name)}`);
      return false;
    }
  }

  private async resolve(arg: unknown, title: string): Promise<ServerConnection | undefined> {
    const given = typeof arg === 'object' && arg !== null ? (arg as { serverName?: unknown }).serverName : undefined;
    const name =
      typeof given === 'string'
        ? given
        : await pickServer(this.registry!, {
            title,
            filter: (c) => (c.definition.type === 'http' || c.definition.type === 'sse') && c.definition.oauth !== false,
            emptyMessage: 'No HTTP MCP server that can sign in is configured.',
          });
    if (!name) return undefined;
    const conn = this.registry!.get(name);
    if (!conn) void this.deps.prompter.error(`No MCP server named "${name}" is configured.`);
    return conn;
  }

  private oauthDefinition(conn: ServerConnection): HttpDefinition {
    const def = conn.definition;
    if (def.type !== 'http' && def.type !== 'sse')
      throw new ServerError(conn.name, 'config', `is a ${def.type} server; only http and sse servers sign in.`);
    if (def.oauth === false)
      throw new ServerError(conn.name, 'config', 'has "oauth": false, so sign-in is turned off for it. Remove that key to sign in.', {
        field: 'oauth',
      });
    return def;
  }
}

function stripName(message: string, name: string): string {
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}
