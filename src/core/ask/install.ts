// Wires a host's answers (types.ts) into one SDK client: the capabilities it declares and the
// handlers for roots/list, elicitation/create and sampling/createMessage. The same handlers
// answer both forms a question can take: a 2025-era server-to-client request, and an entry of a
// 2026-07-28 `input_required` result, which the SDK client fulfils through these handlers and
// retries with `inputResponses` and the `requestState` echoed unchanged, per request, up to
// MAX_INPUT_ROUNDS rounds (the connection words the error when a server asks for more).
import { ProtocolError, ProtocolErrorCode, type Client, type ClientCapabilities } from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/types';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import { offersRoots, rootsFor } from './roots';
import type { AskContext, AskHost, ElicitRequest, SamplingRequest } from './types';

/** What the client declares for this server, given what the host can answer. */
export function askCapabilities(def: ServerDefinition, host: AskHost | undefined): ClientCapabilities {
  return {
    ...(offersRoots(def, host) && { roots: { listChanged: true } }),
    ...(host?.elicit && { elicitation: { form: { applyDefaults: true }, url: {} } }),
    ...(host?.sample && def.sampling !== 'deny' && { sampling: host.samplingTools ? { tools: {} } : {} }),
  };
}

/**
 * Answers one server-to-client request (roots/list, elicitation/create, sampling/createMessage)
 * through the host, outside the SDK's request handling: a 2026-07-28 task's `inputRequests`
 * (core/tasks), which come back in `tasks/get` rather than as requests or `input_required` results.
 * Rejects with a ProtocolError for a method the host cannot answer.
 */
export type InputAnswerer = (method: string, params: unknown, signal?: AbortSignal) => Promise<Record<string, unknown>>;

type Responder = (params: never, signal: AbortSignal | undefined) => Promise<Record<string, unknown>>;

/** What answers each request method askCapabilities declared, logged once per question. */
function responders(
  def: ServerDefinition,
  host: AskHost | undefined,
  log: Logger,
  era: () => 'modern' | 'legacy',
): Partial<Record<'roots/list' | 'elicitation/create' | 'sampling/createMessage', Responder>> {
  const caps = askCapabilities(def, host);
  const context = (signal: AbortSignal | undefined): AskContext => ({
    server: def.name,
    definition: def,
    signal: signal ?? new AbortController().signal,
    era: era(),
  });
  const elicit = caps.elicitation ? host?.elicit?.bind(host) : undefined;
  const sample = caps.sampling ? host?.sample?.bind(host) : undefined;
  return {
    ...(caps.roots && {
      'roots/list': async () => {
        const roots = rootsFor(def, host);
        log.info(`the server asked for its roots: ${roots.length ? roots.map((r) => r.uri).join(', ') : 'none'}`);
        return { roots };
      },
    }),
    ...(elicit && {
      'elicitation/create': async (params: ElicitRequest, signal: AbortSignal | undefined) => {
        log.info(`the server asks the user (${params.mode === 'url' ? 'URL' : 'form'}): ${oneLine(params.message)}`);
        const result = await answer(() => elicit(params, context(signal)), 'elicitation');
        log.info(`elicitation answered: ${result.action}`);
        return result;
      },
    }),
    ...(sample && {
      'sampling/createMessage': async (params: SamplingRequest, signal: AbortSignal | undefined) => {
        log.info(`the server asks for a completion (sampling, ${params.messages.length} messages, up to ${params.maxTokens} tokens)`);
        const result = await answer(() => sample(params, context(signal)), 'sampling');
        log.info(`sampling answered by ${result.model}`);
        return result;
      },
    }),
  };
}

/**
 * Registers the handlers for what askCapabilities declared (call before connecting), and returns
 * the same answers for requests that do not arrive as requests (InputAnswerer).
 */
export function installAskHandlers(
  client: Client,
  def: ServerDefinition,
  host: AskHost | undefined,
  log: Logger,
  /** Told of each URL elicitation the server says is complete (a request refused with -32042 waits for it). */
  completions?: { complete(id: string): void },
): InputAnswerer {
  const answers = responders(def, host, log, () => (client.getProtocolEra() === 'modern' ? 'modern' : 'legacy'));
  for (const [method, respond] of Object.entries(answers))
    client.setRequestHandler(
      method as keyof typeof answers,
      (request, ctx) => respond(request.params as never, ctx.mcpReq.signal) as never,
    );
  if (answers['elicitation/create'])
    client.setNotificationHandler('notifications/elicitation/complete', (n) => {
      log.info(`the server says the URL elicitation ${n.params.elicitationId} is complete`);
      host?.elicitationComplete?.(def.name, n.params.elicitationId);
      completions?.complete(n.params.elicitationId);
    });
  return async (method, params, signal) => {
    const respond = (answers as Record<string, Responder | undefined>)[method];
    if (!respond)
      throw new ProtocolError(
        ProtocolErrorCode.MethodNotFound,
        `${method} is not offered to this server by this client (nothing here answers it)`,
      );
    return respond((params ?? {}) as never, signal);
  };
}

/** Runs a host's answer; a failure reaches the server as a JSON-RPC error with the host's words. */
async function answer<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(ProtocolErrorCode.InternalError, `${what} failed: ${errorMessage(e)}`);
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
