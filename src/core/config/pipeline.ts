// The configuration pipeline, one for both hosts: which sources count and in which order
// (precedence, a pure function), what each holds (gathered by the host: VS Code's settings API,
// or the files on disk for the CLI), which are used (workspace trust), and one merge (mergeLayers)
// with one wording of notes. `vscode/configSource.ts` and `loadWorkspaceConfig` below are its
// two hosts. Plain Node, no `vscode` import.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kindOf } from '../text';
import { isObject } from '../format';
import {
  ConfigFileError,
  SETTINGS_KEY,
  duplicateServerIssues,
  parseInputs,
  readJsonc,
  type ConfigFileResult,
  type McpInput,
} from './files';
import { countEntries, isLayerSource, mergeLayers, type Layer } from './layers';
import { readMcpJson, type McpJsonContent } from './mcpJson';
import type { ConfigIssue, ConfigSource, ParseResult } from './types';
import type { VariableContext } from './variables';

/** A workspace folder as the pipeline sees it. */
export interface FolderRef {
  readonly name: string;
  /** Its position among the workspace's folders. */
  readonly index: number;
  /** On disk; undefined for a folder of another file system (it has no mcp.json we can read). */
  readonly path?: string;
}

/** One source of servers, before anything is read. */
export type Slot =
  | { readonly kind: 'user' }
  | { readonly kind: 'workspace' }
  | { readonly kind: 'folder'; readonly folder: FolderRef }
  | { readonly kind: 'mcp.json'; readonly folder: FolderRef & { readonly path: string } };

export type SettingsSlot = Exclude<Slot, { kind: 'mcp.json' }>;

export interface WorkspaceShape {
  readonly folders: readonly FolderRef[];
  /** A .code-workspace file is open: each folder has its own settings scope. */
  readonly multiRoot: boolean;
  /** The `mcpManager.readMcpJson` setting. */
  readonly readMcpJson: boolean;
  /** User settings are a source (the editor's; the CLI reads only the workspace). */
  readonly user: boolean;
}

/**
 * The sources in precedence order, most specific first: per folder, its settings then its
 * .vscode/mcp.json; then the .code-workspace file's settings; then user settings. In a
 * single-folder window the folder's settings.json *is* the workspace settings, so it comes first
 * (more specific than the folder's mcp.json); a .code-workspace file is less specific than any folder.
 */
export function precedence(shape: WorkspaceShape): Slot[] {
  const slots: Slot[] = [];
  if (!shape.multiRoot) slots.push({ kind: 'workspace' });
  for (const folder of shape.folders) {
    // Folder scopes exist only in a workspace with a workspace file; in a plain folder the
    // folder's settings *are* the workspace settings.
    if (shape.multiRoot) slots.push({ kind: 'folder', folder });
    if (shape.readMcpJson && folder.path !== undefined) slots.push({ kind: 'mcp.json', folder: { ...folder, path: folder.path } });
  }
  if (shape.multiRoot) slots.push({ kind: 'workspace' });
  if (shape.user) slots.push({ kind: 'user' });
  return slots;
}

/** The raw values of one settings scope, as the host read them. */
export interface ScopeValues {
  readonly source: ConfigSource;
  /** The `servers` value of exactly this scope (not merged with the others). */
  readonly servers: unknown;
  /** The `inputs` value of exactly this scope. */
  readonly inputs: unknown;
  /** What the scope holds although the host hides it while untrusted; only to count what is ignored. */
  readonly hidden?: () => unknown;
}

/** What a host gives the pipeline. */
export interface PipelineHost {
  /** False in Restricted Mode: nothing a workspace wrote is used (its commands could run code). */
  readonly trusted: boolean;
  /** Reads one settings scope; file-level problems go to `issues`. */
  settings(slot: SettingsSlot, issues: ConfigIssue[]): ScopeValues;
  /** The source of a folder's .vscode/mcp.json. */
  mcpJsonSource(folder: FolderRef & { readonly path: string }): ConfigSource;
  /** How to resolve variables in the servers of a folder (undefined: no folder open). */
  context(folder: FolderRef | undefined): VariableContext;
}

/** A source ignored because the workspace is not trusted (shown with the reason). */
export interface IgnoredSource {
  readonly label: string;
  readonly servers: number;
}

export interface ResolvedConfig extends ParseResult {
  /** Declared inputs by source kind (mcp.json `inputs`, the `mcpManager.inputs` setting). */
  readonly inputs: ReadonlyMap<string, readonly McpInput[]>;
  readonly ignored: readonly IgnoredSource[];
}

const workspaceDefined = (source: ConfigSource) => isLayerSource(source) && source.workspaceDefined;

/**
 * Reads every source of `shape` through `host` and merges them. `lastGood`: the last parseable
 * content of each mcp.json, used while a file has a syntax error (saved mid-edit), so its running
 * servers are not stopped by a missing comma.
 */
export function resolveConfig(shape: WorkspaceShape, host: PipelineHost, lastGood = new Map<string, McpJsonContent>()): ResolvedConfig {
  const layers: Layer[] = [];
  const issues: ConfigIssue[] = [];
  const inputs = new Map<string, McpInput[]>();
  const ignored: IgnoredSource[] = [];
  const first = shape.folders[0];

  for (const slot of precedence(shape)) {
    if (slot.kind !== 'mcp.json') {
      const scope = host.settings(slot, issues);
      const { source } = scope;
      if (!host.trusted && workspaceDefined(source)) {
        const n = countEntries(scope.servers ?? scope.hidden?.());
        if (n) ignored.push({ label: source.label, servers: n });
        continue;
      }
      inputs.set(source.kind, scope.inputs === undefined ? [] : parseInputs(scope.inputs, source, issues));
      if (scope.servers !== undefined)
        layers.push({ source, servers: scope.servers, context: host.context(slot.kind === 'folder' ? slot.folder : first) });
      continue;
    }
    const source = host.mcpJsonSource(slot.folder);
    const file = source.file ?? slot.folder.path;
    // Reading the file is harmless (nothing runs); it tells the untrusted case what is ignored.
    let content = readMcpJson(slot.folder.path, source);
    const previous = lastGood.get(file);
    if (content?.broken && previous) {
      content = {
        ...previous,
        issues: content.issues.map((i) => ({ ...i, message: `${i.message} (the last valid version is still in use)` })),
      };
    } else if (!content) lastGood.delete(file);
    else if (!content.broken) lastGood.set(file, content);
    if (!content) continue;
    if (!host.trusted) {
      ignored.push({ label: source.label, servers: countEntries(content.servers) });
      continue;
    }
    issues.push(...content.issues);
    inputs.set(source.kind, content.inputs);
    if (content.servers !== undefined) layers.push({ source, servers: content.servers, context: host.context(slot.folder) });
  }

  const merged = mergeLayers(layers);
  return { servers: merged.servers, issues: [...issues, ...merged.issues], inputs, ignored };
}

// ------------------------------------------------------------------------------------ the CLI's host

/**
 * The servers of a workspace folder, read from disk: `.vscode/settings.json` (`mcpManager.servers`
 * and `mcpManager.inputs`), then `.vscode/mcp.json` (`servers`, `inputs`), through the same
 * pipeline as the editor (user settings are not read). A name in both: the settings entry wins
 * (even when invalid) and a note names both sources. A file that cannot be parsed becomes an
 * issue; the other file still loads.
 */
export function loadWorkspaceConfig(dir: string, ctx: Partial<VariableContext> = {}): ConfigFileResult {
  const context: VariableContext = { workspaceFolder: dir, userHome: os.homedir(), env: process.env, ...ctx };
  const settingsFile = path.join(dir, '.vscode', 'settings.json');
  const settingsSource: ConfigSource = { kind: 'workspace', label: 'Workspace settings (.vscode/settings.json)', file: settingsFile };
  const resolved = resolveConfig(
    { folders: [{ name: path.basename(dir), index: 0, path: dir }], multiRoot: false, readMcpJson: true, user: false },
    {
      trusted: true,
      settings: (_slot, issues) => {
        const settings = readSettingsFile(settingsFile, settingsSource, issues);
        return { source: settingsSource, servers: settings?.[SETTINGS_KEY], inputs: settings?.['mcpManager.inputs'] };
      },
      mcpJsonSource: (folder) => ({ kind: 'mcp.json', label: '.vscode/mcp.json', file: path.join(folder.path, '.vscode', 'mcp.json') }),
      context: () => context,
    },
  );
  return { servers: resolved.servers, issues: resolved.issues, inputs: [...resolved.inputs.values()].flat() };
}

/** A settings.json read from disk (for a host without the settings API); undefined when absent or unusable. */
function readSettingsFile(file: string, source: ConfigSource, issues: ConfigIssue[]): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = readJsonc(file);
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    issues.push({ message: e.message, source });
    return undefined;
  }
  issues.push(...duplicateServerIssues(file, source));
  if (value === undefined) return undefined;
  if (isObject(value)) return value;
  issues.push({ message: `${file}: expected a JSON object, got ${kindOf(value)}`, source });
  return undefined;
}
