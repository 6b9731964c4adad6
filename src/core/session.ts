// One MCP session of a connection: the SDK client, its transport, and everything that lives as
// long as it does (timers, notification handlers) in one DisposableStore, ended by close().
import type { Client, Tool, Transport } from '@modelcontextprotocol/client';
import { DisposableStore, type Disposable } from './events';
import type { Logger } from './logger';
import type { ServerDefinition } from './config/types';
import type { ToolOutputValidators } from './toolOutput';
import type { TransportDriver } from './transport/driver';

export type SessionTimer = 'idle' | 'healthy';

/** What a session tells its connection about the server's notifications. */
export interface SessionListener {
  readonly log: Logger;
  /** It is the connection's kept-alive session. */
  isCurrent(): boolean;
  /** It is kept alive or serving an operation. */
  isLive(): boolean;
  toolsChanged(): void;
  listChanged(kind: 'resources' | 'prompts'): void;
}

const HANDLED = [
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/prompts/list_changed',
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

  constructor(
    readonly client: Client,
    readonly transport: Transport,
    readonly driver: TransportDriver<ServerDefinition>,
    /** outputSchema validators, compiled on a tool's first call (see toolOutput.ts). */
    readonly validators: ToolOutputValidators,
  ) {}

  get pid(): number | undefined {
    return this.driver.process(this.transport)?.pid;
  }

  /** Handles list_changed and logging notifications; the handlers go with the session. */
  listen(to: SessionListener): void {
    const { client } = this;
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
    client.setNotificationHandler('notifications/message', (n) => {
      const text = typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data);
      to.log.info(`[server ${n.params.level}]${n.params.logger ? ` ${n.params.logger}:` : ''} ${text}`);
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
    await this.client.close().catch(() => undefined);
    this.ended();
  }
}
