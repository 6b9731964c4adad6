// QuickPicks over the configured servers, shared by the commands and the status bar.
import * as vscode from 'vscode';
import { stateLabel, type ServerConnection, type ServerRegistry } from '../core';
import { stateCodicon } from './tree/present';

interface ServerItem extends vscode.QuickPickItem {
  readonly name: string;
}

export function serverPickItem(conn: ServerConnection): ServerItem {
  return {
    name: conn.name,
    label: `$(${stateCodicon(conn.state)}) ${conn.name}`,
    description: `${stateLabel(conn.state)} · ${conn.definition.type}`,
    detail: conn.state.kind === 'error' ? conn.state.message : undefined,
  };
}

/**
 * Asks for a server. `filter` narrows the list to servers the action applies to; when none
 * qualify, an information message says so (`emptyMessage`) and nothing is picked.
 */
export async function pickServer(
  registry: ServerRegistry,
  options: { title: string; filter?: (c: ServerConnection) => boolean; emptyMessage?: string } = { title: 'Select an MCP server' },
): Promise<string | undefined> {
  const all = registry.list();
  const servers = options.filter ? all.filter(options.filter) : all;
  if (servers.length === 0) {
    if (all.length === 0) {
      const add = 'Add Server';
      const picked = await vscode.window.showInformationMessage('No MCP servers are configured.', add);
      if (picked === add) await vscode.commands.executeCommand('mcpManager.addServer');
    } else {
      void vscode.window.showInformationMessage(options.emptyMessage ?? 'No server applies.');
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(servers.map(serverPickItem), {
    title: options.title,
    placeHolder: 'Server',
    matchOnDescription: true,
  });
  return picked?.name;
}
