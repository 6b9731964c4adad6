// Applies configuration changes (planned in ui/config/configEdits.ts) to the file a scope lives in:
// one WorkspaceEdit on the document, then saved, so undo works, open editors stay in sync, and
// comments, order and formatting outside the changed entry survive. Only a scope with no file we
// can address (user settings, see fileOf) goes through the configuration API, which rewrites our
// setting's value (comments inside it are lost there; the rest of the file is kept).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  applyChanges,
  applyChangesToValues,
  ConfigEditError,
  entryOffset,
  planFileEdit,
  serversIn,
  inputsIn,
  type ConfigChange,
  type ConfigFileKind,
} from '../ui/config/configEdits';
import {
  INPUTS_KEY,
  KEY,
  SECTION,
  isMcpJsonScope,
  isSettingsScope,
  scopeValue,
  updateScope,
  type McpJsonScope,
  type SettingsScope,
} from './configSource';

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

export class ConfigWriter {
  /** The file a target's servers are written to, or undefined for the configuration API. */
  fileOf(target: WriteTarget): FileRef | undefined {
    if (isMcpJsonScope(target)) return { file: target.file, kind: 'mcpJson' };
    // User settings: the workbench keeps their document under its own scheme (vscode-userdata), and
    // neither a WorkspaceEdit on the file: URI nor a write on disk reached the configuration
    // reliably (tried in code-server); the configuration API edits only our key of that file.
    if (target.kind === 'user') return undefined;
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
    const onDisk = fs.readFileSync(ref.file, 'utf8');
    if (doc.getText() !== onDisk) {
      // The file changed on disk and VS Code has not reloaded its (clean) document yet: an edit of
      // the old text would be refused on save. Nothing of the user's is unsaved, so write the file;
      // VS Code then reloads the document from disk.
      const text = applyChanges(onDisk, ref.kind, changes, ref.file);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      if (isSettingsScope(target)) await settled(target, serversIn(text, ref.kind));
      return;
    }
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

  private usableFile(target: WriteTarget): FileRef | undefined {
    return this.fileOf(target);
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
