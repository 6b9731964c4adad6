// Tasks (MCP 2025-11-25 `tasks`, and the `io.modelcontextprotocol/tasks` extension of 2026-07-28):
// a tool call answered with a task handle, polled until it ends, its result fetched later.
import type { CallToolResult } from '@modelcontextprotocol/client';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A task as the server last described it, in one shape for both eras. */
export interface TaskInfo {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string;
  readonly createdAt?: string;
  readonly lastUpdatedAt?: string;
  /** How long the server keeps it after creation; null: unlimited. */
  readonly ttlMs?: number | null;
  /** How often the server wants to be asked. */
  readonly pollIntervalMs?: number;
  /** 2026-07-28: a completed task's result, inline. */
  readonly result?: CallToolResult;
  /**
   * 2026-07-28, status `input_required`: the server's questions, by key (each an embedded
   * elicitation/create, sampling/createMessage or roots/list request), answered with tasks/update.
   */
  readonly inputRequests?: Readonly<Record<string, InputRequest>>;
  /** 2026-07-28: a failed task's JSON-RPC error, inline. */
  readonly error?: { readonly code?: number; readonly message?: string; readonly data?: unknown };
}

/** One server-to-client request embedded in a task (2026-07-28 `inputRequests`). */
export interface InputRequest {
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What a caller hears of a task it started or follows (CallOptions.task). */
export interface TaskCallOptions {
  /** Told of the task when it is created and each time its status or message changes. */
  readonly onTask?: (task: TaskInfo) => void;
  /** Resolve as soon as the task exists (its result is fetched later with taskResult()). */
  readonly detach?: boolean;
  /** The caller expects this call to be long: with `useTasks: auto`, a tool that allows tasks runs as one. */
  readonly long?: boolean;
  /** On abort, stop waiting and leave the task running (a watcher), instead of cancelling it (its owner). */
  readonly leaveRunning?: boolean;
}

/** The extension's identifier in 2026-07-28 capabilities. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** Where a task handle is kept on the result object of a tools/call that created one (see modern.ts). */
export const CREATED_TASK_KEY = 'io.github.mcp-manager/createdTask';
