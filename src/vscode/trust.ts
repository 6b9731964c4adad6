// Workspace trust, as the user sees it. A workspace can name a command to run, so in Restricted
// Mode nothing the workspace configured is loaded (configSource.ts skips those sources, and
// package.json declares `mcpManager.servers`/`mcpManager.inputs` as restricted settings). The tree
// says why its servers are missing and offers the way out; user-level servers keep working.
import * as vscode from 'vscode';
import type { IgnoredSource, SettingsConfigSource } from './configSource';
import type { NoticeSource } from './tree/serverTree';
import type { Notice } from '../ui/tree/nodes';

export const MANAGE_TRUST_COMMAND = 'mcpManager.manageWorkspaceTrust';

export function untrustedNotice(ignored: readonly IgnoredSource[]): Notice | undefined {
  if (!ignored.length) return undefined;
  const total = ignored.reduce((n, s) => n + s.servers, 0);
  const list = ignored.map((s) => `- ${s.label}${s.servers ? `: ${s.servers} server${s.servers === 1 ? '' : 's'}` : ''}`).join('\n');
  return {
    id: 'untrusted',
    label: 'Workspace servers not loaded',
    description: `Restricted Mode${total ? ` · ${total} ignored` : ''}`,
    tooltip:
      'This workspace is not trusted, so the MCP servers it configures are not loaded: a workspace can name any program to run.\n\n' +
      `${list}\n\nUser-level servers work as usual. Trust the workspace to load its servers (you will still be asked before each of its commands first runs).`,
    icon: 'shield',
    command: { command: MANAGE_TRUST_COMMAND, title: 'Manage Workspace Trust' },
  };
}

/** The tree's notices, derived from what the configuration source ignored. */
export function trustNotices(config: SettingsConfigSource): NoticeSource {
  return {
    get notices() {
      const n = untrustedNotice(config.ignored);
      return n ? [n] : [];
    },
    onDidChangeNotices: config.onDidChangeIgnored,
  };
}

export function manageWorkspaceTrust(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.trust.manage');
}
