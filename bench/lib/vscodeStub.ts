// Just enough of the `vscode` module for our editor code to run in plain Node: the tree provider
// (to time "expand a server with 10,000 tools until every TreeItem exists", what VS Code asks the
// provider for before it paints the expanded node), and the whole of activate() (to time the
// production bundle's activation). Configuration reads return real values (a workspace folder and
// its settings, given to installVscodeStub); everything that is only called and handed back as a
// disposable or a handle (tree views, status bar items, watchers, commands...) is inert, and every
// call into the API is counted.
import Module from 'node:module';
import * as path from 'node:path';

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Disposable {
  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const d of disposables) d.dispose();
    });
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    this.onDispose();
  }
}

class Uri {
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath, '', '');
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.slice(0, -1), u.host, decodeURIComponent(u.pathname), u.search.slice(1), u.hash.slice(1));
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      c.scheme ?? this.scheme,
      c.authority ?? this.authority,
      c.path ?? this.path,
      c.query ?? this.query,
      c.fragment ?? this.fragment,
    );
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

class RelativePattern {
  constructor(
    readonly base: unknown,
    readonly pattern: string,
  ) {}
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

class Selection extends Range {}

class DocumentLink {
  constructor(
    readonly range: Range,
    readonly target?: Uri,
  ) {}
}

class TreeItem {
  [key: string]: unknown;
  constructor(
    public label: unknown,
    public collapsibleState = 0,
  ) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted = false;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendMarkdown(v: string): this {
    this.value += v;
    return this;
  }
  appendText(v: string): this {
    this.value += v;
    return this;
  }
  appendCodeblock(v: string, lang = ''): this {
    this.value += `\n\`\`\`${lang}\n${v}\n\`\`\`\n`;
    return this;
  }
}

/** A workspace for the stub: its folders, settings by scope, and trust. */
export interface StubWorkspace {
  /** Absolute paths of the workspace folders (a single-folder window when there is one). */
  readonly folders?: readonly string[];
  /** Values of `section.key` settings in user settings. */
  readonly user?: Readonly<Record<string, unknown>>;
  /** Values of `section.key` settings in the workspace (the folder's .vscode/settings.json). */
  readonly workspace?: Readonly<Record<string, unknown>>;
  /** Defaults, as package.json's `contributes.configuration` declares them. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  readonly trusted?: boolean;
}

/** What the code under test did with the API. */
export interface StubRecord {
  /** Calls into the API's namespaces and the handles they returned, by name ("window.createTreeView"). */
  readonly calls: Record<string, number>;
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
}

const record: StubRecord = { calls: {}, commands: new Map() };
let ws: StubWorkspace = {};

function count(name: string): void {
  record.calls[name] = (record.calls[name] ?? 0) + 1;
}

const disposable = () => new Disposable(() => undefined);
/** An event of a namespace (counted by the namespace). */
const event = () => disposable();

/**
 * A handle the code under test gets back (a tree view, a status bar item, a watcher...): properties
 * it sets are kept; any method is inert, counted, and returns another handle. Never thenable.
 */
function handle(name: string, props: Record<string | symbol, unknown> = {}): Record<string, unknown> {
  return new Proxy(props, {
    get: (t, p) => {
      if (p in t) return t[p];
      if (p === 'then' || typeof p === 'symbol') return undefined;
      return (..._args: unknown[]) => {
        count(`${name}.${p}`);
        return handle(`${name}.${p}`);
      };
    },
    set: (t, p, v) => {
      t[p] = v;
      return true;
    },
  }) as Record<string, unknown>;
}

/** A namespace (`window`, `workspace`...): the given members, and for anything else an inert counted function. */
function namespace(name: string, members: Record<string, unknown>): Record<string, unknown> {
  const counted: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(members))) {
    const v: unknown = d.value;
    if (typeof v === 'function') {
      counted[k] = (...args: unknown[]) => {
        count(`${name}.${k}`);
        return (v as (...a: unknown[]) => unknown)(...args);
      };
    } else Object.defineProperty(counted, k, d); // values and getters (workspaceFolders) as they are
  }
  return handle(name, counted);
}

// ---------------------------------------------------------------- configuration

function configuration(section: string | undefined, scope: unknown) {
  const full = (key: string) => (section ? `${section}.${key}` : key);
  // The extension host keeps a copy of the configuration and hands out copies of its values.
  const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
  const layer = (values: Readonly<Record<string, unknown>> | undefined, key: string) => copy(values?.[full(key)]);
  return {
    get<T>(key: string, defaultValue?: T): T | undefined {
      for (const values of [ws.workspace, ws.user, ws.defaults]) {
        const v = layer(values, key);
        if (v !== undefined) return v as T;
      }
      return defaultValue;
    },
    has: (key: string) => [ws.workspace, ws.user, ws.defaults].some((values) => values?.[full(key)] !== undefined),
    inspect<T>(key: string) {
      return {
        key: full(key),
        defaultValue: layer(ws.defaults, key) as T | undefined,
        globalValue: layer(ws.user, key) as T | undefined,
        workspaceValue: layer(ws.workspace, key) as T | undefined,
        // In a single-folder window the folder's settings are the workspace settings.
        workspaceFolderValue: scope ? (layer(ws.workspace, key) as T | undefined) : undefined,
      };
    },
    update: async () => undefined,
  };
}

// ---------------------------------------------------------------- the module

const known: Record<string, unknown> = {
  EventEmitter,
  Disposable,
  Uri,
  RelativePattern,
  Position,
  Range,
  Selection,
  DocumentLink,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  QuickInputButtons: { Back: { iconPath: new ThemeIcon('arrow-left') } },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  TestRunProfileKind: { Run: 1, Debug: 2, Coverage: 3 },
  version: '1.100.0',
  commands: namespace('commands', {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      record.commands.set(id, fn);
      return new Disposable(() => record.commands.delete(id));
    },
    executeCommand: async () => undefined,
  }),
  window: namespace('window', {
    createTreeView: (id: string) => handle(`treeView(${id})`, { visible: false }),
    createStatusBarItem: (id: string) => handle(`statusBarItem(${id})`, { text: '' }),
    createOutputChannel: (name: string) => handle(`outputChannel(${name})`, { name, logLevel: 3 }),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    activeTextEditor: undefined,
    // Open editors (resource documents follow their tabs).
    tabGroups: handle('window.tabGroups', { all: [], onDidChangeTabs: event, onDidChangeTabGroups: event }),
  }),
  workspace: namespace('workspace', {
    get workspaceFolders() {
      return ws.folders?.map((p, index) => ({ uri: Uri.file(p), name: path.basename(p), index }));
    },
    workspaceFile: undefined,
    get isTrusted() {
      return ws.trusted ?? true;
    },
    getConfiguration: configuration,
    onDidChangeConfiguration: event,
    onDidChangeWorkspaceFolders: event,
    onDidGrantWorkspaceTrust: event,
    textDocuments: [],
    onDidOpenTextDocument: event,
    onDidChangeTextDocument: event,
    onDidSaveTextDocument: event,
    onDidCloseTextDocument: event,
    createFileSystemWatcher: () => handle('fileSystemWatcher'),
    registerTextDocumentContentProvider: () => disposable(),
  }),
  // The Testing view's controller (src/vscode/tests): its items are a real collection, the rest inert.
  tests: namespace('tests', {
    createTestController: (id: string, label: string) => handle(`testController(${id})`, { id, label, items: testItems() }),
  }),
  languages: namespace('languages', { registerDocumentLinkProvider: () => disposable() }),
  env: namespace('env', { clipboard: handle('env.clipboard'), language: 'en' }),
  extensions: namespace('extensions', { getExtension: () => undefined }),
  l10n: namespace('l10n', { t: (message: string) => message }),
};

/**
 * The `vscode` module. A plain object (the bundle's `import * as vscode` copies its own keys), behind
 * a proxy so that a name we do not know is an inert handle when read directly.
 */
export const vscodeStub = new Proxy(known, {
  get: (t, p) => (typeof p === 'symbol' || p in t ? t[p as string] : p === '__esModule' ? undefined : handle(p)),
});

/** A TestItemCollection over a Map. */
function testItems() {
  const m = new Map<string, { id: string }>();
  return {
    get size() {
      return m.size;
    },
    get: (id: string) => m.get(id),
    add: (item: { id: string }) => void m.set(item.id, item),
    delete: (id: string) => void m.delete(id),
    replace: (items: readonly { id: string }[]) => {
      m.clear();
      for (const item of items) m.set(item.id, item);
    },
    forEach: (fn: (item: { id: string }) => void) => m.forEach((item) => fn(item)),
    [Symbol.iterator]: () => [...m].map(([id, item]) => [id, item] as const)[Symbol.iterator](),
  };
}

/** A memento (globalState, workspaceState) over a Map. */
function memento() {
  const m = new Map<string, unknown>();
  return {
    get: <T>(key: string, defaultValue?: T) => (m.has(key) ? (m.get(key) as T) : defaultValue),
    update: async (key: string, value: unknown) => void (value === undefined ? m.delete(key) : m.set(key, value)),
    keys: () => [...m.keys()],
    setKeysForSync: () => undefined,
  };
}

/** An ExtensionContext for activate(): empty storage and secrets, production mode. */
export function extensionContext(opts: { extensionPath: string; packageJSON: unknown; logDir: string; mode?: number }) {
  const extensionUri = Uri.file(opts.extensionPath);
  const secrets = new Map<string, string>();
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionMode: opts.mode ?? 1,
    extensionUri,
    extensionPath: opts.extensionPath,
    extension: {
      id: 'mcp-manager.mcp-manager',
      extensionUri,
      extensionPath: opts.extensionPath,
      packageJSON: opts.packageJSON,
      isActive: true,
      extensionKind: 2,
    },
    globalState: memento(),
    workspaceState: memento(),
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      onDidChange: () => {
        count('secrets.onDidChange');
        return disposable();
      },
    },
    logUri: Uri.file(opts.logDir),
    storageUri: undefined,
    globalStorageUri: Uri.file(path.join(opts.logDir, 'global')),
    asAbsolutePath: (p: string) => path.join(opts.extensionPath, p),
    environmentVariableCollection: handle('environmentVariableCollection'),
  };
}

/** Makes `require('vscode')` return the stub in this process, with this workspace; returns what the code does with it. */
export function installVscodeStub(workspace: StubWorkspace = {}): StubRecord {
  ws = workspace;
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = M._load;
  M._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscodeStub;
    return load.call(this, request, parent, isMain);
  };
  return record;
}
