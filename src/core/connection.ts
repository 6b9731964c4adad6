// A configured server and what can be done with it: the MCP operations of both eras, each run
// on a session that SessionKeeper (connection/keeper.ts) starts on demand and keeps alive.
// See docs/architecture.md.
import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  ListPromptsResult,
  ListResourcesResult,
  ListResourceTemplatesResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/client';
import {
  DiscoverResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ReadResourceResultSchema,
} from '@modelcontextprotocol/core';
import type { LoggingLevel } from './config/types';
import { ServerError, errorMessage } from './errors';
import { type Disposable } from './events';
import { paginate, sendRequest } from './requests';
import { type CallOptions } from './connectionTypes';
import { sessionChannel } from './tasks/channel';
import type { TaskChannel } from './tasks/protocol';
import { setLevelOn } from './connection/logLevel';
import { callToolOn, completeOn, loadTools, type CompletionRef } from './connection/operations';
import { subscribeOn, unsubscribeOn } from './connection/watches';
import { SessionKeeper } from './connection/keeper';

export {
  DEFAULT_TIMING,
  type CallOptions,
  type ConnectionOptions,
  type InputResolver,
  type LaunchRequest,
  type SessionInfo,
  type Timing,
} from './connectionTypes';

export class ServerConnection extends SessionKeeper {
  get cachedTools(): readonly Tool[] | undefined {
    const s = this.session;
    return s && !s.stale('tools') ? s.tools : undefined;
  }

  // ---------------------------------------------------------------- operations

  /** Checks that the server answers: `ping`, or `server/discover` on a 2026-07-28 session (that era has no ping). */
  ping(options: CallOptions = {}): Promise<void> {
    return this.use(async (s) => {
      if (s.client.getProtocolEra() === 'modern')
        await sendRequest(s, this.definition, { method: 'server/discover' }, DiscoverResultSchema, options);
      else await sendRequest(s, this.definition, { method: 'ping' }, EmptyResultSchema, options);
    }, options.signal);
  }

  /**
   * All tools (pagination followed), cached per session: until list_changed for a 2025-era
   * server; for a 2026-07-28 one also only as long as the list's `ttlMs` says (no polling: a
   * stale list is fetched again when somebody asks).
   */
  listTools(options: CallOptions & { refresh?: boolean } = {}): Promise<Tool[]> {
    return this.use((s) => {
      if (s.tools && !options.refresh && !s.stale('tools')) return Promise.resolve(s.tools);
      return loadTools(s, this.definition, this.log, options);
    }, options.signal);
  }

  /** Until when the last list of `kind` is fresh (a 2026-07-28 server's `ttlMs`); undefined: until it changes. */
  listFreshUntil(kind: 'tools' | 'resources' | 'prompts'): number | undefined {
    return this.freshness.get(kind);
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    return this.use(
      (s) => callToolOn(s, this.definition, this.log, (o) => this.listTools(o), name, args, options),
      options.signal,
      `tools/call "${name}"`,
    );
  }

  /** Runs task requests (tasks/get, tasks/cancel, ...: src/core/tasks/) on a session of this server. */
  withTasks<T>(fn: (channel: TaskChannel) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.use((s) => fn(sessionChannel(s, this.definition)), signal, 'task request');
  }

  listResources(options: CallOptions = {}): Promise<Resource[]> {
    return this.use(
      (s) =>
        paginate<ListResourcesResult, Resource>(
          s,
          this.definition,
          'resources/list',
          ListResourcesResultSchema,
          (r) => r.resources,
          options,
          (first) => s.listed('resources', first),
        ),
      options.signal,
    );
  }

  listResourceTemplates(options: CallOptions = {}): Promise<ResourceTemplate[]> {
    return this.use(
      (s) =>
        paginate<ListResourceTemplatesResult, ResourceTemplate>(
          s,
          this.definition,
          'resources/templates/list',
          ListResourceTemplatesResultSchema,
          (r) => r.resourceTemplates,
          options,
        ),
      options.signal,
    );
  }

  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.use(
      (s) => sendRequest(s, this.definition, { method: 'resources/read', params: { uri } }, ReadResourceResultSchema, options),
      options.signal,
    );
  }

  /**
   * Follows a resource: `onUpdated` runs each time the server says it changed
   * (notifications/resources/updated, asked for with `resources/subscribe` in the 2025 era and as
   * the subscriptions/listen stream's `resourceSubscriptions` in 2026-07-28), and once more after
   * the server was restarted or the stream came back, since updates may have been missed. The
   * kept-alive session is not stopped for idleness while anything is followed. Dispose the result
   * to stop following. Fails when the server does not announce updates (no `resources.subscribe`
   * capability) or has `keepAlive: false` (no connection lasts to hear them on).
   */
  async watchResource(uri: string, onUpdated: () => void, options: { signal?: AbortSignal } = {}): Promise<Disposable> {
    if (!this.definition.keepAlive)
      throw new ServerError(
        this.name,
        'unsupported',
        `cannot follow ${uri}: the server has "keepAlive": false, so no connection stays open to hear its updates. Set "keepAlive": true in its configuration to follow resources.`,
        { field: 'keepAlive' },
      );
    const s = await this.use(async (session) => session, options.signal, `following ${uri}`);
    if (!s.client.getServerCapabilities()?.resources?.subscribe)
      throw new ServerError(
        this.name,
        'unsupported',
        `cannot follow ${uri}: the server does not announce resource updates (no resources.subscribe capability).`,
      );
    const watch = this.watched.add(uri, onUpdated);
    s.clearTimer('idle');
    if (watch.first) {
      try {
        await subscribeOn(s, this.definition, this.log, uri);
      } catch (e) {
        watch.remove();
        if (this.activeOps === 0) this.armIdleTimer();
        throw this.translate(e, s, `resources/subscribe ${uri}`);
      }
    }
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (!watch.remove()) return;
        const current = this.session;
        if (current && !current.closed) void unsubscribeOn(current, this.definition, this.log, uri);
        if (this.activeOps === 0) this.armIdleTimer();
      },
    };
  }

  /**
   * Asks the server for log messages of `level` and worse, now and for later sessions:
   * `logging/setLevel` in the 2025 era, the level in each request's `_meta` in 2026-07-28.
   * Starts nothing: an idle server gets the level when it starts.
   */
  async setLogLevel(level: LoggingLevel): Promise<void> {
    this.chosenLogLevel = level;
    const s = this.session && !this.session.closed ? this.session : undefined;
    if (!s) return;
    if (!s.client.getServerCapabilities()?.logging)
      throw new ServerError(this.name, 'unsupported', 'the server does not send log messages (no logging capability).');
    if (s.client.getProtocolEra() === 'modern') s.logLevel = level;
    else await this.use((session) => setLevelOn(session, this.definition, level));
    this.log.info(`log level set to ${level}`);
  }

  /**
   * Suggested values for a prompt argument or a resource-template variable (`completion/complete`),
   * given what was typed and the other arguments already entered. A server without the
   * `completions` capability gets no request: the answer is no suggestions.
   */
  async complete(
    ref: CompletionRef,
    argument: { readonly name: string; readonly value: string },
    context: Readonly<Record<string, string>> = {},
    options: CallOptions = {},
  ): Promise<CompleteResult['completion']> {
    return this.use((s) => completeOn(s, this.definition, ref, argument, context, options), options.signal);
  }

  listPrompts(options: CallOptions = {}): Promise<Prompt[]> {
    return this.use(
      (s) =>
        paginate<ListPromptsResult, Prompt>(
          s,
          this.definition,
          'prompts/list',
          ListPromptsResultSchema,
          (r) => r.prompts,
          options,
          (first) => s.listed('prompts', first),
        ),
      options.signal,
    );
  }

  getPrompt(name: string, args: Record<string, string> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    return this.use(
      (s) => sendRequest(s, this.definition, { method: 'prompts/get', params: { name, arguments: args } }, GetPromptResultSchema, options),
      options.signal,
    );
  }

  /**
   * The host's default roots changed (a workspace folder was added or removed): tells the live
   * 2025-era sessions of a server that uses them (notifications/roots/list_changed). A
   * 2026-07-28 server asks for roots with each request that needs them.
   */
  async notifyRootsChanged(): Promise<void> {
    if (this.definition.roots !== undefined || !this.options.ask?.defaultRoots) return;
    const sessions = [...(this.session ? [this.session] : []), ...this.ephemeral];
    await Promise.all(
      sessions
        .filter((s) => !s.closed && s.client.getProtocolEra() !== 'modern')
        .map((s) =>
          s.client.sendRootsListChanged().then(
            () => this.log.info('told the server its roots changed (notifications/roots/list_changed)'),
            (e: unknown) => this.log.warn(`could not tell the server its roots changed: ${errorMessage(e)}`),
          ),
        ),
    );
  }
}
