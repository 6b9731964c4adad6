// Composition root (placeholder until the core lands): activate() builds everything.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const tree = vscode.window.createTreeView('mcpManager.servers', {
    treeDataProvider: { getChildren: () => [], getTreeItem: (e: vscode.TreeItem) => e },
  });
  context.subscriptions.push(tree);
}

export function deactivate(): void {}
