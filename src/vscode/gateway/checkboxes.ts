// The tree's gateway checkboxes: a server's says whether other clients (VS Code's chat,
// `mcp-manager serve`) are offered it, written as `"expose": false` in its entry; a tool's says
// whether they see that tool, remembered per workspace. Neither restarts anything; the gateway's
// clients get list_changed. A change that cannot be made (a server defined in code) is reported
// and the row shows its real state again.
import * as vscode from 'vscode';
import { errorMessage } from '../../core';
import type { TreeNode } from '../../ui/tree/nodes';

export interface CheckboxDeps {
  /** Writes the server's `expose` (ServerActions.setExposed). */
  setExposed(server: string, exposed: boolean): Promise<void>;
  setToolOffered(server: string, tool: string, offered: boolean): Promise<void>;
  /** Redraws a server's row and its tools (after a change that failed). */
  refreshServer(server: string): void;
}

export function registerGatewayCheckboxes(view: vscode.TreeView<TreeNode>, deps: CheckboxDeps): vscode.Disposable {
  return view.onDidChangeCheckboxState(async (e) => {
    for (const [node, state] of e.items) {
      if (node.kind !== 'server' && node.kind !== 'tool') continue;
      const on = state === vscode.TreeItemCheckboxState.Checked;
      try {
        if (node.kind === 'server') await deps.setExposed(node.serverName, on);
        else await deps.setToolOffered(node.serverName, node.toolName, on);
      } catch (err) {
        deps.refreshServer(node.serverName);
        const what = node.kind === 'tool' ? `the tool "${node.toolName}" of "${node.serverName}"` : `"${node.serverName}"`;
        void vscode.window.showErrorMessage(`Could not ${on ? 'offer' : 'stop offering'} ${what} to other clients: ${errorMessage(err)}`);
      }
    }
  });
}
