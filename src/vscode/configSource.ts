// Reads every configuration source and feeds the registry: `mcpManager.servers` in user, workspace
// and folder settings, and each folder's `.vscode/mcp.json`. Scopes are read separately (inspect())
// rather than through get(), because get() merges the objects and loses where an entry came from:
// the tree groups by source, "Open Settings" must open the right file, `${workspaceFolder}` means a
// different folder per folder scope, and only workspace-defined commands need consent.
// Precedence (most specific first): per folder, its settings.json then its .vscode/mcp.json (in a
// single-folder window the folder's settings.json *is* the workspace settings); then the
// .code-workspace file's settings; then user settings.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseInputs, readJsonc, type ConfigIssue, type ConfigSource, type McpInput, type ParseResult, type ServerRegistry, type VariableContext, type WorkspaceFolderRef } from '../core';
import { countEntries, isLayerSource, mergeLayers, type Layer, type LayerSource } from '../core/config/layers';
import { MCP_JSON, readMcpJson, type McpJsonContent } from '../core/config/mcpJson';

export const SECTION = 'mcpManager';
export const KEY = 'servers';
export const INPUTS_KEY = 'inputs';
export const READ_MCP_JSON_KEY = 'readMcpJson';
export const SETTING = `${SECTION}.${KEY}`;

/** A settings scope, with what is needed to write to it and to open its file again. */
export interface SettingsScope extends LayerSource {
  readonly kind: 'user' | 'workspace' | `folder:${string}`;
  readonly target: vscode.ConfigurationTarget;
  /** The folder of a folder scope. */
  readonly folder?: vscode.Uri;
}

/** A folder's `.vscode/mcp.json`. */
export interface McpJsonScope extends LayerSource {
  readonly kind: 'mcp.json' | `mcp.json:${string}`;
  readonly file: string;
}

/** A source ignored because the workspace is not trusted (shown in the tree with the reason). */
export interface IgnoredSource {
  readonly label: string;
  readonly servers: number;
}

export interface ConfigSnapshot extends ParseResult {
  /** Declared inputs by source kind (mcp.json `inputs`, the `mcpManager.inputs` setting). */
  readonly inputs: ReadonlyMap<string, readonly McpInput[]>;
  readonly ignored: readonly IgnoredSource[];
}

/** Display order of a source (user, workspace, then each folder's settings and mcp.json). */
export function scopeOrder(source: ConfigSource | undefined): number {
  return isLayerSource(source) ? source.order : 0;
}

export function isSettingsScope(source: ConfigSource | undefined): source is SettingsScope {
  return !!source && typeof (source as Partial<SettingsScope>).target === 'number';
}

export function isMcpJsonScope(source: ConfigSource | undefined): source is McpJsonScope {
  return !!source && source.kind.startsWith('mcp.json') && !!source.file;
}

function fsPath(uri: vscode.Uri): string | undefined {
  return uri.scheme === 'file' ? uri.fsPath : undefined;
}

// ------------------------------------------------------------------------------ settings scopes

/** The user settings scope. */
export function userScope(): SettingsScope {
  return { kind: 'user', label: 'User settings', target: vscode.ConfigurationTarget.Global, order: 0, secretScope: 'user', workspaceDefined: false };
}

/** The workspace settings scope (the .code-workspace file, or the single folder's settings.json). */
export function workspaceScope(): SettingsScope {
  const first = vscode.workspace.workspaceFolders?.[0];
  const workspaceFile = vscode.workspace.workspaceFile;
  const firstPath = first && fsPath(first.uri);
  const file = workspaceFile ? fsPath(workspaceFile) : firstPath ? path.join(firstPath, '.vscode', 'settings.json') : undefined;
  return {
    kind: 'workspace',
    label: 'Workspace settings',
    file,
    target: vscode.ConfigurationTarget.Workspace,
    order: 1,
    secretScope: `workspace:${file ?? first?.uri.toString() ?? ''}`,
    workspaceDefined: true,
  };
}

/** A folder's settings scope (only in a multi-root workspace: otherwise it is the workspace scope). */
export function folderScope(folder: vscode.WorkspaceFolder): SettingsScope {
  const dir = fsPath(folder.uri);
  return {
    kind: `folder:${folder.name}`,
    label: `Folder settings (${folder.name})`,
    file: dir ? path.join(dir, '.vscode', 'settings.json') : undefined,
    target: vscode.ConfigurationTarget.WorkspaceFolder,
    folder: folder.uri,
    order: 2 + 2 * folder.index,
    secretScope: `folder:${dir ?? folder.uri.toString()}`,
    workspaceDefined: true,
  };
}

/** A folder's `.vscode/mcp.json` as a source (whether or not the file exists). */
export function mcpJsonScope(folder: vscode.WorkspaceFolder, dir: string, multiRoot = !!vscode.workspace.workspaceFile): McpJsonScope {
  const file = path.join(dir, MCP_JSON);
  return {
    kind: multiRoot ? `mcp.json:${folder.name}` : 'mcp.json',
    label: multiRoot ? `.vscode/mcp.json (${folder.name})` : '.vscode/mcp.json',
    file,
    order: 3 + 2 * folder.index,
    secretScope: `mcp.json:${file}`,
    workspaceDefined: true,
  };
}

/** Where servers can be written: user, and the workspace and its folders when there is one. */
export function writableScopes(): SettingsScope[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const scopes = [userScope()];
  if (folders.length) scopes.push(workspaceScope());
  if (vscode.workspace.workspaceFile) scopes.push(...folders.map(folderScope));
  return scopes;
}

/** The value a key has in exactly this scope (not merged with the others). */
export function scopeValue<T>(scope: SettingsScope, key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration(SECTION, scope.folder).inspect<T>(key);
  if (scope.target === vscode.ConfigurationTarget.Global) return inspected?.globalValue;
  if (scope.target === vscode.ConfigurationTarget.Workspace) return inspected?.workspaceValue;
  return inspected?.workspaceFolderValue;
}

export async function updateScope(scope: SettingsScope, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION, scope.folder).update(key, value, scope.target);
}

// ------------------------------------------------------------------------------ reading

/**
 * While untrusted, VS Code hides a restricted setting's workspace value even from inspect(); the
 * file is read directly (nothing is run or parsed as servers) only to say what is being ignored.
 */
function restrictedValueOnDisk(source: LayerSource): unknown {
  if (!source.file || !isSettingsScope(source)) return undefined;
  try {
    const raw = readJsonc(source.file) as Record<string, unknown> | undefined;
    const settings = source.file.endsWith('.code-workspace') ? (raw?.settings as Record<string, unknown> | undefined) : raw;
    return settings?.[SETTING];
  } catch {
    return undefined;
  }
}

/**
 * Reads every source. Pure apart from reading the configuration and the mcp.json files, and
 * `lastGood`: the last parseable content of each mcp.json, used while a file has a syntax error
 * (saved mid-edit), so its running servers are not stopped by a missing comma.
 */
export function readConfig(lastGood = new Map<string, McpJsonContent>()): ConfigSnapshot {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folderRefs: WorkspaceFolderRef[] = [];
  for (const f of folders) {
    const p = fsPath(f.uri);
    if (p) folderRefs.push({ name: f.name, path: p });
  }
  const context = (folder: vscode.WorkspaceFolder | undefined): VariableContext => ({
    workspaceFolder: folder ? fsPath(folder.uri) : undefined,
    workspaceFolders: folderRefs,
    userHome: os.homedir(),
    env: process.env,
    // VS Code's own variables for mcp.json: ${execPath}, ${config:…}, ${command:…} (run on start).
    execPath: process.execPath,
    config: (key) => vscode.workspace.getConfiguration(undefined, folder?.uri).get(key),
    commands: true,
  });
  const first = folders[0];
  const multiRoot = !!vscode.workspace.workspaceFile;
  const trusted = vscode.workspace.isTrusted;
  const readMcp = vscode.workspace.getConfiguration(SECTION).get<boolean>(READ_MCP_JSON_KEY, true);

  const layers: Layer[] = [];
  const issues: ConfigIssue[] = [];
  const inputs = new Map<string, McpInput[]>();
  const ignored: IgnoredSource[] = [];
  const add = (servers: unknown, declared: () => McpInput[], source: LayerSource, folder: vscode.WorkspaceFolder | undefined) => {
    if (!trusted && source.workspaceDefined) {
      // Nothing a workspace wrote is used until it is trusted: its commands could run code.
      const n = countEntries(servers ?? restrictedValueOnDisk(source));
      if (n) ignored.push({ label: source.label, servers: n });
      return;
    }
    inputs.set(source.kind, declared());
    if (servers !== undefined) layers.push({ source, servers, context: context(folder) });
  };
  const settingsInputs = (raw: unknown, source: LayerSource) => () => (raw === undefined ? [] : parseInputs(raw, source, issues));

  const addWorkspace = () => {
    const ws = workspaceScope();
    add(scopeValue(ws, KEY), settingsInputs(scopeValue(ws, INPUTS_KEY), ws), ws, first);
  };
  // In a single folder the workspace settings are that folder's settings.json: more specific than
  // its mcp.json (as in the CLI's loadWorkspaceConfig). A .code-workspace file is less specific
  // than any folder.
  if (!multiRoot) addWorkspace();
  for (const folder of folders) {
    const dir = fsPath(folder.uri);
    // Folder scopes exist only in a workspace with a workspace file; in a plain folder the
    // folder's settings *are* the workspace settings and inspect() reports them in both places.
    if (multiRoot) {
      const settings = folderScope(folder);
      add(scopeValue(settings, KEY), settingsInputs(scopeValue(settings, INPUTS_KEY), settings), settings, folder);
    }
    if (readMcp && dir) {
      const source = mcpJsonScope(folder, dir, multiRoot);
      const file = source.file;
      // Reading the file is harmless (nothing runs); it tells the untrusted case what is ignored.
      let content = readMcpJson(dir, source);
      const previous = lastGood.get(file);
      if (content?.broken && previous) {
        content = { ...previous, issues: content.issues.map((i) => ({ ...i, message: `${i.message} (the last valid version is still in use)` })) };
      } else if (!content) lastGood.delete(file);
      else if (!content.broken) lastGood.set(file, content);
      if (content && !trusted) ignored.push({ label: source.label, servers: countEntries(content.servers) });
      else if (content) {
        issues.push(...content.issues);
        const { servers, inputs: declared } = content;
        add(servers, () => declared, source, folder);
      }
    }
  }

  if (multiRoot) addWorkspace();
  const user = userScope();
  add(scopeValue(user, KEY), settingsInputs(scopeValue(user, INPUTS_KEY), user), user, first);

  const merged = mergeLayers(layers);
  return { servers: merged.servers, issues: [...issues, ...merged.issues], inputs, ignored };
}

/** Keeps the registry in step with every source: settings events and mcp.json file watchers. */
export class SettingsConfigSource implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly lastGoodMcpJson = new Map<string, McpJsonContent>();
  private current: ConfigSnapshot = { servers: [], issues: [], inputs: new Map(), ignored: [] };
  private readonly ignoredEmitter = new vscode.EventEmitter<void>();
  /** The sources ignored because of workspace trust changed. */
  readonly onDidChangeIgnored = this.ignoredEmitter.event;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly onError: (e: unknown) => void,
    private readonly debounceMs = 150,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.schedule();
      }),
      // Folder scopes, mcp.json files and ${workspaceFolder} depend on the folders.
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
      this.ignoredEmitter,
    );
    this.watch();
  }

  /** Inputs declared next to the servers of a source (by its kind). */
  inputsFor(sourceKind: string): readonly McpInput[] {
    return this.current.inputs.get(sourceKind) ?? [];
  }

  /** Sources not loaded because the workspace is not trusted. */
  get ignored(): readonly IgnoredSource[] {
    return this.current.ignored;
  }

  /** Reads every source now and applies it; serialised so updates apply in order. */
  reload(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Read synchronously so the registry sees the configuration of "now", not of when the
    // previous update finishes.
    let config: ConfigSnapshot;
    try {
      config = readConfig(this.lastGoodMcpJson);
    } catch (e) {
      this.onError(e);
      return this.queue.then(() => undefined);
    }
    const ignoredChanged = JSON.stringify(config.ignored) !== JSON.stringify(this.current.ignored);
    this.current = config;
    if (ignoredChanged) this.ignoredEmitter.fire();
    // When nothing is pending the update starts right away, so the registry lists the servers
    // as soon as activate() returns; otherwise it waits its turn.
    const apply = () => this.registry.update(config).then(
      () => undefined,
      (e: unknown) => this.onError(e),
    );
    const run = this.pending === 0 ? apply() : this.queue.then(apply);
    this.pending++;
    const done = run.finally(() => this.pending--);
    this.queue = done;
    return done;
  }

  /** One watcher per folder for its mcp.json (created, changed or deleted). */
  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.vscode/mcp.json'));
      watcher.onDidCreate(() => this.schedule());
      watcher.onDidChange(() => this.schedule());
      watcher.onDidDelete(() => this.schedule());
      this.watchers.push(watcher);
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
  }
}
