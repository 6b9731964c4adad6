// The CLI's commands. Each returns an exit code or throws (CliError / ServerError); main.ts prints
// the error line and disposes every connection made through `ctx.open`.
import type { Tool } from '@modelcontextprotocol/client';
import { detachedTask, isConfigNote, ServerConnection, suggest, type AskHost } from '../core';
import { catalogOf } from './catalog';
import { loadCliConfig, resolveTarget, type Target } from './config';
import { parseJsonObject, startConnection, type RunContext } from './context';
import { EXIT, usageError } from './errors';
import { cliInputResolver } from './inputs';
import { stderrLogger } from './logger';
import { formatCallResult, formatServers, formatTools, json, serversJson } from './output';
import { runDoctor } from './doctor';
import { probeServers } from './probe';
import { complete } from './complete';
import { prompt, prompts, read, resources } from './browse';
import { runTests } from './test';
import { add, search, terminalAsk } from './registry';
import { serve } from './serve';
import { login, logout } from './login';
import { cliAuthHost } from './signIn';
import { task, taskPrinter, tasks } from './tasks';

// Kept importable from here for existing callers.
export { parseJsonObject, startConnection, type RunContext } from './context';

export const CLIENT_NAME = 'mcp-manager-cli';

export function createConnection(target: Target, verbosity: number, version: string, ask?: AskHost, adHoc = false): ServerConnection {
  return new ServerConnection(target.definition, {
    ask,
    // Configured servers sign in on a 401 (an ad-hoc --url has no name to `login` to: it takes --header).
    ...(!adHoc && { auth: cliAuthHost({ err: (text) => void process.stderr.write(text) }) }),
    logger: stderrLogger(verbosity, target.definition.name),
    inputResolver: cliInputResolver(target.inputs),
    clientInfo: { name: CLIENT_NAME, version },
    // A CLI should end promptly: a server that ignores stdin closing gets SIGTERM after 1 s.
    timing: { closeGraceMs: 1000, killGraceMs: 2000 },
  });
}

export async function run(ctx: RunContext): Promise<number> {
  switch (ctx.args.command) {
    case 'servers':
      return servers(ctx);
    case 'tools':
      return tools(ctx);
    case 'call':
      return call(ctx);
    case 'resources':
      return resources(ctx);
    case 'read':
      return read(ctx);
    case 'prompts':
      return prompts(ctx);
    case 'prompt':
      return prompt(ctx);
    case 'ping':
      return ping(ctx);
    case 'complete':
      return complete(ctx);
    case 'doctor':
      return runDoctor(ctx);
    case 'test':
      return runTests(ctx);
    case 'search':
      return search(ctx);
    case 'add':
      return add(ctx, { ask: terminalAsk() });
    case 'serve':
      return serve(ctx);
    case 'login':
      return login(ctx);
    case 'logout':
      return logout(ctx);
    case 'tasks':
      return tasks(ctx);
    case 'task':
      return task(ctx);
    default:
      throw usageError('missing command.');
  }
}

async function servers(ctx: RunContext): Promise<number> {
  const config = loadCliConfig(ctx.args, ctx.cwd);
  const probes = ctx.args.probe ? await probeServers(ctx, config) : undefined;
  ctx.out(
    ctx.args.jsonOutput
      ? json(serversJson(config.servers, config.issues, probes))
      : formatServers(config.servers, config.issues, config.where, probes),
  );
  if (config.issues.some((i) => !isConfigNote(i))) return EXIT.usage;
  return probes && [...probes.values()].some((p) => !p.ok) ? EXIT.connection : EXIT.ok;
}

async function tools(ctx: RunContext): Promise<number> {
  const conn = ctx.open(resolveTarget(ctx.args, ctx.cwd));
  await startConnection(conn, ctx.signal);
  const list = hasTools(conn) ? await catalogOf(conn).list(conn, 'tools', { signal: ctx.signal }) : [];
  if (ctx.args.jsonOutput) ctx.out(json(list));
  else ctx.out(hasTools(conn) ? formatTools(list, ctx.columns) : '(this server offers no tools)\n');
  return EXIT.ok;
}

async function call(ctx: RunContext): Promise<number> {
  const { tool } = ctx.args;
  const target = resolveTarget(ctx.args, ctx.cwd);
  const name = target.definition.name;
  // Arguments are checked before anything is started.
  const args = parseToolArguments(ctx.args.json === '-' ? await ctx.readStdin() : ctx.args.json, tool!, name);
  const conn = ctx.open(target);
  await startConnection(conn, ctx.signal);
  const available: readonly Tool[] = hasTools(conn) ? await catalogOf(conn).list(conn, 'tools', { signal: ctx.signal }) : [];
  if (!available.some((t) => t.name === tool)) {
    const hint = suggest(
      tool!,
      available.map((t) => t.name),
    );
    const list = ctx.args.server ? `"mcp-manager tools ${ctx.args.server}"` : `"tools" with the same --${ctx.args.adHoc?.kind}`;
    const what = available.length
      ? `${hint ? `Did you mean "${hint}"? ` : ''}Run ${list} to list its ${available.length} tools.`
      : 'The server offers no tools.';
    throw usageError(`no tool named "${tool}". ${what}`, name);
  }
  // The most common mistake, caught here with a clearer message than most servers give.
  const required = available.find((t) => t.name === tool)!.inputSchema.required ?? [];
  const missing = required.filter((k) => !(k in args));
  if (missing.length) {
    const see = ctx.args.server
      ? `"mcp-manager tools ${ctx.args.server} --json"`
      : `"tools --json" with the same --${ctx.args.adHoc?.kind}`;
    throw usageError(
      `missing required argument${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')} for "${tool}". Run ${see} for its input schema.`,
      name,
    );
  }
  // Asking for progress also lets it reset requestTimeoutMs, so a long tool that reports progress is not cut off.
  // A tool that runs as a task is waited for like any call (its status on stderr), unless --detach.
  const result = await conn.callTool(tool!, args, {
    signal: ctx.signal,
    onProgress: progressPrinter(ctx, name, tool!),
    task: { onTask: taskPrinter(ctx, name, tool!), detach: ctx.args.detach, long: ctx.args.longTask },
  });
  const detached = ctx.args.detach ? detachedTask(result) : undefined;
  if (detached) {
    ctx.out(ctx.args.jsonOutput ? json(detached) : `${detached.taskId}\n`);
    const follow = ctx.args.server
      ? `mcp-manager task ${ctx.args.server} ${detached.taskId} --result`
      : `mcp-manager task ${detached.taskId} --result with the same --${ctx.args.adHoc?.kind}`;
    if (!ctx.args.jsonOutput) ctx.err(`mcp-manager: ${name}: task ${detached.taskId} ${detached.status}; follow it with: ${follow}\n`);
    return EXIT.ok;
  }
  if (ctx.args.detach) ctx.err(`mcp-manager: ${name}: tool "${tool}" answered at once, without a task\n`);
  ctx.out(ctx.args.jsonOutput ? json(result) : formatCallResult(result));
  if (result.isError) {
    ctx.err(`mcp-manager: ${name}: tool "${tool}" reported an error (isError).\n`);
    return EXIT.toolError;
  }
  return EXIT.ok;
}

/** Progress notifications as stderr lines, at most one every PROGRESS_EVERY_MS (a server may send thousands). */
function progressPrinter(
  ctx: RunContext,
  server: string,
  tool: string,
): (p: { progress: number; total?: number; message?: string }) => void {
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS && !(p.total !== undefined && p.progress >= p.total)) return;
    last = now;
    ctx.err(`mcp-manager: ${server}: ${tool}: ${formatProgress(p)}\n`);
  };
}

const PROGRESS_EVERY_MS = 500;

export function formatProgress(p: { progress: number; total?: number; message?: string }): string {
  const amount = p.total ? `${Math.floor((100 * p.progress) / p.total)}% (${p.progress}/${p.total})` : `${p.progress}`;
  return `progress ${amount}${p.message ? ` ${p.message}` : ''}`;
}

async function ping(ctx: RunContext): Promise<number> {
  const conn = ctx.open(resolveTarget(ctx.args, ctx.cwd));
  const t0 = performance.now();
  await startConnection(conn, ctx.signal);
  const t1 = performance.now();
  await conn.ping({ signal: ctx.signal });
  const t2 = performance.now();
  const connectMs = Math.round(t1 - t0);
  const pingMs = Math.round(t2 - t1);
  const info = conn.info?.serverInfo;
  const protocolVersion = conn.info?.protocolVersion;
  if (ctx.args.jsonOutput) ctx.out(json({ server: conn.name, ok: true, connectMs, pingMs, protocolVersion, serverInfo: info }));
  else
    ctx.out(
      `${conn.name}: ok, ping ${pingMs} ms (connected in ${connectMs} ms${info ? ` to ${info.name} ${info.version}` : ''}${protocolVersion ? `, protocol ${protocolVersion}` : ''})\n`,
    );
  return EXIT.ok;
}

/** Parses `call`'s JSON argument: one JSON object (absent = no arguments). */
export function parseToolArguments(text: string | undefined, tool: string, server: string): Record<string, unknown> {
  return parseJsonObject(text, { subject: `"${tool}"`, shape: 'JSON object', example: '{"name": "value"}', server });
}

function hasTools(conn: ServerConnection): boolean {
  // A server that does not declare the tools capability would answer tools/list with "method not found".
  return !!conn.capabilities?.tools;
}
