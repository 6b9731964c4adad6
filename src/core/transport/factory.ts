// Builds a transport for a resolved definition. Building starts nothing; the connection
// starts it as part of connecting.
import { SSEClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { HttpDefinition, ServerDefinition, StdioDefinition } from '../config/types';
import type { Logger } from '../logger';
import { buildEnv, resolveCommand, validateCwd } from './env';
import { createKeepAliveFetch, type FetchLike, type KeepAliveFetch } from './http';
import { HttpWithSseFallback } from './sseFallback';
import { guardResponseStreams } from './streamGuard';
import { StdioTransport } from './stdio';

export interface TransportTiming {
  readonly closeGraceMs?: number;
  readonly killGraceMs?: number;
}

export interface LaunchPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Record<string, string>;
  /** envFile values: secrets for masking. */
  readonly secretValues: string[];
}

/** Resolves everything a stdio launch needs, failing with field-specific errors (see env.ts). */
export async function planStdioLaunch(def: StdioDefinition, parentEnv: NodeJS.ProcessEnv = process.env): Promise<LaunchPlan> {
  await validateCwd(def.cwd);
  const { env, envFileValues } = await buildEnv(def, parentEnv);
  const command = await resolveCommand(def.command, env, def.cwd);
  return { command, args: def.args, cwd: def.cwd, env, secretValues: envFileValues };
}

export function createStdioTransport(
  def: StdioDefinition,
  plan: LaunchPlan,
  logger: Logger,
  timing: TransportTiming = {},
  onStdoutNoise?: (text: string) => void,
): StdioTransport {
  return new StdioTransport({
    command: plan.command,
    args: plan.args,
    env: plan.env,
    cwd: plan.cwd,
    logger,
    maxMessageBytes: def.maxResultBytes,
    closeGraceMs: timing.closeGraceMs,
    killGraceMs: timing.killGraceMs,
    onStdoutNoise,
  });
}

/**
 * `onResponse` sees every HTTP response (the driver keeps a 401's WWW-Authenticate header);
 * `onFallback` is told when a `type: "http"` server is retried over SSE (see sseFallback.ts).
 */
export function createHttpTransport(
  def: HttpDefinition,
  onResponse?: (response: Response) => void,
  onFallback?: (reason: string) => void,
  /** Wraps the fetch every request goes through (OAuth: core/auth/authFetch.ts). */
  wrapFetch?: (fetch: FetchLike) => FetchLike,
): Transport {
  const url = new URL(def.url);
  // The SDK adds requestInit's headers to every request, the SSE GET stream included.
  const requestInit: RequestInit = { headers: { ...def.headers } };
  // Keep-alive sockets, and abort listeners that do not pile up on the transport's shared
  // signal (see http.ts and docs/performance.md). Its sockets close with the transport.
  const keepAlive = createKeepAliveFetch();
  const base: FetchLike = wrapFetch ? wrapFetch(keepAlive) : keepAlive;
  const fetch: FetchLike = onResponse
    ? async (input, init) => {
        const response = await base(input, init);
        onResponse(response);
        return response;
      }
    : base;
  const transport =
    def.type === 'sse'
      ? new SSEClientTransport(url, { requestInit, fetch })
      : new HttpWithSseFallback(
          url,
          { requestInit, fetch: guardResponseStreams(fetch) },
          () => new SSEClientTransport(url, { requestInit, fetch }),
          onFallback,
        );
  return destroyOnClose(transport, keepAlive);
}

/** The keep-alive sockets belong to the transport: they close when it does. */
function destroyOnClose<T extends Transport>(transport: T, keepAlive: KeepAliveFetch): T {
  const close = transport.close.bind(transport);
  transport.close = async () => {
    try {
      await close();
    } finally {
      keepAlive.destroy();
    }
  };
  return transport;
}

export function isStdio(def: ServerDefinition): def is StdioDefinition {
  return def.type === 'stdio';
}
