// The Servers view. Expanding a server is what starts it: getChildren answers at once with a
// "Connecting…" child, lists the tools in the background and refreshes only that server's node
// when they arrive. Nothing here blocks on a handshake. A running server that declares resources
// or prompts also gets a "Resources" / "Prompts" folder before its tools, listed only when the
// folder is expanded. Every list comes from the shared ServerCatalog; the tree keeps none.
import type { IconSource } from '../icons';
import type { Tool } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { type AuthStatus, type ConfigSource, nullLogger, ServerCatalog, type ServerConnection, type ServerRegistry } from '../../core';
import { scopeOrder } from '../configSource';
import { folderItem, promptItem, promptTooltip, resourceItem, resourceTooltip, templateItem, templateTooltip } from './browseItems';
import {
  NodeCache,
  type FolderKind,
  type FolderNode,
  type IssueNode,
  type MessageNode,
  type Notice,
  type ServerNode,
  type TreeNode,
} from '../../ui/tree/nodes';
import { taskItem, type TaskSource } from '../tasks/taskItem';
import {
  groupItem,
  issueItem,
  messageItem,
  noticeItem,
  serverItem,
  serverTooltip,
  showServerOffer,
  showToolOffer,
  toolItem,
  toolTooltip,
} from './present';

/** Notices shown above the servers (e.g. why workspace servers are not loaded). */
export interface NoticeSource {
  readonly notices: readonly Notice[];
  readonly onDidChangeNotices: vscode.Event<void>;
}

/** Which servers have a newer version in their registry (see vscode/registry/updates.ts). */
export interface UpdateSource {
  updateFor(name: string): { readonly server: { readonly version?: string } } | undefined;
  readonly onDidChange: (listener: (name: string) => void) => { dispose(): void };
}

/**
 * The least time between handing VS Code a folder's "Loading…" row and refreshing that folder with
 * its items. A refresh that arrives while VS Code is still fetching the loading row can be lost: the
 * e2e run showed a listed folder (its count in the description) stuck on "Loading resources…" about
 * once in ten expansions when a fast server answered within milliseconds.
 */
const FOLDER_REFRESH_GAP_MS = 250;

/** What the tree shows besides the registry's servers; each is optional (tests pass what they need). */
export interface TreeSources {
  /** Configuration notices (trust, ignored entries) shown as rows. */
  readonly noticeSource?: NoticeSource;
  /** Shared with the palette commands; without one the tree makes (and owns) its own. */
  readonly catalog?: ServerCatalog;
  /** Newer registry versions of installed servers (an "update" note and action on the server). */
  readonly updates?: UpdateSource;
  /** Icons the servers give their tools, resources and prompts (a codicon until one is ready). */
  readonly icons?: IconSource;
  /** Tool calls running as tasks, shown under their server (src/vscode/tasks/). */
  readonly tasks?: TaskSource;
  /** Sign-in status for the tooltips of OAuth servers, and refreshes when it changes (src/vscode/auth). */
  readonly auth?: AuthSource;
  /** What the gateway offers and who uses it: the checkboxes and "in use by N clients" (src/vscode/gateway). */
  readonly gateway?: GatewaySource;
}

/** The gateway as the tree sees it. */
export interface GatewaySource {
  /** Whether clients of the gateway are offered this tool (the per-workspace choices). */
  isToolOffered(server: string, tool: string): boolean;
  /** How many of the gateway's clients use the server now. */
  clientsOf(server: string): number;
  /** Tool choices or the clients changed. */
  readonly onDidChange: vscode.Event<void>;
}

export class ServerTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private readonly nodes = new NodeCache();
  /** When each folder last answered with its loading row (see FOLDER_REFRESH_GAP_MS). */
  private readonly loadingShownAt = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly disposables: { dispose(): void }[] = [];
  private readonly auth?: AuthSource;
  private grouped = false;
  /** The configuration issues as last listed by roots(). */
  private issueNodes: IssueNode[] = [];

  private readonly catalog: ServerCatalog;

  private readonly noticeSource?: NoticeSource;
  private readonly updates?: UpdateSource;
  private readonly icons?: IconSource;
  private readonly tasks?: TaskSource;
  private readonly gateway?: GatewaySource;

  constructor(
    private readonly registry: ServerRegistry,
    sources: TreeSources = {},
  ) {
    const { noticeSource, catalog, updates, icons, tasks, auth, gateway } = sources;
    this.gateway = gateway;
    if (gateway) this.disposables.push(gateway.onDidChange(() => this.changeEmitter.fire(undefined)));
    this.noticeSource = noticeSource;
    this.updates = updates;
    this.icons = icons;
    this.tasks = tasks;
    this.auth = auth;
    if (auth) this.disposables.push(auth.onDidChange((name) => this.refreshServer(name)));
    if (icons) this.disposables.push(icons.onDidChange(() => this.changeEmitter.fire(undefined)));
    this.catalog = catalog ?? new ServerCatalog(registry, () => nullLogger);
    if (updates) this.disposables.push(updates.onDidChange((name) => this.refreshServer(name)));
    if (tasks) this.disposables.push(tasks.onDidChange((name) => (name ? this.refreshServer(name) : this.refresh())));
    if (!catalog) this.disposables.push(this.catalog);
    if (noticeSource) this.disposables.push(noticeSource.onDidChangeNotices(() => this.changeEmitter.fire(undefined)));
    this.disposables.push(
      // A list arrived or changed (from an expansion, a palette command, the server): refresh its node.
      this.catalog.onDidChange(({ server, kind }) => (kind === 'tools' ? this.refreshServer(server) : this.refreshFolder(server, kind))),
      registry.onDidChangeServers((change) => {
        for (const name of change.removed) this.nodes.forgetServer(name);
        this.changeEmitter.fire(undefined);
      }),
      registry.onDidChangeState(({ connection }) => {
        // A replaced connection still reports its shutdown; it must not touch its successor.
        if (registry.get(connection.name) !== connection) return;
        // What the catalog keeps across the change is its invalidation policy's business.
        this.refreshServer(connection.name);
      }),
    );
  }

  /** Refreshes the whole tree; with `relist`, forgets the tool lists so expanded servers list again. */
  refresh(relist = false): void {
    if (relist) this.catalog.clear();
    this.changeEmitter.fire(undefined);
  }

  /** Refreshes one server's node and subtree. */
  refreshServer(name: string): void {
    const node = this.nodes.peekServer(name);
    if (node) this.changeEmitter.fire(node);
  }

  private refreshFolder(server: string, kind: FolderKind): void {
    if (!this.registry.get(server) || !this.nodes.peekServer(server)) return;
    const node = this.nodes.folder(server, kind);
    const wait = FOLDER_REFRESH_GAP_MS - (Date.now() - (this.loadingShownAt.get(node.id) ?? 0));
    this.loadingShownAt.delete(node.id);
    if (wait <= 0) {
      this.changeEmitter.fire(node);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.changeEmitter.fire(node);
    }, wait);
    this.timers.add(timer);
  }

  /** The node of a server (for reveal and for tests). */
  serverNode(name: string): ServerNode | undefined {
    return this.registry.get(name) ? this.nodes.server(name) : undefined;
  }

  /** Tools known for a server without any I/O (the kept-alive session's, else what was listed). */
  knownTools(conn: ServerConnection): readonly Tool[] | undefined {
    return this.catalog.peek(conn, 'tools')?.value;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = this.itemOf(node);
    const given = iconsOf(node);
    const icon = given !== undefined ? this.icons?.uriFor(given) : undefined;
    if (icon) item.iconPath = icon;
    return item;
  }

  private itemOf(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return groupItem(node, this.serversOf(node.source).length, this.issuesOf(node.source));
      case 'server': {
        const conn = this.registry.get(node.serverName);
        if (!conn) return new vscode.TreeItem(node.serverName);
        const item = serverItem(node, conn, this.knownTools(conn), this.updates?.updateFor(node.serverName)?.server.version);
        if (this.gateway) showServerOffer(item, conn, this.gateway.clientsOf(conn.name));
        return item;
      }
      case 'tool': {
        const item = toolItem(node);
        if (this.gateway) showToolOffer(item, this.gateway.isToolOffered(node.serverName, node.toolName));
        return item;
      }
      case 'folder':
        return folderItem(node, this.folderCounts(node));
      case 'resource':
        return resourceItem(node);
      case 'template':
        return templateItem(node);
      case 'prompt':
        return promptItem(node);
      case 'issue':
        return issueItem(node);
      case 'message':
        return messageItem(node, this.nodes.server(node.serverName));
      case 'notice':
        return noticeItem(node);
      case 'task':
        return taskItem(
          node,
          this.tasks?.list(node.serverName).find((t) => t.taskId === node.taskId),
        );
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'server') {
      const conn = this.registry.get(node.serverName);
      // The other places this name is defined, so the winner is clear where it is shown.
      const notes = this.registry.issues.filter((i) => i.server === node.serverName && i.severity === 'warning').map((i) => i.message);
      if (conn) item.tooltip = serverTooltip(conn, notes, this.auth?.known(conn));
    } else if (node.kind === 'tool') {
      item.tooltip = toolTooltip(node.tool);
    } else if (node.kind === 'resource') {
      item.tooltip = resourceTooltip(node.resource);
    } else if (node.kind === 'template') {
      item.tooltip = templateTooltip(node.template);
    } else if (node.kind === 'prompt') {
      item.tooltip = promptTooltip(node.prompt);
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'server': {
        const source = this.registry.get(node.serverName)?.definition.source;
        return this.grouped && source ? this.nodes.group(source) : undefined;
      }
      case 'tool':
      case 'folder':
      case 'task':
        return this.nodes.server(node.serverName);
      case 'message':
        return node.folder ? this.nodes.folder(node.serverName, node.folder) : this.nodes.server(node.serverName);
      case 'resource':
      case 'template':
        return this.nodes.folder(node.serverName, 'resources');
      case 'prompt':
        return this.nodes.folder(node.serverName, 'prompts');
      case 'issue':
        return this.grouped && node.issue.source ? this.nodes.group(node.issue.source) : undefined;
      default:
        return undefined;
    }
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'group':
        return [...this.serversOf(node.source).map((c) => this.nodes.server(c.name)), ...this.issuesOf(node.source)];
      case 'server':
        // Tasks first: they outlive the server's state (a stopped server's ended tasks keep their results).
        return [
          ...(this.tasks?.list(node.serverName) ?? []).map((t) => this.nodes.task(node.serverName, t.taskId)),
          ...this.serverChildren(node),
        ];
      case 'folder':
        return this.folderChildren(node);
      default:
        return [];
    }
  }

  private sortedServers(): ServerConnection[] {
    // Stable: by scope (user, workspace, folders), then in configuration order.
    return this.registry
      .list()
      .map((conn, i) => ({ conn, i, order: scopeOrder(conn.definition.source) }))
      .sort((a, b) => a.order - b.order || a.i - b.i)
      .map((x) => x.conn);
  }

  private serversOf(source: ConfigSource): ServerConnection[] {
    return this.sortedServers().filter((c) => (c.definition.source?.kind ?? '') === source.kind);
  }

  /** Configuration problems of one source: shown (and counted) in its group. */
  private issuesOf(source: ConfigSource): IssueNode[] {
    return this.issueNodes.filter((n) => n.issue.source?.kind === source.kind);
  }

  private roots(): TreeNode[] {
    const servers = this.sortedServers();
    this.nodes.clearIssues();
    this.issueNodes = this.registry.issues.map((issue, i) => this.nodes.issue(issue, i));
    // A source with only broken entries is a group too: its errors belong under its name.
    const sources = new Map<string, ConfigSource>();
    for (const c of servers) if (c.definition.source) sources.set(c.definition.source.kind, c.definition.source);
    for (const n of this.issueNodes)
      if (n.issue.source && !sources.has(n.issue.source.kind)) sources.set(n.issue.source.kind, n.issue.source);
    this.grouped = sources.size > 1;
    const top: TreeNode[] = this.grouped
      ? [...sources.values()].map((s) => this.nodes.group(s))
      : servers.map((c) => this.nodes.server(c.name));
    const loose = this.grouped ? this.issueNodes.filter((n) => !n.issue.source) : this.issueNodes;
    const notices = (this.noticeSource?.notices ?? []).map((n) => this.nodes.notice(n));
    return [...notices, ...top, ...loose];
  }

  private serverChildren(node: ServerNode): TreeNode[] {
    const name = node.serverName;
    const conn = this.registry.get(name);
    if (!conn) return [];
    const state = conn.state;
    const msg = (role: MessageNode['role'], text: string) => this.nodes.message(name, role, text);
    switch (state.kind) {
      case 'disabled':
        return [msg('disabled', 'Disabled in configuration ("disabled": true)')];
      case 'stopped':
        return [msg('stopped', 'Stopped — click to start')];
      case 'error': {
        // Under the server's own node its name in front of the message is noise. Masked: the
        // message can quote stderr, which can echo a secret.
        const message = conn.masker.mask(state.message);
        if (state.signInRequired) return [msg('signIn', 'Sign in required: click to sign in'), msg('showLogs', 'Show Logs')];
        return [
          msg('error', message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message),
          msg('showLogs', 'Show Logs'),
          msg('restart', 'Restart'),
        ];
      }
      case 'idle':
      case 'starting':
      case 'running': {
        // Folders first, as file explorers put folders before files.
        const folders = state.kind === 'starting' ? [] : this.folders(conn);
        const listing = this.catalog.peek(conn, 'tools');
        const tools = listing?.value;
        if (tools)
          return [
            ...folders,
            ...(tools.length ? tools.map((t) => this.nodes.tool(name, t)) : [msg('noTools', 'This server offers no tools')]),
          ];
        if (listing?.error !== undefined && !this.catalog.isLoading(conn, 'tools')) {
          return [
            ...folders,
            msg('error', `Could not list tools: ${listing.error}`),
            msg('showLogs', 'Show Logs'),
            msg('restart', 'Restart'),
          ];
        }
        // Lists in the background (once at a time per server); the catalog's change refreshes the server.
        this.catalog.load(conn, 'tools');
        const connecting = msg('connecting', state.kind === 'running' ? 'Loading tools…' : 'Connecting…');
        // Said while it happens (e.g. text on stdout that will time the handshake out), not only in the log.
        if (state.kind === 'starting' && state.problem)
          return [connecting, msg('warning', conn.masker.mask(state.problem)), msg('showLogs', 'Show Logs')];
        return [...folders, connecting];
      }
    }
  }

  /** The folders of what the server declares (none until it has run: capabilities come with the handshake). */
  private folders(conn: ServerConnection): FolderNode[] {
    return (['resources', 'prompts'] as const)
      .filter((kind) => this.catalog.offers(conn, kind))
      .map((kind) => this.nodes.folder(conn.name, kind));
  }

  private folderCounts(node: FolderNode): { items: number; templates?: number } | undefined {
    const conn = this.registry.get(node.serverName);
    if (!conn) return undefined;
    if (node.folder === 'prompts') {
      const prompts = this.catalog.peek(conn, 'prompts')?.value;
      return prompts && { items: prompts.length };
    }
    const list = this.catalog.peek(conn, 'resources')?.value;
    return list && { items: list.resources.length, templates: list.templates.length };
  }

  /** A folder's items once listed; until then a loading row, and the listing starts (once). */
  private folderChildren(node: FolderNode): TreeNode[] {
    const { serverName: name, folder } = node;
    const conn = this.registry.get(name);
    if (!conn || !['idle', 'starting', 'running'].includes(conn.state.kind)) return [];
    const msg = (role: MessageNode['role'], text: string) => this.nodes.folderMessage(name, folder, role, text);
    const listing = this.catalog.peek(conn, folder);
    if (listing?.error !== undefined && !this.catalog.isLoading(conn, folder)) {
      return [msg('error', `Could not list ${folder}: ${listing.error}`), msg('showLogs', 'Show Logs'), msg('restart', 'Restart')];
    }
    let items: TreeNode[] | undefined;
    if (folder === 'prompts') {
      items = this.catalog.peek(conn, 'prompts')?.value?.map((p) => this.nodes.prompt(name, p));
    } else {
      const list = this.catalog.peek(conn, 'resources')?.value;
      items = list && [
        ...list.resources.map((r) => this.nodes.resource(name, r)),
        ...list.templates.map((t) => this.nodes.template(name, t)),
      ];
    }
    if (items) return items.length ? items : [msg('empty', `This server offers no ${folder}`)];
    this.catalog.load(conn, folder);
    this.loadingShownAt.set(node.id, Date.now());
    return [msg('connecting', `Loading ${folder}…`)];
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}

/** The server's `icons` for a node, where it has any (servers keep their state icon). */
function iconsOf(node: TreeNode): unknown {
  switch (node.kind) {
    case 'tool':
      return node.tool.icons;
    case 'resource':
      return node.resource.icons;
    case 'template':
      return node.template.icons;
    case 'prompt':
      return node.prompt.icons;
    default:
      return undefined;
  }
}

/** Who a server is signed in with (src/vscode/auth): for tooltips, and when that changes. */
export interface AuthSource {
  /** What is known now (read from SecretStorage in the background; onDidChange says when it is). */
  known(conn: ServerConnection): AuthStatus | undefined;
  readonly onDidChange: vscode.Event<string>;
}
