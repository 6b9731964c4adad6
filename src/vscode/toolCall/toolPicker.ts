// "MCP: Call Tool..." step one: a QuickPick of the tools of every configured server. Tools the
// catalog already holds show at once; the others are started on demand (busy indicator, one
// "starting" row each) and their tools are added as they arrive. A server that fails stays in the
// list as a row with the error and buttons for its logs and a restart. A server that would ask for
// an `${input:...}` value is not started behind the user's back (its input box would replace the
// pick): it gets a "Start …" row, and choosing it starts the server, then shows the pick again.
import * as vscode from 'vscode';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerCatalog } from '../../core/catalog';
import type { ServerConnection } from '../../core/connection';
import type { ServerRegistry } from '../../core/registry';
import { errorMessage } from '../../core/errors';
import { summaryLine } from '../../core/text';
import type { ServerLogsLike } from '../../ui/toolCall/types';

/** A tool to call, or a server the user chose to start first (it asks for input values). */
export type PickedTool = { readonly connection: ServerConnection; readonly tool: Tool } | { readonly start: ServerConnection };

export interface PickToolOptions {
  readonly serverName?: string;
  /**
   * The `${input:...}` ids a server would ask for if started now. Such a server is not started from
   * the pick: its input box would replace the pick. It gets a "Start …" row instead.
   */
  readonly missingInputs?: (conn: ServerConnection) => Promise<readonly string[]>;
}

/** A server's row: what the catalog holds, unless the pick knows better (a restart, an input). */
type ServerStatus =
  | { kind: 'loading' }
  | { kind: 'ready'; tools: readonly Tool[] }
  | { kind: 'error'; message: string }
  | { kind: 'disabled' }
  | { kind: 'needsInput'; ids: readonly string[] };

interface Item extends vscode.QuickPickItem {
  readonly server: string;
  readonly tool?: Tool;
  readonly status?: ServerStatus['kind'];
}

const LOGS_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('output'), tooltip: 'Show Logs' };
const RESTART_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-restart'), tooltip: 'Restart Server' };


export function pickTool(registry: ServerRegistry, catalog: ServerCatalog, logs: ServerLogsLike, options: PickToolOptions = {}): Promise<PickedTool | undefined> {
  const servers = options.serverName ? registry.list().filter((c) => c.name === options.serverName) : registry.list();
  const qp = vscode.window.createQuickPick<Item>();
  // Starting a server may show the launch-consent dialog; the pick must survive losing focus to it.
  qp.ignoreFocusOut = true;
  qp.title = options.serverName ? `MCP: Call Tool (${options.serverName})` : 'MCP: Call Tool';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.keepScrollPosition = true;
  // Only what the catalog cannot say: waiting to be started, asking for inputs, a failed restart.
  const status = new Map<string, ServerStatus>();
  const statusOf = (conn: ServerConnection): ServerStatus => {
    if (conn.state.kind === 'disabled') return { kind: 'disabled' };
    const own = status.get(conn.name);
    if (own) return own;
    const listing = catalog.peek(conn, 'tools');
    if (listing?.value) return { kind: 'ready', tools: listing.value };
    if (listing?.error !== undefined && !catalog.isLoading(conn, 'tools')) return { kind: 'error', message: listing.error };
    return { kind: 'loading' };
  };
  const abort = new AbortController();
  const subs: vscode.Disposable[] = [];

  const render = () => {
    const activeKey = qp.activeItems[0] ? `${qp.activeItems[0].server}/${qp.activeItems[0].tool?.name ?? ''}` : undefined;
    const items: Item[] = [];
    for (const conn of servers) {
      const s = statusOf(conn);
      items.push({ label: conn.name, kind: vscode.QuickPickItemKind.Separator, server: conn.name });
      switch (s.kind) {
        case 'ready':
          if (s.tools.length === 0) items.push({ label: '$(info) No tools', description: conn.name, server: conn.name, status: 'ready' });
          for (const tool of s.tools) {
            if (typeof tool?.name !== 'string') continue; // a server may send junk; nothing to call
            const title = typeof tool.title === 'string' ? tool.title : typeof tool.annotations?.title === 'string' ? tool.annotations.title : undefined;
            items.push({
              label: tool.name,
              description: title && title !== tool.name ? `${conn.name} · ${title}` : conn.name,
              detail: summaryLine(tool.description),
              server: conn.name,
              tool,
            });
          }
          break;
        case 'loading':
          items.push({ label: `$(loading~spin) Starting ${conn.name}…`, description: conn.name, server: conn.name, status: 'loading' });
          break;
        case 'disabled':
          items.push({ label: `$(circle-slash) ${conn.name} is disabled`, description: 'disabled in its configuration', server: conn.name, status: 'disabled' });
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
            description: 'not available',
            detail: summaryLine(s.message, 300),
            server: conn.name,
            status: 'error',
            buttons: [LOGS_BUTTON, RESTART_BUTTON],
          });
          break;
      }
    }
    qp.items = items;
    const again = activeKey ? items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && `${i.server}/${i.tool?.name ?? ''}` === activeKey) : undefined;
    if (again) qp.activeItems = [again];
    const loading = servers.filter((c) => statusOf(c).kind === 'loading').map((c) => c.name);
    qp.busy = loading.length > 0;
    qp.placeholder = loading.length
      ? `Starting ${loading.join(', ')}… (type to filter by tool or server name)`
      : 'Select a tool to call (type to filter by tool or server name)';
  };

  const load = (conn: ServerConnection, refresh = false) => {
    status.delete(conn.name);
    if (conn.state.kind === 'disabled' || (!refresh && catalog.peek(conn, 'tools')?.value)) return;
    if (refresh) status.set(conn.name, { kind: 'loading' });
    catalog.list(conn, 'tools', { signal: abort.signal, refresh }).then(
      () => {
        status.delete(conn.name);
        if (!abort.signal.aborted) render();
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        // ServerError messages start with "<server>: ", which the row already says.
        const message = errorMessage(e);
        status.set(conn.name, { kind: 'error', message: message.startsWith(`${conn.name}: `) ? message.slice(conn.name.length + 2) : message });
        render();
      },
    );
  };

  // Cached tools now; servers that must start are loaded once the pick is shown (see below).
  const pending: ServerConnection[] = [];
  for (const conn of servers) {
    if (conn.state.kind === 'disabled' || catalog.peek(conn, 'tools')?.value) load(conn);
    else {
      status.set(conn.name, { kind: 'loading' });
      pending.push(conn);
    }
  }
  render();
  // A server's tool list changed while the pick is open (list_changed, restart): list it again.
  subs.push(
    toDisposable(
      catalog.onDidChange(({ server, kind }) => {
        const conn = servers.find((c) => c.name === server);
        if (kind !== 'tools' || !conn) return;
        // Not started yet (waiting for the pick to show, or for an input value), or restarting.
        const own = status.get(server)?.kind;
        if (own !== 'needsInput' && own !== 'loading' && !catalog.peek(conn, 'tools') && !catalog.isLoading(conn, 'tools')) load(conn);
        render();
      }),
    ),
  );

  return new Promise((resolve) => {
    let settled = false;
    const done = (v: PickedTool | undefined) => {
      if (settled) return;
      settled = true;
      abort.abort();
      for (const d of subs) d.dispose();
      qp.dispose();
      resolve(v);
    };
    subs.push(
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (!item) return;
        const conn = servers.find((c) => c.name === item.server);
        if (item.tool && conn) return done({ connection: conn, tool: item.tool });
        if (item.status === 'error') {
          logs.show(item.server);
          return done(undefined);
        }
        if (item.status === 'needsInput' && conn) return done({ start: conn });
        // "starting" / "no tools" / "disabled" rows: nothing to call; keep the pick open.
      }),
      qp.onDidTriggerItemButton((e) => {
        const conn = servers.find((c) => c.name === e.item.server);
        if (!conn) return;
        if (e.button === LOGS_BUTTON) {
          logs.show(conn.name);
          return;
        }
        status.set(conn.name, { kind: 'loading' });
        render();
        void vscode.commands.executeCommand('mcpManager.restartServer', { serverName: conn.name }).then(
          () => {
            load(registry.get(conn.name) ?? conn, true);
            render();
          },
          (err: unknown) => {
            status.set(conn.name, { kind: 'error', message: errorMessage(err) });
            render();
          },
        );
      }),
      qp.onDidHide(() => done(undefined)),
    );
    qp.show();
    // Start servers only after the pick is shown: starting one refreshes its row in the Servers
    // view, and a tree view refresh that begins while the tree still has the focus (it gets it
    // back when the command palette closes) ends by focusing the tree again, taking the keyboard
    // from the pick that opened meanwhile. Once the pick is shown, the tree no longer counts as focused.
    setTimeout(() => {
      for (const conn of pending) {
        if (abort.signal.aborted) return;
        if (!options.missingInputs) {
          load(conn);
          continue;
        }
        void options.missingInputs(conn).then(
          (ids) => {
            if (abort.signal.aborted) return;
            if (ids.length) status.set(conn.name, { kind: 'needsInput', ids });
            else load(conn);
            render();
          },
          () => load(conn),
        );
      }
    }, 0);
  });
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
