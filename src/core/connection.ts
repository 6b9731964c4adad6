// A configured server and its (at most one) kept-alive session. Creating a connection starts
// nothing; the first operation connects, and callers that arrive while it is starting share
// the same attempt (single-flight). See docs/architecture.md.
import {
  Client,
  ProtocolError,
  type CallToolResult,
  type CompleteResult,
  type GetPromptResult,
  type ListPromptsResult,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type ServerCapabilities,
  type Tool,
  type Transport,
} from '@modelcontextprotocol/client';
import {
  CallToolResultSchema,
  CompleteResultSchema,
  DiscoverResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  PaginatedResultSchema,
  ReadResourceResultSchema,
} from '@modelcontextprotocol/core';
import type { LoggingLevel, ServerDefinition } from './config/types';
import { DEFERRED_VARIABLE, deferredKey } from './config/variables';
import { MAX_STEP_UPS } from './auth/serverAuth';
import { isSignInRequired, SignInRequiredError } from './auth/types';
import { ServerError, errorMessage } from './errors';
import { Emitter, type Disposable } from './events';
import { crashFailure, requestFailure, serverMessage, startupFailure } from './failures';
import { maskingLogger, type Logger } from './logger';
import { SecretMasker } from './secrets';
import { Session } from './session';
import { idleState, type ConnectionState } from './state';
import { abortable } from './deadline';
import { driverFor } from './transport/drivers';
import { ToolOutputValidators } from './toolOutput';
import { paginate, sendRequest } from './requests';
import {
  DEFAULT_TIMING,
  type CallOptions,
  type ConnectionOptions,
  type ProtocolEra,
  type SessionInfo,
  type Timing,
} from './connectionTypes';
import type { TransportDriver } from './transport/driver';
import { sanitizeTools } from './toolSchema';
import { completeResultTypes, mcpParamHeaders, scanMcpParams } from './modern';
import { z } from 'zod';
import { askCapabilities, installAskHandlers } from './ask/install';
import { MAX_INPUT_ROUNDS } from './ask/types';
import { LOOSE_RESULT, sessionChannel } from './tasks/channel';
import { asksForTask, clientTaskCapabilities, serverRunsToolTasks, taskSupportOf } from './tasks/policy';
import { createdTask, detachedResult, followTask, type TaskChannel } from './tasks/protocol';

export {
  DEFAULT_TIMING,
  type CallOptions,
  type ConnectionOptions,
  type InputResolver,
  type LaunchRequest,
  type SessionInfo,
  type Timing,
} from './connectionTypes';

/** tools/list parsed loosely: each tool is checked on its own (toolSchema.ts), so one bad tool cannot hide the rest. Made on first use. */
let tolerantToolsResultSchema: ReturnType<typeof makeTolerantToolsResultSchema> | undefined;
function makeTolerantToolsResultSchema() {
  return PaginatedResultSchema.extend({ tools: z.array(z.unknown()) });
}
/** The JSON-RPC error of a request whose Mcp-Param-* headers do not match its arguments (2026-07-28). */
const HEADER_MISMATCH = -32020;

export class ServerConnection {
  private _state: ConnectionState;
  private session?: Session;
  private starting?: Promise<Session>;
  /** Transports being connected right now, so stop() can kill a hanging handshake. */
  private readonly connecting = new Set<Transport>();
  private readonly ephemeral = new Set<Session>();
  private generation = 0;
  private failures = 0;
  private lastFailureAt = 0;
  private activeOps = 0;
  private disposed = false;
  private readonly timing: Timing;
  private readonly log: Logger;
  readonly masker = new SecretMasker();

  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly toolsEmitter = new Emitter<void>();
  /** Every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** The server's tool list changed (notifications/tools/list_changed, or a new session). */
  readonly onDidChangeTools = this.toolsEmitter.event;
  private readonly listEmitter = new Emitter<'resources' | 'prompts'>();
  /** The server's resources or prompts changed (notifications/resources|prompts/list_changed). */
  readonly onDidChangeList = this.listEmitter.event;
  private declared?: ServerCapabilities;
  /**
   * The era the server answered in, remembered for later sessions of this connection: a 2025-era
   * server is then not probed again (a probe costs a silent server the probe timeout, and a
   * server that exits on it a restart). Forgotten on restart() and when the server stops
   * answering in that era. A 2026-era server is probed each session: `server/discover` is its
   * handshake, one round trip.
   */
  private era?: ProtocolEra;
  /** Until when each list is fresh, from the latest session's lists (see listFreshUntil). */
  private readonly freshness = new Map<'tools' | 'resources' | 'prompts', number | undefined>();
  /** Set by setLogLevel(): wins over the entry's `logLevel` until the connection is disposed. */
  private chosenLogLevel?: LoggingLevel;
  /** Followed resources (watchResource): URI -> the callbacks told when it changes. */
  private readonly watched = new Map<string, Set<() => void>>();

  constructor(
    readonly definition: ServerDefinition,
    private readonly options: ConnectionOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this._state = definition.disabled ? { kind: 'disabled' } : idleState;
    // Values of secret-looking env vars and headers never reach the log.
    this.masker.addAll(driverFor(definition).secrets(definition));
    this.log = maskingLogger(options.logger ?? { trace() {}, debug() {}, info() {}, warn() {}, error() {} }, this.masker.mask);
  }

  get name(): string {
    return this.definition.name;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** Details of the kept-alive session while running. */
  get info(): SessionInfo | undefined {
    const s = this.session ?? [...this.ephemeral][0];
    if (!s) return undefined;
    return {
      pid: s.pid,
      startedAt: s.startedAt,
      protocolVersion: s.client.getNegotiatedProtocolVersion(),
      era: s.client.getProtocolEra(),
      serverInfo: s.client.getServerVersion(),
      capabilities: s.client.getServerCapabilities(),
      instructions: s.client.getInstructions(),
    };
  }

  /**
   * What the server declared in its latest handshake, kept after that session ends: a
   * `keepAlive: false` server has no session between operations, yet its capabilities are known.
   */
  get capabilities(): ServerCapabilities | undefined {
    return this.session?.client.getServerCapabilities() ?? this.declared;
  }

  /** Tools of the running session if already listed (no I/O). */
  get cachedTools(): readonly Tool[] | undefined {
    const s = this.session;
    return s && !s.stale('tools') ? s.tools : undefined;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Connects now (explicit user action): also clears a "not retrying" state. */
  async start(): Promise<void> {
    if (this.failures >= this.timing.maxFailures) this.failures = 0;
    if (this.definition.keepAlive) {
      await this.ensureSession();
    } else {
      // Nothing stays running without keep-alive: "start" checks that the server comes up.
      await this.use(async () => undefined);
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    const sessions = [...(this.session ? [this.session] : []), ...this.ephemeral];
    this.session = undefined;
    this.ephemeral.clear();
    const connecting = [...this.connecting];
    this.connecting.clear();
    await Promise.all([...sessions.map((s) => s.close()), ...connecting.map((t) => t.close().catch(() => undefined))]);
    if (sessions.length || connecting.length) this.log.info('stopped');
    if (!this.disposed) this.setState(this.definition.disabled ? { kind: 'disabled' } : { kind: 'stopped' });
  }

  async restart(): Promise<void> {
    await this.stop();
    this.failures = 0;
    this.era = undefined;
    await this.start();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.stateEmitter.dispose();
    this.toolsEmitter.dispose();
    this.listEmitter.dispose();
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
      if (s.toolsLoading) return s.toolsLoading;
      const schema = (tolerantToolsResultSchema ??= makeTolerantToolsResultSchema());
      const modern = s.client.getProtocolEra() === 'modern';
      const loading = paginate<z.output<typeof schema>, unknown>(
        s,
        this.definition,
        'tools/list',
        schema,
        (r) => r.tools,
        options,
        (first) => s.listed('tools', first),
      ).then(
        (raw) => {
          const { tools, problems } = sanitizeTools(raw);
          for (const p of problems) this.log.warn(`tools/list: ${p.message}`);
          s.tools = modern ? this.withValidMcpParams(tools) : tools;
          s.toolsLoading = undefined;
          return s.tools;
        },
        (e: unknown) => {
          s.toolsLoading = undefined;
          throw e;
        },
      );
      s.toolsLoading = loading;
      return loading;
    }, options.signal);
  }

  /** Until when the last list of `kind` is fresh (a 2026-07-28 server's `ttlMs`); undefined: until it changes. */
  listFreshUntil(kind: 'tools' | 'resources' | 'prompts'): number | undefined {
    return this.freshness.get(kind);
  }

  /** 2026-07-28: a tool whose x-mcp-header annotations break the rules cannot be called right; it is left out, and said so. */
  private withValidMcpParams(tools: Tool[]): Tool[] {
    return tools.filter((tool) => {
      const scan = scanMcpParams(tool.inputSchema);
      if (!scan.valid) this.log.warn(`tools/list: left out tool "${tool.name}": ${scan.reason}`);
      return scan.valid;
    });
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    return this.use(
      async (s) => {
        // Tasks (src/core/tasks/): a 2025-era call asks for one with `task`; a 2026 server may answer any call with one.
        const asTask = await this.asksForTask(s, name, options);
        const params = { name, arguments: args ?? {}, ...(asTask && { task: {} }) };
        const send = (headers?: Record<string, string>) =>
          sendRequest(
            s,
            this.definition,
            { method: 'tools/call', params },
            asTask ? LOOSE_RESULT : CallToolResultSchema,
            options,
            headers,
          ) as Promise<CallToolResult>;
        // 2026-07-28 over HTTP: arguments annotated x-mcp-header travel in Mcp-Param-* headers too.
        const mirrored = s.mirrorsParams
          ? mcpParamHeaders(
              s.tools?.find((t) => t.name === name),
              params.arguments,
            )
          : undefined;
        let result: CallToolResult;
        try {
          result = await send(mirrored);
        } catch (e) {
          // Our list was missing or old, so the headers were wrong: list again and send once more.
          if (!(s.mirrorsParams && e instanceof ProtocolError && e.code === HEADER_MISMATCH)) throw e;
          this.log.info(`tools/call "${name}": the server expects other Mcp-Param-* headers; listing its tools again and retrying`);
          s.tools = undefined;
          const tools = await this.listTools({ ...options, refresh: true });
          result = await send(
            mcpParamHeaders(
              tools.find((t) => t.name === name),
              params.arguments,
            ),
          );
        }
        const task = createdTask(this.name, result);
        if (task) {
          options.task?.onTask?.(task);
          if (options.task?.detach) return detachedResult(task);
          result = await followTask(sessionChannel(s, this.definition), task, options.task, options.signal);
        }
        try {
          s.validators.check(s.tools, name, result);
        } catch (e) {
          // Our own check of the result against its output schema, not an error from the server.
          if (e instanceof ProtocolError)
            throw new ServerError(this.name, 'protocol', `tools/call "${name}" failed: ${serverMessage(e)}`, { cause: e, code: e.code });
          throw e;
        }
        return result;
      },
      options.signal,
      `tools/call "${name}"`,
    );
  }

  /** 2025 era: whether this call asks for a task (the tool's `execution.taskSupport`, `useTasks`, a long call). */
  private async asksForTask(s: Session, name: string, options: CallOptions): Promise<boolean> {
    if (s.client.getProtocolEra() === 'modern' || !serverRunsToolTasks(s.client.getServerCapabilities())) return false;
    const tools = s.tools ?? (await this.listTools(options));
    return asksForTask(taskSupportOf(tools.find((t) => t.name === name)), this.definition.useTasks, options.task?.long);
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
    let callbacks = this.watched.get(uri);
    const first = !callbacks;
    if (!callbacks) this.watched.set(uri, (callbacks = new Set()));
    const callback = () => onUpdated();
    callbacks.add(callback);
    s.clearTimer('idle');
    if (first) {
      try {
        await this.subscribeOn(s, uri);
      } catch (e) {
        callbacks.delete(callback);
        if (!callbacks.size) this.watched.delete(uri);
        if (this.activeOps === 0) this.armIdleTimer();
        throw this.translate(e, s, `resources/subscribe ${uri}`);
      }
    }
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        callbacks.delete(callback);
        if (callbacks.size || this.watched.get(uri) !== callbacks) return;
        this.watched.delete(uri);
        const current = this.session;
        if (current && !current.closed) void this.unsubscribeOn(current, uri);
        if (this.activeOps === 0) this.armIdleTimer();
      },
    };
  }

  /** The least severe server log message asked for: setLogLevel()'s choice, else the entry's `logLevel`. */
  get logLevel(): LoggingLevel | undefined {
    return this.chosenLogLevel ?? this.definition.logLevel;
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
    else
      await this.use((session) =>
        sendRequest(session, this.definition, { method: 'logging/setLevel', params: { level } }, EmptyResultSchema, {}),
      );
    this.log.info(`log level set to ${level}`);
  }

  /**
   * A new session of a server that logs: the chosen level. A 2026-07-28 server sends log messages
   * only for requests that carry a level, so those sessions ask for "info" unless told otherwise.
   */
  private applyLogLevel(s: Session): void {
    if (!s.client.getServerCapabilities()?.logging) return;
    const level = this.logLevel;
    if (s.client.getProtocolEra() === 'modern') s.logLevel = level ?? 'info';
    else if (level)
      void sendRequest(s, this.definition, { method: 'logging/setLevel', params: { level } }, EmptyResultSchema, {}).catch((e: unknown) =>
        this.log.warn(`logging/setLevel ${level} failed: ${errorMessage(e)}`),
      );
  }

  private async subscribeOn(s: Session, uri: string): Promise<void> {
    if (s.client.getProtocolEra() === 'modern') return s.subscribe(this.log);
    await sendRequest(s, this.definition, { method: 'resources/subscribe', params: { uri } }, EmptyResultSchema, {});
  }

  private async unsubscribeOn(s: Session, uri: string): Promise<void> {
    if (s.client.getProtocolEra() === 'modern') return s.subscribe(this.log);
    await sendRequest(s, this.definition, { method: 'resources/unsubscribe', params: { uri } }, EmptyResultSchema, {}).catch((e: unknown) =>
      this.log.debug(`resources/unsubscribe ${uri} failed: ${errorMessage(e)}`),
    );
  }

  /** A new kept-alive session: follow again what was followed, and tell the followers to read again. */
  private rewatch(s: Session): void {
    const uris = [...this.watched.keys()];
    if (s.client.getProtocolEra() === 'legacy' && s.client.getServerCapabilities()?.resources?.subscribe)
      for (const uri of uris)
        void sendRequest(s, this.definition, { method: 'resources/subscribe', params: { uri } }, EmptyResultSchema, {}).catch(
          (e: unknown) => this.log.warn(`could not follow ${uri} again after the restart: ${errorMessage(e)}`),
        );
    for (const uri of uris) this.resourceUpdated(uri);
  }

  private resourceUpdated(uri: string): void {
    const callbacks = this.watched.get(uri);
    if (!callbacks) return;
    this.log.debug(`resource updated: ${uri}`);
    for (const cb of [...callbacks]) {
      try {
        cb();
      } catch (e) {
        this.log.warn(`a follower of ${uri} failed: ${errorMessage(e)}`);
      }
    }
  }

  /**
   * Suggested values for a prompt argument or a resource-template variable (`completion/complete`),
   * given what was typed and the other arguments already entered. A server without the
   * `completions` capability gets no request: the answer is no suggestions.
   */
  async complete(
    ref: { readonly type: 'prompt'; readonly name: string } | { readonly type: 'resource'; readonly uri: string },
    argument: { readonly name: string; readonly value: string },
    context: Readonly<Record<string, string>> = {},
    options: CallOptions = {},
  ): Promise<CompleteResult['completion']> {
    const params = {
      ref: ref.type === 'prompt' ? { type: 'ref/prompt' as const, name: ref.name } : { type: 'ref/resource' as const, uri: ref.uri },
      argument: { name: argument.name, value: argument.value },
      ...(Object.keys(context).length ? { context: { arguments: { ...context } } } : {}),
    };
    return this.use(async (s) => {
      if (!s.client.getServerCapabilities()?.completions) return { values: [] };
      const result = await sendRequest(s, this.definition, { method: 'completion/complete', params }, CompleteResultSchema, options);
      return result.completion;
    }, options.signal);
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

  // ---------------------------------------------------------------- internals

  /**
   * Runs one operation on a session: the kept-alive one (started on demand, shared while
   * starting), or a fresh one closed afterwards when keepAlive is off.
   */
  private async use<T>(fn: (s: Session) => Promise<T>, signal?: AbortSignal, what?: string): Promise<T> {
    if (this.disposed) throw new ServerError(this.name, 'stopped', 'the server was removed from the configuration');
    this.activeOps++;
    this.session?.clearTimer('idle');
    let session: Session | undefined;
    try {
      // A running session is used at once (no await in between: the warm path is the hot one).
      const running = this.definition.keepAlive && this.session && !this.session.closed ? this.session : undefined;
      session =
        running ?? (await abortable(this.definition.keepAlive ? this.ensureSession() : this.startEphemeral(), signal, this.startCancelled));
      try {
        return await this.signingIn(
          () => fn(session!),
          signal,
          (e) => session!.driver.authFailure?.(session!.transport) ?? e,
        );
      } catch (e) {
        const expiredId = session.expired ? undefined : session.driver.expiredSession(e, session.transport);
        if (!(session.expired || expiredId !== undefined) || signal?.aborted) throw e;
        // The server no longer knows our session (it restarted, or the session expired): the spec
        // says to start a new one. The server rejects every request carrying the old id, so none
        // was processed and sending it again is safe; once. Requests in flight on the old session
        // fail when it is closed here and come this way too.
        if (!session.expired) {
          session.expired = true;
          this.log.info(`the server no longer knows session ${expiredId} (HTTP 404); starting a new session and retrying`);
        }
        await this.dropSession(session);
        session = await abortable(this.definition.keepAlive ? this.ensureSession() : this.startEphemeral(), signal, this.startCancelled);
        return await this.signingIn(
          () => fn(session!),
          signal,
          (e) => session!.driver.authFailure?.(session!.transport) ?? e,
        );
      }
    } catch (e) {
      const err = this.translate(e, session, what, signal);
      // A sign-in that stopped working (revoked, expired without refresh) makes the server "sign-in
      // required" again: the session goes (its token is gone), and nothing retries by itself.
      if (isSignInRequired(err) && session && !session.closing) {
        await this.dropSession(session);
        this.setAuthState(err);
      }
      throw err;
    } finally {
      this.activeOps--;
      if (!this.definition.keepAlive && session) {
        this.ephemeral.delete(session);
        await session.close();
        if (this.activeOps === 0 && this.ephemeral.size === 0 && this._state.kind === 'running') this.setState(idleState);
      }
      if (this.activeOps === 0) this.armIdleTimer();
    }
  }

  private readonly startCancelled = () => new ServerError(this.name, 'cancelled', 'cancelled while waiting for the server to start');

  /** Forgets a session that is no longer usable and closes it (not a failure: no crash, no backoff). */
  private async dropSession(s: Session): Promise<void> {
    if (this.session === s) this.session = undefined;
    this.ephemeral.delete(s);
    await s.close();
  }

  private ensureSession(): Promise<Session> {
    if (this.session && !this.session.closed) return Promise.resolve(this.session);
    if (this.starting) return this.starting;
    const gen = this.generation;
    const attempt = (async () => {
      const s = await this.connectWithPolicy();
      if (gen !== this.generation || this.disposed) {
        await s.close();
        throw new ServerError(this.name, 'stopped', 'was stopped while it was starting; start it again to use it');
      }
      this.session = s;
      // 2026-07-28 has no unsolicited notifications: list changes come on a subscriptions/listen
      // stream, opened for the kept-alive session and opened again when it drops.
      if (s.client.getProtocolEra() === 'modern') s.subscribe(this.log);
      if (this.watched.size) this.rewatch(s);
      this.toolsEmitter.fire();
      s.setTimer('healthy', this.timing.healthyAfterMs, () => (this.failures = 0));
      return s;
    })();
    this.starting = attempt;
    const clear = () => {
      if (this.starting === attempt) this.starting = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  private async startEphemeral(): Promise<Session> {
    const s = await this.connectWithPolicy();
    this.ephemeral.add(s);
    return s;
  }

  /** Applies the failure policy (backoff, give up) around one connection attempt. */
  private async connectWithPolicy(): Promise<Session> {
    if (this.definition.disabled) {
      throw new ServerError(this.name, 'disabled', 'the server is disabled in its configuration ("disabled": true)');
    }
    if (this.failures >= this.timing.maxFailures) {
      const last = this._state.kind === 'error' ? ` Last error: ${this._state.message.replace(`${this.name}: `, '')}` : '';
      throw new ServerError(
        this.name,
        'gaveUp',
        `failed ${this.failures} times in a row and is not being restarted automatically; restart it to try again.${last}`,
      );
    }
    const gen = this.generation;
    const stoppedWhileStarting = () => new ServerError(this.name, 'stopped', 'was stopped while it was starting; start it again to use it');
    if (this.failures > 0) {
      const wait =
        Math.min(this.timing.backoffBaseMs * 2 ** (this.failures - 1), this.timing.backoffMaxMs) - (Date.now() - this.lastFailureAt);
      if (wait > 0) {
        this.log.info(`waiting ${wait} ms before restarting (failure ${this.failures})`);
        await new Promise((r) => setTimeout(r, wait));
        if (gen !== this.generation || this.disposed) throw stoppedWhileStarting();
      }
    }
    if (this._state.kind !== 'running') this.setState({ kind: 'starting', since: Date.now() });
    try {
      const s = await this.connect();
      this.declared = s.client.getServerCapabilities();
      const info = s.client.getServerVersion();
      this.setState({
        kind: 'running',
        since: s.startedAt,
        pid: s.pid,
        serverName: info?.name,
        serverVersion: info?.version,
        protocolVersion: s.client.getNegotiatedProtocolVersion(),
      });
      return s;
    } catch (e) {
      // Declining a prompt (an input, the launch confirmation) is the user's choice, not a failure:
      // no backoff, no error state.
      if (e instanceof ServerError && e.kind === 'cancelled') {
        if (this._state.kind === 'starting') this.setState({ kind: 'stopped' });
        throw e;
      }
      // stop() (or removal) killed the handshake: not the server's failure, whatever it says.
      if (gen !== this.generation || this.disposed) throw stoppedWhileStarting();
      const err = e instanceof ServerError ? e : new ServerError(this.name, 'handshake', errorMessage(e), { cause: e });
      // Needing sign-in is a state, not a failure of the server: no backoff, no giving up.
      if (err.kind === 'auth') this.setAuthState(err);
      else this.recordFailure(err);
      throw err;
    }
  }

  private setAuthState(err: ServerError): void {
    this.log.warn(err.message);
    this.setState({ kind: 'error', message: err.message, failures: this.failures, gaveUp: false, signInRequired: isSignInRequired(err) });
  }

  private recordFailure(err: ServerError): void {
    this.failures++;
    this.lastFailureAt = Date.now();
    const gaveUp = this.failures >= this.timing.maxFailures;
    this.log.error(err.detail + (gaveUp ? `\nGave up after ${this.failures} consecutive failures; restart the server to try again.` : ''));
    this.setState({
      kind: 'error',
      message: err.message,
      stderrTail: err.stderrTail,
      exitCode: err.exitCode,
      failures: this.failures,
      gaveUp,
    });
  }

  private async resolveInputs(def: ServerDefinition): Promise<ServerDefinition> {
    if (def.inputs.length === 0 || def.type === 'memory') return def;
    if (!this.options.inputResolver) {
      throw new ServerError(this.name, 'config', `uses \${input:${def.inputs[0]}} but inputs cannot be prompted for here`);
    }
    const values = await this.options.inputResolver(this.name, def.inputs);
    this.masker.addAll(Object.values(values));
    const sub = (v: string) =>
      v.replace(DEFERRED_VARIABLE, (whole, kind: string, id: string) => {
        const value = values[deferredKey(kind, id)];
        if (value === undefined) throw new ServerError(this.name, 'config', `no value for ${whole}`);
        return value;
      });
    return driverFor(def).substitute(def, sub);
  }

  /** One handshake: build the transport, connect within startupTimeoutMs, or clean up and explain. */
  private async connect(): Promise<Session> {
    const driver = driverFor(this.definition);
    // Consent first: asking for a secret of a program the user has not agreed to run is backwards.
    const preview = this.options.beforeLaunch && (await driver.preview?.(this.definition, this.masker, this.options.parentEnv));
    if (preview && !(await this.options.beforeLaunch!(this.definition, preview))) {
      throw new ServerError(this.name, 'cancelled', 'was not started: running its command was not allowed');
    }
    const def = await this.resolveInputs(this.definition);
    const remembered = this.era;
    const gen = this.generation;
    try {
      return await this.signingIn(() => this.handshake(driver, def, remembered === 'legacy' ? 'legacy' : 'auto'));
    } catch (e) {
      // A stdio server that exits on the unknown `server/discover` (as servers on some 2025-era
      // SDKs do) is a 2025-era server: start it again with the 2025 handshake. And a server
      // remembered as 2025-era that no longer accepts `initialize` may have moved on: probe again.
      const retry = remembered === 'legacy' ? 'auto' : probeEndedServer(e, driver) ? 'legacy' : undefined;
      if (!retry || isSignInRequired(e) || this.disposed || gen !== this.generation) throw e;
      this.era = undefined;
      this.log.info(
        retry === 'legacy'
          ? 'the server closed its end on the protocol version probe (server/discover); starting it again with the 2025 handshake (initialize)'
          : 'the server no longer accepts the 2025 handshake (initialize); probing its protocol version again',
      );
      return await this.signingIn(() => this.handshake(driver, def, retry));
    }
  }

  /**
   * Runs `attempt`; when it fails because the server needs (more) sign-in and the host may sign in
   * during operations (AuthHost.signInOnDemand), signs in (between attempts, outside any handshake
   * or request timer: a person may take minutes in the browser) and runs it again, at most
   * MAX_STEP_UPS times. `translate` finds the sign-in failure behind a request's raw failure.
   */
  private async signingIn<T>(attempt: () => Promise<T>, signal?: AbortSignal, translate: (e: unknown) => unknown = (e) => e): Promise<T> {
    const host = this.options.auth;
    for (let signIns = 0; ; signIns++) {
      let err: unknown;
      try {
        return await attempt();
      } catch (e) {
        err = translate(e);
      }
      if (!(err instanceof SignInRequiredError) || !err.signIn || !host?.ui || !host.signInOnDemand || signal?.aborted) throw err;
      if (signIns >= MAX_STEP_UPS) {
        if (!err.stepUp) throw err;
        throw new ServerError(
          this.name,
          'auth',
          `the server still refuses with insufficient_scope after ${signIns} sign-ins with more scopes (it asks for "${err.scope ?? ''}")`,
        );
      }
      this.log.info(`${err.reason}; signing in`);
      await err.signIn(signal);
    }
  }

  /**
   * One handshake on a new transport: `server/discover` first (2026-07-28), falling back to
   * `initialize` (2025) as the SDK decides, or `initialize` at once for a server known to be
   * 2025-era. Within startupTimeoutMs, or cleaned up and explained.
   */
  private async handshake(driver: TransportDriver<ServerDefinition>, def: ServerDefinition, era: 'auto' | 'legacy'): Promise<Session> {
    const gen = this.generation;
    const transport = await driver.create(def, {
      server: this.name,
      log: this.log,
      masker: this.masker,
      timing: this.timing,
      parentEnv: this.options.parentEnv,
      auth: this.options.auth,
      onProblem: (problem) => {
        // Shown while it starts (the tree's description), e.g. text a stdio server wrote on stdout.
        if (gen === this.generation && this._state.kind === 'starting') this.setState({ ...this._state, problem });
      },
    });
    const validators = new ToolOutputValidators(this.options.validatorFactory);
    const timeoutMs = this.definition.startupTimeoutMs;
    const client = new Client(this.options.clientInfo ?? { name: 'mcp-manager', version: '0.1.0' }, {
      // Roots, elicitation, sampling: what the host can answer (core/ask); tasks (core/tasks).
      capabilities: { ...askCapabilities(this.definition, this.options.ask), ...clientTaskCapabilities(this.definition.useTasks) },
      inputRequired: { maxRounds: MAX_INPUT_ROUNDS },
      jsonSchemaValidator: validators.lazyProvider,
      versionNegotiation: {
        mode: 'auto',
        probe: { timeoutMs: driver.process(transport) ? Math.min(this.timing.stdioProbeTimeoutMs, timeoutMs) : timeoutMs },
      },
    });
    const session = new Session(client, transport, driver, validators, (kind, until) => this.freshness.set(kind, until));
    session.listen({
      log: this.log,
      isCurrent: () => session === this.session,
      isLive: () => session === this.session || this.ephemeral.has(session),
      toolsChanged: () => this.toolsEmitter.fire(),
      listChanged: (kind) => this.listEmitter.fire(kind),
      resourceUpdated: (uri) => this.resourceUpdated(uri),
      watchedResources: () => [...this.watched.keys()],
    });
    installAskHandlers(client, this.definition, this.options.ask, this.log);
    client.onerror = (e) => this.log.debug(`protocol: ${e.message}`);
    client.onclose = () => this.onSessionClosed(session);

    const started = Date.now();
    this.connecting.add(transport);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ServerError(this.name, 'handshake', driver.explainTimeout(def, timeoutMs, transport, this.masker.mask))),
          timeoutMs,
        );
      });
      await Promise.race([
        client.connect(transport, { timeout: timeoutMs, ...(era === 'legacy' && { prior: { kind: 'legacy' } }) }),
        timedOut,
      ]);
    } catch (e) {
      await transport.close().catch(() => undefined);
      throw await startupFailure(this.name, e, driver, this.definition, transport, this.masker.mask);
    } finally {
      clearTimeout(timer);
      this.connecting.delete(transport);
    }
    this.era = client.getProtocolEra();
    if (this.era === 'modern') {
      completeResultTypes(transport);
      session.mirrorsParams = !driver.process(transport);
    }
    this.applyLogLevel(session);
    this.log.info(
      `running${session.pid ? ` (pid ${session.pid})` : ''}: ${describeServer(client)}, protocol ${client.getNegotiatedProtocolVersion() ?? 'unknown'}, in ${Date.now() - started} ms`,
    );
    return session;
  }

  private onSessionClosed(s: Session): void {
    const closing = s.closing;
    s.ended();
    if (closing) return;
    const err = crashFailure(this.name, s.driver.process(s.transport), this.masker.mask);
    if (s === this.session) {
      this.session = undefined;
      this.recordFailure(err);
    } else if (this.ephemeral.delete(s)) {
      this.recordFailure(err);
    }
  }

  /** Turns SDK errors into ServerErrors that say which server, what happened and what to do (wording: failures.ts). */
  private translate(e: unknown, s: Session | undefined, what = 'request', signal?: AbortSignal): ServerError {
    if (e instanceof ServerError) return e;
    if (signal?.aborted) return new ServerError(this.name, 'cancelled', `${what} was cancelled`, { cause: e });
    if (s?.closed && !s.closing) return crashFailure(this.name, s.driver.process(s.transport), this.masker.mask, what, e);
    return requestFailure(this.name, e, what, s?.driver ?? driverFor(this.definition), this.definition, s?.transport);
  }

  private armIdleTimer(): void {
    const ms = this.timing.idleTimeoutMs ?? this.definition.idleTimeoutMinutes * 60_000;
    const s = this.session;
    // A followed resource needs the session to hear its updates.
    if (!ms || !this.definition.keepAlive || !s || this.watched.size) return;
    s.setTimer('idle', ms, () => {
      if (this.session !== s || this.activeOps > 0 || this.watched.size) return;
      this.session = undefined;
      this.log.info(`stopping after ${Math.round(ms / 1000)} s without use (idleTimeoutMinutes); it restarts on next use`);
      void s.close().then(() => {
        if (!this.session && !this.starting) this.setState(idleState);
      });
    });
  }

  /**
   * Non-JSON-RPC text on stdout while starting usually means the handshake will time out (the
   * server logs to stdout): say so in the state at once, not only in the log after 30 s.
   */

  private setState(state: ConnectionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}

/** Whether a failed handshake is a stdio server that ended while it was being probed: its process exited. */
function probeEndedServer(e: unknown, driver: TransportDriver<ServerDefinition>): boolean {
  return e instanceof ServerError && e.kind === 'handshake' && e.exitCode !== undefined && driver.types.includes('stdio');
}

function describeServer(client: Client): string {
  const v = client.getServerVersion();
  return v ? `${v.name} ${v.version}` : 'server';
}
