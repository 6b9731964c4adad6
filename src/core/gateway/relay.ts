// Relaying an upstream server's questions (elicitation, sampling) to the gateway client whose
// request caused them. The gateway records, per call, how to reach the calling client
// (CallContext); `askHostFor()` turns that into the shape of the connections' question handler,
// so a host connects the two with one line (the handler interface is core/ask's AskHost on
// branch h15-ask: `elicit(request, { server, signal })`, `sample(request, { server, signal })`).
import type { CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams, ElicitResult } from '@modelcontextprotocol/client';

/** One downstream client of the gateway (one SDK server instance). */
export interface GatewayCaller {
  /** The name the client introduced itself with, when known. */
  readonly clientName?: () => string | undefined;
  dispose(): void;
}

/** How to reach the client of one call. `elicit`/`sample` are absent when it cannot answer them. */
export interface CallContext {
  readonly caller: GatewayCaller;
  readonly elicit?: (params: ElicitRequestParams, signal?: AbortSignal) => Promise<ElicitResult>;
  readonly sample?: (params: CreateMessageRequestParams, signal?: AbortSignal) => Promise<CreateMessageResult>;
}

export interface AskRelay {
  relay<T>(server: string, kind: 'elicitation' | 'sampling', send: (ctx: CallContext) => Promise<T> | undefined): Promise<T>;
}

/** Where an upstream question comes from (the fields of core/ask's AskContext the relay needs). */
export interface UpstreamAsk {
  readonly server: string;
  readonly signal?: AbortSignal;
}

/** A question handler for the gateway's upstream connections that asks the calling client. */
export interface GatewayAskHost {
  elicit(request: ElicitRequestParams, ctx: UpstreamAsk): Promise<ElicitResult>;
  sample(request: CreateMessageRequestParams, ctx: UpstreamAsk): Promise<CreateMessageResult>;
}

export function askHostFor(relay: AskRelay): GatewayAskHost {
  return {
    elicit: (request, ctx) => relay.relay(ctx.server, 'elicitation', (call) => call.elicit?.(request, ctx.signal)),
    sample: (request, ctx) => relay.relay(ctx.server, 'sampling', (call) => call.sample?.(request, ctx.signal)),
  };
}
