// A task's row in the Servers view: the tool, its status, elapsed time and message; Open Result
// and Cancel as inline actions (package.json menus match the contextValue).
import * as vscode from 'vscode';
import { describeTask, isRunning, taskLabel, type TrackedTask } from '../../ui/tasks/trackedTasks';
import type { TaskNode } from '../../ui/tree/nodes';

/** What the tree needs of the tasks (TaskTracker). */
export interface TaskSource {
  list(server: string): readonly TrackedTask[];
  readonly onDidChange: vscode.Event<string | undefined>;
}

const ICONS: Record<TrackedTask['status'], [string, string?]> = {
  working: ['sync~spin'],
  input_required: ['question', 'notificationsWarningIcon.foreground'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  lost: ['warning', 'notificationsWarningIcon.foreground'],
};

export function taskItem(node: TaskNode, t: TrackedTask | undefined): vscode.TreeItem {
  if (!t) return new vscode.TreeItem(node.taskId);
  const item = new vscode.TreeItem(taskLabel(t), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = describeTask(t);
  // Read as "<tool> (task <id>), <status> · <elapsed> · <message>" (the tooltip would be read otherwise).
  item.accessibilityInformation = { label: `${taskLabel(t)}, ${item.description}` };
  const [icon, color] = ICONS[t.status];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `mcpTask;${isRunning(t) ? 'running' : 'ended'};${t.result ? 'result;' : ''}`;
  item.tooltip = `Task ${t.taskId} of "${t.tool}" (${t.server})\n${describeTask(t)}\nStarted ${new Date(t.startedAt).toLocaleString()}`;
  if (t.result) item.command = { command: 'mcpManager.openTaskResult', title: 'Open Result', arguments: [node] };
  return item;
}
