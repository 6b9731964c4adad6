// What each server offers besides tools: its declared capabilities, and its resources, resource
// templates and prompts once somebody asked for them. Shared by the Servers tree (which lists a
// folder when it is expanded) and the palette commands, so both see one list and a list made by
// one shows in the other. Lists are kept per connection until its session ends (stop, restart,
// crash, configuration change) or the user refreshes. No `vscode` import.
import type { Prompt, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { Emitter, ServerError, abortable, errorMessage, isServerError, type Logger, type ServerConnection, type ServerRegistry } from './';

export type CatalogKind = 'resources' | 'prompts';

export interface ResourceList {
  readonly resources: readonly Resource[];
  readonly templates: readonly ResourceTemplate[];
}

/** What each kind lists. */
export interface Lists {
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

export class ServerCatalog {
  private readonly listings = new Map<string, Listing<unknown>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly changeEmitter = new Emitter<{ readonly server: string; readonly kind: CatalogKind }>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** A list was made (or failed) for a server. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly loggerFor: (server: string) => Logger,
  ) {
    this.subscriptions.push(
      registry.onDidChangeServers((change) => {
        for (const name of [...change.removed, ...change.changed]) this.forget(name);
      }),
      // The server says a list changed: forget it, and tell the tree (an expanded folder lists again).
      registry.onDidChangeList(({ connection, kind }) => {
        if (registry.get(connection.name) !== connection) return;
        this.forget(connection.name, { kinds: [kind] });
        this.changeEmitter.fire({ server: connection.name, kind });
      }),
      registry.onDidChangeState(({ connection, state }) => {
        if (registry.get(connection.name) !== connection) return;
        // A new session (or none) may offer other things; keep the lists across idle like the tools.
        // A listing in flight when a session starts is for that session (often it started it).
        if (state.kind === 'stopped') this.forget(connection.name);
        else if (state.kind === 'starting') this.forget(connection.name, { keepLoading: true });
      }),
    );
  }

  /**
   * Whether the server declares `kind` in its capabilities: undefined while unknown (never ran).
   * Known after the first handshake, for `keepAlive: false` servers too (the core keeps them).
   */
  offers(conn: ServerConnection, kind: CatalogKind): boolean | undefined {
    const caps = conn.capabilities;
    return caps ? caps[kind] !== undefined : undefined;
  }

  /** The list made for this connection, if any (no I/O). */
  peek<K extends CatalogKind>(conn: ServerConnection, kind: K): Listing<Lists[K]> | undefined {
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
   */
  list<K extends CatalogKind>(conn: ServerConnection, kind: K, options: { signal?: AbortSignal } = {}): Promise<Lists[K]> {
    const known = this.peek(conn, kind);
    if (known?.value) return Promise.resolve(known.value);
    const k = key(conn.name, kind);
    let pending = this.loading.get(k) as Promise<Lists[K]> | undefined;
    if (!pending) {
      pending = (kind === 'resources' ? this.fetchResources(conn) : conn.listPrompts()) as Promise<Lists[K]>;
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
    for (const kind of options.kinds ?? (['resources', 'prompts'] as const)) {
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

  /**
   * Resources and templates together. Many servers that offer resources do not implement
   * resources/templates/list (JSON-RPC "method not found"): that is logged and means no templates.
   */
  private async fetchResources(conn: ServerConnection): Promise<ResourceList> {
    const [resources, templates] = await Promise.all([
      conn.listResources(),
      conn.listResourceTemplates().catch((e: unknown) => {
        if (!(isServerError(e) && e.kind === 'protocol')) throw e;
        this.loggerFor(conn.name).warn(`resources/templates/list failed, so no resource templates are shown: ${withoutServer(errorMessage(e), conn.name)}`);
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
