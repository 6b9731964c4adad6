// Applies configuration changes (planned in ui/config/configEdits.ts) to the file a scope lives in:
// one WorkspaceEdit on the document, then saved, so undo works, open editors stay in sync, and
// comments, order and formatting outside the changed entry survive. Only a scope with no file we
// can address (e.g. remote user settings) falls back to the configuration API, which rewrites the
// whole setting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyChanges, applyChangesToValues, ConfigEditError, entryOffset, planFileEdit, serversIn, inputsIn, type ConfigChange, type ConfigFileKind } from '../ui/config/configEdits';
import { INPUTS_KEY, KEY, SECTION, isMcpJsonScope, isSettingsScope, scopeValue, updateScope, type McpJsonScope, type SettingsScope } from './configSource';

export type WriteTarget = SettingsScope | McpJsonScope;

export function isWriteTarget(source: unknown): source is WriteTarget {
  return isSettingsScope(source as WriteTarget) || isMcpJsonScope(source as WriteTarget);
}

interface FileRef {
  readonly file: string;
  readonly kind: ConfigFileKind;
}

/** How long to wait for VS Code to re-read a settings file we saved before going on anyway. */
const SETTINGS_SETTLE_MS = 5000;

/**
 * The user's settings.json, from the extension's global storage (`<User>/globalStorage/<id>`):
 * undefined when that is not a local file. ConfigWriter checks it against the configuration before
 * editing it (a settings profile keeps its own file elsewhere).
 */
export function userSettingsFile(globalStorage: vscode.Uri): string | undefined {
  if (globalStorage.scheme !== 'file') return undefined;
  return path.join(path.dirname(path.dirname(globalStorage.fsPath)), 'settings.json');
}

export class ConfigWriter {
  /** `userSettingsFile`: the user's settings.json when it is a local file (see extension.ts). */
  constructor(private readonly userSettingsFile?: string) {}

  /** The file a target's servers are written to, or undefined for the configuration API. */
  fileOf(target: WriteTarget): FileRef | undefined {
    if (isMcpJsonScope(target)) return { file: target.file, kind: 'mcpJson' };
    if (target.kind === 'user') return this.userSettingsFile && fs.existsSync(this.userSettingsFile) ? { file: this.userSettingsFile, kind: 'settings' } : undefined;
    if (!target.file) return undefined;
    return { file: target.file, kind: target.file.endsWith('.code-workspace') ? 'workspaceFile' : 'settings' };
  }

  /** The servers of a target as written (raw entries, variables unresolved). */
  async servers(target: WriteTarget): Promise<Record<string, unknown>> {
    const ref = this.usableFile(target);
    if (!ref) return { ...(scopeValue<Record<string, unknown>>(target as SettingsScope, KEY) ?? {}) };
    return serversIn(await this.text(ref.file), ref.kind, ref.file) ?? {};
  }

  /** The input declarations beside a target's servers. */
  async inputs(target: WriteTarget): Promise<unknown[]> {
    const ref = this.usableFile(target);
    if (!ref) return [...(scopeValue<unknown[]>(target as SettingsScope, INPUTS_KEY) ?? [])];
    return inputsIn(await this.text(ref.file), ref.kind, ref.file);
  }

  /** Applies the changes; resolves once VS Code sees them (for settings: the configuration is updated). */
  async apply(target: WriteTarget, changes: readonly ConfigChange[]): Promise<void> {
    const ref = this.usableFile(target);
    if (!ref) return this.applyToSettings(target as SettingsScope, changes);
    const uri = vscode.Uri.file(ref.file);
    if (!fs.existsSync(ref.file)) {
      const text = applyChanges('', ref.kind, changes, ref.file);
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(ref.file)));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      if (isSettingsScope(target)) await settled(target, serversIn(text, ref.kind));
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) throw new ConfigEditError(`${ref.file} has unsaved changes: save or revert them, then try again`);
    const edit = planFileEdit(doc.getText(), ref.kind, changes, ref.file);
    if (!edit) return;
    const we = new vscode.WorkspaceEdit();
    we.replace(uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.content);
    if (!(await vscode.workspace.applyEdit(we))) throw new Error(`VS Code did not apply the edit to ${ref.file}`);
    if (!(await doc.save())) throw new Error(`could not save ${ref.file}`);
    if (isSettingsScope(target)) await settled(target, serversIn(doc.getText(), ref.kind));
  }

  /** Opens the target's file with the server's name selected (the settings JSON for the API case). */
  async reveal(target: WriteTarget, name: string): Promise<boolean> {
    const ref = this.usableFile(target);
    if (!ref || !fs.existsSync(ref.file)) return false;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
    const at = entryOffset(doc.getText(), ref.kind, name);
    const editor = await vscode.window.showTextDocument(doc);
    if (!at) return true;
    const range = new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + at.length));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  /**
   * The file, unless it is the user settings file and its content is not what the configuration
   * reports (then the guess of its path is wrong, e.g. a settings profile): the API is safer.
   */
  private usableFile(target: WriteTarget): FileRef | undefined {
    const ref = this.fileOf(target);
    if (!ref || !isSettingsScope(target) || target.kind !== 'user') return ref;
    try {
      const onDisk = serversIn(openText(ref.file) ?? fs.readFileSync(ref.file, 'utf8'), ref.kind, ref.file);
      return same(onDisk, scopeValue(target, KEY)) ? ref : undefined;
    } catch {
      return undefined;
    }
  }

  private async text(file: string): Promise<string> {
    return openText(file) ?? (fs.existsSync(file) ? await fs.promises.readFile(file, 'utf8') : '');
  }

  private async applyToSettings(scope: SettingsScope, changes: readonly ConfigChange[]): Promise<void> {
    const servers = scopeValue<Record<string, unknown>>(scope, KEY);
    const inputs = scopeValue<unknown[]>(scope, INPUTS_KEY);
    const next = applyChangesToValues(servers, inputs, changes, scope.label);
    if (!same(next.inputs, inputs ?? [])) await updateScope(scope, INPUTS_KEY, next.inputs);
    if (!same(next.servers, servers ?? {})) await updateScope(scope, KEY, next.servers);
  }
}

function openText(file: string): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText();
}

/** Waits until the configuration reports `servers` for the scope (VS Code re-reads saved settings files asynchronously). */
async function settled(scope: SettingsScope, servers: unknown): Promise<void> {
  const ok = () => same(scopeValue(scope, KEY), servers);
  if (ok()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      sub.dispose();
      clearTimeout(timer);
      resolve();
    };
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION) && ok()) done();
    });
    // A safety net only: the write is done; the registry catches up on the next change event.
    const timer = setTimeout(done, SETTINGS_SETTLE_MS);
  });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
