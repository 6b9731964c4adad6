// How nodes look. Everything here derives from the connection's state (and the tool list we
// hold), never from a second copy of it.
import type { Tool } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { toolDetailsHeader } from '../../ui/toolCall/toolDetails';
import { describeTarget, schemaText, stateLabel, type AuthStatus, type ConnectionState, type ServerConnection } from '../../core';
import type { GroupNode, IssueNode, MessageNode, NoticeNode, ServerNode, ToolNode } from '../../ui/tree/nodes';
import { firstLine, formatDuration } from '../../core';

export function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'idle':
      return new vscode.ThemeIcon('circle-outline');
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green'));
    case 'error':
      return state.signInRequired
        ? new vscode.ThemeIcon('account', new vscode.ThemeColor('editorWarning.foreground'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'stopped':
      return new vscode.ThemeIcon('debug-stop');
    case 'disabled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  }
}

/** Codicon name for plain-text places (QuickPick labels, status bar tooltips). */
export function stateCodicon(state: ConnectionState): string {
  return stateIcon(state).id;
}

export function serverContextValue(conn: ServerConnection): string {
  const state = conn.state;
  const kind = state.kind === 'error' && state.signInRequired ? 'signInRequired' : state.kind;
  // `oauth;`: an http/sse server that may sign in (Sign In / Sign Out in its menu).
  const def = conn.definition;
  const oauth = (def.type === 'http' || def.type === 'sse') && def.oauth !== false ? 'oauth;' : '';
  return `mcpServer;${kind};${def.type};${oauth}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export { formatDuration, firstLine };

/** Shown on a server that has not run yet: nothing in the tree otherwise says how to start it. */
export const EXPAND_HINT = 'expand to start';

/**
 * The state in words where a count would mislead: after a crash the last tool list is history,
 * not what the server offers (issue 11: the tree still said "13 tools").
 */
export function serverDescription(conn: ServerConnection, tools: readonly Tool[] | undefined): string {
  const type = conn.definition.type;
  const state = conn.state;
  if (state.kind === 'error' && state.signInRequired) return `${type} · sign-in required`;
  if (state.kind === 'error') {
    const message = conn.masker.mask(state.message);
    return `${type} · ${state.gaveUp ? 'failed' : 'error'}: ${firstLine(message.startsWith(`${conn.name}: `) ? message.slice(conn.name.length + 2) : message)}`;
  }
  if (state.kind === 'starting' && state.problem) return `${type} · starting: writes non-JSON-RPC text to stdout`;
  if (state.kind === 'stopped' || state.kind === 'disabled' || state.kind === 'starting') return type;
  if (tools) return `${type} · ${plural(tools.length, 'tool')}`;
  return state.kind === 'idle' ? `${type} · ${EXPAND_HINT}` : type;
}

/** `update`: a newer version in the registry the server was installed from. */
export function serverItem(node: ServerNode, conn: ServerConnection, tools: readonly Tool[] | undefined, update?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.serverName, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.iconPath = stateIcon(conn.state);
  item.description = serverDescription(conn, tools) + (update ? ` · update ${update} available` : '');
  item.contextValue = serverContextValue(conn) + (update ? 'update;' : '');
  item.accessibilityInformation = { label: `${node.serverName}, ${stateLabel(conn.state)}, ${item.description}` };
  // The tooltip is filled in by resolveTreeItem (on hover), so uptime is current.
  return item;
}

/** `notes`: configuration notes about this server (e.g. the other places its name is defined). */
/** `signedIn`: who the server's sign-in is with (OAuth servers only; never a token). */
export function serverTooltip(conn: ServerConnection, notes: readonly string[] = [], signedIn?: AuthStatus): vscode.MarkdownString {
  const def = conn.definition;
  const state = conn.state;
  // Error text and stderr can echo a secret (a server printing its token): mask what we know.
  const mask = conn.masker.mask;
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown(`**${escape(def.name)}** — ${stateLabel(state)}\n\n`);
  md.appendCodeblock(describeTarget(def), def.type === 'stdio' ? 'shellscript' : 'text');
  const lines: string[] = [];
  if (def.type === 'stdio' && def.cwd) lines.push(`cwd: \`${escapeCode(def.cwd)}\``);
  if (def.source) lines.push(`Configured in: ${escape(def.source.label)}`);
  for (const note of notes) lines.push(`$(info) ${escape(note)}`);
  if (!def.keepAlive) lines.push('keepAlive: false (a new connection per operation)');
  if (signedIn) lines.push(escape(describeSignIn(signedIn)));
  if (state.kind === 'running') {
    const info = conn.info;
    const parts = [state.pid ? `PID ${state.pid}` : undefined, `up ${formatDuration(Date.now() - state.since)}`].filter(Boolean);
    lines.push(parts.join(' · '));
    if (state.serverName) lines.push(`Server: ${escape(state.serverName)}${state.serverVersion ? ` ${escape(state.serverVersion)}` : ''}`);
    if (state.protocolVersion) lines.push(`Protocol: MCP ${escape(state.protocolVersion)}${info?.era === 'modern' ? ' (stateless)' : ''}`);
    if (info?.instructions) lines.push(`Instructions: ${escape(firstLine(info.instructions))}`);
  }
  if (state.kind === 'idle') lines.push('Not running: expand it to start it (or use Start Server).');
  if (state.kind === 'starting' && state.problem) lines.push(`$(warning) ${escape(mask(state.problem))}`);
  if (lines.length) md.appendMarkdown(lines.join('  \n') + '\n\n');
  if (state.kind === 'error') {
    md.appendMarkdown(`$(error) ${escape(mask(state.message))}${state.gaveUp ? ' (not retrying until restarted)' : ''}\n\n`);
    if (state.stderrTail?.length) {
      md.appendMarkdown('Last stderr lines:\n');
      md.appendCodeblock(mask(state.stderrTail.slice(-10).join('\n')), 'text');
    }
  }
  return md;
}

/** "Signed in at <issuer> (scope ...) until <time>", or how it stands. */
export function describeSignIn(s: AuthStatus, now = Date.now()): string {
  if (!s.signedIn) return 'Not signed in (OAuth): Sign In opens the sign-in page in your browser.';
  const until = s.expiresAt
    ? s.expiresAt > now
      ? ` until ${new Date(s.expiresAt).toLocaleString()}${s.refreshable ? ' (renewed automatically)' : ''}`
      : s.refreshable
        ? ' (expired; renewed on next use)'
        : ' (expired: sign in again)'
    : '';
  const who = s.account
    ? `Signed in with your ${s.account.label} account ${s.account.name}`
    : `Signed in at ${s.issuer ?? 'its authorization server'}`;
  return `${who}${s.scope ? ` (scope: ${s.scope})` : ''}${until}`;
}

export function toolLabel(tool: Tool): string {
  return tool.title ?? tool.annotations?.title ?? tool.name;
}

export function toolContextValue(tool: Tool): string {
  const a = tool.annotations;
  let value = 'mcpTool;';
  if (a?.readOnlyHint) value += 'readOnly;';
  if (a?.destructiveHint) value += 'destructive;';
  if (a?.idempotentHint) value += 'idempotent;';
  if (a?.openWorldHint) value += 'openWorld;';
  return value;
}

export function toolItem(node: ToolNode): vscode.TreeItem {
  const tool = node.tool;
  const item = new vscode.TreeItem(toolLabel(tool), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = firstLine(tool.description);
  item.iconPath = new vscode.ThemeIcon(tool.annotations?.readOnlyHint ? 'eye' : tool.annotations?.destructiveHint ? 'warning' : 'tools');
  item.contextValue = toolContextValue(tool);
  // Selecting a tool shows it (details, arguments, Call button); it never calls it.
  item.command = { command: 'mcpManager.showTool', title: 'Show Tool', arguments: [node] };
  return item;
}

/**
 * The gateway's part of a server row: a checkbox for whether other clients (VS Code's chat,
 * `mcp-manager serve`) are offered the server, and how many use it now. None on a disabled server.
 */
export function showServerOffer(item: vscode.TreeItem, conn: ServerConnection, clients: number): void {
  if (conn.definition.disabled) return;
  const offered = conn.definition.expose !== false;
  item.checkboxState = {
    state: offered ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
    tooltip: offered
      ? 'Offered to other clients (VS Code chat, mcp-manager serve). Uncheck to stop offering it.'
      : 'Not offered to other clients ("expose": false). Check to offer it.',
    accessibilityInformation: { label: offered ? `${conn.name} offered to other clients` : `${conn.name} not offered to other clients` },
  };
  if (clients <= 0) return;
  const inUse = ` · in use by ${plural(clients, 'client')}`;
  item.description = `${String(item.description ?? '')}${inUse}`;
  if (item.accessibilityInformation) item.accessibilityInformation = { label: item.accessibilityInformation.label + inUse };
}

/** A tool's gateway checkbox: whether clients of the gateway see it (remembered per workspace). */
export function showToolOffer(item: vscode.TreeItem, offered: boolean): void {
  item.checkboxState = {
    state: offered ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
    tooltip: offered ? 'Offered to other clients. Uncheck to hide it from them.' : 'Hidden from other clients. Check to offer it.',
  };
}

export function toolTooltip(tool: Tool): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const label = toolLabel(tool);
  md.appendMarkdown(label === tool.name ? `**${escape(tool.name)}**\n\n` : `**${escape(label)}** \`${escapeCode(tool.name)}\`\n\n`);
  if (tool.description) md.appendText(tool.description.trim() + '\n\n');
  // The hints the server declared, named as in the tool's details view ("read-only", "destructive").
  const { badges, warning } = toolDetailsHeader(tool);
  if (badges.length) md.appendMarkdown(`_Hints: ${escape(badges.join(' · '))}_\n\n`);
  if (warning) md.appendMarkdown(`$(warning) ${escape('Destructive: calling it asks for confirmation first.')}\n\n`);
  md.appendMarkdown('Input schema:\n');
  // schemaText: bounded in depth and size, so odd schemas cannot overflow the stack or the tooltip.
  md.appendCodeblock(schemaText(tool.inputSchema), 'json');
  return md;
}

/** Shown on every group: which source wins a name defined in several. */
export const PRECEDENCE =
  'When a name is defined in several places, the most specific wins: folder settings, then the folder’s .vscode/mcp.json, then workspace settings, then user settings.';

export function groupItem(node: GroupNode, count: number, issues: readonly IssueNode[] = []): vscode.TreeItem {
  const item = new vscode.TreeItem(node.source.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  const errors = issues.filter((n) => n.issue.severity !== 'warning').length;
  const notes = issues.length - errors;
  item.description = [
    plural(count, 'server'),
    ...(errors ? [plural(errors, 'error')] : []),
    ...(notes ? [plural(notes, 'note')] : []),
  ].join(' · ');
  item.tooltip = `${node.source.file ?? node.source.label}\n\n${PRECEDENCE}`;
  item.contextValue = 'mcpGroup;';
  return item;
}

export function issueItem(node: IssueNode): vscode.TreeItem {
  const { issue } = node;
  const where = [issue.server, issue.field].filter((x) => x !== undefined).join(' › ');
  const item = new vscode.TreeItem(where || 'Configuration', vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = issue.message;
  // The row cuts the message off: the tooltip and screen readers get all of it.
  item.accessibilityInformation = {
    label: `${issue.severity === 'warning' ? 'Configuration note' : 'Configuration error'}${where ? ` in ${where}` : ''}: ${issue.message}`,
  };
  const warning = issue.severity === 'warning';
  item.iconPath = warning
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'))
    : new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${warning ? 'Configuration note' : 'Configuration error'}**${where ? ` in \`${escapeCode(where)}\`` : ''}\n\n`);
  md.appendText(issue.message + '\n\n');
  if (issue.source)
    md.appendMarkdown(`Source: ${escape(issue.source.label)}${issue.source.file ? ` (\`${escapeCode(issue.source.file)}\`)` : ''}\n\n`);
  md.appendMarkdown('Click to open the settings.');
  item.tooltip = md;
  item.contextValue = 'mcpError;config;';
  item.command = { command: 'mcpManager.openSettings', title: 'Open Settings', arguments: [node] };
  return item;
}

export function noticeItem(node: NoticeNode): vscode.TreeItem {
  const { notice } = node;
  const item = new vscode.TreeItem(notice.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = notice.description;
  item.tooltip = new vscode.MarkdownString(notice.tooltip, true);
  item.iconPath = new vscode.ThemeIcon(notice.icon, new vscode.ThemeColor('editorWarning.foreground'));
  item.contextValue = `mcpNotice;${notice.id};`;
  if (notice.command) item.command = { command: notice.command.command, title: notice.command.title };
  return item;
}

export function messageItem(node: MessageNode, server: ServerNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  switch (node.role) {
    case 'connecting':
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'mcpStatus;connecting;';
      break;
    case 'warning':
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
      item.contextValue = 'mcpStatus;warning;';
      item.tooltip = node.message;
      item.command = { command: 'mcpManager.showServerLogs', title: 'Show Logs', arguments: [server] };
      break;
    case 'error':
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.contextValue = 'mcpError;server;';
      item.tooltip = node.message;
      item.command = { command: 'mcpManager.showServerLogs', title: 'Show Logs', arguments: [server] };
      break;
    case 'stopped':
      item.iconPath = new vscode.ThemeIcon('debug-start');
      item.contextValue = 'mcpStatus;stopped;';
      item.command = { command: 'mcpManager.startServer', title: 'Start Server', arguments: [server] };
      break;
    case 'disabled':
      item.iconPath = new vscode.ThemeIcon('circle-slash');
      item.contextValue = 'mcpStatus;disabled;';
      item.tooltip = 'This server has "disabled": true in its configuration. Click to open the settings.';
      item.command = { command: 'mcpManager.openSettings', title: 'Open Settings', arguments: [server] };
      break;
    case 'noTools':
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'mcpStatus;noTools;';
      break;
    case 'empty':
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'mcpStatus;empty;';
      break;
    case 'showLogs':
      item.iconPath = new vscode.ThemeIcon('output');
      item.contextValue = 'mcpAction;showLogs;';
      item.command = { command: 'mcpManager.showServerLogs', title: 'Show Logs', arguments: [server] };
      break;
    case 'signIn':
      item.iconPath = new vscode.ThemeIcon('sign-in');
      item.contextValue = 'mcpAction;signIn;';
      item.tooltip = 'Opens the sign-in page of its authorization server in your browser.';
      item.command = { command: 'mcpManager.signIn', title: 'Sign In', arguments: [server] };
      break;
    case 'restart':
      item.iconPath = new vscode.ThemeIcon('debug-restart');
      item.contextValue = 'mcpAction;restart;';
      item.command = { command: 'mcpManager.restartServer', title: 'Restart', arguments: [server] };
      break;
  }
  return item;
}

export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}

export function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
