// The CLI's Logger: stderr, only when asked for. Without --verbose nothing is logged (the CLI
// prints one error line itself); -v shows the connection log and the server's own stderr;
// -vv / --trace adds every JSON-RPC message.
import { type Logger, type LogLevel, nullLogger } from '../core';

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export function stderrLogger(verbosity: number, server: string, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  if (verbosity <= 0) return nullLogger;
  const min: LogLevel = verbosity >= 2 ? 'trace' : 'debug';
  const log = (level: LogLevel) => (m: string | Error) => {
    if (ORDER[level] < ORDER[min]) return;
    const text = typeof m === 'string' ? m : (m.stack ?? m.message);
    const tag = level === 'info' ? '' : `${level}: `;
    write(`[${server}] ${tag}${text}\n`);
  };
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    traceEnabled: min === 'trace',
  };
}
