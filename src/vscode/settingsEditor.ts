// Opens the settings file a server entry lives in and selects the offending entry or field.
// The ESM build: esbuild cannot bundle the package's UMD main (its require calls sit inside the UMD factory).
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { ConfigSource } from '../core';
import { SETTING, isMcpJsonScope, isSettingsScope } from './configSource';

export interface SettingsLocation {
  readonly source?: ConfigSource;
  readonly server?: string;
  /** Dotted field path inside the server entry, e.g. `args.1`. */
  readonly field?: string;
}

/** Settings UI filtered to our setting: the default when no particular entry is meant. */
export async function openSettingsUi(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
}

/** Opens the JSON of the entry's scope (user settings when unknown) and selects the entry. */
export async function openSettingsJson(location: SettingsLocation = {}): Promise<void> {
  const source = location.source;
  const revealSetting = { revealSetting: { key: SETTING, edit: false } };
  if ((isMcpJsonScope(source) || (isSettingsScope(source) && source.kind.startsWith('folder:'))) && source.file) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(source.file));
    await vscode.window.showTextDocument(doc);
  } else if (isSettingsScope(source) && source.kind === 'workspace') {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile', revealSetting);
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', revealSetting);
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) revealEntry(editor, location);
}

/** Selects the deepest existing node along setting > server > field in the active settings file. */
export function revealEntry(editor: vscode.TextEditor, location: SettingsLocation): boolean {
  const root = parseTree(editor.document.getText());
  if (!root) return false;
  const tail: (string | number)[] = [];
  if (location.server !== undefined) {
    tail.push(location.server);
    for (const part of location.field?.split('.') ?? []) tail.push(/^\d+$/.test(part) ? Number(part) : part);
  }
  // A workspace file keeps settings under "settings"; mcp.json keeps its servers under "servers".
  for (const prefix of [[SETTING], ['settings', SETTING], ['servers']]) {
    let found: JsonNode | undefined;
    for (let n = tail.length; n >= 0 && !found; n--) found = findNodeAtLocation(root, [...prefix, ...tail.slice(0, n)]);
    if (!found) continue;
    // Select the property's key, so the name is what gets highlighted.
    const target = found.parent?.type === 'property' && found.parent.children?.[0] ? found.parent.children[0] : found;
    const start = editor.document.positionAt(target.offset);
    const end = editor.document.positionAt(target.offset + target.length);
    editor.selection = new vscode.Selection(start, end);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }
  return false;
}
