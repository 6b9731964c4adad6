// The logging seam between core/ and its hosts (a LogOutputChannel in VS Code, stderr in the CLI).

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  /** Cheap check so hot paths (JSON-RPC tracing) skip building messages nobody reads. */
  readonly traceEnabled?: boolean;
}

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  traceEnabled: false,
};

/** Wraps a logger so every line passes through `mask` first (secrets never reach a log). */
export function maskingLogger(inner: Logger, mask: (text: string) => string): Logger {
  return {
    trace: (m) => inner.trace(mask(m)),
    debug: (m) => inner.debug(mask(m)),
    info: (m) => inner.info(mask(m)),
    warn: (m) => inner.warn(mask(m)),
    error: (m) => inner.error(mask(typeof m === 'string' ? m : (m.stack ?? m.message))),
    get traceEnabled() {
      return inner.traceEnabled;
    },
  };
}
