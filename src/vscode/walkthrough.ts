// The Getting Started walkthrough: the "MCP Manager: Get Started" command, the context keys its
// completion events wait for, and opening it once after install (see src/ui/walkthrough.ts).
import * as vscode from 'vscode';
import type { ServerRegistry } from '../core';
import { CONTEXT, SHOWN_KEY, WALKTHROUGH_ID, shouldOpenWalkthrough } from '../ui/walkthrough';

export interface WalkthroughState {
  /** Context values set so far (for tests). */
  readonly contexts: ReadonlyMap<string, boolean>;
}

export function registerWalkthrough(context: vscode.ExtensionContext, registry: ServerRegistry): vscode.Disposable & WalkthroughState {
  const contexts = new Map<string, boolean>();
  const set = (key: string, value: boolean) => {
    if (contexts.get(key) === value) return;
    contexts.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const open = async () => {
    await context.globalState.update(SHOWN_KEY, true);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  };
  const update = () => {
    const servers = registry.list();
    set(CONTEXT.hasServers, servers.length > 0);
    if (servers.some((c) => c.state.kind === 'running')) set(CONTEXT.serverStarted, true); // stays done once done
  };
  const disposables = [
    vscode.commands.registerCommand('mcpManager.openWalkthrough', open),
    registry.onDidChangeServers(update),
    registry.onDidChangeState(({ state }) => state.kind === 'running' && set(CONTEXT.serverStarted, true)),
  ];
  update();

  // Machine-scoped: in a remote window (SSH, code-server) this is the remote machine's value.
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall');
  const production = context.extensionMode === vscode.ExtensionMode.Production;
  if (shouldOpenWalkthrough({ alreadyShown: context.globalState.get<boolean>(SHOWN_KEY) === true, production, openOnInstall })) {
    // After start-up work, so the walkthrough does not fight the restored editors for the focus.
    setTimeout(() => void open().catch(() => undefined), 0);
  }
  return {
    contexts,
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}
