// What each server offers: its declared capabilities, and its tools, resources, resource templates
// and prompts once somebody asked for them. The one copy every view reads: the Servers tree, the
// tool picker, the browse commands, the extension API and the CLI, so a list made by one shows in
// the others. Lists are kept per connection until `invalidation` says otherwise (one policy for
// every kind). A live session's tools are the connection's own (it needs them to validate
// structured output), so `peek` reads those first. No `vscode` import.
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/client';
import { Emitter, type Event } from './events';
import { ServerError, errorMessage, isServerError } from './errors';
import { abortable } from './deadline';
import type { Logger } from './logger';
import type { ServerConnection } from './connection';
import type { ServerRegistry } from './registry';
import type { StateKind } from './state';

export type CatalogKind = 'tools' | 'resources' | 'prompts';

export const CATALOG_KINDS: readonly CatalogKind[] = ['tools', 'resources', 'prompts'];

export interface ResourceList {
  readonly resources: readonly Resource[];
  readonly templates: readonly ResourceTemplate[];
}

/** What each kind lists. */
export interface Lists {
  tools: readonly Tool[];
  resources: ResourceList;
  prompts: readonly Prompt[];
}

/** A list, or why it could not be made, tied to the connection it came from. */
export interface Listing<T> {
  readonly conn: ServerConnection;
  readonly value?: T;
  /** Masked message, for people (failureText). */
  readonly error?: string;
}

/** What can make a list stale. */
export type CatalogEvent =
  /** The server was removed, or replaced by a new configuration. */
  | { readonly kind: 'server' }
  | { readonly kind: 'state'; readonly state: StateKind }
  /** The server said a list changed (list_changed; for tools also: a new session began). */
  | { readonly kind: 'list'; readonly list: CatalogKind }
  /** The user asked for fresh lists (MCP: Refresh). */
  | { readonly kind: 'refresh' };

export interface Invalidation {
  readonly kinds: readonly CatalogKind[];
  /** A listing in flight survives: it belongs to the session being started (often it started it). */
  readonly keepLoading: boolean;
}

/**
 * The invalidation policy, for every kind alike. A new session (or none) may offer other things;
 * lists are kept across `idle`, because `keepAlive: false` servers go idle after every operation
 * and would otherwise list again forever.
 */
export function invalidation(event: CatalogEvent): Invalidation | undefined {
  switch (event.kind) {
    case 'server':
    case 'refresh':
      return { kinds: CATALOG_KINDS, keepLoading: false };
    case 'list':
      return { kinds: [event.list], keepLoading: false };
    case 'state':
      if (event.state === 'stopped') return { kinds: CATALOG_KINDS, keepLoading: false };
      if (event.state === 'starting') return { kinds: CATALOG_KINDS, keepLoading: true };
      return undefined;
  }
}

/** What the catalog listens to: a registry, or one connection (connectionSource, for the CLI). */
export type CatalogSource = Pick<
  ServerRegistry,
  'get' | 'onDidChangeServers' | 'onDidChangeState' | 'onDidChangeList' | 'onDidChangeTools'
>;

/** A CatalogSource of a single connection (the CLI has no registry). */
export function connectionSource(conn: ServerConnection): CatalogSource {
  const map =
    <T, U>(event: Event<T>, f: (value: T) => U): Event<U> =>
    (listener) =>
      event((value) => listener(f(value)));
  return {
    get: (name) => (name === conn.name ? conn : undefined),
    onDidChangeServers: () => ({ dispose: () => undefined }),
    onDidChangeState: map(conn.onDidChangeState, (state) => ({ connection: conn, state })),
    onDidChangeList: map(conn.onDidChangeList, (kind) => ({ connection: conn, kind })),
    onDidChangeTools: map(conn.onDidChangeTools, () => conn),
  };
}

export class ServerCatalog {
  private readonly listings = new Map<string, Listing<unknown>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly changeEmitter = new Emitter<{ readonly server: string; readonly kind: CatalogKind }>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** A list was made (or failed) for a server. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly registry: CatalogSource,
    private readonly loggerFor: (server: string) => Logger,
  ) {
    const current = (conn: ServerConnection) => registry.get(conn.name) === conn;
    this.subscriptions.push(
      registry.onDidChangeServers((change) => {
        for (const name of [...change.removed, ...change.changed]) this.apply(name, { kind: 'server' });
      }),
      // The server says a list changed: forget it, and tell the views (an expanded node lists again).
      registry.onDidChangeList(({ connection, kind }) => {
        if (current(connection)) this.apply(connection.name, { kind: 'list', list: kind }, true);
      }),
      registry.onDidChangeTools((connection) => {
        if (current(connection)) this.apply(connection.name, { kind: 'list', list: 'tools' }, true);
      }),
      // A replaced connection still reports its shutdown; it must not touch its successor.
      registry.onDidChangeState(({ connection, state }) => {
        if (current(connection)) this.apply(connection.name, { kind: 'state', state: state.kind });
      }),
    );
  }

  private apply(server: string, event: CatalogEvent, notify = false): void {
    const what = invalidation(event);
    if (!what) return;
    this.forget(server, what);
    if (notify) for (const kind of what.kinds) this.changeEmitter.fire({ server, kind });
  }

  /**
   * Whether the server declares `kind` in its capabilities: undefined while unknown (never ran).
   * Known after the first handshake, for `keepAlive: false` servers too (the core keeps them).
   */
  offers(conn: ServerConnection, kind: CatalogKind): boolean | undefined {
    const caps = conn.capabilities;
    return caps ? caps[kind] !== undefined : undefined;
  }

  /** The list made for this connection, if any (no I/O). Tools: the live session's first. */
  peek<K extends CatalogKind>(conn: ServerConnection, kind: K): Listing<Lists[K]> | undefined {
    if (kind === 'tools' && conn.cachedTools) return { conn, value: conn.cachedTools as Lists[K] };
    const listing = this.listings.get(key(conn.name, kind)) as Listing<Lists[K]> | undefined;
    return listing?.conn === conn ? listing : undefined;
  }

  isLoading(conn: ServerConnection, kind: CatalogKind): boolean {
    return this.loading.has(key(conn.name, kind));
  }

  /** Lists in the background (once at a time per server and kind); onDidChange fires when done. */
  load(conn: ServerConnection, kind: CatalogKind): void {
    void this.list(conn, kind).catch(() => undefined);
  }

  /**
   * The list, made now if needed (which starts the server). `signal` stops waiting; the listing
   * itself goes on for the others sharing it (the tree), as a tree expansion's start does.
   * `refresh` asks the server again even when a list is known.
   */
  list<K extends CatalogKind>(
    conn: ServerConnection,
    kind: K,
    options: { signal?: AbortSignal; refresh?: boolean } = {},
  ): Promise<Lists[K]> {
    const known = options.refresh ? undefined : this.peek(conn, kind);
    // A 2026-07-28 server says how long a list stays fresh (ttlMs); past that it is asked again.
    const until = conn.listFreshUntil(kind);
    if (known?.value && !(until !== undefined && Date.now() >= until)) return Promise.resolve(known.value);
    const k = key(conn.name, kind);
    let pending = options.refresh ? undefined : (this.loading.get(k) as Promise<Lists[K]> | undefined);
    if (!pending) {
      pending = this.fetch(conn, kind, options.refresh === true) as Promise<Lists[K]>;
      const started = pending;
      // Forgotten meanwhile (new session, refresh, removed): the answer is stale, keep nothing.
      const current = () => this.loading.get(k) === started && this.registry.get(conn.name) === conn;
      const settle = (listing: Listing<Lists[K]>) => {
        if (!current()) return;
        this.loading.delete(k);
        this.listings.set(k, listing);
        this.changeEmitter.fire({ server: conn.name, kind });
      };
      this.loading.set(k, started);
      started.then(
        (value) => settle({ conn, value }),
        (e: unknown) => settle({ conn, error: failureText(conn.masker.mask(errorMessage(e)), conn.name) }),
      );
    }
    return abortable(pending, options.signal, () => new ServerError(conn.name, 'cancelled', 'cancelled'));
  }

  /** Forgets every list (MCP: Refresh); expanded folders list again. */
  clear(): void {
    this.listings.clear();
    this.loading.clear();
  }

  forget(server: string, options: { keepLoading?: boolean; kinds?: readonly CatalogKind[] } = {}): void {
    for (const kind of options.kinds ?? CATALOG_KINDS) {
      this.listings.delete(key(server, kind));
      if (!options.keepLoading) this.loading.delete(key(server, kind));
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.changeEmitter.dispose();
    this.listings.clear();
    this.loading.clear();
  }

  private fetch(conn: ServerConnection, kind: CatalogKind, refresh: boolean): Promise<Lists[CatalogKind]> {
    if (kind === 'tools') return conn.listTools({ refresh });
    return kind === 'resources' ? this.fetchResources(conn) : conn.listPrompts();
  }

  /**
   * Resources and templates together. Many servers that offer resources do not implement
   * resources/templates/list (JSON-RPC "method not found"): that is logged and means no templates.
   */
  private async fetchResources(conn: ServerConnection): Promise<ResourceList> {
    const [resources, templates] = await Promise.all([
      conn.listResources(),
      conn.listResourceTemplates().catch((e: unknown) => {
        if (!(isServerError(e) && e.kind === 'protocol')) throw e;
        this.loggerFor(conn.name).warn(
          `resources/templates/list failed, so no resource templates are shown: ${withoutServer(errorMessage(e), conn.name)}`,
        );
        return [] as ResourceTemplate[];
      }),
    ]);
    return { resources: unique(resources, (r) => r.uri), templates: unique(templates, (t) => t.uriTemplate) };
  }
}

function key(server: string, kind: CatalogKind): string {
  return `${kind}:${server}`;
}

/** ServerError messages start with "<server>: "; where the server is already named that is noise. */
export function withoutServer(message: string, server: string): string {
  return message.startsWith(`${server}: `) ? message.slice(server.length + 2) : message;
}

/** A failure for people: "fx: request failed: MCP error -32603: the disk is on fire" -> "the disk is on fire (MCP error -32603)". */
export function failureText(message: string, server: string): string {
  const text = withoutServer(message, server);
  const m = /^(?:request failed: )?MCP error (-?\d+): ([\s\S]*)$/.exec(text);
  // A server's JSON-RPC error already reads "request failed: <message> (MCP error <code>)" (failures.ts).
  return m ? `${m[2]} (MCP error ${m[1]})` : text.replace(/^request failed: (?=[\s\S]*\(MCP error -?\d+\)$)/, '');
}

/** First of each key: tree ids must be unique, and a server may repeat an entry. */
export function unique<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = keyOf(item);
    if (typeof k !== 'string' || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
