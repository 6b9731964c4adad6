// One tool call under the progress notification: its Cancel, the caller's token or signal, the
// server's start and the server's progress reports (as percent increments) in one place.
import type * as vscode from 'vscode';
import { runToolCall, type CallOutcome } from '../../ui/toolCall/callRunner';
import type { ServerConnection } from '../../core';
import type { CallToolRequest } from '../../ui/toolCall/types';

/** What runWithProgress needs of a call (ToolCallController's ExecuteRequest is one). */
export interface ProgressCall extends Pick<CallToolRequest, 'signal' | 'token'> {
  readonly conn: ServerConnection;
  readonly toolName: string;
  readonly args: Record<string, unknown>;
}

/**
 * Runs the call of `req`; cancelled by the notification's Cancel, `req.token` or `req.signal`.
 * `detachTasks`: a call that becomes a task returns it at once (the task tracker follows it).
 */
export async function runWithProgress(
  req: ProgressCall,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  detachTasks: boolean,
): Promise<CallOutcome> {
  const { conn, toolName, args } = req;
  const ac = new AbortController();
  const abort = () => ac.abort();
  const subs: { dispose(): unknown }[] = [token.onCancellationRequested(abort)];
  if (req.token) {
    if (req.token.isCancellationRequested) abort();
    subs.push(req.token.onCancellationRequested(abort));
  }
  if (req.signal) {
    if (req.signal.aborted) abort();
    req.signal.addEventListener('abort', abort, { once: true });
    subs.push({ dispose: () => req.signal?.removeEventListener('abort', abort) });
  }
  if (conn.state.kind !== 'running') {
    progress.report({ message: 'starting the server…' });
    subs.push(conn.onDidChangeState((s) => s.kind === 'running' && progress.report({ message: 'running…' })));
  }
  let reported = 0;
  try {
    return await runToolCall(conn, toolName, args, {
      signal: ac.signal,
      ...(detachTasks && { task: { detach: true } }),
      onProgress: (p) => {
        let increment: number | undefined;
        if (p.total && p.total > 0) {
          const pct = Math.min(100, (p.progress / p.total) * 100);
          if (pct > reported) {
            increment = pct - reported;
            reported = pct;
          }
        }
        progress.report({ message: p.message ?? (p.total ? `${p.progress} / ${p.total}` : String(p.progress)), increment });
      },
    });
  } finally {
    for (const s of subs) s.dispose();
  }
}
