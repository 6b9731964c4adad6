// The task requests of both eras, in one shape: tasks/get, tasks/result (2025), tasks/list (2025),
// tasks/cancel; and waiting for a task to end at the interval its server asks for.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ServerError, errorMessage } from '../errors';
import { isObject } from '../format';
import { CREATED_TASK_KEY, isTerminal, type InputRequest, type TaskCallOptions, type TaskInfo, type TaskStatus } from './types';

/** How task requests reach one server (a session's, see channel.ts; a fake one in unit tests). */
export interface TaskChannel {
  readonly server: string;
  readonly era: 'modern' | 'legacy';
  request(
    method: string,
    params: Record<string, unknown>,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<Record<string, unknown>>;
  /** Answers one of the server's questions (core/ask's InputAnswerer); absent: none can be answered. */
  answer?(method: string, params: unknown, signal?: AbortSignal): Promise<Record<string, unknown>>;
}

/** Without a suggestion from the server, ask once a second; never faster than this floor or slower than the ceiling. */
export const DEFAULT_POLL_MS = 1000;
export const MIN_POLL_MS = 20;
export const MAX_POLL_MS = 30_000;
/**
 * 2025: how long a tasks/result sent while the task waits for input may take (the server's
 * questions travel with it and it answers only when the task ends, so the user's time to answer
 * is in it). Past that the call fails; the task keeps running and can be followed again.
 */
export const INPUT_WAIT_MS = 60 * 60_000;

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
    ...(status === 'input_required' && isObject(t.inputRequests) && { inputRequests: inputRequestsOf(t.inputRequests) }),
  };
}

/** The well-formed entries of a task's `inputRequests` (an entry without a method is dropped). */
function inputRequestsOf(raw: Record<string, unknown>): Record<string, InputRequest> {
  const out: Record<string, InputRequest> = {};
  for (const [key, entry] of Object.entries(raw))
    if (isObject(entry) && typeof entry.method === 'string')
      out[key] = { method: entry.method, ...(isObject(entry.params) && { params: entry.params }) };
  return out;
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
 * A task waiting for input (`input_required`) gets its questions answered: 2026-07-28 through the
 * channel's `answer` and `tasks/update`, each key once; 2025 returns the task as it is, and
 * followTask's tasks/result carries the server's questions. The caller's signal cancels the task
 * on the server (`tasks/cancel`; `notifications/cancelled` is not for tasks) and fails with
 * `cancelled`.
 */
export async function waitForTask(ch: TaskChannel, task: TaskInfo, options: TaskCallOptions = {}, signal?: AbortSignal): Promise<TaskInfo> {
  let last = task;
  const answered = new Set<string>();
  while (!isTerminal(last.status)) {
    try {
      if (last.status === 'input_required') {
        if (ch.era === 'legacy') return last;
        // Answered something: look again at once (the server may already have moved on).
        if (!(await answerInputs(ch, last, answered, signal))) await delay(pollDelay(last), signal);
      } else await delay(pollDelay(last), signal);
      const next = await getTask(ch, last.taskId, signal);
      if (next.status !== last.status || next.statusMessage !== last.statusMessage) options.onTask?.(next);
      last = next;
    } catch (e) {
      return stopped(ch, last, options, signal, e);
    }
  }
  return last;
}

/** A wait that failed or was aborted: an abort cancels the task (unless `leaveRunning`), a failure is rethrown. */
async function stopped(
  ch: TaskChannel,
  last: TaskInfo,
  options: TaskCallOptions,
  signal: AbortSignal | undefined,
  e: unknown,
): Promise<never> {
  if (!signal?.aborted) throw e;
  if (options.leaveRunning)
    throw new ServerError(ch.server, 'cancelled', `stopped waiting for task ${last.taskId}; it keeps running on the server`, {
      cause: e,
    });
  const cancelled = await cancelTask(ch, last.taskId).catch(() => undefined);
  if (cancelled) options.onTask?.(cancelled);
  throw new ServerError(ch.server, 'cancelled', `task ${last.taskId} was cancelled`, { cause: e });
}

/** 2026-07-28: answers the questions of `task` not answered yet and sends them (tasks/update). False: nothing new. */
async function answerInputs(ch: TaskChannel, task: TaskInfo, answered: Set<string>, signal?: AbortSignal): Promise<boolean> {
  const fresh = Object.entries(task.inputRequests ?? {}).filter(([key]) => !answered.has(key));
  if (fresh.length === 0) return false;
  const what = fresh.map(([, r]) => r.method).join(', ');
  if (!ch.answer)
    throw new ServerError(ch.server, 'protocol', `task ${task.taskId} needs input (${what}), which this client cannot answer here`);
  const inputResponses: Record<string, unknown> = {};
  for (const [key, request] of fresh) {
    answered.add(key);
    try {
      inputResponses[key] = await ch.answer(request.method, request.params ?? {}, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ServerError(ch.server, 'protocol', `task ${task.taskId} needs input (${request.method}): ${errorMessage(e)}`, { cause: e });
    }
  }
  await ch.request('tasks/update', { taskId: task.taskId, inputResponses }, { signal });
  return true;
}

/**
 * The outcome of an ended task: its result (2026-07-28 inline, 2025 `tasks/result`), or a failure
 * naming the task. A tool result with `isError` is a result, not a failure.
 */
export async function taskOutcome(ch: TaskChannel, task: TaskInfo, signal?: AbortSignal): Promise<CallToolResult> {
  if (task.status === 'cancelled')
    throw new ServerError(
      ch.server,
      'cancelled',
      `task ${task.taskId} was cancelled${task.statusMessage ? `: ${task.statusMessage}` : ''}`,
    );
  if (ch.era === 'legacy') {
    // 2025: tasks/result gives the result, or the JSON-RPC error the call would have given. Sent
    // while the task waits for input, it carries the server's questions and answers at the end.
    const waiting = !isTerminal(task.status);
    const raw = await ch.request('tasks/result', { taskId: task.taskId }, waiting ? { signal, timeoutMs: INPUT_WAIT_MS } : {});
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
  const last = await waitForTask(ch, task, options, signal);
  if (isTerminal(last.status)) return taskOutcome(ch, last);
  try {
    const outcome = await taskOutcome(ch, last, signal);
    // tasks/result answers once the task has ended: tell the caller how it ended.
    const ended = await getTask(ch, last.taskId).catch(() => undefined);
    if (ended && ended.status !== last.status) options.onTask?.(ended);
    return outcome;
  } catch (e) {
    // 2025, input_required: an abort during tasks/result is an abort of the wait.
    return stopped(ch, last, options, signal, e);
  }
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
