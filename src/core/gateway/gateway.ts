// The gateway: the configured servers offered as one MCP server. This file is the protocol-free
// half (which servers and tools are offered, under which names, the remembered lists, routing a
// call to its server); downstream.ts puts an SDK server in front of it, stdio.ts and http.ts
// carry it to clients. Lists are remembered per configuration fingerprint (store.ts), so
// `tools/list` is answered without starting anything once a server has run; a server starts
// when one of its tools, resources or prompts is used, and its lists are listed again then.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  UriTemplate,
  type CallToolResult,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  type Tool,
} from '@modelcontextprotocol/client';
import type { ServerConnection } from '../connection';
import { errorMessage, ServerError } from '../errors';
import { Emitter, type Disposable, type Event } from '../events';
import { nullLogger, type Logger } from '../logger';
import { NameTable } from './names';
import { listsKey, MemoryMetadataStore, type MetadataStore, type RememberedLists, type ToolChoices } from './store';
import type { AskRelay, GatewayCaller, CallContext } from './relay';

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface GatewayOptions {
  /** The configured servers (the registry's connections); asked on every list. */
  readonly servers: () => readonly ServerConnection[];
  /** Fires when servers were added, removed or replaced (the registry's onDidChangeServers). */
  readonly onDidChangeServers?: Event<unknown>;
  /** Offer only these servers (`mcp-manager serve a b`); default: every enabled one with `expose` not false. */
  readonly only?: readonly string[];
  readonly store?: MetadataStore;
  readonly choices?: ToolChoices;
  readonly logger?: Logger;
  /** Where a server's own log is (which clients use it); default: `logger`. */
  readonly serverLogger?: (server: string) => Logger;
}

function describeCaller(caller: GatewayCaller): string {
  const name = caller.clientName?.();
  return name ? `the client "${name}"` : 'a client';
}

/** A request the gateway cannot route (unknown name): JSON-RPC invalid params for the client. */
export class GatewayRequestError extends Error {
  constructor(
    message: string,
    readonly code = -32602,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

class Upstream {
  lists?: RememberedLists;
  loaded = false;
  learning?: Promise<RememberedLists | undefined>;
  refreshing?: Promise<void>;
  again = false;
  readonly key: string;
  /** Callers (downstream clients) that used this server and are still connected. */
  readonly users = new Set<GatewayCaller>();
  /** Callers with a request in flight here, most recent last (for relaying server-to-client requests). */
  readonly active: CallContext[] = [];
  readonly subscriptions: Disposable[] = [];
  constructor(readonly conn: ServerConnection) {
    this.key = listsKey(conn.definition);
  }
}

export class Gateway implements AskRelay {
  private readonly upstreams = new Map<ServerConnection, Upstream>();
  private readonly store: MetadataStore;
  private readonly log: Logger;
  private toolNames?: NameTable;
  private promptNames?: NameTable;
  private readonly calls = new AsyncLocalStorage<CallContext>();
  private readonly callers = new Set<GatewayCaller>();
  private readonly subscriptions: Disposable[] = [];
  private readonly listEmitter = new Emitter<ListKind>();
  /** A list clients see changed (a server's list, enablement, the configuration): tell them list_changed. */
  readonly onDidChangeList = this.listEmitter.event;
  private readonly clientsEmitter = new Emitter<void>();
  /** Which clients use which server changed (see clientsOf). */
  readonly onDidChangeClients = this.clientsEmitter.event;

  constructor(private readonly options: GatewayOptions) {
    this.store = options.store ?? new MemoryMetadataStore();
    this.log = options.logger ?? nullLogger;
    if (options.onDidChangeServers)
      this.subscriptions.push(
        options.onDidChangeServers(() => {
          this.prune();
          this.changed('tools');
          this.changed('resources');
          this.changed('prompts');
        }),
      );
    if (options.choices) this.subscriptions.push(options.choices.onDidChange(() => this.changed('tools')));
  }

  // ------------------------------------------------------------------ what is offered

  /** The servers offered now: enabled, `expose` not false, and named by `only` when given. */
  offeredServers(): ServerConnection[] {
    const only = this.options.only;
    return this.options
      .servers()
      .filter((c) => !c.definition.disabled && c.definition.expose !== false && (!only || only.includes(c.name)));
  }

  /** The lists remembered for a server (undefined until it has run once with this configuration). */
  remembered(server: string): RememberedLists | undefined {
    const conn = this.options.servers().find((c) => c.name === server);
    return conn ? this.upstreams.get(conn)?.lists : undefined;
  }

  /** How many connected clients have used `server` through the gateway. */
  clientsOf(server: string): number {
    for (const [conn, up] of this.upstreams) if (conn.name === server) return up.users.size;
    return 0;
  }

  /**
   * The offered tools. `caller`: who asks; on a gateway of one server (VS Code's per-server
   * definitions) a client that lists it uses it, so the tree counts it from then on.
   */
  async listTools(caller?: GatewayCaller): Promise<Tool[]> {
    const entries = await this.knownLists();
    if (caller && this.options.only?.length === 1) for (const { up } of entries) this.noteUser(up, caller);
    const choices = this.options.choices;
    const offered = entries.map(({ up, lists }) => ({
      up,
      tools: lists.tools.filter((t) => (!choices || choices.isOffered(up.conn.name, t.name)) && !requiresTasks(t)),
    }));
    const table = NameTable.build(offered.map(({ up, tools }) => ({ server: up.conn.name, names: tools.map((t) => t.name) })));
    this.toolNames = table;
    const out: Tool[] = [];
    for (const { up, tools } of offered) for (const tool of tools) out.push({ ...tool, name: table.offered(up.conn.name, tool.name)! });
    return out;
  }

  async listPrompts(): Promise<Prompt[]> {
    const entries = await this.knownLists();
    const table = NameTable.build(entries.map(({ up, lists }) => ({ server: up.conn.name, names: lists.prompts.map((p) => p.name) })));
    this.promptNames = table;
    return entries.flatMap(({ up, lists }) => lists.prompts.map((p) => ({ ...p, name: table.offered(up.conn.name, p.name)! })));
  }

  async listResources(): Promise<Resource[]> {
    return (await this.knownLists()).flatMap(({ lists }) => [...lists.resources]);
  }

  async listResourceTemplates(): Promise<ResourceTemplateType[]> {
    return (await this.knownLists()).flatMap(({ lists }) => [...lists.resourceTemplates]);
  }

  // ------------------------------------------------------------------ operations

  async callTool(
    offered: string,
    args: Record<string, unknown> | undefined,
    ctx: CallContext,
    options: { signal?: AbortSignal; onProgress?: (p: { progress: number; total?: number; message?: string }) => void } = {},
  ): Promise<CallToolResult> {
    let target = this.toolNames?.resolve(offered);
    if (!target) {
      await this.listTools();
      target = this.toolNames?.resolve(offered);
    }
    const up = target && this.upstreamOf(target.server);
    if (!target || !up)
      throw new GatewayRequestError(`unknown tool "${offered}": it is not offered by this gateway (list the tools again)`);
    if (this.options.choices && !this.options.choices.isOffered(target.server, target.name))
      throw new GatewayRequestError(`tool "${offered}" is turned off in MCP Manager`);
    const name = target.name;
    return this.using(up, ctx, () => up.conn.callTool(name, args, options));
  }

  async getPrompt(
    offered: string,
    args: Record<string, string> | undefined,
    ctx: CallContext,
    signal?: AbortSignal,
  ): Promise<GetPromptResult> {
    let target = this.promptNames?.resolve(offered);
    if (!target) {
      await this.listPrompts();
      target = this.promptNames?.resolve(offered);
    }
    const up = target && this.upstreamOf(target.server);
    if (!target || !up) throw new GatewayRequestError(`unknown prompt "${offered}": it is not offered by this gateway`);
    const name = target.name;
    return this.using(up, ctx, () => up.conn.getPrompt(name, args ?? {}, { signal }));
  }

  async readResource(uri: string, ctx: CallContext, signal?: AbortSignal): Promise<ReadResourceResult> {
    const entries = await this.knownLists();
    const owner =
      entries.find(({ lists }) => lists.resources.some((r) => r.uri === uri)) ??
      entries.find(({ lists }) => lists.resourceTemplates.some((t) => matches(t.uriTemplate, uri))) ??
      // A URI nobody listed (a link in a tool result): the one server with resources, if only one has them.
      singleOrNone(entries.filter(({ lists }) => lists.capabilities?.resources));
    if (!owner) throw new GatewayRequestError(`resource ${uri} is not offered by any server of this gateway`);
    return this.using(owner.up, ctx, () => owner.up.conn.readResource(uri, { signal }));
  }

  // ------------------------------------------------------------------ callers and relaying

  /** A downstream client connected (one per SDK server instance); dispose it when it goes. */
  openCaller(info: Omit<GatewayCaller, 'dispose'>): GatewayCaller {
    const caller: GatewayCaller = {
      ...info,
      dispose: () => {
        if (!this.callers.delete(caller)) return;
        let changed = false;
        for (const up of this.upstreams.values()) {
          if (!up.users.delete(caller)) continue;
          changed = true;
          this.serverLog(up.conn.name).info(`${describeCaller(caller)} disconnected from the gateway`);
        }
        if (changed) this.clientsEmitter.fire();
      },
    };
    this.callers.add(caller);
    return caller;
  }

  /**
   * Relays a server-to-client request of upstream `server` (elicitation, sampling) to the client
   * whose request caused it: the one whose call is running in this async context, else the most
   * recent one with a request in flight on that server. Hosts connect the connections' question
   * handlers (core/ask on branch h15) to this.
   */
  relay<T>(server: string, kind: 'elicitation' | 'sampling', send: (ctx: CallContext) => Promise<T> | undefined): Promise<T> {
    const current = this.calls.getStore();
    const up = this.upstreamOf(server);
    const ctx = current ?? up?.active[up.active.length - 1];
    if (!ctx) return Promise.reject(new ServerError(server, 'unsupported', `asked for ${kind}, but no gateway client is waiting on it`));
    const sent = send(ctx);
    if (!sent)
      return Promise.reject(
        new ServerError(
          server,
          'unsupported',
          `asked for ${kind}, but the gateway client ${ctx.caller.clientName?.() ?? ''} does not support it (it declared no ${kind} capability, or speaks 2026-07-28, where the gateway does not relay questions yet)`.replace(
            /  +/g,
            ' ',
          ),
        ),
      );
    return sent;
  }

  private async using<T>(up: Upstream, ctx: CallContext, fn: () => Promise<T>): Promise<T> {
    this.noteUser(up, ctx.caller);
    up.active.push(ctx);
    try {
      return await this.calls.run(ctx, fn);
    } finally {
      const i = up.active.indexOf(ctx);
      if (i >= 0) up.active.splice(i, 1);
    }
  }

  /** `caller` uses the server from now on, until it disconnects: counted, and said in the server's log. */
  private noteUser(up: Upstream, caller: GatewayCaller): void {
    if (up.users.has(caller) || !this.callers.has(caller)) return;
    up.users.add(caller);
    this.serverLog(up.conn.name).info(`${describeCaller(caller)} uses this server through the gateway`);
    this.clientsEmitter.fire();
  }

  private serverLog(server: string): Logger {
    return this.options.serverLogger?.(server) ?? this.log;
  }

  // ------------------------------------------------------------------ remembered lists

  private upstreamOf(server: string): Upstream | undefined {
    const conn = this.offeredServers().find((c) => c.name === server);
    return conn ? this.upstream(conn) : undefined;
  }

  private upstream(conn: ServerConnection): Upstream {
    let up = this.upstreams.get(conn);
    if (up) return up;
    up = new Upstream(conn);
    this.upstreams.set(conn, up);
    const u = up;
    // A new session (a start for a call, a restart) or a list_changed: list again from the live session.
    u.subscriptions.push(conn.onDidChangeTools(() => setImmediate(() => void this.refresh(u))));
    u.subscriptions.push(conn.onDidChangeList(() => setImmediate(() => void this.refresh(u))));
    return up;
  }

  /** Forgets connections the registry no longer has (replaced or removed). */
  private prune(): void {
    const live = new Set(this.options.servers());
    for (const [conn, up] of this.upstreams) {
      if (live.has(conn)) continue;
      for (const d of up.subscriptions) d.dispose();
      this.upstreams.delete(conn);
    }
  }

  private async knownLists(): Promise<{ up: Upstream; lists: RememberedLists }[]> {
    const ups = this.offeredServers().map((c) => this.upstream(c));
    const lists = await Promise.all(ups.map((up) => this.known(up)));
    const out: { up: Upstream; lists: RememberedLists }[] = [];
    ups.forEach((up, i) => lists[i] && out.push({ up, lists: lists[i] }));
    return out;
  }

  /** Remembered lists, from memory or the store; a server never seen with this configuration is started once to learn them. */
  private known(up: Upstream): Promise<RememberedLists | undefined> {
    if (up.lists) return Promise.resolve(up.lists);
    return (up.learning ??= (async () => {
      if (!up.loaded) {
        up.loaded = true;
        const stored = await this.store.get(up.conn.name, up.key).catch(() => undefined);
        if (stored && !up.lists) up.lists = stored;
        if (up.lists) return up.lists;
      }
      try {
        await this.fetch(up);
      } catch (e) {
        this.log.warn(`gateway: ${up.conn.name} is left out of the lists: ${errorMessage(e)}`);
      }
      return up.lists;
    })().finally(() => (up.learning = undefined)));
  }

  /** Lists again from a running kept-alive session (nothing is started for it). */
  private refresh(up: Upstream): Promise<void> {
    if (this.upstreams.get(up.conn) !== up) return Promise.resolve();
    if (up.refreshing) {
      up.again = true;
      return up.refreshing;
    }
    if (up.conn.state.kind !== 'running' || !up.conn.definition.keepAlive) return Promise.resolve();
    up.refreshing = this.fetch(up, true)
      .catch((e: unknown) => this.log.warn(`gateway: could not list ${up.conn.name} again: ${errorMessage(e)}`))
      .finally(() => {
        up.refreshing = undefined;
        if (up.again) {
          up.again = false;
          void this.refresh(up);
        }
      });
    return up.refreshing;
  }

  /** `again`: ask the server even when the session has a list (a list_changed may have raced the last listing). */
  private async fetch(up: Upstream, again = false): Promise<void> {
    const conn = up.conn;
    const tools = await conn.listTools({ refresh: again });
    const caps = conn.capabilities;
    const [resources, resourceTemplates, prompts] = await Promise.all([
      caps?.resources ? conn.listResources().catch(() => []) : [],
      caps?.resources ? conn.listResourceTemplates().catch(() => []) : [],
      caps?.prompts ? conn.listPrompts().catch(() => []) : [],
    ]);
    const next: RememberedLists = { tools, resources, resourceTemplates, prompts, capabilities: caps, listedAt: Date.now() };
    const before = up.lists;
    up.lists = next;
    up.loaded = true;
    await this.store
      .set(conn.name, up.key, next)
      .catch((e: unknown) => this.log.warn(`gateway: could not remember the lists of ${conn.name}: ${errorMessage(e)}`));
    if (!before) return this.changed('tools', 'resources', 'prompts');
    if (JSON.stringify(before.tools) !== JSON.stringify(next.tools)) this.changed('tools');
    if (
      JSON.stringify(before.resources) !== JSON.stringify(next.resources) ||
      JSON.stringify(before.resourceTemplates) !== JSON.stringify(next.resourceTemplates)
    )
      this.changed('resources');
    if (JSON.stringify(before.prompts) !== JSON.stringify(next.prompts)) this.changed('prompts');
  }

  private changed(...kinds: ListKind[]): void {
    for (const kind of kinds) {
      if (kind === 'tools') this.toolNames = undefined;
      if (kind === 'prompts') this.promptNames = undefined;
      this.listEmitter.fire(kind);
    }
  }

  /** Tells clients their lists changed (after a change of `expose` or of tool choices made elsewhere). */
  listsChanged(): void {
    this.changed('tools', 'resources', 'prompts');
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const up of this.upstreams.values()) for (const d of up.subscriptions) d.dispose();
    this.upstreams.clear();
    for (const c of [...this.callers]) c.dispose();
    this.listEmitter.dispose();
    this.clientsEmitter.dispose();
  }
}

/** A tool that can only run as a task (SEP tasks extension): the gateway does not relay tasks. */
function requiresTasks(tool: Tool): boolean {
  return (tool as { execution?: { taskSupport?: string } }).execution?.taskSupport === 'required';
}

function matches(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false;
  }
}

function singleOrNone<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
