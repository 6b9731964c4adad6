// "MCP: Show Tool Call History...": recent calls of this workspace, newest first. Enter reopens a
// call's result (looking at history must not run anything: a tool may have side effects); the
// row's buttons run it again, as it was or with its arguments edited first.
import * as vscode from 'vscode';
import { formatDuration, hasResult, summarizeArgs, type CallHistory, type HistoryEntry } from '../../ui/toolCall/history';

const RERUN_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('debug-rerun'),
  tooltip: 'Run Again with the Same Arguments',
};
const EDIT_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Edit Arguments and Run Again' };
const SAVE_TEST_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('beaker'), tooltip: 'Save as Test...' };

/** What the user chose to do with a past call. */
export type HistoryAction = 'open' | 'rerun' | 'edit';
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

export function toItem(e: HistoryEntry): Item {
  return {
    label: `$(${ICONS[e.status]}) ${e.tool}`,
    description: [e.server, e.args ? summarizeArgs(e.args) : e.argsOmitted ? '(arguments too large to keep)' : '']
      .filter(Boolean)
      .join(' · '),
    detail: [when(e.startedAt), formatDuration(e.durationMs), STATUS[e.status], e.summary].filter(Boolean).join(' · '),
    // A failed or cancelled call has no result for a test to expect.
    buttons: hasResult(e) ? [RERUN_BUTTON, EDIT_BUTTON, SAVE_TEST_BUTTON] : [RERUN_BUTTON, EDIT_BUTTON],
    entry: e,
  };
}

export function pickHistoryEntry(history: CallHistory): Promise<{ entry: HistoryEntry; action: HistoryAction } | undefined> {
  if (history.list().length === 0) {
    void vscode.window.showInformationMessage('No tool calls yet in this workspace. Use "MCP Manager: Call Tool..." first.');
    return Promise.resolve(undefined);
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'MCP Manager: Tool History';
  qp.placeholder = 'Enter opens the result; the buttons run the call again (as it was or edited) or save it as a test (type to filter)';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.buttons = [CLEAR_BUTTON];
  qp.items = history.list().map(toItem);
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: { entry: HistoryEntry; action: HistoryAction } | undefined) => {
      if (settled) return;
      settled = true;
      for (const d of subs) d.dispose();
      qp.dispose();
      resolve(v);
    };
    const subs = [
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (item) done({ entry: item.entry, action: 'open' });
      }),
      qp.onDidTriggerItemButton((e) => {
        if (e.button !== SAVE_TEST_BUTTON) return done({ entry: e.item.entry, action: e.button === EDIT_BUTTON ? 'edit' : 'rerun' });
        // MCP test collections (src/vscode/tests) take it from here, with the result if this session has it.
        done(undefined);
        void vscode.commands.executeCommand('mcpManager.saveCallAsTest', { entryId: e.item.entry.id });
      }),
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
