// The requests of a session: one request with its deadlines (requestTimeoutMs, maxTotalTimeoutMs,
// the caller's signal), and pagination.
import { LOG_LEVEL_META_KEY, SdkError, SdkErrorCode, type Client, type StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { ServerDefinition } from './config/types';
import type { CallOptions } from './connectionTypes';
import { RequestAbort } from './deadline';
import { ServerError } from './errors';
import { MAX_TOTAL_EXCEEDED } from './failures';
import type { Session } from './session';

const MAX_PAGES = 10_000;

/**
 * One request. The SDK enforces the timeout (reset by progress) and cancels on it, but checks the
 * maximum total only when progress arrives and then fails the call without telling the server:
 * the tool would run on. So the maximum total is also a timer here, aborting the request, which
 * makes the SDK send notifications/cancelled. The caller's signal aborts through the same handle.
 */
export async function sendRequest<S extends StandardSchemaV1>(
  s: Session,
  def: ServerDefinition,
  request: Parameters<Client['request']>[0],
  schema: S,
  options: CallOptions,
  /** HTTP headers of this request only (2026-07-28's Mcp-Param-* headers). */
  headers?: Record<string, string>,
): Promise<StandardSchemaV1.InferOutput<S>> {
  const timeout = options.timeoutMs ?? def.requestTimeoutMs;
  if (s.logLevel !== undefined) request = withLogLevel(request, s.logLevel);
  // Without onProgress no progress token is sent, as with the SDK: the server sends no progress,
  // nothing resets the timeout, and the SDK's own timer ends the request and cancels it on the
  // server. Nothing else to arm (measured: the token costs a warm call ~7 µs, the deadline ~5 µs).
  if (!options.onProgress && !options.signal) return s.client.request(request, schema, { timeout, headers });
  const maxTotal = Math.max(def.maxTotalTimeoutMs, options.timeoutMs ?? 0);
  const abort = new RequestAbort();
  const exceeded = () => abort.abort(new SdkError(SdkErrorCode.RequestTimeout, MAX_TOTAL_EXCEEDED, { maxTotalTimeout: maxTotal }));
  // Only progress can keep a request alive past its timeout, so only then is the maximum total needed.
  const timer = options.onProgress && setTimeout(exceeded, maxTotal);
  const caller = options.signal;
  const callerAborted = caller && (() => abort.abort(caller.reason));
  if (caller) {
    if (caller.aborted) abort.abort(caller.reason);
    else caller.addEventListener('abort', callerAborted!, { once: true });
  }
  try {
    return await s.client.request(request, schema, {
      signal: abort.signal,
      // An onprogress handler is what makes the SDK send a progressToken; progress then also
      // resets the timeout.
      onprogress: options.onProgress && withoutRoundProgress(options.onProgress),
      timeout,
      headers,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: maxTotal,
    });
  } catch (e) {
    // The SDK's own check won the race: cancel on the server now.
    if (e instanceof SdkError && e.message.includes(MAX_TOTAL_EXCEEDED) && !abort.aborted) exceeded();
    throw e;
  } finally {
    clearTimeout(timer);
    if (callerAborted) caller.removeEventListener('abort', callerAborted);
  }
}

/**
 * The SDK reports each 2026-07-28 input_required round as progress of the call ("Fulfilling input
 * required by ..., round N"), numbered by round, not by the server: the caller sees the server's
 * progress only (the host shows the questions themselves).
 */
function withoutRoundProgress(onProgress: NonNullable<CallOptions['onProgress']>): NonNullable<CallOptions['onProgress']> {
  return (p) => {
    if (p.message?.startsWith('Fulfilling input required by ')) return;
    onProgress(p);
  };
}

/** 2026-07-28: the wanted log level rides in each request's `_meta` (the SDK adds the rest of the envelope). */
function withLogLevel(request: Parameters<Client['request']>[0], level: string): Parameters<Client['request']>[0] {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const meta = (params._meta ?? {}) as Record<string, unknown>;
  return { ...request, params: { ...params, _meta: { ...meta, [LOG_LEVEL_META_KEY]: level } } };
}

export async function paginate<R extends { nextCursor?: string }, T>(
  s: Session,
  def: ServerDefinition,
  method: 'tools/list' | 'resources/list' | 'resources/templates/list' | 'prompts/list',
  schema: StandardSchemaV1,
  items: (r: R) => T[],
  options: CallOptions,
  /** Sees the first page (its `ttlMs` says how long the list stays fresh). */
  firstPage?: (r: R) => void,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await sendRequest(s, def, { method, params: cursor ? { cursor } : {} }, schema, options)) as unknown as R;
    if (page === 0) firstPage?.(result);
    for (const item of items(result)) all.push(item);
    cursor = result.nextCursor;
    if (!cursor) return all;
    if (seen.has(cursor)) throw new ServerError(def.name, 'protocol', `${method} returned the same cursor twice; stopping pagination`);
    seen.add(cursor);
  }
  throw new ServerError(def.name, 'protocol', `${method} returned more than ${MAX_PAGES} pages`);
}
