// Whether a tool call runs as a task, and what the client declares (pure).
import type { ClientCapabilities, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import type { UseTasks } from '../config/types';
import { TASKS_EXTENSION } from './types';

export type TaskSupport = 'required' | 'optional' | 'forbidden';

export function taskSupportOf(tool: Tool | undefined): TaskSupport {
  const value = (tool as { execution?: { taskSupport?: unknown } } | undefined)?.execution?.taskSupport;
  return value === 'required' || value === 'optional' ? value : 'forbidden';
}

/** Whether a 2025-era server runs tool calls as tasks at all (`capabilities.tasks.requests.tools.call`). */
export function serverRunsToolTasks(caps: ServerCapabilities | undefined): boolean {
  const tasks = (caps as { tasks?: { requests?: { tools?: { call?: unknown } } } } | undefined)?.tasks;
  return tasks?.requests?.tools?.call !== undefined;
}

/**
 * 2025 era: the client asks for a task (the call's `task` parameter). `auto`: when the tool requires
 * it, or allows it and the caller marked the call long; `always`: whenever the tool allows it;
 * `never`: not at all. (In 2026-07-28 the server decides per call; see clientTaskCapabilities.)
 */
export function asksForTask(support: TaskSupport, useTasks: UseTasks = 'auto', long = false): boolean {
  if (support === 'forbidden' || useTasks === 'never') return false;
  if (support === 'required') return true;
  return useTasks === 'always' || long;
}

/**
 * What the client declares. 2025: `tasks.list` and `tasks.cancel` (we list and cancel the server's
 * tasks), and `tasks.requests` for the questions this client can answer (`asks`): the server may
 * then ask for them as tasks of the client's own (clientTasks.ts). 2026-07-28: the extension,
 * unless `useTasks` is `never`, since declaring it lets the server answer any call with a task.
 */
export function clientTaskCapabilities(
  useTasks: UseTasks = 'auto',
  asks: { readonly elicitation?: boolean; readonly sampling?: boolean } = {},
): Partial<ClientCapabilities> {
  if (useTasks === 'never') return {};
  const requests = {
    ...(asks.elicitation && { elicitation: { create: {} } }),
    ...(asks.sampling && { sampling: { createMessage: {} } }),
  };
  return {
    tasks: { list: {}, cancel: {}, ...(Object.keys(requests).length > 0 && { requests }) },
    extensions: { [TASKS_EXTENSION]: {} },
  } as Partial<ClientCapabilities>;
}
