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
import type { AskContext, AskHost, ElicitRequest } from './types';

/** What the client declares for this server, given what the host can answer. */
export function askCapabilities(def: ServerDefinition, host: AskHost | undefined): ClientCapabilities {
  return {
    ...(offersRoots(def, host) && { roots: { listChanged: true } }),
    ...(host?.elicit && { elicitation: { form: { applyDefaults: true }, url: {} } }),
    ...(host?.sample && def.sampling !== 'deny' && { sampling: {} }),
  };
}

/** Registers the handlers for what askCapabilities declared. Call before connecting. */
export function installAskHandlers(client: Client, def: ServerDefinition, host: AskHost | undefined, log: Logger): void {
  const caps = askCapabilities(def, host);
  const context = (signal: AbortSignal | undefined): AskContext => ({
    server: def.name,
    definition: def,
    signal: signal ?? new AbortController().signal,
    era: client.getProtocolEra() === 'modern' ? 'modern' : 'legacy',
  });
  if (caps.roots) {
    client.setRequestHandler('roots/list', () => {
      const roots = rootsFor(def, host);
      log.info(`the server asked for its roots: ${roots.length ? roots.map((r) => r.uri).join(', ') : 'none'}`);
      return { roots };
    });
  }
  if (caps.elicitation && host?.elicit) {
    const elicit = host.elicit.bind(host);
    client.setRequestHandler('elicitation/create', async (request, ctx) => {
      const params = request.params as ElicitRequest;
      log.info(`the server asks the user (${params.mode === 'url' ? 'URL' : 'form'}): ${oneLine(params.message)}`);
      const result = await answer(() => elicit(params, context(ctx.mcpReq.signal)), 'elicitation');
      log.info(`elicitation answered: ${result.action}`);
      return result;
    });
    client.setNotificationHandler('notifications/elicitation/complete', (n) => {
      log.info(`the server says the URL elicitation ${n.params.elicitationId} is complete`);
      host.elicitationComplete?.(def.name, n.params.elicitationId);
    });
  }
  if (caps.sampling && host?.sample) {
    const sample = host.sample.bind(host);
    client.setRequestHandler('sampling/createMessage', async (request, ctx) => {
      log.info(
        `the server asks for a completion (sampling, ${request.params.messages.length} messages, up to ${request.params.maxTokens} tokens)`,
      );
      const result = await answer(() => sample(request.params, context(ctx.mcpReq.signal)), 'sampling');
      log.info(`sampling answered by ${result.model}`);
      return result;
    });
  }
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
