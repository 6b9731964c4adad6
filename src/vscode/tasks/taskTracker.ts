// Tasks the user started in this workspace: followed in the background, not tied to a
// notification (closing it leaves the task running), remembered in workspaceState so a reloaded
// window reattaches to the tasks its servers still have, and never dropped without a word.
import * as vscode from 'vscode';
import {
  cancelTask,
  errorMessage,
  followTask,
  getTask,
  ServerError,
  type ServerConnection,
  type ServerRegistry,
  type TaskInfo,
} from '../../core';
import type { CallOutcome } from '../../ui/toolCall/callRunner';
import {
  applyTask,
  describeTask,
  isRunning,
  readRemembered,
  taskKey,
  taskLabel,
  type RememberedTask,
  type TrackedTask,
} from '../../ui/tasks/trackedTasks';

export const REMEMBERED_TASKS_KEY = 'mcpManager.tasks';
const OPEN_RESULT = 'Open Result';
const SHOW_LOGS = 'Show Logs';

export interface TaskLogs {
  loggerFor(server: string): { info(m: string): void; warn(m: string): void; error(m: string): void };
  show(server: string): void;
}

export class TaskTracker implements vscode.Disposable {
  private readonly tasks = new Map<string, TrackedTask>();
  private readonly pollers = new Map<string, AbortController>();
  private readonly changeEmitter = new vscode.EventEmitter<string | undefined>();
  /** Fires with the server whose tasks changed. */
  readonly onDidChange = this.changeEmitter.event;
  private opener?: (t: TrackedTask) => Promise<void>;
  private disposed = false;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly state: vscode.Memento,
    private readonly logs: TaskLogs,
  ) {}

  /** How a task's result is shown (the Call Tool result view, set by the tool-call feature). */
  setResultOpener(open: (t: TrackedTask) => Promise<void>): void {
    this.opener = open;
  }

  list(server?: string): TrackedTask[] {
    return [...this.tasks.values()].filter((t) => server === undefined || t.server === server);
  }

  get(server: string, taskId: string): TrackedTask | undefined {
    return this.tasks.get(taskKey(server, taskId));
  }

  running(): TrackedTask[] {
    return this.list().filter(isRunning);
  }

  /**
   * A task a call just created: followed under a cancellable progress notification (Cancel sends
   * tasks/cancel; closing the notification only hides it). Resolves with the call's outcome.
   */
  async run(conn: ServerConnection, tool: string, info: TaskInfo): Promise<CallOutcome> {
    const t: TrackedTask = { server: conn.name, tool, taskId: info.taskId, startedAt: Date.now(), status: info.status };
    applyTask(t, info);
    await this.add(t);
    return this.withNotification(t, () => this.follow(conn, t, info));
  }

  /** After a window reload: looks up every remembered task and follows those the server still has. */
  async reattach(): Promise<void> {
    const remembered = readRemembered(this.state.get(REMEMBERED_TASKS_KEY));
    const lost: TrackedTask[] = [];
    await Promise.all(
      remembered.map(async (r) => {
        const t: TrackedTask = { ...r, status: 'working' };
        this.tasks.set(taskKey(r.server, r.taskId), t);
        const conn = this.registry.get(r.server);
        if (!conn) {
          lost.push(this.lose(t, 'its server is no longer configured'));
          return;
        }
        try {
          const info = await conn.withTasks((ch) => getTask(ch, r.taskId));
          applyTask(t, info);
          this.changed(t.server);
          this.logs.loggerFor(t.server).info(`reattached to task ${t.taskId} (${t.tool}): ${info.status}`);
          void this.follow(conn, t, info).then((outcome) => this.announce(t, outcome));
        } catch (e) {
          lost.push(this.lose(t, `the server no longer knows it (${conn.masker.mask(errorMessage(e))})`));
        }
      }),
    );
    await this.persist();
    if (lost.length) {
      const names = lost.map((t) => `"${t.tool}" (${t.server})`).join(', ');
      void vscode.window
        .showWarningMessage(
          `MCP: ${lost.length === 1 ? 'a task' : `${lost.length} tasks`} of an earlier window could not be resumed: ${names}. ${lost[0]!.problem}.`,
          SHOW_LOGS,
        )
        .then((a) => a === SHOW_LOGS && this.logs.show(lost[0]!.server));
    }
  }

  async cancel(server: string, taskId: string): Promise<void> {
    const t = this.get(server, taskId);
    const conn = this.registry.get(server);
    if (!t || !conn) return;
    try {
      applyTask(t, await conn.withTasks((ch) => cancelTask(ch, taskId)));
      this.changed(server);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `MCP: could not cancel task ${taskId} of "${t.tool}" (${server}): ${conn.masker.mask(errorMessage(e))}`,
      );
    }
  }

  async openResult(server: string, taskId: string): Promise<void> {
    const t = this.get(server, taskId);
    if (!t) return;
    if (t.result && this.opener) return this.opener(t);
    void vscode.window.showInformationMessage(
      `MCP: task ${taskId} of "${t.tool}" (${server}) has no result${isRunning(t) ? ' yet' : ''}: ${describeTask(t)}.`,
    );
  }

  /** Polls until the task ends; never throws. Aborted (leaving the task running) when the window goes. */
  private async follow(conn: ServerConnection, t: TrackedTask, info: TaskInfo): Promise<CallOutcome> {
    const key = taskKey(t.server, t.taskId);
    const ac = new AbortController();
    this.pollers.set(key, ac);
    const startedAt = t.startedAt;
    const done = (o: Omit<CallOutcome, 'startedAt' | 'durationMs'>): CallOutcome => ({
      ...o,
      startedAt,
      durationMs: (t.endedAt ?? Date.now()) - startedAt,
    });
    try {
      const onTask = (next: TaskInfo) => {
        applyTask(t, next);
        this.changed(t.server);
      };
      const result = await conn.withTasks((ch) => followTask(ch, info, { onTask, leaveRunning: true }, ac.signal), ac.signal);
      t.status = 'completed';
      t.endedAt ??= Date.now();
      t.result = result;
      return done({ status: result.isError ? 'isError' : 'ok', result });
    } catch (e) {
      if (ac.signal.aborted) return done({ status: 'cancelled', error: e });
      t.endedAt ??= Date.now();
      if (e instanceof ServerError && e.kind === 'cancelled') {
        t.status = 'cancelled';
        return done({ status: 'cancelled', error: e });
      }
      t.status = 'failed';
      t.problem = conn.masker.mask(e instanceof ServerError ? e.detail : errorMessage(e));
      return done({ status: 'error', error: e });
    } finally {
      this.pollers.delete(key);
      if (!ac.signal.aborted) {
        this.changed(t.server);
        await this.persist();
      }
    }
  }

  private withNotification(t: TrackedTask, work: () => Promise<CallOutcome>): Promise<CallOutcome> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MCP: ${t.tool} (${t.server})`, cancellable: true },
        async (progress, token) => {
          const cancel = token.onCancellationRequested(() => void this.cancel(t.server, t.taskId));
          const update = this.onDidChange((server) => server === t.server && progress.report({ message: describeTask(t) }));
          progress.report({ message: describeTask(t) });
          try {
            return await work();
          } finally {
            cancel.dispose();
            update.dispose();
          }
        },
      ),
    );
  }

  /** A reattached task ended: say so, with its result one click away. */
  private announce(t: TrackedTask, outcome: CallOutcome): void {
    if (this.disposed || outcome.status === 'cancelled') return;
    const what = `MCP: task "${t.tool}" (${t.server}) ${outcome.status === 'error' ? `failed: ${t.problem}` : 'completed'}`;
    const show = outcome.status === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void show(what, ...(t.result ? [OPEN_RESULT] : [SHOW_LOGS])).then((a) => {
      if (a === OPEN_RESULT) void this.openResult(t.server, t.taskId);
      if (a === SHOW_LOGS) this.logs.show(t.server);
    });
  }

  private lose(t: TrackedTask, why: string): TrackedTask {
    t.status = 'lost';
    t.problem = why;
    t.endedAt = Date.now();
    this.logs.loggerFor(t.server).warn(`task ${t.taskId} (${t.tool}) of an earlier window: ${why}`);
    this.changed(t.server);
    return t;
  }

  private async add(t: TrackedTask): Promise<void> {
    this.tasks.set(taskKey(t.server, t.taskId), t);
    this.changed(t.server);
    await this.persist();
  }

  /** Only running tasks are remembered: an ended one was announced, and its result is in this window. */
  private async persist(): Promise<void> {
    if (this.disposed) return;
    const remembered: RememberedTask[] = this.running().map(({ server, tool, taskId, startedAt }) => ({ server, tool, taskId, startedAt }));
    await this.state.update(REMEMBERED_TASKS_KEY, remembered);
  }

  private changed(server: string): void {
    if (!this.disposed) this.changeEmitter.fire(server);
  }

  /** The window is going: stop polling, leave the tasks running and remembered. */
  dispose(): void {
    this.disposed = true;
    for (const ac of this.pollers.values()) ac.abort();
    this.changeEmitter.dispose();
  }
}

export { taskLabel, describeTask };
