// "MCP: Import Servers…": pick another client's file (or any file), pick the settings scope,
// preview what will be added with conflicts marked, confirm replacements and secrets, write.
// Nothing is overwritten without a confirmation; invalid entries are shown and never written.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { errorMessage, type McpInput, type ServerRegistry } from '../core';
import { writableScopes, type SettingsScope } from './configSource';
import type { ConfigChange } from '../ui/config/configEdits';
import type { ConfigWriter } from './configWriter';
import {
  importCandidates,
  inputForSettings,
  moveSecrets,
  planImport,
  readImportFile,
  referencedInputs,
  type ImportItem,
} from '../ui/config/importPlan';
import type { InputService } from './inputs';
import type { Prompter } from './prompts';

const TITLE = 'Import MCP Servers';
export const REPLACE = 'Replace';
export const SKIP_CONFLICTS = 'Skip Them';
export const STORE_SECRETS = 'Store in Secret Storage';
export const WRITE_AS_IS = 'Write to Settings As Is';

export interface ImportDeps {
  readonly prompter: Prompter;
  readonly inputs: InputService;
  readonly registry: ServerRegistry;
  readonly writer: ConfigWriter;
  readonly reload: () => Promise<void>;
}

export interface ImportResult {
  readonly scope: SettingsScope;
  readonly imported: string[];
  /** Values moved to SecretStorage, as `server: field`. */
  readonly secretsStored: string[];
}

/** Runs the flow; `file` skips the file choice. Undefined when cancelled or nothing was chosen. */
export async function importServers(deps: ImportDeps, file?: string): Promise<ImportResult | undefined> {
  const { prompter } = deps;
  file ??= await chooseFile(prompter);
  if (!file) return undefined;
  const content = readImportFile(file);

  const scopes = vscode.workspace.isTrusted ? writableScopes() : writableScopes().slice(0, 1);
  const scope =
    scopes.length === 1
      ? scopes[0]
      : (
          await prompter.pick(
            scopes.map((s) => ({ label: s.label, description: s.file, scope: s })),
            {
              title: `${TITLE}: where should they be saved?`,
              placeHolder: 'User settings apply everywhere; workspace settings are shared with whoever opens the workspace',
            },
          )
        )?.scope;
  if (!scope) return undefined;

  const existing = await deps.writer.servers(scope);
  const elsewhere = new Map<string, string>();
  for (const conn of deps.registry.list())
    if (conn.definition.source && conn.definition.source.kind !== scope.kind) elsewhere.set(conn.name, conn.definition.source.label);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const items = planImport(content, {
    existing,
    elsewhere,
    context: { workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, userHome: os.homedir() },
  });

  const picked = await prompter.pickMany(
    items.map((item) => previewItem(item, scope)),
    {
      title: `${TITLE} from ${file} into ${scope.label}`,
      placeHolder: 'Checked entries are added. ⚠ replaces an entry of the same name; ✕ cannot be imported.',
      ignoreFocusOut: true,
    },
  );
  if (!picked) return undefined;
  let chosen = picked.map((p) => p.item).filter((i) => !i.problem && i.conflict !== 'identical');
  const replacing = chosen.filter((i) => i.conflict === 'replaces');
  if (replacing.length) {
    const answer = await prompter.confirm(
      `Replace ${replacing.length} existing server${replacing.length === 1 ? '' : 's'} in ${scope.label}?`,
      `${replacing.map((i) => i.name).join(', ')} already exist${replacing.length === 1 ? 's' : ''} there with a different configuration.`,
      REPLACE,
      SKIP_CONFLICTS,
    );
    if (answer === undefined) return undefined;
    if (answer === SKIP_CONFLICTS) chosen = chosen.filter((i) => i.conflict !== 'replaces');
  }
  if (!chosen.length) {
    void prompter.notify('Nothing to import: every chosen entry is already there, was skipped, or is not valid.');
    return undefined;
  }

  // Secrets: a settings file is plain text (and workspace settings are usually committed).
  const withSecrets = chosen.filter((i) => i.secrets.length);
  let moveToStorage = false;
  if (withSecrets.length) {
    const fields = withSecrets.flatMap((i) => i.secrets.map((f) => `${i.name}: ${f}`));
    const answer = await prompter.confirm(
      `${fields.length} value${fields.length === 1 ? ' looks' : 's look'} like ${fields.length === 1 ? 'a secret' : 'secrets'}. Keep ${fields.length === 1 ? 'it' : 'them'} out of ${scope.label}?`,
      `${fields.join('\n')}\n\n"${STORE_SECRETS}" saves each value in VS Code's secret storage and writes \${input:…} references instead.`,
      STORE_SECRETS,
      WRITE_AS_IS,
    );
    if (answer === undefined) return undefined;
    moveToStorage = answer === STORE_SECRETS;
  }

  const declared = (await deps.writer.inputs(scope)).filter((d): d is Record<string, unknown> => !!d && typeof d === 'object');
  const takenIds = new Set(declared.map((d) => String(d.id)));
  const newInputs: McpInput[] = [];
  // Only the imported entries change in the file; everything else in it stays as written.
  const changes: ConfigChange[] = [];
  const secretsStored: string[] = [];
  for (const item of chosen) {
    let entry = item.entry as Record<string, unknown>;
    if (moveToStorage && item.secrets.length) {
      const moved = moveSecrets(item.name, entry, takenIds);
      entry = moved.entry;
      newInputs.push(...moved.inputs);
      for (const [id, value] of Object.entries(moved.values)) await deps.inputs.store(scope.secretScope, scope.label, id, value);
      secretsStored.push(...item.secrets.map((f) => `${item.name}: ${f}`));
    }
    // Inputs the source file declared (VS Code mcp.json format) come along with their servers.
    for (const id of referencedInputs(entry)) {
      const input = content.inputs.find((i) => i.id === id);
      if (input && !takenIds.has(id)) {
        takenIds.add(id);
        newInputs.push(input);
      }
    }
    changes.push({ op: 'set', name: item.name, entry });
  }
  if (newInputs.length) changes.unshift({ op: 'addInputs', inputs: newInputs.map(inputForSettings) });
  await deps.writer.apply(scope, changes);
  await deps.reload();
  return { scope, imported: chosen.map((i) => i.name), secretsStored };
}

async function chooseFile(prompter: Prompter): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
  const candidates = importCandidates({ platform: process.platform, home: os.homedir(), appData: process.env.APPDATA, folders }).filter(
    (c) => fs.existsSync(c.file),
  );
  type Item = vscode.QuickPickItem & { file?: string };
  const items: Item[] = candidates.map((c) => ({ label: c.label, description: c.file, file: c.file }));
  items.push({
    label: '$(folder-opened) Choose a file…',
    detail: 'Any file with "mcpServers" (Claude Desktop, Cursor, Cline, Windsurf, .mcp.json) or VS Code\'s "servers"',
  });
  const picked = await prompter.pick(items, {
    title: TITLE,
    placeHolder: candidates.length ? 'Import from' : 'No known client files found; choose a file',
  });
  if (!picked) return undefined;
  if (picked.file) return picked.file;
  const uri = await prompter.openFile({ title: TITLE, openLabel: 'Import', filters: { JSON: ['json', 'jsonc'] } });
  return uri?.fsPath;
}

type PreviewItem = vscode.QuickPickItem & { item: ImportItem };

function previewItem(item: ImportItem, scope: SettingsScope): PreviewItem {
  const notes: string[] = [];
  if (item.problem) notes.push(`cannot be imported: ${item.problem}`);
  if (item.conflict === 'replaces') notes.push(`replaces the existing "${item.name}" in ${scope.label}`);
  if (item.conflict === 'identical') notes.push(`already in ${scope.label}`);
  if (item.alsoIn && !item.conflict) notes.push(`also defined in ${item.alsoIn}`);
  if (item.secrets.length) notes.push(`secret-looking values: ${item.secrets.join(', ')}`);
  if (item.dropped.length) notes.push(`ignored keys: ${item.dropped.join(', ')}`);
  if ((item.entry as { disabled?: unknown } | undefined)?.disabled === true) notes.push('disabled');
  const icon = item.problem ? '$(error) ' : item.conflict === 'replaces' ? '$(warning) ' : item.conflict === 'identical' ? '$(check) ' : '';
  return {
    label: `${icon}${item.name}`,
    description: item.summary,
    detail: notes.join(' · ') || undefined,
    picked: !item.problem && !item.conflict,
    item,
  };
}

/** The command: runs the flow and reports the outcome. */
export async function runImport(deps: ImportDeps, file?: string): Promise<ImportResult | undefined> {
  let result: ImportResult | undefined;
  try {
    result = await importServers(deps, file);
  } catch (e) {
    throw new Error(`Could not import servers: ${errorMessage(e)}`);
  }
  if (result) {
    const moved = result.secretsStored.length
      ? ` ${result.secretsStored.length} secret value${result.secretsStored.length === 1 ? ' was' : 's were'} stored in secret storage.`
      : '';
    void deps.prompter.notify(
      `Imported ${result.imported.length} MCP server${result.imported.length === 1 ? '' : 's'} into ${result.scope.label}: ${result.imported.join(', ')}.${moved}`,
    );
  }
  return result;
}
