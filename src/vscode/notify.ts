// Failures the user can see: a message with the action that fits, the stack in a log.
import * as vscode from 'vscode';
import { errorMessage, isServerError } from '../core';
import type { ServerLogs } from './serverLogs';

export interface FailureContext {
  /** The server involved, if any: enables "Show Logs" / "Restart". */
  readonly server?: string;
  /** What was being done, e.g. "start" (used when the error does not say). */
  readonly action?: string;
  readonly logs: ServerLogs;
}

const SHOW_LOGS = 'Show Logs';
const RESTART = 'Restart';
const OPEN_SETTINGS = 'Open Settings';

/**
 * Logs the failure with its stack (the server's log, else the extension's) and shows it with
 * actions. Does not wait for the message: commands must not hang on an unanswered notification.
 */
export function reportFailure(e: unknown, ctx: FailureContext): void {
  const server = ctx.server ?? (isServerError(e) ? e.server : undefined);
  const log = server ? ctx.logs.loggerFor(server) : ctx.logs.general;
  log.error(e instanceof Error ? e : String(e));
  void showFailure(e, server, ctx);
}

async function showFailure(e: unknown, server: string | undefined, ctx: FailureContext): Promise<void> {
  const kind = isServerError(e) ? e.kind : undefined;
  // Cancelling or stopping is the user's own doing: logged, no message.
  if (kind === 'cancelled' || kind === 'stopped') return;
  const actions: string[] = [];
  if (kind === 'config' || kind === 'launch' || kind === 'disabled') actions.push(OPEN_SETTINGS);
  if (server && kind !== 'disabled' && kind !== 'config') actions.push(SHOW_LOGS);
  if (server && (kind === 'handshake' || kind === 'crash' || kind === 'gaveUp' || kind === 'timeout' || kind === 'launch'))
    actions.push(RESTART);
  if (!server) actions.push(SHOW_LOGS);
  let message = errorMessage(e);
  if (!isServerError(e) && ctx.action) message = `Could not ${ctx.action}${server ? ` ${server}` : ''}: ${message}`;
  const picked = await vscode.window.showErrorMessage(message, ...actions);
  if (picked === SHOW_LOGS) {
    if (server) ctx.logs.show(server, false);
    else ctx.logs.showGeneral();
  } else if (picked === RESTART) {
    await vscode.commands.executeCommand('mcpManager.restartServer', server);
  } else if (picked === OPEN_SETTINGS) {
    await vscode.commands.executeCommand('mcpManager.openSettings', server);
  }
}
