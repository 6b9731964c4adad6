// Server commands. Each takes a tree node (or a server name) and otherwise asks with a QuickPick;
// each catches its failures and reports them with an action (reportFailure).
import * as vscode from 'vscode';
import {
  canStart,
  errorMessage,
  isActive,
  LOG_LEVELS,
  type ConfigSource,
  type LoggingLevel,
  type ServerCatalog,
  type ServerConnection,
  type ServerRegistry,
} from '../core';
import { addServer } from './addServer';
import type { SettingsConfigSource } from './configSource';
import { ConfigWriter } from './configWriter';
import type { LaunchConsent } from './consent';
import { runImport } from './importServers';
import type { InputService } from './inputs';
import { reportFailure } from './notify';
import type { Prompter } from './prompts';
import { ServerActions } from './serverActions';
import { pickServer, serverPickItem } from './serverPicker';
import type { ServerLogs } from './serverLogs';
import { openSettingsJson, openSettingsUi } from './settingsEditor';
import type { ServerTreeProvider } from './tree/serverTree';
import { MANAGE_TRUST_COMMAND, manageWorkspaceTrust } from './trust';

export interface CommandDeps {
  readonly registry: ServerRegistry;
  readonly logs: ServerLogs;
  readonly tree: ServerTreeProvider;
  /** Every list (shared with the tree, the tool picker and the API): commands list through it too. */
  readonly catalog: ServerCatalog;
  readonly config: SettingsConfigSource;
  readonly prompter: Prompter;
  readonly inputs: InputService;
  readonly consent: LaunchConsent;
  /** Writes configuration changes (a ConfigWriter by default). */
  readonly writer?: ConfigWriter;
}

/** The server a command argument names: a tree node (`serverName`) or a plain name. */
export function serverNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { serverName?: unknown }).serverName === 'string')
    return (arg as { serverName: string }).serverName;
  return undefined;
}

export class ServerCommands {
  private readonly writer: ConfigWriter;
  /** Edit, Remove, Disable / Enable, Rename, Duplicate (serverActions.ts). */
  readonly actions: ServerActions;

  constructor(private readonly deps: CommandDeps) {
    this.writer = deps.writer ?? new ConfigWriter();
    this.actions = new ServerActions({
      registry: deps.registry,
      prompter: deps.prompter,
      writer: this.writer,
      reload: () => deps.config.reload(),
    });
  }

  register(): vscode.Disposable {
    // The last line of defence: a command never fails silently or with an unlogged stack.
    const reg = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          reportFailure(e, { server: serverNameOf(args[0]), action: `run ${id}`, logs: this.deps.logs });
          return undefined;
        }
      });
    return vscode.Disposable.from(
      reg('mcpManager.startServer', (arg) => this.start(arg)),
      reg('mcpManager.stopServer', (arg) => this.stop(arg)),
      reg('mcpManager.restartServer', (arg) => this.restart(arg)),
      reg('mcpManager.showServerLogs', (arg) => this.showLogs(arg)),
      reg('mcpManager.setServerLogLevel', (arg, level) => this.setLogLevel(arg, level)),
      reg('mcpManager.refresh', () => this.refresh()),
      reg('mcpManager.openSettings', (arg) => this.openSettings(arg)),
      reg('mcpManager.copyToolName', (arg) => this.copyToolName(arg)),
      reg('mcpManager.addServer', () => this.addServer()),
      reg('mcpManager.showServers', () => this.showServers()),
      reg('mcpManager.importServers', (arg) => this.importServers(arg)),
      reg('mcpManager.clearStoredInputs', () => this.clearStoredInputs()),
      reg('mcpManager.resetLaunchPermissions', () => this.resetLaunchPermissions()),
      reg(MANAGE_TRUST_COMMAND, async () => manageWorkspaceTrust()),
      ...this.actions.commands().map(([id, fn]) => reg(id, fn)),
    );
  }

  /** Starts a server and lists its tools, under a cancellable progress notification. */
  async start(arg?: unknown): Promise<void> {
    const conn = await this.resolve(arg, {
      title: 'Start MCP Server',
      filter: (c) => canStart(c.state),
      emptyMessage: 'All MCP servers are already running.',
    });
    if (!conn) return;
    // An explicit start asks again about a command the user declined earlier.
    this.deps.consent.forgetDenial(conn.name);
    await this.run(conn, 'start', `Starting ${conn.name}…`, () => conn.start());
  }

  async stop(arg?: unknown): Promise<void> {
    const conn = await this.resolve(arg, {
      title: 'Stop MCP Server',
      filter: (c) => isActive(c.state),
      emptyMessage: 'No MCP server is running.',
    });
    if (!conn) return;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Stopping ${conn.name}…` }, () => conn.stop());
    } catch (e) {
      reportFailure(e, { server: conn.name, action: 'stop', logs: this.deps.logs });
    }
  }

  async restart(arg?: unknown): Promise<void> {
    const conn = await this.resolve(arg, { title: 'Restart MCP Server' });
    if (!conn) return;
    this.deps.consent.forgetDenial(conn.name);
    await this.run(conn, 'restart', `Restarting ${conn.name}…`, () => conn.restart());
  }

  /**
   * mcpManager.setServerLogLevel: which server log messages to ask for, until the window closes
   * (the entry's `logLevel` keeps it). Takes a node or `{ serverName }`, and optionally the level.
   */
  async setLogLevel(arg?: unknown, given?: unknown): Promise<void> {
    const conn = await this.resolve(arg, { title: 'Set MCP Server Log Level' });
    if (!conn) return;
    let level = typeof given === 'string' && (LOG_LEVELS as readonly string[]).includes(given) ? (given as LoggingLevel) : undefined;
    if (!level) {
      const current = conn.logLevel;
      const picked = await this.deps.prompter.pick(
        LOG_LEVELS.map((l) => ({
          label: l,
          description: l === current ? 'current' : l === 'debug' ? 'everything' : undefined,
          level: l,
        })),
        {
          title: `Log level of ${conn.name}`,
          placeHolder: `The least severe message ${conn.name} should send to its log (until the window closes; "logLevel" in its entry keeps it)`,
        },
      );
      level = picked?.level;
    }
    if (!level) return;
    await conn.setLogLevel(level);
    const running = conn.state.kind === 'running';
    vscode.window.setStatusBarMessage(`MCP: ${conn.name} logs at ${level}${running ? '' : ' once it starts'}`, 5000);
    this.deps.logs.show(conn.name, true);
    // The channel has its own level (Info unless lowered): say how to see debug messages.
    if (level === 'debug' && this.deps.logs.channel(conn.name).logLevel > vscode.LogLevel.Debug) {
      void this.deps.prompter
        .notify(
          `${conn.name} now sends debug messages; its log channel shows Info and above. Lower the channel's level to see them.`,
          'Set Channel Log Level...',
        )
        .then((action) => action && vscode.commands.executeCommand('workbench.action.setLogLevel'));
    }
  }

  async showLogs(arg?: unknown): Promise<void> {
    const name = serverNameOf(arg) ?? (await pickServer(this.deps.registry, { title: 'Show MCP Server Logs' }));
    if (name) this.deps.logs.show(name, false);
  }

  /**
   * Re-reads the configuration, forgets every list, and re-lists the tools of running servers, all
   * in the catalog, so the tree, the tool picker and the API see the new lists (the tree refreshes
   * a server when the catalog says its list changed).
   */
  async refresh(): Promise<void> {
    const { registry, tree, catalog, config, logs } = this.deps;
    await vscode.window.withProgress({ location: { viewId: 'mcpManager.servers' } }, async () => {
      await config.reload();
      const running = registry.list().filter((c) => c.state.kind === 'running' && c.definition.keepAlive);
      catalog.clear();
      tree.refresh();
      await Promise.all(
        running.map((c) =>
          catalog
            .list(c, 'tools', { refresh: true })
            .catch((e: unknown) => logs.loggerFor(c.name).warn(`refresh: could not list tools: ${errorMessage(e)}`)),
        ),
      );
    });
  }

  /** With a node or server name: the settings JSON at the entry's scope; otherwise the settings UI. */
  async openSettings(arg?: unknown): Promise<void> {
    try {
      const name = serverNameOf(arg);
      const node = arg && typeof arg === 'object' ? (arg as { source?: ConfigSource; field?: unknown }) : {};
      const source = node.source ?? (name ? this.deps.registry.get(name)?.definition.source : undefined);
      const field = typeof node.field === 'string' ? node.field : undefined;
      if (!name && !source) await openSettingsUi();
      else await openSettingsJson({ source, server: name, field });
    } catch (e) {
      reportFailure(e, { action: 'open the settings', logs: this.deps.logs });
    }
  }

  async copyToolName(arg?: unknown): Promise<void> {
    const toolName = arg && typeof arg === 'object' ? (arg as { toolName?: unknown }).toolName : undefined;
    if (typeof toolName !== 'string') return;
    await vscode.env.clipboard.writeText(toolName);
    vscode.window.setStatusBarMessage(`Copied "${toolName}"`, 2000);
  }

  async addServer(): Promise<void> {
    try {
      const { registry, prompter, inputs } = this.deps;
      const added = await addServer({ registry, prompter, inputs, writer: this.writer, reload: () => this.deps.config.reload() });
      if (!added) return;
      const start = 'Start';
      const picked = await this.deps.prompter.notify(`MCP server "${added.name}" was added to ${added.scope.label}.`, start);
      if (picked !== start) return;
      const def = this.deps.registry.get(added.name)?.definition;
      if (def) this.deps.consent.allowNow(def);
      await this.start(added.name);
    } catch (e) {
      reportFailure(e, { action: 'add the server', logs: this.deps.logs });
    }
  }

  /** `arg`: a file path or Uri to import from (skips the file choice). */
  async importServers(arg?: unknown): Promise<void> {
    const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    const { prompter, inputs, registry, config } = this.deps;
    await runImport({ prompter, inputs, registry, writer: this.writer, reload: () => config.reload() }, file);
  }

  async clearStoredInputs(): Promise<void> {
    const stored = this.deps.inputs.stored();
    if (!stored.length) {
      void this.deps.prompter.notify('No MCP input values are stored.');
      return;
    }
    const items = stored.map((s) => ({ label: s.id, description: s.label, detail: s.scope, picked: true, stored: s }));
    const picked = await this.deps.prompter.pickMany(items, {
      title: 'Clear Stored MCP Inputs',
      placeHolder: 'Checked values are forgotten; servers ask again the next time they start',
    });
    if (!picked?.length) return;
    const n = await this.deps.inputs.clear(picked.map((p) => p.stored));
    void this.deps.prompter.notify(
      `Forgot ${n} stored input value${n === 1 ? '' : 's'}. Servers already running keep theirs until restarted.`,
    );
  }

  async resetLaunchPermissions(): Promise<void> {
    await this.deps.consent.reset();
    void this.deps.prompter.notify('Workspace-defined MCP servers will ask again before their commands run.');
  }

  /** The status bar's menu: a server, then what to do with it. */
  async showServers(): Promise<void> {
    const name = await pickServer(this.deps.registry, { title: 'MCP Servers' });
    const conn = name ? this.deps.registry.get(name) : undefined;
    if (!conn) return;
    type Action = vscode.QuickPickItem & { run: () => Promise<void> };
    const actions: Action[] = [];
    if (canStart(conn.state)) actions.push({ label: '$(debug-start) Start', run: () => this.start(conn.name) });
    if (isActive(conn.state)) actions.push({ label: '$(debug-stop) Stop', run: () => this.stop(conn.name) });
    actions.push({ label: '$(debug-restart) Restart', run: () => this.restart(conn.name) });
    actions.push({ label: '$(output) Show Logs', run: () => this.showLogs(conn.name) });
    actions.push({ label: '$(gear) Open Settings', run: () => this.openSettings(conn.name) });
    actions.push({ label: '$(edit) Edit', run: () => this.actions.edit(conn.name) });
    actions.push(
      conn.definition.disabled
        ? { label: '$(check) Enable', run: () => this.actions.setDisabled(conn.name, false) }
        : { label: '$(circle-slash) Disable', run: () => this.actions.setDisabled(conn.name, true) },
    );
    actions.push({ label: '$(pencil) Rename...', run: async () => void (await this.actions.rename(conn.name)) });
    actions.push({ label: '$(copy) Duplicate...', run: async () => void (await this.actions.duplicate(conn.name)) });
    actions.push({ label: '$(trash) Remove...', run: async () => void (await this.actions.remove(conn.name)) });
    const item = serverPickItem(conn);
    const picked = await vscode.window.showQuickPick(actions, { title: `${conn.name} — ${item.description ?? ''}`, placeHolder: 'Action' });
    await picked?.run();
  }

  private async resolve(arg: unknown, pick: Parameters<typeof pickServer>[1]): Promise<ServerConnection | undefined> {
    const name = serverNameOf(arg) ?? (await pickServer(this.deps.registry, pick));
    if (!name) return undefined;
    const conn = this.deps.registry.get(name);
    if (!conn) void vscode.window.showWarningMessage(`There is no MCP server named "${name}" in the configuration.`);
    return conn;
  }

  /**
   * Runs a start-like operation under a cancellable notification, then lists the tools (through
   * the catalog, sharing a listing the tree may have started) so the tree can show the count.
   * Cancelling stops the server (which also ends a hanging handshake).
   */
  private async run(conn: ServerConnection, action: string, title: string, op: () => Promise<void>): Promise<void> {
    let cancelled = false;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (_progress, token) => {
          const sub = token.onCancellationRequested(() => {
            cancelled = true;
            void conn.stop();
          });
          try {
            await op();
            if (conn.definition.keepAlive) await this.deps.catalog.list(conn, 'tools');
          } finally {
            sub.dispose();
          }
        },
      );
      this.deps.tree.refreshServer(conn.name);
    } catch (e) {
      if (cancelled) return;
      reportFailure(e, { server: conn.name, action, logs: this.deps.logs });
    }
  }
}
