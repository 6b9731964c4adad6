// A configured server and its (at most one) kept-alive session. Creating a connection starts
// nothing; the first operation connects, and callers that arrive while it is starting share
// the same attempt (single-flight). See docs/architecture.md.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  EmptyResultSchema,
  ErrorCode,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PaginatedResultSchema,
  ReadResourceResultSchema,
  ToolListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  PromptListChangedNotificationSchema,
  type CallToolResult,
  type GetPromptResult,
  type Implementation,
  type ListPromptsResult,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { describeTarget, type ServerDefinition, type StdioDefinition } from './config/types';
import { INPUT_VARIABLE } from './config/variables';
import { ServerError, errorMessage } from './errors';
import { Emitter } from './events';
import { maskingLogger, type Logger } from './logger';
import { SecretMasker, isSecretName } from './secrets';
import { idleState, type ConnectionState } from './state';
import { createHttpTransport, createStdioTransport, planStdioLaunch, isStdio } from './transport/factory';
import { createMemoryTransport } from './transport/memory';
import { RequestAbort, abortable } from './deadline';
import { LaunchError } from './transport/env';
import { StdioTransport, TOO_LARGE_ERROR_CODE } from './transport/stdio';
import { ToolOutputValidators, type ValidatorProviderFactory } from './toolOutput';
import { sanitizeTools } from './toolSchema';
import { z } from 'zod';

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
  /** Makes the JSON-schema validator provider for tool output schemas (default: the SDK's cfworker one, see toolOutput.ts). */
  readonly validatorFactory?: ValidatorProviderFactory;
  /**
   * Asked before a stdio server is started, before any `${input:...}` is prompted for (consent
   * comes first), with the configured definition and its command line as planned from it
   * (input placeholders as written, other secrets masked). Resolving false cancels the start: the state returns
   * to `stopped` and the operation fails with a `cancelled` ServerError. Hosts use it to confirm
   * commands a workspace (not the user) configured.
   */
  readonly beforeLaunch?: (def: ServerDefinition, launch: LaunchRequest) => Promise<boolean>;
}

/** What beforeLaunch is shown: the resolved launch, secret values masked. */
export interface LaunchRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

export interface CallOptions {
  /** Cancels the call (the server gets notifications/cancelled). */
  readonly signal?: AbortSignal;
  /**
   * Asks the server for progress (sends a progress token). Progress notifications then also reset
   * requestTimeoutMs, up to maxTotalTimeoutMs: pass it for calls that may run long.
   */
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
  /** The server forgot this session (HTTP 404 on its id): requests that failed on it are retried. */
  expired = false;
  closed = false;
  readonly startedAt = Date.now();

  constructor(
    readonly client: Client,
    readonly transport: Transport,
    /** outputSchema validators, compiled on a tool's first call (see toolOutput.ts). */
    readonly validators: ToolOutputValidators,
  ) {}

  get pid(): number | undefined {
    return this.transport instanceof StdioTransport ? this.transport.pid : undefined;
  }

  close(): Promise<void> {
    this.closing = true;
    return this.client.close().catch(() => undefined);
  }
}

/** The SDK's message when maxTotalTimeout is exceeded (reused for ours, so both read the same). */
const MAX_TOTAL_EXCEEDED = 'Maximum total timeout exceeded';
const MAX_PAGES = 10_000;
/** tools/list parsed loosely: each tool is checked on its own (toolSchema.ts), so one bad tool cannot hide the rest. */
const TolerantToolsResultSchema = PaginatedResultSchema.extend({ tools: z.array(z.unknown()) });

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
  private readonly listEmitter = new Emitter<'resources' | 'prompts'>();
  /** The server's resources or prompts changed (notifications/resources|prompts/list_changed). */
  readonly onDidChangeList = this.listEmitter.event;
  private declared?: ServerCapabilities;

  constructor(
    readonly definition: ServerDefinition,
    private readonly options: ConnectionOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this._state = definition.disabled ? { kind: 'disabled' } : idleState;
    // Values of secret-looking env vars and headers never reach the log.
    if (isStdio(definition)) {
      for (const [k, v] of Object.entries(definition.env)) if (isSecretName(k) && !v?.includes('${input:')) this.masker.add(v);
    } else if (definition.type !== 'memory') {
      for (const [k, v] of Object.entries(definition.headers)) {
        // Unresolved ${input:...} placeholders are not secrets; their values are added once resolved.
        if (isSecretName(k) && !v.includes('${input:')) this.masker.add(v.replace(/^Bearer\s+/i, ''));
      }
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

  /**
   * What the server declared in its latest handshake, kept after that session ends: a
   * `keepAlive: false` server has no session between operations, yet its capabilities are known.
   */
  get capabilities(): ServerCapabilities | undefined {
    return this.session?.client.getServerCapabilities() ?? this.declared;
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
    this.listEmitter.dispose();
  }

  // ---------------------------------------------------------------- operations

  ping(options: CallOptions = {}): Promise<void> {
    return this.use(async (s) => {
      await this.request(s, { method: 'ping' }, EmptyResultSchema, options);
    }, options.signal);
  }

  /** All tools (pagination followed), cached per session and refreshed on list_changed. */
  listTools(options: CallOptions & { refresh?: boolean } = {}): Promise<Tool[]> {
    return this.use((s) => {
      if (s.tools && !options.refresh) return Promise.resolve(s.tools);
      if (s.toolsLoading) return s.toolsLoading;
      const loading = this.paginate<z.output<typeof TolerantToolsResultSchema>, unknown>(s, 'tools/list', TolerantToolsResultSchema, (r) => r.tools, options).then(
        (raw) => {
          const { tools, problems } = sanitizeTools(raw);
          for (const p of problems) this.log.warn(`tools/list: ${p.message}`);
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
      async (s) => {
        const result = (await this.request(s, { method: 'tools/call', params: { name, arguments: args ?? {} } }, CallToolResultSchema, options)) as CallToolResult;
        s.validators.check(s.tools, name, result);
        return result;
      },
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
    return this.use((s) => this.request(s, { method: 'resources/read', params: { uri } }, ReadResourceResultSchema, options), options.signal);
  }

  listPrompts(options: CallOptions = {}): Promise<Prompt[]> {
    return this.use((s) => this.paginate<ListPromptsResult, Prompt>(s, 'prompts/list', ListPromptsResultSchema, (r) => r.prompts, options), options.signal);
  }

  getPrompt(name: string, args: Record<string, string> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    return this.use((s) => this.request(s, { method: 'prompts/get', params: { name, arguments: args } }, GetPromptResultSchema, options), options.signal);
  }

  // ---------------------------------------------------------------- internals

  /**
   * One request. The SDK enforces the timeout (reset by progress) and cancels on it, but checks the
   * maximum total only when progress arrives and then fails the call without telling the server:
   * the tool would run on. So the maximum total is also a timer here, aborting the request, which
   * makes the SDK send notifications/cancelled. The caller's signal aborts through the same handle.
   */
  private async request<S extends AnySchema>(s: Session, request: Parameters<Client['request']>[0], schema: S, options: CallOptions): Promise<SchemaOutput<S>> {
    const timeout = options.timeoutMs ?? this.definition.requestTimeoutMs;
    // Without onProgress no progress token is sent, as with the SDK: the server sends no progress,
    // nothing resets the timeout, and the SDK's own timer ends the request and cancels it on the
    // server. Nothing else to arm (measured: the token costs a warm call ~7 µs, the deadline ~5 µs).
    if (!options.onProgress && !options.signal) return s.client.request(request, schema, { timeout });
    const maxTotal = Math.max(this.definition.maxTotalTimeoutMs, options.timeoutMs ?? 0);
    const abort = new RequestAbort();
    const exceeded = () => abort.abort(new McpError(ErrorCode.RequestTimeout, MAX_TOTAL_EXCEEDED, { maxTotalTimeout: maxTotal }));
    // Only progress can keep a request alive past its timeout, so only then is the maximum total needed.
    const timer = options.onProgress && setTimeout(exceeded, maxTotal);
    const caller = options.signal;
    const callerAborted = caller && (() => abort.abort(caller.reason));
    if (caller) {
      if (caller.aborted) abort.abort(caller.reason);
      else caller.addEventListener('abort', callerAborted!, { once: true });
    }
    try {
      return await s.client.request(request, schema, {
        signal: abort.signal,
        // An onprogress handler is what makes the SDK send a progressToken; progress then also
        // resets the timeout.
        onprogress: options.onProgress,
        timeout,
        resetTimeoutOnProgress: true,
        maxTotalTimeout: maxTotal,
      });
    } catch (e) {
      // The SDK's own check won the race: cancel on the server now.
      if (e instanceof McpError && e.message.includes(MAX_TOTAL_EXCEEDED) && !abort.aborted) exceeded();
      throw e;
    } finally {
      clearTimeout(timer);
      if (callerAborted) caller.removeEventListener('abort', callerAborted);
    }
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
      const result = (await this.request(s, { method, params: cursor ? { cursor } : {} }, schema, options)) as unknown as R;
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
      // A running session is used at once (no await in between: the warm path is the hot one).
      const running = this.definition.keepAlive && this.session && !this.session.closed ? this.session : undefined;
      session = running ?? (await abortable(this.definition.keepAlive ? this.ensureSession() : this.startEphemeral(), signal, this.startCancelled));
      try {
        return await fn(session);
      } catch (e) {
        if (!(session.expired || sessionExpired(e, session)) || signal?.aborted) throw e;
        // The server no longer knows our session (it restarted, or the session expired): the spec
        // says to start a new one. The server rejects every request carrying the old id, so none
        // was processed and sending it again is safe; once. Requests in flight on the old session
        // fail when it is closed here and come this way too.
        if (!session.expired) {
          session.expired = true;
          this.log.info(`the server no longer knows session ${(session.transport as StreamableHTTPClientTransport).sessionId} (HTTP 404); starting a new session and retrying`);
        }
        await this.dropSession(session);
        session = await abortable(this.definition.keepAlive ? this.ensureSession() : this.startEphemeral(), signal, this.startCancelled);
        return await fn(session);
      }
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

  private readonly startCancelled = () => new ServerError(this.name, 'cancelled', 'cancelled while waiting for the server to start');

  /** Forgets a session that is no longer usable and closes it (not a failure: no crash, no backoff). */
  private async dropSession(s: Session): Promise<void> {
    if (this.session === s) {
      this.session = undefined;
      if (this.healthyTimer) clearTimeout(this.healthyTimer);
    }
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
      const last = this._state.kind === 'error' ? ` Last error: ${this._state.message.replace(`${this.name}: `, '')}` : '';
      throw new ServerError(this.name, 'gaveUp', `failed ${this.failures} times in a row and is not being restarted automatically; restart it to try again.${last}`);
    }
    const gen = this.generation;
    const stoppedWhileStarting = () => new ServerError(this.name, 'stopped', 'was stopped while it was starting; start it again to use it');
    if (this.failures > 0) {
      const wait = Math.min(this.timing.backoffBaseMs * 2 ** (this.failures - 1), this.timing.backoffMaxMs) - (Date.now() - this.lastFailureAt);
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
      this.setState({ kind: 'running', since: s.startedAt, pid: s.pid, serverName: info?.name, serverVersion: info?.version });
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
    if (def.inputs.length === 0 || def.type === 'memory') return def;
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

  /**
   * The command line beforeLaunch shows: as planned from the configured definition, before any
   * input is asked for (`${input:...}` placeholders stay as written), known secrets masked. If it
   * cannot be planned yet (an input in the command itself), the configured command as written.
   */
  private async launchPreview(def: StdioDefinition): Promise<LaunchRequest> {
    try {
      const plan = await planStdioLaunch(def, this.options.parentEnv);
      this.masker.addAll(plan.secretValues);
      return { command: this.masker.mask(plan.command), args: plan.args.map(this.masker.mask), cwd: plan.cwd };
    } catch {
      return { command: this.masker.mask(def.command), args: def.args.map(this.masker.mask), cwd: def.cwd };
    }
  }

  /** One handshake: build the transport, connect within startupTimeoutMs, or clean up and explain. */
  private async connect(): Promise<Session> {
    // Consent first: asking for a secret of a program the user has not agreed to run is backwards.
    if (this.options.beforeLaunch && isStdio(this.definition)) {
      const launch = await this.launchPreview(this.definition);
      if (!(await this.options.beforeLaunch(this.definition, launch))) throw new ServerError(this.name, 'cancelled', 'was not started: running its command was not allowed');
    }
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
      transport = createStdioTransport(def, plan, this.log, this.timing, (line) => this.strayOutput(line));
    } else if (def.type === 'memory') {
      this.log.info('connecting to an in-memory server');
      transport = await createMemoryTransport(def);
    } else {
      this.log.info(`connecting to ${def.url} (${def.type === 'sse' ? 'SSE' : 'Streamable HTTP'})`);
      transport = createHttpTransport(def);
    }
    const validators = new ToolOutputValidators(this.options.validatorFactory);
    const client = new Client(this.options.clientInfo ?? { name: 'mcp-manager', version: '0.1.0' }, { capabilities: {}, jsonSchemaValidator: validators.lazyProvider });
    const session = new Session(client, transport, validators);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      session.tools = undefined;
      if (session === this.session) {
        this.log.info('tool list changed');
        this.toolsEmitter.fire();
      }
    });
    for (const [schema, kind] of [
      [ResourceListChangedNotificationSchema, 'resources'],
      [PromptListChangedNotificationSchema, 'prompts'],
    ] as const) {
      client.setNotificationHandler(schema, () => {
        if (session !== this.session && !this.ephemeral.has(session)) return;
        this.log.info(`${kind === 'resources' ? 'resource' : 'prompt'} list changed`);
        this.listEmitter.fire(kind);
      });
    }
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
          () =>
            reject(
              new ServerError(
                this.name,
                'handshake',
                isStdio(def)
                  ? `did not complete the MCP handshake within ${timeoutMs} ms (startupTimeoutMs); the process was stopped. Check the logs, or raise startupTimeoutMs if it is just slow.`
                  : `${describeTarget(def)} did not answer the MCP handshake within ${timeoutMs} ms (startupTimeoutMs); the connection was closed. Check that the URL serves MCP and the server is healthy, or raise startupTimeoutMs if it is just slow.`,
              ),
            ),
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
    // Masked: error messages quote stderr, and a server may print its token there.
    const stderrTail = stdio?.stderrTail().map(this.masker.mask);
    const exit = stdio?.exit;
    if (e instanceof ServerError) return new ServerError(this.name, e.kind, e.message.replace(`${this.name}: `, ''), { stderrTail, field: e.field });
    const msg = errorMessage(e);
    if (/protocol version is not supported/i.test(msg)) {
      return new ServerError(this.name, 'handshake', `${msg}. The server needs an update, or this client is too old for it.`, { stderrTail, cause: e });
    }
    if (exit) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const cause = causeLine(stderrTail ?? []);
      const next = 'Check the command, args and env in its configuration (its log has the full output), then start it again.';
      return new ServerError(this.name, 'handshake', `${how} during startup${cause ? `: ${cause}` : ' without writing anything to stderr'}. ${next}`, { stderrTail, exitCode: exit.code, cause: e });
    }
    const http = httpFailure(e, this.definition);
    if (http) return new ServerError(this.name, 'handshake', http, { cause: e });
    const net = networkCode(e);
    if (net === 'ECONNREFUSED') {
      return new ServerError(this.name, 'handshake', `cannot connect to ${describeTarget(this.definition)}: connection refused. Is the server running?`, { cause: e });
    }
    if (net === 'ENOTFOUND' || net === 'EAI_AGAIN') {
      return new ServerError(this.name, 'handshake', `cannot connect to ${describeTarget(this.definition)}: host not found (${net}). Check the URL.`, { cause: e });
    }
    if (net || /fetch failed/i.test(msg)) {
      return new ServerError(this.name, 'handshake', `cannot connect to ${describeTarget(this.definition)}: ${msg}. Check the URL and that the server is reachable.`, { cause: e });
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
      stderrTail: stdio?.stderrTail().map(this.masker.mask),
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
      return new ServerError(this.name, 'crash', `${how} during ${what}; the next operation restarts it`, { stderrTail: stdio?.stderrTail().map(this.masker.mask), exitCode: exit?.code, cause: e });
    }
    if (e instanceof McpError) {
      if (e.code === ErrorCode.RequestTimeout && e.message.includes(MAX_TOTAL_EXCEEDED)) {
        const max = (e.data as { maxTotalTimeout?: number } | undefined)?.maxTotalTimeout;
        return new ServerError(this.name, 'timeout', `${what} exceeded the maximum total time${max ? ` of ${max} ms` : ''} (maxTotalTimeoutMs) although the server kept reporting progress; it was cancelled on the server. Raise maxTotalTimeoutMs if it needs longer.`, { cause: e, code: e.code });
      }
      if (e.code === ErrorCode.RequestTimeout) {
        const after = (e.data as { timeout?: number } | undefined)?.timeout;
        return new ServerError(this.name, 'timeout', `${what} timed out${after ? ` after ${after} ms without an answer` : ` (${e.message.replace(/^MCP error -?\d+: /, '')})`} (requestTimeoutMs); it was cancelled on the server. Raise requestTimeoutMs if it needs longer.`, { cause: e, code: e.code });
      }
      if (e.code === TOO_LARGE_ERROR_CODE) return new ServerError(this.name, 'tooLarge', e.message.replace(/^MCP error -?\d+: /, ''), { cause: e, code: e.code });
      if (e.code === ErrorCode.ConnectionClosed) return new ServerError(this.name, 'crash', `connection closed during ${what}`, { cause: e, code: e.code });
      return new ServerError(this.name, 'protocol', `${what} failed: ${e.message.replace(/^MCP error -?\d+: /, '')}`, { cause: e, code: e.code });
    }
    const http = httpFailure(e, this.definition);
    if (http) return new ServerError(this.name, 'protocol', `${what} failed: ${http}`, { cause: e });
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

  /**
   * Non-JSON-RPC text on stdout while starting usually means the handshake will time out (the
   * server logs to stdout): say so in the state at once, not only in the log after 30 s.
   */
  private strayOutput(line: string): void {
    const state = this._state;
    if (state.kind !== 'starting' || state.note) return;
    const text = line.trim().length > 80 ? `${line.trim().slice(0, 80)}…` : line.trim();
    this.setState({ ...state, note: this.masker.mask(`the server wrote text that is not JSON-RPC to stdout: '${text}'; a stdio server may only write protocol messages there`) });
  }

  private setState(state: ConnectionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}

/**
 * The line of a failed start's stderr that says why: an `...Error: ...` line (Node, Python), else
 * one with a telling word, else the last. Node prints its version last, Python its traceback first.
 */
function causeLine(tail: readonly string[]): string | undefined {
  const lines = tail.map((l) => l.trim()).filter((l) => l && !/^at |^File "|^\^+$/.test(l));
  return (
    lines.find((l) => /^([\w.]*(Error|Exception))(\s*\[[\w-]+\])?:/.test(l)) ??
    lines.find((l) => /\b(error|cannot|can't|not found|no such|missing|fatal|denied|refused|invalid|failed|panic)\b/i.test(l)) ??
    lines[lines.length - 1]
  );
}

/** The errno-style code of a network failure anywhere in the error's message or cause chain. */
function networkCode(e: unknown): string | undefined {
  for (let x: unknown = e, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|EPIPE)\b/.exec(errorMessage(x));
    if (m) return m[1];
  }
  return undefined;
}

/** Explains an HTTP-level failure (status, or a body that is not MCP) with the next step; undefined for others. */
function httpFailure(e: unknown, def: ServerDefinition): string | undefined {
  if (def.type === 'stdio' || def.type === 'memory' || !(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'number' || !/^(Streamable HTTP|SSE) error/.test(e.message)) return undefined;
  const url = def.url;
  const contentType = /Unexpected content type: (.*)$/.exec(e.message)?.[1];
  if (code === -1 && contentType !== undefined) {
    return `${url} answered with ${contentType || 'no content type'} instead of MCP (application/json or text/event-stream), so it is not an MCP endpoint. Check the URL.`;
  }
  const status = code > 0 ? code : Number(/\((?:HTTP )?(\d{3})\)/.exec(e.message)?.[1] ?? 0);
  if (!status) return undefined;
  const raw = e.message.replace(/^(Streamable HTTP|SSE) error: (Error POSTing to endpoint|Failed to open SSE stream|Non-200 status code)( \(HTTP \d+\)| \(\d+\))?:? ?/, '');
  const text = raw.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  const body = text ? ` (${text.length > 200 ? `${text.slice(0, 200)}…` : text})` : '';
  if (status === 401 || status === 403) return `${url} refused access: HTTP ${status}${body}. Check the credentials in its "headers" (e.g. Authorization).`;
  if (status === 404) return `HTTP 404 from ${url}${body}: nothing serves MCP there. Check the URL (Streamable HTTP endpoints are often /mcp, SSE ones /sse).`;
  if (status === 405) return `HTTP 405 from ${url}${body}: the server does not take this request there. Check the URL and "type" (${def.type === 'http' ? 'an older server may need "sse"' : 'a newer server may need "http"'}).`;
  if (status >= 500) return `HTTP ${status} from ${url}${body}: the server is up but failing. Check the server's own logs, then try again.`;
  return `HTTP ${status} from ${url}${body}. Check the URL and the server.`;
}

/** A Streamable HTTP server answered 404 to a request carrying our session id: it forgot the session. */
function sessionExpired(e: unknown, s: Session): boolean {
  return e instanceof StreamableHTTPError && e.code === 404 && s.transport instanceof StreamableHTTPClientTransport && s.transport.sessionId !== undefined;
}

function describeServer(client: Client): string {
  const v = client.getServerVersion();
  return v ? `${v.name} ${v.version}` : 'server';
}

/** Races a promise against an abort signal (the shared start continues for other callers). */
