// "MCP: Call Tool..." step one: a QuickPick of the tools of every configured server. Opening it
// starts nothing (issue 11: a broken server was restarted every time the pick opened): running
// servers' tools show (listed if not cached yet, busy indicator meanwhile); a server that is not
// running is a "Start …" row that starts it in place when chosen, and its tools are added as they
// arrive; a server in the error state is a row with its error, Retry (Enter, or the button) and
// Show Logs. A server that would ask for an `${input:...}` value gets a "Start …" row that closes
// the pick (its input box would replace it), starts the server, then shows the pick again.
import * as vscode from 'vscode';
import { isDestructive, toolDetailsHeader } from '../../ui/toolCall/toolDetails';
import type { Tool } from '@modelcontextprotocol/client';
import { errorMessage, isServerError, type ServerCatalog, type ServerConnection, type ServerRegistry, summaryLine } from '../../core';
import type { ServerLogsLike } from '../../ui/toolCall/types';
import type { IconSource } from '../icons';

/** A tool to call, or a server the user chose to start first (it asks for input values). */
export type PickedTool = { readonly connection: ServerConnection; readonly tool: Tool } | { readonly start: ServerConnection };

export interface PickToolOptions {
  readonly serverName?: string;
  /**
   * The `${input:...}` ids a server would ask for if started now. Such a server is not started from
   * the pick: its input box would replace the pick. It gets a "Start …" row instead.
   */
  readonly missingInputs?: (conn: ServerConnection) => Promise<readonly string[]>;
  /** Server-provided tool icons, shown beside the tools once loaded (the pick redraws then). */
  readonly icons?: IconSource;
  /** Told what the pick shows after every change, and undefined once it closed (tests read it). */
  readonly observe?: (snapshot: PickSnapshot | undefined) => void;
}

export interface PickSnapshot {
  readonly rows: readonly {
    readonly server: string;
    readonly label: string;
    readonly status?: string;
    readonly tool?: string;
    /** The file of the server-provided icon the row shows. */
    readonly icon?: string;
  }[];
  /** The label of the active row. */
  readonly active?: string;
  readonly busy: boolean;
}

type ServerStatus =
  | { kind: 'loading' }
  | { kind: 'ready'; tools: readonly Tool[] }
  | { kind: 'error'; message: string }
  | { kind: 'disabled' }
  /** Not running: started only when its row is chosen. */
  | { kind: 'idle' }
  | { kind: 'needsInput'; ids: readonly string[] };

interface Item extends vscode.QuickPickItem {
  readonly server: string;
  readonly tool?: Tool;
  readonly status?: ServerStatus['kind'];
}

const LOGS_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('output'), tooltip: 'Show Logs' };
const RETRY_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-restart'), tooltip: 'Retry (restart the server)' };

/** ServerError messages start with "<server>: ", which the row already says. */
function withoutName(message: string, server: string): string {
  return message.startsWith(`${server}: `) ? message.slice(server.length + 2) : message;
}

export function pickTool(
  registry: ServerRegistry,
  catalog: ServerCatalog,
  logs: ServerLogsLike,
  options: PickToolOptions = {},
): Promise<PickedTool | undefined> {
  const servers = options.serverName ? registry.list().filter((c) => c.name === options.serverName) : registry.list();
  const qp = vscode.window.createQuickPick<Item>();
  // Starting a server may show the launch-consent dialog; the pick must survive losing focus to it.
  qp.ignoreFocusOut = true;
  qp.title = options.serverName ? `MCP: Call Tool (${options.serverName})` : 'MCP: Call Tool';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.keepScrollPosition = true;
  const status = new Map<string, ServerStatus>();
  const abort = new AbortController();
  const subs: vscode.Disposable[] = [];

  const observe = () => {
    if (!options.observe || abort.signal.aborted) return;
    const rows = qp.items
      .filter((i) => i.kind !== vscode.QuickPickItemKind.Separator)
      .map((i) => ({
        server: i.server,
        label: i.label,
        status: i.status,
        tool: i.tool?.name,
        ...(i.iconPath instanceof vscode.Uri && { icon: i.iconPath.fsPath }),
      }));
    options.observe({ rows, active: qp.activeItems[0]?.label, busy: qp.busy });
  };

  const render = () => {
    const activeKey = qp.activeItems[0] ? `${qp.activeItems[0].server}/${qp.activeItems[0].tool?.name ?? ''}` : undefined;
    const items: Item[] = [];
    for (const conn of servers) {
      const s = status.get(conn.name) ?? { kind: 'loading' };
      items.push({ label: conn.name, kind: vscode.QuickPickItemKind.Separator, server: conn.name });
      switch (s.kind) {
        case 'ready':
          if (s.tools.length === 0) items.push({ label: '$(info) No tools', description: conn.name, server: conn.name, status: 'ready' });
          for (const tool of s.tools) {
            if (typeof tool?.name !== 'string') continue; // a server may send junk; nothing to call
            const title =
              typeof tool.title === 'string'
                ? tool.title
                : typeof tool.annotations?.title === 'string'
                  ? tool.annotations.title
                  : undefined;
            const { badges } = toolDetailsHeader(tool);
            items.push({
              label: tool.name,
              // The declared hints ("read-only", "destructive"), destructive ones marked.
              description: [conn.name, ...(title && title !== tool.name ? [title] : []), ...badges]
                .join(' · ')
                .concat(isDestructive(tool) ? ' $(warning)' : ''),
              detail: summaryLine(tool.description),
              iconPath: options.icons?.uriFor(tool.icons),
              server: conn.name,
              tool,
            });
          }
          break;
        case 'loading':
          items.push({ label: `$(loading~spin) Starting ${conn.name}…`, description: conn.name, server: conn.name, status: 'loading' });
          break;
        case 'idle':
          items.push({
            label: `$(play) Start ${conn.name}`,
            description: conn.state.kind === 'stopped' ? 'stopped' : 'not running',
            detail: 'Select to start it; its tools are listed here',
            server: conn.name,
            status: 'idle',
          });
          break;
        case 'disabled':
          items.push({
            label: `$(circle-slash) ${conn.name} is disabled`,
            description: 'disabled in its configuration',
            server: conn.name,
            status: 'disabled',
          });
          break;
        case 'needsInput':
          items.push({
            label: `$(key) Start ${conn.name}…`,
            description: `asks for ${s.ids.map((id) => `\${input:${id}}`).join(', ')} first`,
            detail: 'Select to enter the value; its tools are listed here afterwards',
            server: conn.name,
            status: 'needsInput',
          });
          break;
        case 'error':
          items.push({
            label: `$(error) ${conn.name} failed`,
            description: 'select to retry',
            detail: summaryLine(s.message, 300),
            server: conn.name,
            status: 'error',
            buttons: [RETRY_BUTTON, LOGS_BUTTON],
          });
          break;
      }
    }
    qp.items = items;
    const again = activeKey
      ? items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && `${i.server}/${i.tool?.name ?? ''}` === activeKey)
      : undefined;
    if (again) qp.activeItems = [again];
    const loading = servers.filter((c) => status.get(c.name)?.kind === 'loading').map((c) => c.name);
    qp.busy = loading.length > 0;
    observe();
    qp.placeholder = loading.length
      ? `Listing the tools of ${loading.join(', ')}… (type to filter by tool or server name)`
      : 'Select a tool to call (type to filter by tool or server name)';
  };

  const load = (conn: ServerConnection, refresh = false) => {
    if (conn.state.kind === 'disabled') {
      status.set(conn.name, { kind: 'disabled' });
      return;
    }
    const cached = refresh ? undefined : catalog.peek(conn, 'tools')?.value;
    if (cached) {
      status.set(conn.name, { kind: 'ready', tools: cached });
      return;
    }
    status.set(conn.name, { kind: 'loading' });
    catalog.list(conn, 'tools', { signal: abort.signal, refresh }).then(
      (tools) => {
        status.set(conn.name, { kind: 'ready', tools });
        if (!abort.signal.aborted) render();
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        // Declining the launch confirmation or an input is no failure: back to the "Start …" row.
        if (isServerError(e) && e.kind === 'cancelled') status.set(conn.name, { kind: 'idle' });
        else status.set(conn.name, { kind: 'error', message: withoutName(conn.masker.mask(errorMessage(e)), conn.name) });
        render();
      },
    );
  };

  // What each server is now. Only running (or already starting) servers are listed, once the pick
  // is shown (see below); nothing is started or restarted here.
  const pending: ServerConnection[] = [];
  const notRunning: ServerConnection[] = [];
  for (const conn of servers) {
    const state = conn.state;
    // A failed server's last tool list is history: it is an error row (with Retry) either way.
    if (state.kind === 'error') status.set(conn.name, { kind: 'error', message: withoutName(conn.masker.mask(state.message), conn.name) });
    else if (state.kind === 'disabled' || catalog.peek(conn, 'tools')?.value) load(conn);
    else if (state.kind === 'idle' || state.kind === 'stopped') {
      status.set(conn.name, { kind: 'idle' });
      notRunning.push(conn);
    } else {
      status.set(conn.name, { kind: 'loading' });
      pending.push(conn);
    }
  }
  render();
  if (options.icons) subs.push(options.icons.onDidChange(() => !abort.signal.aborted && render()));
  subs.push(
    // A server's tool list changed while the pick is open (list_changed, restart): list it again.
    toDisposable(
      catalog.onDidChange(({ server, kind }) => {
        const conn = servers.find((c) => c.name === server);
        if (kind !== 'tools' || !conn || abort.signal.aborted) return;
        // Only rows that show tools follow the catalog; "Start …", error and loading rows stay as they are.
        const own = status.get(server)?.kind;
        if (own !== 'ready' || catalog.isLoading(conn, 'tools')) return render();
        // Listing a server that is not running would start it: it goes back to its "Start …" row.
        if (conn.state.kind === 'running' || conn.state.kind === 'starting') load(conn);
        else if (conn.state.kind === 'idle' || conn.state.kind === 'stopped') status.set(server, { kind: 'idle' });
        render();
      }),
    ),
    // Started or failed elsewhere meanwhile (the tree, another command): show it as it is now.
    toDisposable(
      registry.onDidChangeState(({ connection: conn, state }) => {
        if (!servers.includes(conn) || abort.signal.aborted) return;
        const kind = status.get(conn.name)?.kind;
        if (state.kind === 'running' && kind !== 'ready' && kind !== 'loading') load(conn);
        else if (state.kind === 'error' && kind !== 'loading')
          status.set(conn.name, { kind: 'error', message: withoutName(conn.masker.mask(state.message), conn.name) });
        else return;
        render();
      }),
    ),
  );

  /** Starts a server the user chose, in place: its tools replace its row when they arrive. */
  const startHere = (conn: ServerConnection) => {
    status.set(conn.name, { kind: 'loading' });
    render();
    load(conn);
  };

  /** Retry on a failed server: an explicit restart (clears "not retrying"), then list again. */
  const retry = (conn: ServerConnection) => {
    status.set(conn.name, { kind: 'loading' });
    render();
    void vscode.commands.executeCommand('mcpManager.restartServer', { serverName: conn.name }).then(
      () => {
        if (abort.signal.aborted) return;
        const now = registry.get(conn.name) ?? conn;
        if (now.state.kind === 'error')
          status.set(conn.name, { kind: 'error', message: withoutName(now.masker.mask(now.state.message), conn.name) });
        else if (now.state.kind === 'stopped') status.set(conn.name, { kind: 'idle' });
        else load(now, true);
        render();
      },
      (err: unknown) => {
        status.set(conn.name, { kind: 'error', message: errorMessage(err) });
        render();
      },
    );
  };

  return new Promise((resolve) => {
    let settled = false;
    const done = (v: PickedTool | undefined) => {
      if (settled) return;
      settled = true;
      abort.abort();
      for (const d of subs) d.dispose();
      qp.dispose();
      options.observe?.(undefined);
      resolve(v);
    };
    subs.push(
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (!item) return;
        const conn = servers.find((c) => c.name === item.server);
        if (item.tool && conn) return done({ connection: conn, tool: item.tool });
        if (item.status === 'error' && conn) return retry(conn);
        if (item.status === 'idle' && conn) return startHere(conn);
        if (item.status === 'needsInput' && conn) return done({ start: conn });
        // "starting" / "no tools" / "disabled" rows: nothing to call; keep the pick open.
      }),
      qp.onDidTriggerItemButton((e) => {
        const conn = servers.find((c) => c.name === e.item.server);
        if (!conn) return;
        if (e.button === LOGS_BUTTON) logs.show(conn.name);
        else retry(conn);
      }),
      qp.onDidHide(() => done(undefined)),
      qp.onDidChangeActive(observe),
    );
    qp.show();
    // Start servers only after the pick is shown: starting one refreshes its row in the Servers
    // view, and a tree view refresh that begins while the tree still has the focus (it gets it
    // back when the command palette closes) ends by focusing the tree again, taking the keyboard
    // from the pick that opened meanwhile. Once the pick is shown, the tree no longer counts as focused.
    setTimeout(() => {
      if (abort.signal.aborted) return;
      for (const conn of pending) load(conn);
      render();
      // A server that would ask for input values when started gets the "Start …" row that closes the pick.
      if (!options.missingInputs) return;
      for (const conn of notRunning) {
        void options.missingInputs(conn).then(
          (ids) => {
            if (abort.signal.aborted || !ids.length || status.get(conn.name)?.kind !== 'idle') return;
            status.set(conn.name, { kind: 'needsInput', ids });
            render();
          },
          () => undefined,
        );
      }
    }, 0);
  });
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
