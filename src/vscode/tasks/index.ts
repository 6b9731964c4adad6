// Entry point of the tasks feature (src/extension.ts calls it once): the tracker, its status bar
// item, and the Open Result / Cancel commands of a task row in the Servers view.
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core';
import { describeTask } from '../../ui/tasks/trackedTasks';
import { TaskTracker, type TaskLogs } from './taskTracker';

export { TaskTracker, REMEMBERED_TASKS_KEY } from './taskTracker';

/** Internal (tests): the tracked tasks as plain data. */
export const GET_TASKS_COMMAND = 'mcpManager.getTasks';

/** `{ serverName, taskId }`: a task row of the tree, or a programmatic request. */
function taskArg(arg: unknown): { serverName: string; taskId: string } | undefined {
  const a = arg as { serverName?: unknown; taskId?: unknown } | undefined;
  return typeof a?.serverName === 'string' && typeof a.taskId === 'string' ? { serverName: a.serverName, taskId: a.taskId } : undefined;
}

export function createTasksFeature(
  registry: ServerRegistry,
  state: vscode.Memento,
  logs: TaskLogs,
): { tracker: TaskTracker; disposable: vscode.Disposable } {
  const tracker = new TaskTracker(registry, state, logs);
  const item = vscode.window.createStatusBarItem('mcpManager.tasks', vscode.StatusBarAlignment.Left, 49);
  item.name = 'MCP Tasks';
  item.command = 'mcpManager.servers.focus';
  const update = () => {
    const running = tracker.running();
    if (!running.length) {
      item.text = '';
      return item.hide();
    }
    item.text = `$(sync~spin) ${running.length} MCP task${running.length > 1 ? 's' : ''}`;
    item.tooltip = running.map((t) => `${t.tool} (${t.server}): ${describeTask(t)}`).join('\n');
    item.accessibilityInformation = { label: `${running.length} MCP tasks running` };
    item.show();
  };
  const sub = tracker.onDidChange(update);
  const withTask = (f: (server: string, id: string) => Promise<void>) => async (arg?: unknown) => {
    const t = taskArg(arg);
    if (t) await f(t.serverName, t.taskId);
  };
  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand(
      'mcpManager.openTaskResult',
      withTask((s, id) => tracker.openResult(s, id)),
    ),
    vscode.commands.registerCommand(
      'mcpManager.cancelTask',
      withTask((s, id) => tracker.cancel(s, id)),
    ),
    vscode.commands.registerCommand(GET_TASKS_COMMAND, () =>
      tracker.list().map(({ result, ...t }) => ({ ...t, hasResult: result !== undefined, statusBar: item.text })),
    ),
    sub,
    item,
    tracker,
  );
  return { tracker, disposable };
}
