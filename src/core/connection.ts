// A configured server and its (at most one) kept-alive session. Creating a connection starts
// nothing; the first operation connects, and callers that arrive while it is starting share
// the same attempt (single-flight). See docs/architecture.md.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  ErrorCode,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ReadResourceResultSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type GetPromptResult,
  type Implementation,
  type ListPromptsResult,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  type ListToolsResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { describeTarget, type ServerDefinition } from './config/types';
import { INPUT_VARIABLE } from './config/variables';
import { ServerError, errorMessage } from './errors';
import { Emitter } from './events';
import { maskingLogger, type Logger } from './logger';
import { SecretMasker, isSecretName } from './secrets';
import { idleState, type ConnectionState } from './state';
import { createHttpTransport, createStdioTransport, planStdioLaunch, isStdio } from './transport/factory';
import { LaunchError } from './transport/env';
import { StdioTransport, TOO_LARGE_ERROR_CODE } from './transport/stdio';

export interface Timing {
  /** After closing stdin, wait this long before SIGTERM. */
  readonly closeGraceMs: number;
  /** After SIGTERM, wait this long before SIGKILL. */
  readonly killGraceMs: number;
  /** First restart delay after a failure; doubles per consecutive failure. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Consecutive failures after which the connection stops retrying until restarted by the user. */
  readonly maxFailures: number;
  /** A session that stays up this long resets the failure count. */
  readonly healthyAfterMs: number;
  /** Overrides `idleTimeoutMinutes` (tests). */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_TIMING: Timing = {
  closeGraceMs: 2000,
  killGraceMs: 2000,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  maxFailures: 5,
  healthyAfterMs: 30_000,
};

/** Resolves `${input:ID}` values (prompting, secret storage); absent in hosts that cannot prompt. */
export type InputResolver = (server: string, ids: readonly string[]) => Promise<Record<string, string>>;

export interface ConnectionOptions {
  readonly logger?: Logger;
  readonly timing?: Partial<Timing>;
  readonly inputResolver?: InputResolver;
  readonly clientInfo?: Implementation;
  /** The editor's environment (allow-list and passEnv are taken from it). */
  readonly parentEnv?: NodeJS.ProcessEnv;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** Overrides requestTimeoutMs for this call. */
  readonly timeoutMs?: number;
}

export interface SessionInfo {
  readonly pid?: number;
  readonly startedAt: number;
  readonly serverInfo?: Implementation;
  readonly capabilities?: ServerCapabilities;
  readonly instructions?: string;
}

class Session {
  tools?: Tool[];
  toolsLoading?: Promise<Tool[]>;
  closing = false;
  closed = false;
  readonly startedAt = Date.now();

  constructor(
    readonly client: Client,
    readonly transport: Transport,
  ) {}

  get pid(): number | undefined {
    return this.transport instanceof StdioTransport ? this.transport.pid : undefined;
  }

  close(): Promise<void> {
    this.closing = true;
    return this.client.close().catch(() => undefined);
  }
}

const noProgress = () => {};
const MAX_PAGES = 10_000;

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
  private idleTimer?: NodeJS.Timeout;
  private healthyTimer?: NodeJS.Timeout;
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

  constructor(
    readonly definition: ServerDefinition,
    private readonly options: ConnectionOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this._state = definition.disabled ? { kind: 'disabled' } : idleState;
    // Values of secret-looking env vars and headers never reach the log.
    if (isStdio(definition)) {
      for (const [k, v] of Object.entries(definition.env)) if (isSecretName(k)) this.masker.add(v);
    } else {
      for (const [k, v] of Object.entries(definition.headers)) if (isSecretName(k)) this.masker.add(v.replace(/^Bearer\s+/i, ''));
    }
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
      serverInfo: s.client.getServerVersion(),
      capabilities: s.client.getServerCapabilities(),
      instructions: s.client.getInstructions(),
    };
  }

  /** Tools of the running session if already listed (no I/O). */
  get cachedTools(): readonly Tool[] | undefined {
    return this.session?.tools;
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
    this.clearTimers();
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
    await this.start();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.stateEmitter.dispose();
    this.toolsEmitter.dispose();
  }

  // ---------------------------------------------------------------- operations

  ping(options: CallOptions = {}): Promise<void> {
    return this.use(async (s) => {
      await s.client.ping(this.requestOptions(options));
    }, options.signal);
  }

  /** All tools (pagination followed), cached per session and refreshed on list_changed. */
  listTools(options: CallOptions & { refresh?: boolean } = {}): Promise<Tool[]> {
    return this.use((s) => {
      if (s.tools && !options.refresh) return Promise.resolve(s.tools);
      if (s.toolsLoading) return s.toolsLoading;
      const loading = this.paginate<ListToolsResult, Tool>(s, 'tools/list', ListToolsResultSchema, (r) => r.tools, options).then(
        (tools) => {
          s.tools = tools;
          s.toolsLoading = undefined;
          return tools;
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

  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    return this.use(
      (s) =>
        s.client.request({ method: 'tools/call', params: { name, arguments: args ?? {} } }, CallToolResultSchema, this.requestOptions(options)) as Promise<CallToolResult>,
      options.signal,
      `tools/call "${name}"`,
    );
  }

  listResources(options: CallOptions = {}): Promise<Resource[]> {
    return this.use((s) => this.paginate<ListResourcesResult, Resource>(s, 'resources/list', ListResourcesResultSchema, (r) => r.resources, options), options.signal);
  }

  listResourceTemplates(options: CallOptions = {}): Promise<ResourceTemplate[]> {
    return this.use((s) => this.paginate<ListResourceTemplatesResult, ResourceTemplate>(s, 'resources/templates/list', ListResourceTemplatesResultSchema, (r) => r.resourceTemplates, options), options.signal);
  }

  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.use((s) => s.client.request({ method: 'resources/read', params: { uri } }, ReadResourceResultSchema, this.requestOptions(options)), options.signal);
  }

  listPrompts(options: CallOptions = {}): Promise<Prompt[]> {
    return this.use((s) => this.paginate<ListPromptsResult, Prompt>(s, 'prompts/list', ListPromptsResultSchema, (r) => r.prompts, options), options.signal);
  }

  getPrompt(name: string, args: Record<string, string> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    return this.use((s) => s.client.request({ method: 'prompts/get', params: { name, arguments: args } }, GetPromptResultSchema, this.requestOptions(options)), options.signal);
  }

  // ---------------------------------------------------------------- internals

  private requestOptions(options: CallOptions) {
    return {
      signal: options.signal,
      // An onprogress handler is what makes the SDK send a progressToken, which is needed for
      // the timeout to be reset by progress notifications.
      onprogress: options.onProgress ?? noProgress,
      timeout: options.timeoutMs ?? this.definition.requestTimeoutMs,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: Math.max(this.definition.maxTotalTimeoutMs, options.timeoutMs ?? 0),
    };
  }

  private async paginate<R extends { nextCursor?: string }, T>(
    s: Session,
    method: 'tools/list' | 'resources/list' | 'resources/templates/list' | 'prompts/list',
    schema: Parameters<Client['request']>[1],
    items: (r: R) => T[],
    options: CallOptions,
  ): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = (await s.client.request({ method, params: cursor ? { cursor } : {} }, schema, this.requestOptions(options))) as unknown as R;
      for (const item of items(result)) all.push(item);
      cursor = result.nextCursor;
      if (!cursor) return all;
      if (seen.has(cursor)) throw new ServerError(this.name, 'protocol', `${method} returned the same cursor twice; stopping pagination`);
      seen.add(cursor);
    }
    throw new ServerError(this.name, 'protocol', `${method} returned more than ${MAX_PAGES} pages`);
  }

  /**
   * Runs one operation on a session: the kept-alive one (started on demand, shared while
   * starting), or a fresh one closed afterwards when keepAlive is off.
   */
  private async use<T>(fn: (s: Session) => Promise<T>, signal?: AbortSignal, what?: string): Promise<T> {
    if (this.disposed) throw new ServerError(this.name, 'stopped', 'the server was removed from the configuration');
    this.activeOps++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    let session: Session | undefined;
    try {
      session = await abortable(this.definition.keepAlive ? this.ensureSession() : this.startEphemeral(), signal, this.name);
      return await fn(session);
    } catch (e) {
      throw this.translate(e, session, what, signal);
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

  private ensureSession(): Promise<Session> {
    if (this.session && !this.session.closed) return Promise.resolve(this.session);
    if (this.starting) return this.starting;
    const gen = this.generation;
    const attempt = (async () => {
      const s = await this.connectWithPolicy();
      if (gen !== this.generation || this.disposed) {
        await s.close();
        throw new ServerError(this.name, 'stopped', 'the server was stopped while starting');
      }
      this.session = s;
      this.toolsEmitter.fire();
      this.healthyTimer = setTimeout(() => (this.failures = 0), this.timing.healthyAfterMs);
      this.healthyTimer.unref?.();
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
      const last = this._state.kind === 'error' ? ` Last error: ${this._state.message}` : '';
      throw new ServerError(this.name, 'gaveUp', `failed ${this.failures} times in a row and is not being restarted automatically; restart it to try again.${last}`);
    }
    if (this.failures > 0) {
      const wait = Math.min(this.timing.backoffBaseMs * 2 ** (this.failures - 1), this.timing.backoffMaxMs) - (Date.now() - this.lastFailureAt);
      if (wait > 0) {
        this.log.info(`waiting ${wait} ms before restarting (failure ${this.failures})`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    if (this._state.kind !== 'running') this.setState({ kind: 'starting', since: Date.now() });
    try {
      const s = await this.connect();
      const info = s.client.getServerVersion();
      this.setState({ kind: 'running', since: s.startedAt, pid: s.pid, serverName: info?.name, serverVersion: info?.version });
      return s;
    } catch (e) {
      const err = e instanceof ServerError ? e : new ServerError(this.name, 'handshake', errorMessage(e), { cause: e });
      this.recordFailure(err);
      throw err;
    }
  }

  private recordFailure(err: ServerError): void {
    this.failures++;
    this.lastFailureAt = Date.now();
    const gaveUp = this.failures >= this.timing.maxFailures;
    this.log.error(err.detail + (gaveUp ? `\nGave up after ${this.failures} consecutive failures; restart the server to try again.` : ''));
    this.setState({ kind: 'error', message: err.message, stderrTail: err.stderrTail, exitCode: err.exitCode, failures: this.failures, gaveUp });
  }

  private async resolveInputs(def: ServerDefinition): Promise<ServerDefinition> {
    if (def.inputs.length === 0) return def;
    if (!this.options.inputResolver) {
      throw new ServerError(this.name, 'config', `uses \${input:${def.inputs[0]}} but inputs cannot be prompted for here`);
    }
    const values = await this.options.inputResolver(this.name, def.inputs);
    this.masker.addAll(Object.values(values));
    const sub = (v: string) =>
      v.replace(INPUT_VARIABLE, (whole, id: string) => {
        const value = values[id];
        if (value === undefined) throw new ServerError(this.name, 'config', `no value for ${whole}`);
        return value;
      });
    if (isStdio(def)) {
      const env: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(def.env)) env[k] = v === null ? null : sub(v);
      return { ...def, command: sub(def.command), args: def.args.map(sub), env, cwd: def.cwd && sub(def.cwd) };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(def.headers)) headers[k] = sub(v);
    return { ...def, url: sub(def.url), headers };
  }

  /** One handshake: build the transport, connect within startupTimeoutMs, or clean up and explain. */
  private async connect(): Promise<Session> {
    const def = await this.resolveInputs(this.definition);
    let transport: Transport;
    if (isStdio(def)) {
      let plan;
      try {
        plan = await planStdioLaunch(def, this.options.parentEnv);
      } catch (e) {
        if (e instanceof LaunchError) throw new ServerError(this.name, 'launch', e.message, { field: e.field });
        throw e;
      }
      this.masker.addAll(plan.secretValues);
      this.log.info(`starting: ${[plan.command, ...plan.args].join(' ')}${plan.cwd ? ` (cwd ${plan.cwd})` : ''}`);
      transport = createStdioTransport(def, plan, this.log, this.timing);
    } else {
      this.log.info(`connecting to ${def.url} (${def.type === 'sse' ? 'SSE' : 'Streamable HTTP'})`);
      transport = createHttpTransport(def);
    }
    const client = new Client(this.options.clientInfo ?? { name: 'mcp-manager', version: '0.1.0' }, { capabilities: {} });
    const session = new Session(client, transport);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      session.tools = undefined;
      if (session === this.session) {
        this.log.info('tool list changed');
        this.toolsEmitter.fire();
      }
    });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const text = typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data);
      this.log.info(`[server ${n.params.level}]${n.params.logger ? ` ${n.params.logger}:` : ''} ${text}`);
    });
    client.onerror = (e) => this.log.debug(`protocol: ${e.message}`);
    client.onclose = () => this.onSessionClosed(session);

    const started = Date.now();
    const timeoutMs = this.definition.startupTimeoutMs;
    this.connecting.add(transport);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ServerError(this.name, 'handshake', `did not complete the MCP handshake within ${timeoutMs} ms (startupTimeoutMs); the process was stopped. Check the logs, or raise startupTimeoutMs if it is just slow.`)),
          timeoutMs,
        );
      });
      await Promise.race([client.connect(transport, { timeout: timeoutMs }), timedOut]);
    } catch (e) {
      await transport.close().catch(() => undefined);
      throw this.startupError(e, transport);
    } finally {
      clearTimeout(timer);
      this.connecting.delete(transport);
    }
    this.log.info(`running${session.pid ? ` (pid ${session.pid})` : ''}: ${describeServer(client)} in ${Date.now() - started} ms`);
    return session;
  }

  private startupError(e: unknown, transport: Transport): ServerError {
    const stdio = transport instanceof StdioTransport ? transport : undefined;
    const stderrTail = stdio?.stderrTail();
    const exit = stdio?.exit;
    if (e instanceof ServerError) return new ServerError(this.name, e.kind, e.message.replace(`${this.name}: `, ''), { stderrTail, field: e.field });
    const msg = errorMessage(e);
    if (/protocol version is not supported/i.test(msg)) {
      return new ServerError(this.name, 'handshake', `${msg}. The server needs an update, or this client is too old for it.`, { stderrTail, cause: e });
    }
    if (exit) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const last = stderrTail?.length ? `: ${stderrTail[stderrTail.length - 1]}` : '';
      return new ServerError(this.name, 'handshake', `${how} during startup${last}`, { stderrTail, exitCode: exit.code, cause: e });
    }
    if (/ECONNREFUSED|fetch failed/i.test(msg) || /ECONNREFUSED/.test(String((e as { cause?: unknown })?.cause))) {
      return new ServerError(this.name, 'handshake', `cannot connect to ${describeTarget(this.definition)}: connection refused. Is the server running?`, { cause: e });
    }
    return new ServerError(this.name, 'handshake', `handshake failed: ${msg}`, { stderrTail, cause: e });
  }

  private onSessionClosed(s: Session): void {
    s.closed = true;
    if (s.closing) return;
    const stdio = s.transport instanceof StdioTransport ? s.transport : undefined;
    const exit = stdio?.exit;
    const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'closed the connection';
    const err = new ServerError(this.name, 'crash', `${how} unexpectedly; the next operation restarts it`, {
      stderrTail: stdio?.stderrTail(),
      exitCode: exit?.code,
    });
    if (s === this.session) {
      this.session = undefined;
      if (this.healthyTimer) clearTimeout(this.healthyTimer);
      this.recordFailure(err);
    } else if (this.ephemeral.delete(s)) {
      this.recordFailure(err);
    }
  }

  /** Turns SDK errors into ServerErrors that say which server, what happened and what to do. */
  private translate(e: unknown, s: Session | undefined, what = 'request', signal?: AbortSignal): ServerError {
    if (e instanceof ServerError) return e;
    if (signal?.aborted) return new ServerError(this.name, 'cancelled', `${what} was cancelled`, { cause: e });
    if (s?.closed && !s.closing) {
      const stdio = s.transport instanceof StdioTransport ? s.transport : undefined;
      const exit = stdio?.exit;
      const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'closed the connection';
      return new ServerError(this.name, 'crash', `${how} during ${what}; the next operation restarts it`, { stderrTail: stdio?.stderrTail(), exitCode: exit?.code, cause: e });
    }
    if (e instanceof McpError) {
      if (e.code === ErrorCode.RequestTimeout) {
        return new ServerError(this.name, 'timeout', `${what} timed out (${e.message.replace(/^MCP error -?\d+: /, '')}); it was cancelled on the server. Raise requestTimeoutMs if it needs longer.`, { cause: e, code: e.code });
      }
      if (e.code === TOO_LARGE_ERROR_CODE) return new ServerError(this.name, 'tooLarge', e.message.replace(/^MCP error -?\d+: /, ''), { cause: e, code: e.code });
      if (e.code === ErrorCode.ConnectionClosed) return new ServerError(this.name, 'crash', `connection closed during ${what}`, { cause: e, code: e.code });
      return new ServerError(this.name, 'protocol', `${what} failed: ${e.message.replace(/^MCP error -?\d+: /, '')}`, { cause: e, code: e.code });
    }
    return new ServerError(this.name, 'protocol', `${what} failed: ${errorMessage(e)}`, { cause: e });
  }

  private armIdleTimer(): void {
    const ms = this.timing.idleTimeoutMs ?? this.definition.idleTimeoutMinutes * 60_000;
    if (!ms || !this.definition.keepAlive || !this.session) return;
    this.idleTimer = setTimeout(() => {
      const s = this.session;
      if (!s || this.activeOps > 0) return;
      this.session = undefined;
      this.log.info(`stopping after ${Math.round(ms / 1000)} s without use (idleTimeoutMinutes); it restarts on next use`);
      void s.close().then(() => {
        if (!this.session && !this.starting) this.setState(idleState);
      });
    }, ms);
    this.idleTimer.unref?.();
  }

  private clearTimers(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
  }

  private setState(state: ConnectionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}

function describeServer(client: Client): string {
  const v = client.getServerVersion();
  return v ? `${v.name} ${v.version}` : 'server';
}

/** Races a promise against an abort signal (the shared start continues for other callers). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, server: string): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new ServerError(server, 'cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ServerError(server, 'cancelled', 'cancelled while waiting for the server to start'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
