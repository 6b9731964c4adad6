// The wording of a connection's failures: which server, what happened, what to do next. Failures
// specific to a transport (an exit code, an HTTP status) are worded by its driver (transport/).
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { ServerDefinition } from './config/types';
import { ServerError, errorMessage } from './errors';
import type { ProcessInfo, TransportDriver } from './transport/driver';
import type { Transport } from '@modelcontextprotocol/client';
import { exitHow } from './transport/stdioDriver';
import { TOO_LARGE_ERROR_CODE } from './transport/stdio';

/** The SDK's message when maxTotalTimeout is exceeded (reused for ours, so both read the same). */
export const MAX_TOTAL_EXCEEDED = 'Maximum total timeout exceeded';

type Mask = (text: string) => string;

/** A failed handshake, explained (the transport is already closed). */
export async function startupFailure(
  server: string,
  e: unknown,
  driver: TransportDriver<ServerDefinition>,
  def: ServerDefinition,
  transport: Transport,
  mask: Mask,
): Promise<ServerError> {
  // A 401/403 the OAuth client could not fix: the driver knows why (sign-in required, sign-in failed).
  const auth = driver.authFailure?.(transport);
  if (auth) return auth;
  const proc = driver.process(transport);
  // Masked: error messages quote stderr, and a server may print its token there.
  const stderrTail = proc?.stderrTail().map(mask);
  if (e instanceof ServerError)
    return new ServerError(server, e.kind, e.message.replace(`${server}: `, ''), { stderrTail, field: e.field });
  const msg = errorMessage(e);
  if (/protocol version is not supported/i.test(msg)) {
    return new ServerError(server, 'handshake', `${msg}. The server needs an update, or this client is too old for it.`, {
      stderrTail,
      cause: e,
    });
  }
  if (isTimeout(e) && !proc?.exit) {
    // The SDK's own initialize timeout won the race against ours: the same explanation.
    return new ServerError(server, 'handshake', driver.explainTimeout(def, def.startupTimeoutMs, transport, mask), {
      stderrTail,
      cause: e,
    });
  }
  const explained = await driver.explainStartup(e, def, transport, mask);
  if (explained) return new ServerError(server, 'handshake', explained, { stderrTail, exitCode: proc?.exit?.code, cause: e });
  return new ServerError(server, 'handshake', `handshake failed: ${msg}`, { stderrTail, cause: e });
}

/** The session ended without us closing it: during an operation (`during`), or between operations. */
export function crashFailure(server: string, proc: ProcessInfo | undefined, mask: Mask, during?: string, cause?: unknown): ServerError {
  const exit = proc?.exit;
  const how = exit ? exitHow(exit) : 'closed the connection';
  const when = during ? `during ${during}` : 'unexpectedly';
  return new ServerError(server, 'crash', `${how} ${when}; the next operation restarts it`, {
    stderrTail: proc?.stderrTail().map(mask),
    exitCode: exit?.code,
    cause,
  });
}

/** A failed request on a live session, explained: what was asked (`what`), what the server or transport said, the next step. */
export function requestFailure(
  server: string,
  e: unknown,
  what: string,
  driver: TransportDriver<ServerDefinition>,
  def: ServerDefinition,
  transport?: Transport,
): ServerError {
  const auth = transport && driver.authFailure?.(transport);
  if (auth) return auth;
  if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) {
    if (e.message.includes(MAX_TOTAL_EXCEEDED)) {
      const max = (e.data as { maxTotalTimeout?: number } | undefined)?.maxTotalTimeout;
      return new ServerError(
        server,
        'timeout',
        `${what} exceeded the maximum total time${max ? ` of ${max} ms` : ''} (maxTotalTimeoutMs) although the server kept reporting progress; it was cancelled on the server. Raise maxTotalTimeoutMs if it needs longer.`,
        { cause: e, code: REQUEST_TIMEOUT_CODE },
      );
    }
    const after = (e.data as { timeout?: number } | undefined)?.timeout;
    return new ServerError(
      server,
      'timeout',
      `${what} timed out${after ? ` after ${after} ms without an answer` : ` (${e.message})`} (requestTimeoutMs); it was cancelled on the server. Raise requestTimeoutMs if it needs longer.`,
      { cause: e, code: REQUEST_TIMEOUT_CODE },
    );
  }
  // 2026-07-28: the server kept answering input_required (ask/install.ts answers each round).
  if (e instanceof SdkError && e.code === SdkErrorCode.InputRequiredRoundsExceeded) {
    const rounds = (e.data as { rounds?: number } | undefined)?.rounds;
    return new ServerError(
      server,
      'protocol',
      `${what} was stopped: the server still asked for input after ${rounds ?? 'the maximum of'} rounds of answers (input_required); it may be looping. Report it to the server's authors.`,
      { cause: e },
    );
  }
  if (e instanceof SdkError && e.code === SdkErrorCode.CapabilityNotSupported && /input request/.test(e.message))
    return new ServerError(
      server,
      'protocol',
      `${what} failed: the server asked for something this client does not offer it (${e.message.replace(/^.*?'(elicitation\/create|sampling\/createMessage|roots\/list)'.*$/, '$1')}); check the server's "sampling" and "roots" settings.`,
      { cause: e },
    );
  if (e instanceof SdkError && e.code === SdkErrorCode.ConnectionClosed)
    return new ServerError(server, 'crash', `connection closed during ${what}`, { cause: e, code: CONNECTION_CLOSED_CODE });
  if (e instanceof ProtocolError) {
    const text = serverMessage(e);
    if (e.code === TOO_LARGE_ERROR_CODE) return new ServerError(server, 'tooLarge', text, { cause: e, code: e.code });
    // The server's own JSON-RPC error: its message once, and its code.
    return new ServerError(server, 'protocol', `${what} failed: ${text} (MCP error ${e.code})`, { cause: e, code: e.code });
  }
  const explained = driver.explainRequest(e, def);
  return new ServerError(server, 'protocol', `${what} failed: ${explained ?? errorMessage(e)}`, { cause: e });
}

/** JSON-RPC codes of the 2025 SDK's timeout and closed-connection errors, kept on our errors for callers that read `code`. */
export const REQUEST_TIMEOUT_CODE = -32001;
export const CONNECTION_CLOSED_CODE = -32000;

/** A request or handshake that ran out of time (the SDK's timeout, or ours through the same error). */
export function isTimeout(e: unknown): boolean {
  return e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout;
}

/** The server's message without "MCP error N: " prefixes (older SDKs add one; a server may relay one). */
export function serverMessage(e: Error): string {
  return e.message.replace(/^(MCP error -?\d+: )+/, '');
}
