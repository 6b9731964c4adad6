// `tasks <server>`, `task <server> <id> [--result | --cancel]`, and how `call` reports a task.
import { cancelTask, followTask, getTask, isServerError, listTasks, type TaskInfo } from '../core';
import { resolveTarget } from './config';
import { startConnection, type RunContext } from './context';
import { CliError, EXIT } from './errors';
import { formatCallResult, json, table } from './output';

/** A task's status as one stderr line: `mcp-manager: srv: tool: task <id> working: <message>`. */
export function taskPrinter(ctx: RunContext, server: string, what: string): (task: TaskInfo) => void {
  return (t) => ctx.err(`mcp-manager: ${server}: ${what}: task ${t.taskId} ${t.status}${t.statusMessage ? `: ${t.statusMessage}` : ''}\n`);
}

export function formatTask(t: TaskInfo): string {
  const rows = [
    ['task', t.taskId],
    ['status', t.status],
    ...(t.statusMessage ? [['message', t.statusMessage]] : []),
    ...(t.createdAt ? [['created', t.createdAt]] : []),
    ...(t.lastUpdatedAt ? [['updated', t.lastUpdatedAt]] : []),
    ...(t.ttlMs !== undefined ? [['kept for', t.ttlMs === null ? 'unlimited' : `${t.ttlMs} ms after creation`]] : []),
    ...(t.pollIntervalMs !== undefined ? [['poll every', `${t.pollIntervalMs} ms`]] : []),
  ];
  return table(rows);
}

export async function tasks(ctx: RunContext): Promise<number> {
  const conn = ctx.open(resolveTarget(ctx.args, ctx.cwd));
  await startConnection(conn, ctx.signal);
  const list = await conn.withTasks((ch) => listTasks(ch), ctx.signal);
  if (!list)
    throw new CliError(
      EXIT.usage,
      `the server speaks ${conn.info?.protocolVersion ?? '2026-07-28'}, whose tasks extension has no list of tasks; follow one by its id: mcp-manager task ${conn.name} <id>`,
      conn.name,
    );
  if (ctx.args.jsonOutput) ctx.out(json(list));
  else if (!list.length) ctx.out('(no tasks)\n');
  else ctx.out(table([['TASK', 'STATUS', 'MESSAGE'], ...list.map((t) => [t.taskId, t.status, t.statusMessage ?? ''])]));
  return EXIT.ok;
}

export async function task(ctx: RunContext): Promise<number> {
  const id = ctx.args.target!;
  const conn = ctx.open(resolveTarget(ctx.args, ctx.cwd));
  await startConnection(conn, ctx.signal);
  const lookup = (f: Parameters<typeof conn.withTasks>[0]) =>
    conn.withTasks(f, ctx.signal).catch((e: unknown) => {
      // An unknown id: the server forgot the task (its ttl passed) or never had it.
      if (isServerError(e) && e.kind === 'protocol' && e.code === -32602)
        throw new CliError(
          EXIT.usage,
          `no task ${id} (${e.message.replace(`${conn.name}: `, '')}); "mcp-manager tasks ${conn.name}" lists them`,
          conn.name,
        );
      throw e;
    });
  if (ctx.args.taskAction === 'cancel') {
    const t = (await lookup((ch) => cancelTask(ch, id))) as TaskInfo;
    ctx.out(ctx.args.jsonOutput ? json(t) : formatTask(t));
    return EXIT.ok;
  }
  const current = (await lookup((ch) => getTask(ch, id))) as TaskInfo;
  if (ctx.args.taskAction !== 'result') {
    ctx.out(ctx.args.jsonOutput ? json(current) : formatTask(current));
    return EXIT.ok;
  }
  // Waiting for it is not owning it: Ctrl+C stops waiting here and leaves the task running.
  const printer = taskPrinter(ctx, conn.name, 'waiting');
  printer(current);
  let result;
  try {
    result = await conn.withTasks((ch) => followTask(ch, current, { onTask: printer, leaveRunning: true }, ctx.signal), ctx.signal);
  } catch (e) {
    if (isServerError(e) && e.kind === 'cancelled' && !ctx.signal.aborted)
      throw new CliError(EXIT.toolError, e.message.replace(`${conn.name}: `, ''), conn.name);
    throw e;
  }
  ctx.out(ctx.args.jsonOutput ? json(result) : formatCallResult(result));
  return result.isError ? EXIT.toolError : EXIT.ok;
}
