// Entry point of MCP test collections in the editor, called once by the composition root.
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core';
import { RecentResults, SaveCallAsTest, type FinishedCall } from './saveCallAsTest';
import { McpTestController } from './testController';

export { McpTestController, type ReportedOutcome } from './testController';
export type { FinishedCall } from './saveCallAsTest';

export interface McpTests extends vscode.Disposable {
  readonly controller: McpTestController;
  /** Give every finished tool call here (ToolCallDeps.onDidCall), so it can be saved as a test with its result. */
  readonly recordCall: (call: FinishedCall) => void;
  /** Forgets the recorded results, as in a new window (history entries keep only their summary). For the tests. */
  readonly forgetResults: () => void;
}

/** Registers the "MCP Tests" controller, mcpManager.saveCallAsTest and mcpManager.saveLastCallAsTest. */
export function registerMcpTests(registry: ServerRegistry): McpTests {
  const controller = new McpTestController(registry);
  const results = new RecentResults();
  const save = new SaveCallAsTest(results);
  const disposable = vscode.Disposable.from(
    controller,
    vscode.commands.registerCommand('mcpManager.saveCallAsTest', (arg?: unknown) => save.saveCallAsTest(arg)),
    vscode.commands.registerCommand('mcpManager.saveLastCallAsTest', (arg?: unknown) => save.saveLastCallAsTest(arg)),
  );
  return {
    controller,
    recordCall: (call) => results.add(call),
    forgetResults: () => results.clear(),
    dispose: () => disposable.dispose(),
  };
}
