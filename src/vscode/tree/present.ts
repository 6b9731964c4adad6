// How nodes look. Everything here derives from the connection's state (and the tool list we
// hold), never from a second copy of it.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import { describeTarget, schemaText, stateLabel, type ConnectionState, type ServerConnection } from '../../core';
import type { GroupNode, IssueNode, MessageNode, NoticeNode, ServerNode, ToolNode } from '../../ui/tree/nodes';

export function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'idle':
      return new vscode.ThemeIcon('circle-outline');
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
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
  return `mcpServer;${conn.state.kind};${conn.definition.type};`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 24 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function serverDescription(conn: ServerConnection, tools: readonly Tool[] | undefined): string {
  return tools ? `${conn.definition.type} · ${plural(tools.length, 'tool')}` : conn.definition.type;
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
export function serverTooltip(conn: ServerConnection, notes: readonly string[] = []): vscode.MarkdownString {
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
  if (state.kind === 'running') {
    const info = conn.info;
    const parts = [state.pid ? `PID ${state.pid}` : undefined, `up ${formatDuration(Date.now() - state.since)}`].filter(Boolean);
    lines.push(parts.join(' · '));
    if (state.serverName) lines.push(`Server: ${escape(state.serverName)}${state.serverVersion ? ` ${escape(state.serverVersion)}` : ''}`);
    if (info?.instructions) lines.push(`Instructions: ${escape(firstLine(info.instructions))}`);
  }
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

export function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split(/\r?\n/, 1)[0] ?? '';
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
  item.command = { command: 'mcpManager.callTool', title: 'Call Tool…', arguments: [node] };
  return item;
}

export function toolTooltip(tool: Tool): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const label = toolLabel(tool);
  md.appendMarkdown(label === tool.name ? `**${escape(tool.name)}**\n\n` : `**${escape(label)}** \`${escapeCode(tool.name)}\`\n\n`);
  if (tool.description) md.appendText(tool.description.trim() + '\n\n');
  const hints = Object.entries(tool.annotations ?? {})
    .filter(([k, v]) => k.endsWith('Hint') && typeof v === 'boolean')
    .map(([k, v]) => `${k.replace(/Hint$/, '')}: ${String(v)}`);
  if (hints.length) md.appendMarkdown(`_${hints.join(' · ')}_\n\n`);
  md.appendMarkdown('Input schema:\n');
  // schemaText: bounded in depth and size, so odd schemas cannot overflow the stack or the tooltip.
  md.appendCodeblock(schemaText(tool.inputSchema), 'json');
  return md;
}

/** Shown on every group: which source wins a name defined in several. */
export const PRECEDENCE = 'When a name is defined in several places, the most specific wins: folder settings, then the folder’s .vscode/mcp.json, then workspace settings, then user settings.';

export function groupItem(node: GroupNode, count: number): vscode.TreeItem {
  const item = new vscode.TreeItem(node.source.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.description = plural(count, 'server');
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
  const warning = issue.severity === 'warning';
  item.iconPath = warning ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')) : new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${warning ? 'Configuration note' : 'Configuration error'}**${where ? ` in \`${escapeCode(where)}\`` : ''}\n\n`);
  md.appendText(issue.message + '\n\n');
  if (issue.source) md.appendMarkdown(`Source: ${escape(issue.source.label)}${issue.source.file ? ` (\`${escapeCode(issue.source.file)}\`)` : ''}\n\n`);
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
