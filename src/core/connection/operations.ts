// The bodies of ServerConnection's heavier operations, on one session: listing tools (loosely
// parsed, each tool checked on its own) and calling one (Mcp-Param-* headers, tasks, output
// schema). The connection chooses the session; these do the protocol.
import { ProtocolError, type CallToolResult, type CompleteResult, type Tool } from '@modelcontextprotocol/client';
import { CallToolResultSchema, CompleteResultSchema, PaginatedResultSchema } from '@modelcontextprotocol/core';
import { z } from 'zod';
import type { ServerDefinition } from '../config/types';
import type { CallOptions } from '../connectionTypes';
import { ServerError } from '../errors';
import { serverMessage } from '../failures';
import type { Logger } from '../logger';
import { mcpParamHeaders, scanMcpParams } from '../modern';
import { paginate, sendRequest } from '../requests';
import type { Session } from '../session';
import { looseResult, sessionChannel } from '../tasks/channel';
import { asksForTask, serverRunsToolTasks, taskSupportOf } from '../tasks/policy';
import { createdTask, detachedResult, followTask } from '../tasks/protocol';
import { sanitizeTools } from '../toolSchema';

/** tools/list parsed loosely: each tool is checked on its own (toolSchema.ts), so one bad tool cannot hide the rest. Made on first use. */
let tolerantToolsResultSchema: ReturnType<typeof makeTolerantToolsResultSchema> | undefined;
function makeTolerantToolsResultSchema() {
  return PaginatedResultSchema.extend({ tools: z.array(z.unknown()) });
}
/** The JSON-RPC error of a request whose Mcp-Param-* headers do not match its arguments (2026-07-28). */
const HEADER_MISMATCH = -32020;
/** 2025-11-25: the server refuses a request until the user has visited URLs (`data.elicitations`). */
const URL_ELICITATION_REQUIRED = -32042;
/** How many times one call may be refused with -32042 and retried after the user's visits. */
const URL_ELICITATION_ROUNDS = 3;
/** How long to wait for the server to say the user finished at a URL (the user is doing it by hand). */
const URL_COMPLETION_WAIT_MS = 10 * 60_000;

/** All tools of a session (pagination followed), shared by concurrent callers; the list is kept on the session. */
export function loadTools(s: Session, def: ServerDefinition, log: Logger, options: CallOptions): Promise<Tool[]> {
  if (s.toolsLoading) return s.toolsLoading;
  const schema = (tolerantToolsResultSchema ??= makeTolerantToolsResultSchema());
  const modern = s.client.getProtocolEra() === 'modern';
  const loading = paginate<z.output<typeof schema>, unknown>(
    s,
    def,
    'tools/list',
    schema,
    (r) => r.tools,
    options,
    (first) => s.listed('tools', first),
  ).then(
    (raw) => {
      const { tools, problems } = sanitizeTools(raw);
      for (const p of problems) log.warn(`tools/list: ${p.message}`);
      s.tools = modern ? withValidMcpParams(tools, log) : tools;
      s.toolsLoading = undefined;
      return s.tools;
    },
    (e: unknown) => {
      s.toolsLoading = undefined;
      throw e;
    },
  );
  s.toolsLoading = loading;
  return loading;
}

/** 2026-07-28: a tool whose x-mcp-header annotations break the rules cannot be called right; it is left out, and said so. */
function withValidMcpParams(tools: Tool[], log: Logger): Tool[] {
  return tools.filter((tool) => {
    const scan = scanMcpParams(tool.inputSchema);
    if (!scan.valid) log.warn(`tools/list: left out tool "${tool.name}": ${scan.reason}`);
    return scan.valid;
  });
}

/** One tools/call on a session. `relist` lists the tools again (a fresh list, when the headers were wrong). */
export async function callToolOn(
  s: Session,
  def: ServerDefinition,
  log: Logger,
  relist: (options: CallOptions & { refresh?: boolean }) => Promise<Tool[]>,
  name: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions,
): Promise<CallToolResult> {
  // Tasks (src/core/tasks/): a 2025-era call asks for one with `task`; a 2026 server may answer any call with one.
  const asTask = await asksForTaskOn(s, def, relist, name, options);
  const params = { name, arguments: args ?? {}, ...(asTask && { task: {} }) };
  const send = (headers?: Record<string, string>) =>
    sendRequest(
      s,
      def,
      { method: 'tools/call', params },
      asTask ? looseResult() : CallToolResultSchema,
      options,
      headers,
    ) as Promise<CallToolResult>;
  // 2026-07-28 over HTTP: arguments annotated x-mcp-header travel in Mcp-Param-* headers too.
  const mirrored = s.mirrorsParams
    ? mcpParamHeaders(
        s.tools?.find((t) => t.name === name),
        params.arguments,
      )
    : undefined;
  let result: CallToolResult;
  try {
    result = await withUrlElicitations(s, def, log, name, () => send(mirrored), options.signal);
  } catch (e) {
    // Our list was missing or old, so the headers were wrong: list again and send once more.
    if (!(s.mirrorsParams && e instanceof ProtocolError && e.code === HEADER_MISMATCH)) throw e;
    log.info(`tools/call "${name}": the server expects other Mcp-Param-* headers; listing its tools again and retrying`);
    s.tools = undefined;
    const tools = await relist({ ...options, refresh: true });
    result = await send(
      mcpParamHeaders(
        tools.find((t) => t.name === name),
        params.arguments,
      ),
    );
  }
  const task = createdTask(def.name, result);
  if (task) {
    options.task?.onTask?.(task);
    if (options.task?.detach) return detachedResult(task);
    result = await followTask(sessionChannel(s, def), task, options.task, options.signal);
  }
  try {
    s.validators.check(s.tools, name, result);
  } catch (e) {
    // Our own check of the result against its output schema, not an error from the server.
    if (e instanceof ProtocolError)
      throw new ServerError(def.name, 'protocol', `tools/call "${name}" failed: ${serverMessage(e)}`, { cause: e, code: e.code });
    throw e;
  }
  return result;
}

/**
 * Runs `request`; when the server refuses it with -32042 (URL elicitation required), asks the user
 * about each URL through the same handler as a URL-mode elicitation, waits until the server says
 * each is complete, and sends the request again (at most URL_ELICITATION_ROUNDS times).
 */
async function withUrlElicitations<T>(
  s: Session,
  def: ServerDefinition,
  log: Logger,
  name: string,
  request: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await request();
    } catch (e) {
      const elicitations = urlElicitationsOf(e);
      if (!elicitations) throw e;
      const answer = s.answerInput;
      const refused = (why: string) =>
        new ServerError(def.name, 'protocol', `tools/call "${name}" needs you to visit ${describeUrls(elicitations)} first; ${why}`, {
          cause: e,
          code: URL_ELICITATION_REQUIRED,
        });
      if (!answer) throw refused('this client cannot show you the page (no one here answers the server’s questions)');
      if (round > URL_ELICITATION_ROUNDS) throw refused(`the server still asked after ${URL_ELICITATION_ROUNDS} visits`);
      log.info(`tools/call "${name}": the server asks for ${elicitations.length} URL visit(s) first (-32042)`);
      for (const params of elicitations) {
        const result = await answer('elicitation/create', params, signal);
        if (result.action !== 'accept') throw refused(result.action === 'decline' ? 'you declined' : 'you cancelled');
        const waited = AbortSignal.timeout(URL_COMPLETION_WAIT_MS);
        await s.urlCompletions.wait(params.elicitationId, signal ? AbortSignal.any([signal, waited]) : waited).catch((reason: unknown) => {
          if (signal?.aborted) throw reason;
          throw refused(`the server did not say you were done within ${URL_COMPLETION_WAIT_MS / 60_000} minutes`);
        });
      }
    }
  }
}

interface UrlElicitation {
  readonly mode: 'url';
  readonly url: string;
  readonly message: string;
  readonly elicitationId: string;
}

/** The URL elicitations of a -32042 error, when that is what `e` is (and they are well formed). */
function urlElicitationsOf(e: unknown): UrlElicitation[] | undefined {
  if (!(e instanceof ProtocolError) || e.code !== URL_ELICITATION_REQUIRED) return undefined;
  const list = (e.data as { elicitations?: unknown } | undefined)?.elicitations;
  if (!Array.isArray(list) || !list.length) return undefined;
  const ok = list.every(
    (x: Record<string, unknown>) =>
      x && x.mode === 'url' && typeof x.url === 'string' && typeof x.message === 'string' && typeof x.elicitationId === 'string',
  );
  return ok ? (list as UrlElicitation[]) : undefined;
}

function describeUrls(list: readonly UrlElicitation[]): string {
  const hosts = [
    ...new Set(
      list.map((x) => {
        try {
          return new URL(x.url).host;
        } catch {
          return x.url;
        }
      }),
    ),
  ];
  return hosts.length === 1 ? `a page on ${hosts[0]}` : `pages on ${hosts.join(', ')}`;
}

/** 2025 era: whether this call asks for a task (the tool's `execution.taskSupport`, `useTasks`, a long call). */
async function asksForTaskOn(
  s: Session,
  def: ServerDefinition,
  relist: (options: CallOptions) => Promise<Tool[]>,
  name: string,
  options: CallOptions,
): Promise<boolean> {
  if (s.client.getProtocolEra() === 'modern' || !serverRunsToolTasks(s.client.getServerCapabilities())) return false;
  const tools = s.tools ?? (await relist(options));
  return asksForTask(taskSupportOf(tools.find((t) => t.name === name)), def.useTasks, options.task?.long);
}

export type CompletionRef = { readonly type: 'prompt'; readonly name: string } | { readonly type: 'resource'; readonly uri: string };

/** completion/complete on a session; a server without the `completions` capability gets no request. */
export async function completeOn(
  s: Session,
  def: ServerDefinition,
  ref: CompletionRef,
  argument: { readonly name: string; readonly value: string },
  context: Readonly<Record<string, string>>,
  options: CallOptions,
): Promise<CompleteResult['completion']> {
  if (!s.client.getServerCapabilities()?.completions) return { values: [] };
  const params = {
    ref: ref.type === 'prompt' ? { type: 'ref/prompt' as const, name: ref.name } : { type: 'ref/resource' as const, uri: ref.uri },
    argument: { name: argument.name, value: argument.value },
    ...(Object.keys(context).length ? { context: { arguments: { ...context } } } : {}),
  };
  const result = await sendRequest(s, def, { method: 'completion/complete', params }, CompleteResultSchema, options);
  return result.completion;
}
