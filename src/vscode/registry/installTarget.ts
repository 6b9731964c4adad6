// Where an installed server goes (user settings, workspace settings, a folder's .vscode/mcp.json)
// and the ONE function that writes it there. Settings go through the ConfigWriter (a jsonc edit of
// the settings file: comments, order and formatting outside the entry kept); mcp.json through
// core's jsonc edit (comments kept too).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MCP_JSON, type McpInput } from '../../core';
import { readServersFile, writeServerEntry } from '../../core/mcpRegistry';
import { inputForSettings } from '../../ui/config/importPlan';
import { INPUTS_KEY, KEY, scopeValue, writableScopes, type SettingsScope } from '../configSource';
import type { ConfigWriter } from '../configWriter';

export type InstallTarget =
  | {
      readonly kind: 'settings';
      readonly scope: SettingsScope;
      readonly label: string;
      readonly secretScope: string;
      readonly detail: string;
    }
  | { readonly kind: 'mcp.json'; readonly file: string; readonly label: string; readonly secretScope: string; readonly detail: string };

/** The places the user may choose; only user settings while the workspace is untrusted. */
export function installTargets(): InstallTarget[] {
  const details: Record<string, string> = {
    user: 'Available in every workspace',
    workspace: 'Only in this workspace (shared with whoever opens it)',
  };
  const scopes = vscode.workspace.isTrusted ? writableScopes() : writableScopes().slice(0, 1);
  const out: InstallTarget[] = scopes.map((scope) => ({
    kind: 'settings',
    scope,
    label: scope.label,
    secretScope: scope.secretScope,
    detail: details[scope.kind] ?? 'Only in this folder',
  }));
  if (vscode.workspace.isTrusted) {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    for (const folder of folders) {
      const file = path.join(folder.uri.fsPath, MCP_JSON);
      const label = folders.length > 1 ? `.vscode/mcp.json (${folder.name})` : '.vscode/mcp.json';
      // The same secret scope the configuration reader gives that file, so stored values are found.
      out.push({
        kind: 'mcp.json',
        file,
        label,
        secretScope: `mcp.json:${file}`,
        detail: "VS Code's own format, also read by VS Code's MCP support",
      });
    }
  }
  return out;
}

/** The raw entries and declared input ids at a target. */
export function entriesAt(target: InstallTarget): { servers: Record<string, unknown>; inputIds: Set<string> } {
  if (target.kind === 'mcp.json') return readServersFile(target.file);
  const servers = scopeValue<Record<string, unknown>>(target.scope, KEY) ?? {};
  const inputs = scopeValue<unknown[]>(target.scope, INPUTS_KEY) ?? [];
  return {
    servers,
    inputIds: new Set(inputs.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object').map((i) => String(i.id))),
  };
}

/** Writes (or replaces) one server entry and declares the inputs it references that are new. */
export async function writeInstalledEntry(
  writer: ConfigWriter,
  target: InstallTarget,
  name: string,
  entry: Record<string, unknown>,
  inputs: readonly McpInput[],
): Promise<void> {
  if (target.kind === 'mcp.json') {
    writeServerEntry(target.file, name, entry, inputs);
    return;
  }
  // addInputs declares only ids not declared yet; set replaces an entry in place or appends it.
  await writer.apply(target.scope, [
    ...(inputs.length ? [{ op: 'addInputs' as const, inputs: inputs.map(inputForSettings) }] : []),
    { op: 'set', name, entry },
  ]);
}
