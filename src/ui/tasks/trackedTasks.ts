// The editor's tasks as plain data (no `vscode`): what is remembered per workspace, and how a task
// is described in the tree and the status bar.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { formatDuration, isTerminal, type TaskInfo, type TaskStatus } from '../../core';

/** What workspaceState keeps of a task the user started, so a reloaded window reattaches to it. */
export interface RememberedTask {
  readonly server: string;
  readonly tool: string;
  readonly taskId: string;
  readonly startedAt: number;
}

export interface TrackedTask extends RememberedTask {
  status: TaskStatus | 'lost';
  statusMessage?: string;
  endedAt?: number;
  result?: CallToolResult;
  /** Why it failed, or why it was lost (the server no longer knows it). */
  problem?: string;
}

export const taskKey = (server: string, taskId: string) => `${server}/${taskId}`;

/** The remembered tasks of workspaceState, dropping anything malformed (a hand-edited or older state). */
export function readRemembered(value: unknown): RememberedTask[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is RememberedTask =>
      !!v &&
      typeof v === 'object' &&
      typeof (v as RememberedTask).server === 'string' &&
      typeof (v as RememberedTask).tool === 'string' &&
      typeof (v as RememberedTask).taskId === 'string' &&
      typeof (v as RememberedTask).startedAt === 'number',
  );
}

export function isRunning(t: TrackedTask): boolean {
  return t.status !== 'lost' && !isTerminal(t.status);
}

/** "working · 12 s · Analyzing content..." */
export function describeTask(t: TrackedTask, now = Date.now()): string {
  const elapsed = formatDuration((t.endedAt ?? now) - t.startedAt);
  const status = t.status === 'input_required' ? 'input required' : t.status;
  const message = t.status === 'lost' || t.status === 'failed' ? t.problem : t.statusMessage;
  return [status, elapsed, message].filter(Boolean).join(' · ');
}

/** The tree's label: the tool, and the task id's start (ids are long). */
export function taskLabel(t: TrackedTask): string {
  return `${t.tool} (task ${t.taskId.slice(0, 8)})`;
}

export function applyTask(t: TrackedTask, info: TaskInfo): void {
  t.status = info.status;
  t.statusMessage = info.statusMessage;
  if (isTerminal(info.status) && t.endedAt === undefined) t.endedAt = Date.now();
}
