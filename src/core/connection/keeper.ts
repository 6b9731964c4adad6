// How a configured server's sessions are kept: the base of ServerConnection. Creating one
// starts nothing; the first operation connects, callers that arrive while it is starting share
// the same attempt (single-flight), a failing server is retried with backoff and then given up
// on, an idle one is stopped. ServerConnection (../connection.ts) adds the MCP operations.
// See docs/architecture.md.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerCapabilities, Transport } from '@modelcontextprotocol/client';
import type { LoggingLevel, ServerDefinition } from '../config/types';
import { isSignInRequired } from '../auth/types';
import { ServerError, errorMessage } from '../errors';
import { Emitter } from '../events';
import { crashFailure, requestFailure } from '../failures';
import { maskingLogger, type Logger } from '../logger';
import { SecretMasker } from '../secrets';
import type { Session } from '../session';
import { idleState, type ConnectionState } from '../state';
import { abortable } from '../deadline';
import { driverFor } from '../transport/drivers';
import { DEFAULT_TIMING, type ConnectionOptions, type ProtocolEra, type SessionInfo, type Timing } from '../connectionTypes';
import type { TransportDriver } from '../transport/driver';
import { FailurePolicy } from './failurePolicy';
import { handshake, probeEndedServer, type HandshakeHost } from './handshake';
import { resolveInputs } from './inputs';
import { applyLogLevel } from './logLevel';
import { signingIn } from './signIn';
import { ResourceWatches, rewatch } from './watches';

/**
 * Runs a function in the async context this module was loaded in, which no caller's
 * AsyncLocalStorage value is part of. The kept-alive session is started that way: its process,
 * pipes, streams and timers outlive the operation that happened to start it, and everything the
 * server sends later runs in their context. Started inside a gateway client's call, they carried
 * that client's call context, so a later question of the server (elicitation, sampling) went to
 * the client that had started it rather than the one asking (test/servers/gatewayHttp.test.ts).
 */
const outsideAnyCaller: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

export abstract class SessionKeeper {
  private _state: ConnectionState;
  protected session?: Session;
  private starting?: Promise<Session>;
  /** Transports being connected right now, so stop() can kill a hanging handshake. */
  private readonly connecting = new Set<Transport>();
  protected readonly ephemeral = new Set<Session>();
  private generation = 0;
  /** Aborted by stop(): a sign-in waiting for the browser on behalf of this connection ends with it. */
  private stopping = new AbortController();
  protected activeOps = 0;
  private disposed = false;
  private readonly timing: Timing;
  protected readonly log: Logger;
  private readonly failures: FailurePolicy;
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
  protected readonly freshness = new Map<'tools' | 'resources' | 'prompts', number | undefined>();
  /** Set by setLogLevel(): wins over the entry's `logLevel` until the connection is disposed. */
  protected chosenLogLevel?: LoggingLevel;
  /** Followed resources (watchResource). */
  protected readonly watched = new ResourceWatches();

  constructor(
    private _definition: ServerDefinition,
    protected readonly options: ConnectionOptions = {},
  ) {
    const definition = _definition;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.failures = new FailurePolicy(this.timing);
    this._state = definition.disabled ? { kind: 'disabled' } : idleState;
    // Values of secret-looking env vars and headers never reach the log.
    this.masker.addAll(driverFor(definition).secrets(definition));
    this.log = maskingLogger(options.logger ?? { trace() {}, debug() {}, info() {}, warn() {}, error() {} }, this.masker.mask);
  }

  get definition(): ServerDefinition {
    return this._definition;
  }

  /**
   * Takes a new entry that differs from the current one only in what does not touch the running
   * server (`expose`, `source`): the registry's way to apply such a change without a restart.
   */
  redefine(definition: ServerDefinition): void {
    if (definition.name !== this._definition.name) throw new Error(`cannot redefine "${this.name}" as "${definition.name}"`);
    this._definition = definition;
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

  /** The least severe server log message asked for: setLogLevel()'s choice, else the entry's `logLevel`. */
  get logLevel(): LoggingLevel | undefined {
    return this.chosenLogLevel ?? this.definition.logLevel;
  }
  // ---------------------------------------------------------------- lifecycle

  /** Connects now (explicit user action): also clears a "not retrying" state. */
  async start(): Promise<void> {
    if (this.failures.gaveUp) this.failures.reset();
    if (this.definition.keepAlive) {
      await this.ensureSession();
    } else {
      // Nothing stays running without keep-alive: "start" checks that the server comes up.
      await this.use(async () => undefined);
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    this.stopping.abort(new ServerError(this.name, 'cancelled', 'the server was stopped while waiting for sign-in'));
    this.stopping = new AbortController();
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
    this.failures.reset();
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

  // ---------------------------------------------------------------- internals

  /**
   * Runs one operation on a session: the kept-alive one (started on demand, shared while
   * starting), or a fresh one closed afterwards when keepAlive is off.
   */
  protected async use<T>(fn: (s: Session) => Promise<T>, signal?: AbortSignal, what?: string): Promise<T> {
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
    const attempt = outsideAnyCaller(async () => {
      const s = await this.connectWithPolicy();
      if (gen !== this.generation || this.disposed) {
        await s.close();
        throw new ServerError(this.name, 'stopped', 'was stopped while it was starting; start it again to use it');
      }
      this.session = s;
      // 2026-07-28 has no unsolicited notifications: list changes come on a subscriptions/listen
      // stream, opened for the kept-alive session and opened again when it drops.
      if (s.client.getProtocolEra() === 'modern') s.subscribe(this.log);
      if (this.watched.size) rewatch(s, this.definition, this.log, this.watched);
      this.toolsEmitter.fire();
      s.setTimer('healthy', this.timing.healthyAfterMs, () => this.failures.reset());
      return s;
    });
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
    if (this.failures.gaveUp) throw this.failures.gaveUpError(this.name, this._state);
    const gen = this.generation;
    const stoppedWhileStarting = () => new ServerError(this.name, 'stopped', 'was stopped while it was starting; start it again to use it');
    const wait = this.failures.backoffMs();
    if (wait > 0) {
      this.log.info(`waiting ${wait} ms before restarting (failure ${this.failures.failures})`);
      await new Promise((r) => setTimeout(r, wait));
      if (gen !== this.generation || this.disposed) throw stoppedWhileStarting();
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
    this.setState({
      kind: 'error',
      message: err.message,
      failures: this.failures.failures,
      gaveUp: false,
      signInRequired: isSignInRequired(err),
    });
  }

  private recordFailure(err: ServerError): void {
    const gaveUp = this.failures.record();
    const failures = this.failures.failures;
    this.log.error(err.detail + (gaveUp ? `\nGave up after ${failures} consecutive failures; restart the server to try again.` : ''));
    this.setState({ kind: 'error', message: err.message, stderrTail: err.stderrTail, exitCode: err.exitCode, failures, gaveUp });
  }

  /** One handshake: build the transport, connect within startupTimeoutMs, or clean up and explain. */
  private async connect(): Promise<Session> {
    const driver = driverFor(this.definition);
    // Consent first: asking for a secret of a program the user has not agreed to run is backwards.
    const preview = this.options.beforeLaunch && (await driver.preview?.(this.definition, this.masker, this.options.parentEnv));
    if (preview && !(await this.options.beforeLaunch!(this.definition, preview))) {
      throw new ServerError(this.name, 'cancelled', 'was not started: running its command was not allowed');
    }
    const def = await resolveInputs(this.definition, this.options.inputResolver, this.masker);
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

  private signingIn<T>(attempt: () => Promise<T>, signal?: AbortSignal, translate?: (e: unknown) => unknown): Promise<T> {
    // stop() ends a sign-in in progress too (it may wait minutes for the browser).
    return signingIn(this.name, this.options.auth, this.log, attempt, signal, translate, this.stopping.signal);
  }

  /** One handshake (connection/handshake.ts); the era the server answered in is remembered. */
  private async handshake(driver: TransportDriver<ServerDefinition>, def: ServerDefinition, era: 'auto' | 'legacy'): Promise<Session> {
    const answered = await handshake(this.handshakeHost(), driver, def, era);
    this.era = answered.era;
    return answered.session;
  }

  private handshakeHost(): HandshakeHost {
    const gen = this.generation;
    return {
      definition: this.definition,
      options: this.options,
      timing: this.timing,
      log: this.log,
      masker: this.masker,
      connecting: this.connecting,
      onProblem: (problem) => {
        // Shown while it starts (the tree's description), e.g. text a stdio server wrote on stdout.
        if (gen === this.generation && this._state.kind === 'starting') this.setState({ ...this._state, problem });
      },
      listedFresh: (kind, until) => this.freshness.set(kind, until),
      listenerFor: (session) => ({
        log: this.log,
        isCurrent: () => session === this.session,
        isLive: () => session === this.session || this.ephemeral.has(session),
        toolsChanged: () => this.toolsEmitter.fire(),
        listChanged: (kind) => this.listEmitter.fire(kind),
        resourceUpdated: (uri) => this.watched.updated(uri, this.log),
        watchedResources: () => this.watched.uris(),
      }),
      closed: (session) => this.onSessionClosed(session),
      ready: (session) => applyLogLevel(session, this.definition, this.logLevel, this.log),
    };
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
  protected translate(e: unknown, s: Session | undefined, what = 'request', signal?: AbortSignal): ServerError {
    if (e instanceof ServerError) return e;
    if (signal?.aborted) return new ServerError(this.name, 'cancelled', `${what} was cancelled`, { cause: e });
    if (s?.closed && !s.closing) return crashFailure(this.name, s.driver.process(s.transport), this.masker.mask, what, e);
    return requestFailure(this.name, e, what, s?.driver ?? driverFor(this.definition), this.definition, s?.transport);
  }

  protected armIdleTimer(): void {
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

  private setState(state: ConnectionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}
