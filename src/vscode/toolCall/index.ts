// Entry point of the tool-call feature, called once by the composition root (src/extension.ts).
import * as vscode from 'vscode';
import { ToolCallController, type ToolCallDeps } from './controller';
import type { ResultAction } from './resultView';

export type { ToolCallDeps } from './controller';
export type { CallToolRequest, ServerLogsLike } from '../../ui/toolCall/types';
export { RESULT_SCHEME } from './resultView';

/**
 * Internal command (not in package.json, so not in the palette): the recent calls, newest first.
 * For the integration and e2e tests, which cannot read workspaceState of the extension.
 */
export const GET_HISTORY_COMMAND = 'mcpManager.getToolCallHistory';
/** Internal command: what the open "Call Tool" pick shows (rows, active row), undefined when closed. For the tests. */
export const GET_PICK_COMMAND = 'mcpManager.getToolPickState';
/** Internal (tests): the open result views, and a page action run on one (as if clicked). */
export const GET_RESULT_VIEWS_COMMAND = 'mcpManager.getResultViews';
export const RESULT_VIEW_ACTION_COMMAND = 'mcpManager.resultViewAction';

/**
 * Registers mcpManager.callTool, mcpManager.rerunLastToolCall and mcpManager.showCallHistory.
 * callTool takes nothing (palette), a tree node `{ serverName, toolName? }`, or
 * `{ serverName, toolName, args, signal?, token?, show? }` (no UI; see CallToolRequest), and
 * resolves with the CallToolResult, or undefined when cancelled or failed.
 */
export function registerToolCallCommands(deps: ToolCallDeps): vscode.Disposable {
  const controller = new ToolCallController(deps);
  return vscode.Disposable.from(
    controller,
    vscode.commands.registerCommand('mcpManager.callTool', (arg?: unknown) => controller.callTool(arg)),
    vscode.commands.registerCommand('mcpManager.showTool', (arg?: unknown) => controller.showTool(arg)),
    vscode.commands.registerCommand('mcpManager.rerunLastToolCall', (arg?: unknown) => controller.rerunLast(arg)),
    vscode.commands.registerCommand('mcpManager.showCallHistory', (arg?: unknown) => controller.showHistory(arg)),
    vscode.commands.registerCommand(GET_HISTORY_COMMAND, () => controller.history.list().map((e) => ({ ...e }))),
    vscode.commands.registerCommand(GET_PICK_COMMAND, () => controller.pickSnapshot),
    vscode.commands.registerCommand(GET_RESULT_VIEWS_COMMAND, () => controller.results.describe()),
    vscode.commands.registerCommand(RESULT_VIEW_ACTION_COMMAND, (server: string, tool: string, action: ResultAction) =>
      controller.results.act(server, tool, action),
    ),
  );
}
