// Notifications for failed calls: which server, what happened, and the next step as buttons.
// Never awaited by the call itself (a notification can stay open for minutes).
import * as vscode from 'vscode';
import { errorMessage, type FailureKind, ServerError } from '../../core';
import type { ServerLogsLike } from '../../ui/toolCall/types';

const SHOW_LOGS = 'Show Logs';
const RESTART = 'Restart Server';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_RESULT = 'Show Result';
const SIGN_IN = 'Sign In';

const ACTIONS: Record<FailureKind, readonly string[]> = {
  config: [OPEN_SETTINGS, SHOW_LOGS],
  disabled: [OPEN_SETTINGS],
  launch: [SHOW_LOGS, RESTART, OPEN_SETTINGS],
  handshake: [SHOW_LOGS, RESTART],
  crash: [SHOW_LOGS, RESTART],
  timeout: [SHOW_LOGS, RESTART, OPEN_SETTINGS],
  cancelled: [],
  tooLarge: [SHOW_LOGS, OPEN_SETTINGS],
  gaveUp: [SHOW_LOGS, RESTART],
  protocol: [SHOW_LOGS],
  unsupported: [OPEN_SETTINGS],
  stopped: [SHOW_LOGS, RESTART],
  auth: [SIGN_IN, SHOW_LOGS],
};

function act(action: string | undefined, server: string, logs: ServerLogsLike): void {
  if (action === SHOW_LOGS) logs.show(server);
  else if (action === RESTART) void vscode.commands.executeCommand('mcpManager.restartServer', { serverName: server });
  else if (action === OPEN_SETTINGS) void vscode.commands.executeCommand('mcpManager.openSettings', { serverName: server });
  else if (action === SIGN_IN) void vscode.commands.executeCommand('mcpManager.signIn', { serverName: server });
}

/** A call failed in the core (ServerError) or unexpectedly. */
export function showCallFailure(error: unknown, server: string, tool: string, logs: ServerLogsLike): void {
  const kind = error instanceof ServerError ? error.kind : undefined;
  // ServerError messages start with "<server>: "; say which server in words instead.
  const text =
    error instanceof ServerError && error.message.startsWith(`${server}: `) ? error.message.slice(server.length + 2) : errorMessage(error);
  const actions = kind ? ACTIONS[kind] : [SHOW_LOGS];
  // The core says which request failed ('tools/call "x" failed: ...'); say it once.
  const reason = text.startsWith(`tools/call "${tool}" failed: `) ? text.slice(`tools/call "${tool}" failed: `.length) : text;
  void vscode.window
    .showErrorMessage(`MCP server "${server}": calling "${tool}" failed: ${reason}`, ...actions)
    .then((a) => act(a, server, logs));
}

/** The tool ran and reported a failure (isError: true). */
export function showToolError(server: string, tool: string, text: string, logs: ServerLogsLike, showResult: () => unknown): void {
  void vscode.window.showErrorMessage(`"${tool}" (${server}) returned an error: ${text}`, SHOW_RESULT, SHOW_LOGS).then((a) => {
    if (a === SHOW_RESULT) void showResult();
    else act(a, server, logs);
  });
}

/** Something outside a call went wrong (a bug, or the editor refused something): say so and log it. */
export function showUnexpected(what: string, error: unknown, server: string | undefined, logs: ServerLogsLike): void {
  if (server) logs.loggerFor(server).error(error instanceof Error ? error : String(error));
  const actions = server ? [SHOW_LOGS] : [];
  void vscode.window.showErrorMessage(`MCP: ${what} failed: ${errorMessage(error)}`, ...actions).then((a) => {
    if (a && server) act(a, server, logs);
  });
}
