// 2025-11-25: a server may ask this client to run its elicitation or sampling request as a task of
// the client's own (`task` in the request's params; declared as `tasks.requests.elicitation.create`
// and `tasks.requests.sampling.createMessage`). The request is answered at once with the task; the
// question goes to the host (core/ask's InputAnswerer) meanwhile; the server follows it with
// tasks/get, tasks/result, tasks/list and tasks/cancel, answered from this table. SDK v2 has no
// tasks runtime and would check a task handle as an ElicitResult, so these messages are served
// here, at the transport, before the SDK sees them (as modern.ts does for the server's task
// handles). The 2026-07-28 tasks extension covers tools/call only: nothing to serve there.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { InputAnswerer } from '../ask/install';
import { errorMessage } from '../errors';
import { isObject } from '../format';
import type { Logger } from '../logger';
import type { TaskStatus } from './types';

/** The methods a server may ask to run as a client task. */
export const CLIENT_TASK_METHODS = ['elicitation/create', 'sampling/createMessage'] as const;
/** How long an ended task is kept when the server asks for no ttl (and at most), and how often to ask. */
export const CLIENT_TASK_TTL_MS = 10 * 60_000;
export const CLIENT_TASK_POLL_MS = 500;

const RELATED_TASK = 'io.modelcontextprotocol/related-task';

interface ClientTask {
  readonly taskId: string;
  readonly method: string;
  status: TaskStatus;
  statusMessage: string;
  readonly createdAt: string;
  lastUpdatedAt: string;
  readonly ttl: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  readonly abort: AbortController;
  readonly waiters: (() => void)[];
}

type Request = { jsonrpc: '2.0'; id: string | number; method: string; params?: Record<string, unknown> };

const ENDED: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * Serves client tasks on `transport` (install after connect, when the SDK's handler is in place).
 * Returns what ends them: running tasks are cancelled and forgotten.
 */
export function serveClientTasks(transport: Transport, answer: InputAnswerer, log: Logger): { dispose(): void } {
  const tasks = new Map<string, ClientTask>();
  const timers = new Set<NodeJS.Timeout>();
  let next = 0;
  const deliver = transport.onmessage;
  const reply = (id: Request['id'], body: { result: unknown } | { error: unknown }) =>
    void transport
      .send({ jsonrpc: '2.0', id, ...body } as JSONRPCMessage)
      .catch((e: unknown) => log.debug(`client task reply failed: ${errorMessage(e)}`));
  const unknownTask = (req: Request) => reply(req.id, { error: { code: -32602, message: `no client task ${String(req.params?.taskId)}` } });

  const view = (t: ClientTask) => ({
    taskId: t.taskId,
    status: t.status,
    statusMessage: t.statusMessage,
    createdAt: t.createdAt,
    lastUpdatedAt: t.lastUpdatedAt,
    ttl: t.ttl,
    pollInterval: CLIENT_TASK_POLL_MS,
  });
  const settle = (t: ClientTask, status: TaskStatus, statusMessage: string, extra: Partial<ClientTask> = {}) => {
    if (ENDED.includes(t.status)) return;
    Object.assign(t, { status, statusMessage, lastUpdatedAt: new Date().toISOString() }, extra);
    log.info(`client task ${t.taskId} (${t.method}) ${status}`);
    if (!ENDED.includes(status)) return;
    for (const w of t.waiters.splice(0)) w();
    const forget = setTimeout(() => (timers.delete(forget), tasks.delete(t.taskId)), t.ttl);
    forget.unref?.();
    timers.add(forget);
  };

  function start(req: Request): void {
    const { task, ...params } = req.params ?? {};
    const asked = isObject(task) && typeof task.ttl === 'number' && task.ttl > 0 ? task.ttl : CLIENT_TASK_TTL_MS;
    const now = new Date().toISOString();
    const t: ClientTask = {
      taskId: `mcpm-client-task-${++next}`,
      method: req.method,
      // A question waits on the user; a sampling request on the model.
      status: req.method === 'elicitation/create' ? 'input_required' : 'working',
      statusMessage: req.method === 'elicitation/create' ? 'waiting for the user' : 'waiting for the model',
      createdAt: now,
      lastUpdatedAt: now,
      ttl: Math.min(asked, CLIENT_TASK_TTL_MS),
      abort: new AbortController(),
      waiters: [],
    };
    tasks.set(t.taskId, t);
    log.info(`the server asks for ${req.method} as a task: client task ${t.taskId}`);
    reply(req.id, { result: { task: view(t) } });
    answer(req.method, params, t.abort.signal).then(
      (result) => settle(t, 'completed', 'answered', { result }),
      (e: unknown) => {
        if (t.abort.signal.aborted) return;
        const code = isObject(e) && typeof e.code === 'number' ? e.code : -32603;
        settle(t, 'failed', errorMessage(e), { error: { code, message: errorMessage(e) } });
      },
    );
  }

  function outcome(req: Request, t: ClientTask): void {
    if (t.status === 'completed') return reply(req.id, { result: { ...t.result, _meta: { [RELATED_TASK]: { taskId: t.taskId } } } });
    reply(req.id, { error: t.error ?? { code: -32603, message: `client task ${t.taskId} was cancelled` } });
  }

  /** Whether the message is one of ours (answered here). */
  function serve(req: Request): boolean {
    if ((CLIENT_TASK_METHODS as readonly string[]).includes(req.method)) {
      if (!isObject(req.params?.task)) return false;
      start(req);
      return true;
    }
    if (!req.method.startsWith('tasks/')) return false;
    if (req.method === 'tasks/list') {
      reply(req.id, { result: { tasks: [...tasks.values()].map(view) } });
      return true;
    }
    const t = tasks.get(String(req.params?.taskId));
    if (!t) {
      unknownTask(req);
      return true;
    }
    if (req.method === 'tasks/get') reply(req.id, { result: view(t) });
    else if (req.method === 'tasks/result') {
      if (ENDED.includes(t.status)) outcome(req, t);
      else t.waiters.push(() => outcome(req, t));
    } else if (req.method === 'tasks/cancel') {
      t.abort.abort();
      settle(t, 'cancelled', 'cancelled by the server');
      reply(req.id, { result: view(t) });
    } else return false;
    return true;
  }

  transport.onmessage = (message, extra) => {
    const m = message as Partial<Request>;
    if (typeof m.method === 'string' && m.id !== undefined && serve(m as Request)) return;
    deliver?.(message, extra);
  };
  return {
    dispose() {
      for (const t of tasks.values()) {
        t.abort.abort();
        settle(t, 'cancelled', 'the connection closed');
      }
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      tasks.clear();
    },
  };
}
