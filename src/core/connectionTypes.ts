// The options and result types of a ServerConnection (connection.ts).
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/client';
import type { ServerDefinition } from './config/types';
import type { AuthHost } from './auth/types';
import type { Logger } from './logger';
import type { ValidatorProviderFactory } from './toolOutput';
import type { LaunchRequest } from './transport/driver';
import type { AskHost } from './ask/types';
import type { TaskCallOptions } from './tasks/types';

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
  /**
   * How long a stdio server may stay silent on the `server/discover` probe before it is taken for
   * a 2025-era server that ignores unknown requests (capped by startupTimeoutMs). Over HTTP
   * silence is an outage, so the probe there has the whole startupTimeoutMs.
   */
  readonly stdioProbeTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = {
  closeGraceMs: 2000,
  killGraceMs: 2000,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  maxFailures: 5,
  healthyAfterMs: 30_000,
  stdioProbeTimeoutMs: 10_000,
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
   * Asked right before a stdio server's process is spawned (after inputs are resolved), with the
   * configured (unresolved) definition and the resolved command line (secrets masked). Resolving false cancels the start: the state returns
   * to `stopped` and the operation fails with a `cancelled` ServerError. Hosts use it to confirm
   * commands a workspace (not the user) configured.
   */
  readonly beforeLaunch?: (def: ServerDefinition, launch: LaunchRequest) => Promise<boolean>;
  /**
   * Answers the server's questions (roots, elicitation, sampling; see core/ask). What it can
   * answer is declared as client capabilities; without it none are.
   */
  readonly ask?: AskHost;
  /**
   * OAuth sign-in for http/sse servers that ask for it (core/auth): where credentials live and how
   * to show a sign-in. Absent: a 401 is explained, not signed in to.
   */
  readonly auth?: AuthHost;
}

/** What beforeLaunch is shown: the resolved launch, secret values masked. */
export type { LaunchRequest };

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
  /** Tool calls that run as tasks (src/core/tasks/): status, detaching, a long call. */
  readonly task?: TaskCallOptions;
}

/** The protocol era a server speaks: 2026-07-28 and later (stateless, `server/discover`) or 2025 (`initialize`). */
export type ProtocolEra = 'modern' | 'legacy';

export interface SessionInfo {
  readonly pid?: number;
  /** The negotiated protocol version, e.g. "2026-07-28" or "2025-11-25". */
  readonly protocolVersion?: string;
  readonly era?: ProtocolEra;
  readonly startedAt: number;
  readonly serverInfo?: Implementation;
  readonly capabilities?: ServerCapabilities;
  readonly instructions?: string;
}
