// One MCP session of a connection: the SDK client, its transport, and everything that lives as
// long as it does (timers, notification handlers) in one DisposableStore, ended by close().
import type { Client, McpSubscription, SubscriptionFilter, Tool, Transport } from '@modelcontextprotocol/client';
import { DisposableStore, type Disposable } from './events';
import type { InputAnswerer } from './ask/install';
import { UrlCompletions } from './ask/urlCompletions';
import type { Logger } from './logger';
import type { LoggingLevel, ServerDefinition } from './config/types';
import type { ToolOutputValidators } from './toolOutput';
import type { TransportDriver } from './transport/driver';
import { freshUntil } from './modern';

export type ListKind = 'tools' | 'resources' | 'prompts';
/** First wait before opening a dropped subscriptions/listen stream again; doubles up to the maximum. */
export const RELISTEN_BASE_MS = 500;
export const RELISTEN_MAX_MS = 30_000;

export type SessionTimer = 'idle' | 'healthy' | 'relisten';

/** What a session tells its connection about the server's notifications. */
export interface SessionListener {
  readonly log: Logger;
  /** It is the connection's kept-alive session. */
  isCurrent(): boolean;
  /** It is kept alive or serving an operation. */
  isLive(): boolean;
  toolsChanged(): void;
  listChanged(kind: 'resources' | 'prompts'): void;
  /** notifications/resources/updated for a resource someone follows. */
  resourceUpdated(uri: string): void;
  /** The resources someone follows (2026-07-28: the listen stream's `resourceSubscriptions`). */
  watchedResources(): readonly string[];
}

const HANDLED = [
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/updated',
  'notifications/message',
] as const;

export class Session {
  tools?: Tool[];
  toolsLoading?: Promise<Tool[]>;
  closing = false;
  /** The server forgot this session (HTTP 404 on its id): requests that failed on it are retried. */
  expired = false;
  closed = false;
  readonly startedAt = Date.now();
  /** Timers and handlers of this session: disposed when it closes or ends. */
  readonly disposables = new DisposableStore();
  private readonly timers = new Map<SessionTimer, Disposable>();
  /** 2026-07-28 over HTTP: x-mcp-header arguments are mirrored into Mcp-Param-* headers. */
  mirrorsParams = false;
  /** 2026-07-28: the log level every request carries in `_meta` (that era has no logging/setLevel). */
  logLevel?: LoggingLevel;
  /** Answers a server's question that arrives outside a request (a 2026-07-28 task's `inputRequests`). */
  answerInput?: InputAnswerer;
  /** URL elicitations the server said are complete (waited for before retrying after -32042). */
  readonly urlCompletions = new UrlCompletions();
  /** Until when each list is fresh (2026-07-28 `ttlMs`); absent: until the server says it changed. */
  private readonly freshUntil = new Map<ListKind, number>();
  private subscription?: McpSubscription;
  private listener?: SessionListener;
  private relistens = 0;
  /** Counts listen() calls: an answer to an older one (a filter since replaced) is closed unused. */
  private listens = 0;

  constructor(
    readonly client: Client,
    readonly transport: Transport,
    readonly driver: TransportDriver<ServerDefinition>,
    /** outputSchema validators, compiled on a tool's first call (see toolOutput.ts). */
    readonly validators: ToolOutputValidators,
    /** Told how long each new list stays fresh (undefined: until it changes). */
    private readonly onListed: (kind: ListKind, until: number | undefined) => void = () => undefined,
  ) {}

  /** A list was fetched; its first page says how long it stays fresh (2026-07-28 only). */
  listed(kind: ListKind, firstPage: unknown): void {
    if (this.client.getProtocolEra() !== 'modern') return this.onListed(kind, undefined);
    const until = freshUntil(firstPage);
    this.freshUntil.set(kind, until);
    this.onListed(kind, until);
  }

  /** Whether the list of `kind` is past its `ttlMs`. */
  stale(kind: ListKind, now = Date.now()): boolean {
    const until = this.freshUntil.get(kind);
    return until !== undefined && now >= until;
  }

  /**
   * Opens a subscriptions/listen stream (2026-07-28) for what the server can announce and the
   * resources followed; its notifications reach the handlers of listen(). Called again when the
   * followed resources change: the new stream replaces the old one once it is open, so nothing
   * is missed in between. When the stream drops, it is opened again after 0.5 s, doubling up to
   * 30 s; a graceful end or our own close ends it for good.
   */
  subscribe(log: Logger): void {
    const caps = this.client.getServerCapabilities() ?? {};
    const watched = caps.resources?.subscribe ? (this.listener?.watchedResources() ?? []) : [];
    const filter: SubscriptionFilter = {
      ...(caps.tools?.listChanged && { toolsListChanged: true }),
      ...(caps.prompts?.listChanged && { promptsListChanged: true }),
      ...(caps.resources?.listChanged && { resourcesListChanged: true }),
      ...(watched.length > 0 && { resourceSubscriptions: [...watched] }),
    };
    if (this.closed || this.closing) return;
    const seq = ++this.listens;
    if (Object.keys(filter).length === 0) {
      void this.replaceSubscription(undefined);
      return;
    }
    this.client.listen(filter).then(
      (subscription) => {
        if (this.closed || this.closing || seq !== this.listens) return void subscription.close();
        void this.replaceSubscription(subscription);
        if (this.relistens > 0) {
          log.info('listening for changes again (subscriptions/listen)');
          // Changes while nobody listened were missed: the views list (and read) again.
          const to = this.listener;
          if (to?.isCurrent()) {
            to.toolsChanged();
            to.listChanged('resources');
            to.listChanged('prompts');
            for (const uri of watched) to.resourceUpdated(uri);
          }
        }
        this.relistens = 0;
        void subscription.closed.then((how) => {
          if (this.subscription !== subscription) return;
          this.subscription = undefined;
          if (how === 'remote') this.listenAgain(log, 'the subscriptions/listen stream dropped');
        });
      },
      (e: unknown) => {
        if (seq === this.listens) this.listenAgain(log, `subscriptions/listen failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private async replaceSubscription(next: McpSubscription | undefined): Promise<void> {
    const old = this.subscription;
    this.subscription = next;
    await old?.close().catch(() => undefined);
  }

  private listenAgain(log: Logger, why: string): void {
    if (this.closed || this.closing) return;
    const wait = Math.min(RELISTEN_BASE_MS * 2 ** this.relistens++, RELISTEN_MAX_MS);
    log.info(`${why}; listening again in ${wait} ms`);
    // Anything may have changed while nobody listened.
    this.tools = undefined;
    this.freshUntil.clear();
    this.setTimer('relisten', wait, () => this.subscribe(log));
  }

  get pid(): number | undefined {
    return this.driver.process(this.transport)?.pid;
  }

  /** Handles list_changed and logging notifications; the handlers go with the session. */
  listen(to: SessionListener): void {
    const { client } = this;
    this.listener = to;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      this.tools = undefined;
      if (!to.isCurrent()) return;
      to.log.info('tool list changed');
      to.toolsChanged();
    });
    for (const [method, kind] of [
      ['notifications/resources/list_changed', 'resources'],
      ['notifications/prompts/list_changed', 'prompts'],
    ] as const) {
      client.setNotificationHandler(method, () => {
        if (!to.isLive()) return;
        to.log.info(`${kind === 'resources' ? 'resource' : 'prompt'} list changed`);
        to.listChanged(kind);
      });
    }
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      if (to.isCurrent()) to.resourceUpdated(n.params.uri);
    });
    client.setNotificationHandler('notifications/message', (n) => {
      const text = typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data);
      // At its own level in the server's log: debug, info (and notice), warn, error (and worse).
      logAt(to.log, n.params.level)(`[server ${n.params.level}]${n.params.logger ? ` ${n.params.logger}:` : ''} ${text}`);
    });
    this.disposables.add({ dispose: () => HANDLED.forEach((method) => client.removeNotificationHandler(method)) });
  }

  /** (Re)arms the session's timer of that name; it ends with the session. */
  setTimer(name: SessionTimer, ms: number, fn: () => void): void {
    this.clearTimer(name);
    if (this.closed || this.closing) return;
    const handle = setTimeout(() => {
      this.clearTimer(name);
      fn();
    }, ms);
    handle.unref?.();
    this.timers.set(name, this.disposables.add({ dispose: () => clearTimeout(handle) }));
  }

  clearTimer(name: SessionTimer): void {
    const timer = this.timers.get(name);
    if (!timer) return;
    this.timers.delete(name);
    this.disposables.delete(timer);
  }

  /** The session ended (closed by us or by the server): its timers and handlers go. */
  ended(): void {
    this.closed = true;
    this.timers.clear();
    this.disposables.dispose();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const name of [...this.timers.keys()]) this.clearTimer(name);
    await this.subscription?.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
    this.ended();
  }
}

function logAt(log: Logger, level: string): (message: string) => void {
  switch (level) {
    case 'debug':
      return (m) => log.debug(m);
    case 'info':
    case 'notice':
      return (m) => log.info(m);
    case 'warning':
      return (m) => log.warn(m);
    default:
      return (m) => log.error(m);
  }
}
