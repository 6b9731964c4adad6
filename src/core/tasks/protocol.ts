// The task requests of both eras, in one shape: tasks/get, tasks/result (2025), tasks/list (2025),
// tasks/cancel; and waiting for a task to end at the interval its server asks for.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ServerError } from '../errors';
import { isObject } from '../format';
import { CREATED_TASK_KEY, isTerminal, type TaskCallOptions, type TaskInfo, type TaskStatus } from './types';

/** How task requests reach one server (a session's, see channel.ts; a fake one in unit tests). */
export interface TaskChannel {
  readonly server: string;
  readonly era: 'modern' | 'legacy';
  request(method: string, params: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
}

/** Without a suggestion from the server, ask once a second; never faster than this floor or slower than the ceiling. */
export const DEFAULT_POLL_MS = 1000;
export const MIN_POLL_MS = 20;
export const MAX_POLL_MS = 30_000;

const STATUSES: readonly TaskStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];

/** A task from either era's wire shape (2025: `ttl`/`pollInterval`; 2026-07-28: `ttlMs`/`pollIntervalMs`, result inline). */
export function parseTask(server: string, raw: unknown): TaskInfo {
  const t = (raw ?? {}) as Record<string, unknown>;
  const status = t.status as TaskStatus;
  if (typeof t.taskId !== 'string' || !STATUSES.includes(status))
    throw new ServerError(
      server,
      'protocol',
      `the server sent a task without a valid taskId and status: ${JSON.stringify(raw).slice(0, 200)}`,
    );
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const ttl = t.ttlMs !== undefined ? t.ttlMs : t.ttl;
  const poll = num(t.pollIntervalMs ?? t.pollInterval);
  return {
    taskId: t.taskId,
    status,
    ...(typeof t.statusMessage === 'string' && { statusMessage: t.statusMessage }),
    ...(typeof t.createdAt === 'string' && { createdAt: t.createdAt }),
    ...(typeof t.lastUpdatedAt === 'string' && { lastUpdatedAt: t.lastUpdatedAt }),
    ...(ttl === null ? { ttlMs: null } : num(ttl) !== undefined ? { ttlMs: num(ttl) } : {}),
    ...(poll !== undefined && { pollIntervalMs: poll }),
    ...(isObject(t.result) && { result: t.result as unknown as CallToolResult }),
    ...(isObject(t.error) && { error: t.error as TaskInfo['error'] }),
  };
}

/** The task a tools/call result created, if it is a task handle rather than a result. */
export function createdTask(server: string, result: Record<string, unknown>): TaskInfo | undefined {
  // 2025: CreateTaskResult `{ task }`; 2026-07-28: `resultType: "task"`, kept under CREATED_TASK_KEY (modern.ts).
  const handle =
    result[CREATED_TASK_KEY] ?? (result.content === undefined && result.task && typeof result.task === 'object' ? result.task : undefined);
  return handle === undefined ? undefined : parseTask(server, handle);
}

export async function getTask(ch: TaskChannel, taskId: string, signal?: AbortSignal): Promise<TaskInfo> {
  return parseTask(ch.server, await ch.request('tasks/get', { taskId }, { signal }));
}

export async function cancelTask(ch: TaskChannel, taskId: string): Promise<TaskInfo> {
  const raw = await ch.request('tasks/cancel', { taskId });
  // 2025 answers with the task; an answer without one (an empty acknowledgement) is followed by a look.
  return typeof raw.status === 'string' ? parseTask(ch.server, raw) : getTask(ch, taskId);
}

/** The server's tasks (2025 `tasks/list`, pagination followed). 2026-07-28 has no list: undefined. */
export async function listTasks(ch: TaskChannel): Promise<TaskInfo[] | undefined> {
  if (ch.era === 'modern') return undefined;
  const all: TaskInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const r = await ch.request('tasks/list', cursor ? { cursor } : {});
    for (const t of Array.isArray(r.tasks) ? r.tasks : []) all.push(parseTask(ch.server, t));
    cursor = typeof r.nextCursor === 'string' ? r.nextCursor : undefined;
    if (!cursor) break;
  }
  return all;
}

export function pollDelay(task: TaskInfo): number {
  const ms = task.pollIntervalMs ?? DEFAULT_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms));
}

/**
 * Polls `tasks/get` at the server's interval until the task ends, telling `onTask` of each change.
 * The caller's signal cancels the task on the server (`tasks/cancel`; `notifications/cancelled`
 * is not for tasks) and fails with `cancelled`.
 */
export async function waitForTask(ch: TaskChannel, task: TaskInfo, options: TaskCallOptions = {}, signal?: AbortSignal): Promise<TaskInfo> {
  let last = task;
  while (!isTerminal(last.status)) {
    try {
      await delay(pollDelay(last), signal);
      const next = await getTask(ch, last.taskId, signal);
      if (next.status !== last.status || next.statusMessage !== last.statusMessage) options.onTask?.(next);
      last = next;
    } catch (e) {
      if (!signal?.aborted) throw e;
      if (options.leaveRunning)
        throw new ServerError(ch.server, 'cancelled', `stopped waiting for task ${last.taskId}; it keeps running on the server`, {
          cause: e,
        });
      const cancelled = await cancelTask(ch, last.taskId).catch(() => undefined);
      if (cancelled) options.onTask?.(cancelled);
      throw new ServerError(ch.server, 'cancelled', `task ${last.taskId} was cancelled`, { cause: e });
    }
  }
  return last;
}

/**
 * The outcome of an ended task: its result (2026-07-28 inline, 2025 `tasks/result`), or a failure
 * naming the task. A tool result with `isError` is a result, not a failure.
 */
export async function taskOutcome(ch: TaskChannel, task: TaskInfo): Promise<CallToolResult> {
  if (task.status === 'cancelled')
    throw new ServerError(
      ch.server,
      'cancelled',
      `task ${task.taskId} was cancelled${task.statusMessage ? `: ${task.statusMessage}` : ''}`,
    );
  if (ch.era === 'legacy') {
    // 2025: tasks/result gives the result, or the JSON-RPC error the call would have given.
    const raw = await ch.request('tasks/result', { taskId: task.taskId });
    return raw as unknown as CallToolResult;
  }
  if (task.status === 'completed' && task.result) return task.result;
  const why =
    task.error?.message ?? task.statusMessage ?? (task.status === 'completed' ? 'it completed without a result' : 'no reason given');
  throw new ServerError(ch.server, 'protocol', `task ${task.taskId} ${task.status === 'failed' ? 'failed' : 'ended'}: ${why}`, {
    ...(task.error?.code !== undefined && { code: task.error.code }),
  });
}

/** Waits for a task and fetches its outcome. */
export async function followTask(
  ch: TaskChannel,
  task: TaskInfo,
  options: TaskCallOptions = {},
  signal?: AbortSignal,
): Promise<CallToolResult> {
  return taskOutcome(ch, await waitForTask(ch, task, options, signal));
}

/** A cancellable timer (fake timers drive it in tests). */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What a detached call resolves with: a text naming the task, and the task in `_meta`. */
export function detachedResult(task: TaskInfo): CallToolResult {
  return {
    content: [{ type: 'text', text: `task ${task.taskId} ${task.status}` }],
    _meta: { [CREATED_TASK_KEY]: task },
  } as CallToolResult;
}

/** The task of a detached call's result. */
export function detachedTask(result: CallToolResult): TaskInfo | undefined {
  return (result._meta as Record<string, unknown> | undefined)?.[CREATED_TASK_KEY] as TaskInfo | undefined;
}
