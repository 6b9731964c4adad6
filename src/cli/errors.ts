// Exit codes and the one-line error format of the CLI.
import { ProtocolErrorCode } from '@modelcontextprotocol/client';
import { type FailureKind, ServerError } from '../core';

export const EXIT = {
  ok: 0,
  /** The tool ran and reported failure (isError), or the server answered with an error. */
  toolError: 1,
  /** Bad command line, bad configuration, unknown server or tool, invalid JSON arguments. */
  usage: 2,
  /** Could not start, connect, finish the handshake, or the request timed out / the server died. */
  connection: 3,
  /** Interrupted (Ctrl+C): 128 + SIGINT. */
  interrupted: 130,
} as const;

/** A failure the CLI reports itself: `mcp-manager: <subject>: <message>`. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    /** The server (or file) the message is about. */
    readonly subject?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string, subject?: string): CliError {
  return new CliError(EXIT.usage, message, subject);
}

const KIND_EXIT: Record<FailureKind, number> = {
  config: EXIT.usage,
  disabled: EXIT.usage,
  launch: EXIT.connection,
  handshake: EXIT.connection,
  crash: EXIT.connection,
  timeout: EXIT.connection,
  tooLarge: EXIT.connection,
  gaveUp: EXIT.connection,
  stopped: EXIT.connection,
  cancelled: EXIT.interrupted,
  protocol: EXIT.toolError,
  unsupported: EXIT.usage,
  auth: EXIT.connection,
};

export function exitCodeFor(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof ServerError) {
    // The server rejected what we sent (unknown method, arguments that do not fit the schema):
    // a usage problem, not a failure of the tool.
    if (e.kind === 'protocol' && (e.code === ProtocolErrorCode.InvalidParams || e.code === ProtocolErrorCode.MethodNotFound))
      return EXIT.usage;
    return KIND_EXIT[e.kind];
  }
  return EXIT.connection;
}

const HINTS: Partial<Record<FailureKind, string>> = {
  handshake: 'Run the same command with --verbose to see what the server printed.',
  crash: 'Run the same command with --verbose to see what the server printed.',
};

/**
 * The core's wording names configuration fields ("headers", "type", startupTimeoutMs) and a log;
 * an ad-hoc server has neither: the fields are command-line options, and its output is --verbose.
 */
function forAdHoc(text: string, kind: 'stdio' | 'url'): string {
  const t = text
    .replace(/ in its configuration \(its log has the full output\)/, ' (run with --verbose to see its output)')
    .replace(/Check the command, args and env\b/, kind === 'stdio' ? 'Check the --stdio command line and its --env values' : '$&')
    .replace(
      /,? or raise (startupTimeoutMs|requestTimeoutMs|maxTotalTimeoutMs) \(or pass --timeout MS\)/,
      ', or pass a larger --timeout MS',
    )
    .replace(/\bRaise (requestTimeoutMs|maxTotalTimeoutMs)\b/, 'Pass a larger --timeout MS')
    .replace(/ \((startupTimeoutMs|requestTimeoutMs|maxTotalTimeoutMs)\)/g, ' (--timeout)');
  if (kind !== 'url') return t;
  return t
    .replace(
      /Check the credentials in its "headers" \(e\.g\. Authorization\)/,
      'Pass credentials with --header, e.g. --header "Authorization: Bearer <token>"',
    )
    .replace(
      /, which is off for this connection \([^)]*\)\. Remove "oauth": false to sign in, or get/,
      '. An ad-hoc --url server does not sign in: get',
    )
    .replace(/pass it in "headers" as "Authorization: Bearer <token>"/, 'pass it with --header "Authorization: Bearer <token>"')
    .replace(/set "type": "sse"/, 'pass --transport sse')
    .replace(/Check the URL and "type" \((an older server may need) "sse"\)/, 'Check the URL and --transport ($1 --transport sse)')
    .replace(/Check the URL and "type" \((a newer server may need) "http"\)/, 'Check the URL and --transport ($1 --transport http)');
}

/** One line: `mcp-manager: <server>: <what happened>. <next step>` (secrets already masked by the caller). `adHoc`: the server came from --stdio or --url. */
export function formatError(e: unknown, adHoc?: 'stdio' | 'url'): string {
  let text: string;
  if (e instanceof CliError) {
    text = e.subject ? `${e.subject}: ${e.message}` : e.message;
  } else if (e instanceof ServerError) {
    // ServerError messages already start with the server name and usually say what to do next.
    // The core's wording is for the editor, where servers restart; here each run is one session.
    text = e.message
      .replace(/; the next operation restarts it$/, '')
      .replace(/Sign in \(in the editor: Sign In on the server; in a terminal: (mcp-manager login .+)\)\.$/, 'Run "$1" to sign in.')
      .replace(/Check the logs\b/, 'Run with --verbose to see its output')
      .replace(/(raise) (startupTimeoutMs|requestTimeoutMs)\b/i, '$1 $2 (or pass --timeout MS)');
    if (adHoc) text = forAdHoc(text, adHoc);
    const last = e.stderrTail?.[e.stderrTail.length - 1];
    if (e.kind === 'crash' && last && !text.includes(last)) text = `${text} (last stderr line: ${JSON.stringify(last)})`;
    // Only a process has output to look at (stdio errors carry its stderr tail, maybe empty).
    const hint = e.stderrTail !== undefined ? HINTS[e.kind] : undefined;
    if (hint && !/--verbose|--timeout/i.test(text)) text = `${sentence(text)} ${hint}`;
  } else {
    text = `unexpected error: ${e instanceof Error ? e.message : String(e)}. Run with --verbose for details.`;
  }
  return `mcp-manager: ${oneLine(text)}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
