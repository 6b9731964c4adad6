// One tool call against a connection, with cancellation that stops waiting at once. Pure (no
// `vscode`): the command wraps it in withProgress, tests drive it with an AbortSignal.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { type CallOptions, ServerError } from '../../core';

export type CallStatus = 'ok' | 'isError' | 'error' | 'cancelled';

export interface CallOutcome {
  readonly status: CallStatus;
  readonly result?: CallToolResult;
  /** The failure for `error` (a ServerError from the core, or anything else thrown). */
  readonly error?: unknown;
  readonly startedAt: number;
  readonly durationMs: number;
}

/** The part of ServerConnection a call needs (a fake in unit tests). */
export interface ToolCaller {
  readonly name: string;
  callTool(name: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<CallToolResult>;
}

/**
 * Calls `tool` and classifies the outcome; never throws. Aborting `signal` makes the core send
 * notifications/cancelled, and this resolves as `cancelled` immediately, without waiting for the
 * server (or a server that is still starting) to react.
 */
export async function runToolCall(
  conn: ToolCaller,
  tool: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions = {},
): Promise<CallOutcome> {
  const startedAt = Date.now();
  const done = (o: Omit<CallOutcome, 'startedAt' | 'durationMs'>): CallOutcome => ({ ...o, startedAt, durationMs: Date.now() - startedAt });
  const signal = options.signal;
  if (signal?.aborted) return done({ status: 'cancelled' });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const call = conn.callTool(tool, args, options);
  try {
    const winner = await Promise.race([call, aborted]);
    if (winner === 'aborted') {
      call.catch(() => undefined); // settles later with 'cancelled'; nobody is waiting any more
      return done({ status: 'cancelled' });
    }
    return done({ status: winner.isError ? 'isError' : 'ok', result: winner });
  } catch (e) {
    if (signal?.aborted || (e instanceof ServerError && e.kind === 'cancelled')) return done({ status: 'cancelled', error: e });
    return done({ status: 'error', error: e });
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
