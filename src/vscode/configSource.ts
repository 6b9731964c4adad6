// Gathers the raw configuration from the workspace API and hands it to core's pipeline
// (core/config/pipeline.ts: precedence, trust, merge), then feeds the registry: `mcpManager.servers`
// in user, workspace and folder settings, and each folder's `.vscode/mcp.json`. Scopes are read
// separately (inspect()) rather than through get(), because get() merges the objects and loses
// where an entry came from: the tree groups by source, "Open Settings" must open the right file,
// `${workspaceFolder}` means a different folder per folder scope, and only workspace-defined
// commands need consent.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type ConfigSource,
  type FolderRef,
  type IgnoredSource,
  isLayerSource,
  type LayerSource,
  MCP_JSON,
  type McpInput,
  type McpJsonContent,
  readJsonc,
  resolveConfig,
  type ResolvedConfig,
  type ServerRegistry,
  type SettingsSlot,
  type VariableContext,
  type WorkspaceFolderRef,
} from '../core';

export type { IgnoredSource } from '../core';

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

/** Everything read: servers, issues, declared inputs by source kind, sources ignored while untrusted. */
export type ConfigSnapshot = ResolvedConfig;

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
  return {
    kind: 'user',
    label: 'User settings',
    target: vscode.ConfigurationTarget.Global,
    order: 0,
    secretScope: 'user',
    workspaceDefined: false,
  };
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
 * Reads every source through core's pipeline; this side only answers its questions from the
 * workspace API. `lastGood`: the last parseable content of each mcp.json (see resolveConfig).
 */
export function readConfig(lastGood = new Map<string, McpJsonContent>()): ConfigSnapshot {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const refs: FolderRef[] = folders.map((f, index) => ({ name: f.name, index, path: fsPath(f.uri) }));
  const folderRefs: WorkspaceFolderRef[] = refs.flatMap((f) => (f.path === undefined ? [] : [{ name: f.name, path: f.path }]));
  const multiRoot = !!vscode.workspace.workspaceFile;
  const scopeOf = (slot: SettingsSlot): SettingsScope =>
    slot.kind === 'user' ? userScope() : slot.kind === 'workspace' ? workspaceScope() : folderScope(folders[slot.folder.index]!);
  return resolveConfig(
    { folders: refs, multiRoot, readMcpJson: vscode.workspace.getConfiguration(SECTION).get<boolean>(READ_MCP_JSON_KEY, true), user: true },
    {
      trusted: vscode.workspace.isTrusted,
      settings: (slot) => {
        const scope = scopeOf(slot);
        return {
          source: scope,
          servers: scopeValue(scope, KEY),
          inputs: scopeValue(scope, INPUTS_KEY),
          hidden: () => restrictedValueOnDisk(scope),
        };
      },
      mcpJsonSource: (folder) => mcpJsonScope(folders[folder.index]!, folder.path, multiRoot),
      context: (folder): VariableContext => ({
        workspaceFolder: folder?.path,
        workspaceFolders: folderRefs,
        userHome: os.homedir(),
        env: process.env,
        // VS Code's own variables for mcp.json: ${execPath}, ${config:…}, ${command:…} (run on start).
        execPath: process.execPath,
        config: (key) => vscode.workspace.getConfiguration(undefined, folder ? folders[folder.index]?.uri : undefined).get(key),
        commands: true,
      }),
    },
    lastGood,
  );
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
    const apply = () =>
      this.registry.update(config).then(
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
