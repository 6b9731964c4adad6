// What the connection needs to know about one kind of transport (stdio, http, sse, memory): how to
// plan and create its sessions, how to describe them, and how to explain their failures. The
// connection (connection.ts) holds no transport branches; it asks the driver for the definition's
// type (drivers.ts). To add a transport: a driver file here, one line in drivers.ts.
import type { Transport } from '@modelcontextprotocol/client';
import type { AuthHost } from '../auth/types';
import type { ServerDefinition } from '../config/types';
import type { ServerError } from '../errors';
import type { Logger } from '../logger';
import type { SecretMasker } from '../secrets';
import type { ExitInfo } from './stdio';

export interface DriverTiming {
  readonly closeGraceMs?: number;
  readonly killGraceMs?: number;
}

/** What the resolved launch of a process looks like to a user (secret values masked). */
export interface LaunchRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

export interface DriverContext {
  /** The server's name, for errors. */
  readonly server: string;
  readonly log: Logger;
  /** Values found while planning (envFile contents) are added to it. */
  readonly masker: SecretMasker;
  readonly timing: DriverTiming;
  /** The host's environment (allow-list and passEnv are taken from it). */
  readonly parentEnv?: NodeJS.ProcessEnv;
  /** OAuth sign-in for servers that ask for it (ConnectionOptions.auth). */
  readonly auth?: AuthHost;
  /** Something about the session a user should see while it starts (text on a stdio server's stdout). */
  readonly onProblem?: (text: string) => void;
}

/** The process behind a session, for transports that have one. */
export interface ProcessInfo {
  readonly pid?: number;
  readonly exit?: ExitInfo;
  /** Last stderr lines, unmasked. */
  stderrTail(): string[];
}

export interface TransportDriver<D extends ServerDefinition = ServerDefinition> {
  /** The definition types this driver serves. */
  readonly types: readonly D['type'][];
  /** Configured values that are secrets (never logged), before `${input:}` values are resolved. */
  secrets(def: D): string[];
  /** The definition with `${input:}` values substituted in the fields that may hold them. */
  substitute(def: D, sub: (value: string) => string): D;
  /**
   * For transports that run a program: the launch a user is asked to allow, planned from the
   * configured definition before any `${input:...}` is asked for (placeholders stay as written,
   * known secrets masked). The connection asks its host's beforeLaunch with it, then resolves inputs.
   */
  preview?(def: D, masker: SecretMasker, parentEnv?: NodeJS.ProcessEnv): Promise<LaunchRequest>;
  /** Plans the session and builds its transport (starts nothing). Throws ServerErrors that name the field. */
  create(def: D, ctx: DriverContext): Promise<Transport>;
  /** What is connected to, for messages: the command line or the URL. */
  describe(def: D): string;
  /** The process behind a transport, if any. */
  process(transport: Transport): ProcessInfo | undefined;
  /** Why the handshake did not finish within `timeoutMs` (the transport was closed), with the next step. */
  explainTimeout(def: D, timeoutMs: number, transport: Transport, mask: (text: string) => string): string;
  /** Why the handshake failed, when this transport can tell (undefined: the generic wording). Quoted output goes through `mask`. */
  explainStartup(e: unknown, def: D, transport: Transport, mask: (text: string) => string): Promise<string | undefined>;
  /** Why a request failed, when this transport can tell (an HTTP status). */
  explainRequest(e: unknown, def: D): string | undefined;
  /** Why signing in failed or is needed, when the transport's last failure was about authorization (see core/auth). */
  authFailure?(transport: Transport): ServerError | undefined;
  /** The server forgot this session (a request on it may be sent again on a new one): its id, else undefined. */
  expiredSession(e: unknown, transport: Transport): string | undefined;
}
