// How the Resources and Prompts folders and their items look. Like present.ts, derived from what
// the catalog holds on every call; tooltips are built on hover (resolveTreeItem).
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { promptFields, promptLabel } from '../../ui/browse/promptFormat';
import { templateFields } from '../../ui/browse/resourceFormat';
import { formatBytes } from '../../ui/toolCall/resultFormat';
import type { FolderNode, PromptNode, ResourceNode, TemplateNode } from '../../ui/tree/nodes';
import { escape, escapeCode, firstLine, plural } from './present';

export const FOLDER_LABEL = { resources: 'Resources', prompts: 'Prompts' } as const;

/** `counts` once listed: resources and templates, or prompts. */
export function folderItem(node: FolderNode, counts?: { readonly items: number; readonly templates?: number }): vscode.TreeItem {
  const item = new vscode.TreeItem(FOLDER_LABEL[node.folder], vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon(node.folder === 'resources' ? 'library' : 'comment-discussion');
  item.contextValue = `mcpFolder;${node.folder};`;
  if (counts) {
    item.description =
      node.folder === 'resources'
        ? [plural(counts.items, 'resource'), ...(counts.templates ? [plural(counts.templates, 'template')] : [])].join(' · ')
        : plural(counts.items, 'prompt');
  }
  item.tooltip = `${FOLDER_LABEL[node.folder]} offered by ${node.serverName}${counts ? '' : ' (listed when expanded)'}`;
  item.accessibilityInformation = { label: [FOLDER_LABEL[node.folder], item.description].filter(Boolean).join(', ') };
  return item;
}

function label(x: { name: string; title?: unknown }): string {
  return typeof x.title === 'string' && x.title.trim() ? x.title.trim() : x.name;
}

/** A codicon for a resource from its MIME type. */
export function resourceIcon(mimeType: string | undefined): string {
  const m = mimeType?.split(';')[0].trim().toLowerCase() ?? '';
  if (/^(image|audio|video)\//.test(m)) return 'file-media';
  if (m === 'application/json' || m.endsWith('+json')) return 'json';
  if (m === 'text/markdown') return 'markdown';
  if (m === 'application/pdf') return 'file-pdf';
  if (/zip|gzip|x-tar|compressed/.test(m)) return 'file-zip';
  if (/html|xml|javascript|typescript|css|x-python|x-sh|shellscript/.test(m)) return 'file-code';
  if (m && !m.startsWith('text/') && !/yaml|toml|csv/.test(m)) return 'file-binary';
  return 'file';
}

export function resourceItem(node: ResourceNode): vscode.TreeItem {
  const r = node.resource;
  const text = label(r);
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = text === r.uri ? (r.mimeType ?? '') : r.uri;
  item.iconPath = new vscode.ThemeIcon(resourceIcon(r.mimeType));
  item.contextValue = 'mcpResource;';
  item.command = { command: 'mcpManager.readResource', title: 'Read Resource', arguments: [node] };
  item.accessibilityInformation = { label: `${text}, resource ${r.uri}` };
  return item;
}

export function templateItem(node: TemplateNode): vscode.TreeItem {
  const t = node.template;
  const item = new vscode.TreeItem(label(t), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = t.uriTemplate;
  item.iconPath = new vscode.ThemeIcon('symbol-parameter');
  item.contextValue = 'mcpResourceTemplate;';
  item.command = { command: 'mcpManager.readResource', title: 'Read Resource', arguments: [node] };
  item.accessibilityInformation = { label: `${label(t)}, resource template ${t.uriTemplate}` };
  return item;
}

export function promptItem(node: PromptNode): vscode.TreeItem {
  const p = node.prompt;
  const item = new vscode.TreeItem(promptLabel(p), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = firstLine(p.description);
  item.iconPath = new vscode.ThemeIcon('comment');
  item.contextValue = 'mcpPrompt;';
  item.command = { command: 'mcpManager.getPrompt', title: 'Get Prompt', arguments: [node] };
  item.accessibilityInformation = { label: [promptLabel(p), 'prompt', item.description].filter(Boolean).join(', ') };
  return item;
}

/** Bold label, then the name in code when the label is a title. */
function heading(x: { name: string; title?: unknown }): string {
  const l = label(x);
  return l === x.name ? `**${escape(x.name)}**\n\n` : `**${escape(l)}** \`${escapeCode(x.name)}\`\n\n`;
}

function descriptionOf(md: vscode.MarkdownString, description: unknown): void {
  if (typeof description === 'string' && description.trim()) md.appendText(description.trim() + '\n\n');
}

export function resourceTooltip(r: Resource): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(heading(r));
  descriptionOf(md, r.description);
  const lines = [`URI: \`${escapeCode(r.uri)}\``];
  if (r.mimeType) lines.push(`MIME type: ${escape(r.mimeType)}`);
  if (typeof r.size === 'number') lines.push(`Size: ${formatBytes(r.size)}`);
  const a = r.annotations;
  if (a?.audience?.length) lines.push(`Audience: ${a.audience.map(escape).join(', ')}`);
  if (typeof a?.priority === 'number') lines.push(`Priority: ${a.priority}`);
  if (typeof a?.lastModified === 'string') lines.push(`Last modified: ${escape(a.lastModified)}`);
  md.appendMarkdown(lines.join('  \n') + '\n\n');
  md.appendMarkdown('_Click to read it._');
  return md;
}

export function templateTooltip(t: ResourceTemplate): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(heading(t));
  descriptionOf(md, t.description);
  const lines = [`URI template: \`${escapeCode(t.uriTemplate)}\``];
  if (t.mimeType) lines.push(`MIME type: ${escape(t.mimeType)}`);
  let variables: string[] = [];
  try {
    variables = templateFields(t.uriTemplate).map((f) => `\`${escapeCode(f.name)}\`${f.optional ? ' (optional)' : ''}`);
  } catch (e) {
    lines.push(`$(warning) Not a valid URI template: ${escape(e instanceof Error ? e.message : String(e))}`);
  }
  if (variables.length) lines.push(`Variables: ${variables.join(', ')}`);
  md.appendMarkdown(lines.join('  \n') + '\n\n');
  md.appendMarkdown('_Click to enter its variables and read it._');
  md.supportThemeIcons = true;
  return md;
}

export function promptTooltip(p: Prompt): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(heading(p));
  descriptionOf(md, p.description);
  const fields = promptFields(p);
  if (fields.length) {
    md.appendMarkdown('Arguments:\n\n');
    md.appendMarkdown(
      fields
        .map(
          (f) =>
            `- \`${escapeCode(f.name)}\`${f.required ? ' **(required)**' : ' (optional)'}${f.description ? ` — ${escape(f.description)}` : ''}`,
        )
        .join('\n') + '\n\n',
    );
  } else {
    md.appendMarkdown('No arguments.\n\n');
  }
  md.appendMarkdown('_Click to get it._');
  return md;
}
