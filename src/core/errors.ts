// One error type for everything that goes wrong with a server, carrying which server, what kind
// of failure (hosts map kinds to exit codes and actions), and the next step in the message.

export type FailureKind =
  | 'config' // the entry is invalid (field names the key)
  | 'disabled'
  | 'launch' // command not found, cwd missing, spawn failed
  | 'handshake' // initialize failed or timed out, or the process exited during startup
  | 'crash' // the process exited while in use
  | 'timeout' // a request took too long
  | 'cancelled'
  | 'tooLarge'
  | 'gaveUp' // repeated failures: not retrying until the user restarts
  | 'protocol' // the server answered with a JSON-RPC error
  | 'unsupported' // the server (or its configuration) cannot do what was asked, e.g. follow a resource
  | 'auth' // the server needs sign-in (OAuth), or signing in failed
  | 'stopped'; // stopped while an operation waited for it

export interface ServerErrorDetails {
  readonly field?: string;
  readonly stderrTail?: readonly string[];
  readonly exitCode?: number | null;
  readonly code?: number;
  readonly cause?: unknown;
}

export class ServerError extends Error {
  readonly field?: string;
  readonly stderrTail?: readonly string[];
  readonly exitCode?: number | null;
  /** JSON-RPC error code for `protocol` failures. */
  readonly code?: number;

  constructor(
    readonly server: string,
    readonly kind: FailureKind,
    message: string,
    details: ServerErrorDetails = {},
  ) {
    super(`${server}: ${message}`, { cause: details.cause });
    this.name = 'ServerError';
    this.field = details.field;
    this.stderrTail = details.stderrTail;
    this.exitCode = details.exitCode;
    this.code = details.code;
  }

  /** The message plus the last stderr lines, for logs and detail panes. */
  get detail(): string {
    return this.stderrTail?.length ? `${this.message}\nLast stderr lines:\n  ${this.stderrTail.slice(-10).join('\n  ')}` : this.message;
  }
}

export function isServerError(e: unknown): e is ServerError {
  return e instanceof ServerError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
