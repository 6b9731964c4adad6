// "MCP Manager: Copy Gateway Configuration...": the entry another client (Claude Code, Cursor,
// another VS Code) needs to use this workspace's servers through `mcp-manager serve` over stdio,
// the CLI shipped in this extension. The snippet is built by core (gatewayConfigSnippet).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { gatewayConfigSnippet, type ClientKind } from '../../core';
import type { Prompter } from '../prompts';

export const COPY_GATEWAY_CONFIG_COMMAND = 'mcpManager.copyGatewayConfig';

const CLIENTS: readonly (vscode.QuickPickItem & { client: ClientKind })[] = [
  { label: 'Claude Code', description: '.mcp.json (or: claude mcp add)', client: 'claude' },
  { label: 'Cursor / Claude Desktop', description: 'mcpServers entry', client: 'cursor' },
  { label: 'VS Code', description: '.vscode/mcp.json of another workspace', client: 'vscode' },
];

export function registerCopyGatewayConfig(extensionPath: string, prompter: Prompter): vscode.Disposable {
  return vscode.commands.registerCommand(COPY_GATEWAY_CONFIG_COMMAND, async () => {
    try {
      const picked = await prompter.pick(CLIENTS, {
        title: 'Copy Gateway Configuration',
        placeHolder: 'Which client will use the servers?',
      });
      if (!picked) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const args = [path.join(extensionPath, 'dist', 'cli.js'), 'serve', ...(folder ? ['--workspace', folder] : [])];
      const text = gatewayConfigSnippet(picked.client, { kind: 'stdio', command: 'node', args });
      await vscode.env.clipboard.writeText(text);
      void prompter.notify(`Copied the ${picked.label} entry for MCP Manager's gateway (mcp-manager serve) to the clipboard.`);
    } catch (e) {
      void prompter.error(`Could not copy the gateway configuration: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
