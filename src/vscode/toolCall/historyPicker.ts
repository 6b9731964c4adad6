// "MCP: Show Tool Call History...": recent calls of this workspace, newest first. Enter reruns a
// call with the same arguments; the pencil button opens its arguments for editing first; the
// output button (on calls whose result is still in memory) reopens the result view without rerunning.
import * as vscode from 'vscode';
import { formatDuration, summarizeArgs, type CallHistory, type HistoryEntry } from '../../ui/toolCall/history';

const EDIT_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Edit Arguments and Rerun' };
const SHOW_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('output'), tooltip: 'Show Result (without rerunning)' };
const CLEAR_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clear-all'), tooltip: 'Clear History' };

const ICONS: Record<HistoryEntry['status'], string> = { ok: 'pass', isError: 'warning', error: 'error', cancelled: 'circle-slash' };
const STATUS: Record<HistoryEntry['status'], string> = { ok: 'succeeded', isError: 'tool error', error: 'failed', cancelled: 'cancelled' };

interface Item extends vscode.QuickPickItem {
  readonly entry: HistoryEntry;
}

function when(t: number): string {
  const d = new Date(t);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

export function toItem(e: HistoryEntry, canShow = false): Item {
  return {
    label: `$(${ICONS[e.status]}) ${e.tool}`,
    description: [e.server, e.args ? summarizeArgs(e.args) : e.argsOmitted ? '(arguments too large to keep)' : ''].filter(Boolean).join(' · '),
    detail: [when(e.startedAt), formatDuration(e.durationMs), STATUS[e.status], e.summary].filter(Boolean).join(' · '),
    buttons: canShow ? [SHOW_BUTTON, EDIT_BUTTON] : [EDIT_BUTTON],
    entry: e,
  };
}

export interface HistoryChoice {
  readonly entry: HistoryEntry;
  readonly edit: boolean;
  /** Reopen the kept result instead of rerunning. */
  readonly show?: boolean;
}

export function pickHistoryEntry(history: CallHistory, canShow: (id: string) => boolean = () => false): Promise<HistoryChoice | undefined> {
  if (history.list().length === 0) {
    void vscode.window.showInformationMessage('No tool calls yet in this workspace. Use "MCP: Call Tool..." first.');
    return Promise.resolve(undefined);
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'MCP: Tool Call History';
  qp.placeholder = 'Enter reruns a call; the pencil edits its arguments first (type to filter)';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.buttons = [CLEAR_BUTTON];
  qp.items = history.list().map((e) => toItem(e, canShow(e.id)));
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: HistoryChoice | undefined) => {
      if (settled) return;
      settled = true;
      for (const d of subs) d.dispose();
      qp.dispose();
      resolve(v);
    };
    const subs = [
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (item) done({ entry: item.entry, edit: false });
      }),
      qp.onDidTriggerItemButton((e) => done(e.button === SHOW_BUTTON ? { entry: e.item.entry, edit: false, show: true } : { entry: e.item.entry, edit: true })),
      qp.onDidTriggerButton(async () => {
        done(undefined);
        const ok = await vscode.window.showWarningMessage('Clear the tool call history of this workspace?', { modal: true }, 'Clear');
        if (ok === 'Clear') await history.clear();
      }),
      qp.onDidHide(() => done(undefined)),
    ];
    qp.show();
  });
}
