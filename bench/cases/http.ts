// Streamable HTTP cases: warm call latency, and abort-listener growth over many calls.
import { getEventListeners } from 'node:events';
import type { ServerConnection } from '../../src/core';
import { RawHttpClient } from '../lib/raw';
import { TINY_HTTP, V2_SERVER, oursHttp, plainHttp, startListening, v1Http, type Era } from '../lib/setup';
import { alternate } from '../lib/stats';

const ARGS = { message: 'hi' };

/**
 * Warm tools/call over Streamable HTTP, against a server of one era. `tiny`: a minimal JSON-response
 * server (client cost dominates; the floor is raw http.request keep-alive to the same server).
 * `fixture`: the bench's SDK v2 server (bench/servers/v2Server.mjs), whose own cost is shown by the
 * raw client against it. For a 2025-era server also the plain SDK v1 client, for information.
 */
export async function httpWarm(opts: { era: Era; server: 'tiny' | 'fixture'; rounds?: number; perRound?: number; warmup?: number }) {
  const { era } = opts;
  const server =
    opts.server === 'tiny' ? await startListening(TINY_HTTP, ['--era', era]) : await startListening(V2_SERVER, ['--era', era, '--http']);
  const floor = new RawHttpClient(server.url, era);
  await floor.open();
  const sdk = await plainHttp(server.url);
  const ours = oursHttp(server.url);
  await ours.start();
  const v1 = era === 'legacy' ? await v1Http(server.url) : undefined;
  try {
    return await alternate(
      {
        floor: () => floor.call('echo', ARGS),
        sdk: () => sdk.client.callTool({ name: 'echo', arguments: ARGS }),
        ours: () => ours.callTool('echo', ARGS),
        ...(v1 && { v1: () => v1.callTool({ name: 'echo', arguments: ARGS }) }),
      },
      { warmup: opts.warmup ?? 500, rounds: opts.rounds ?? 5, perRound: opts.perRound ?? 500 },
    );
  } finally {
    floor.close();
    await Promise.all([sdk.client.close(), ours.dispose(), v1?.close()]);
    await server.stop();
  }
}

/** The transport-wide AbortSignal the SDK's StreamableHTTPClientTransport passes to every fetch. */
function sharedSignal(transport: unknown): AbortSignal {
  const signal = (transport as { _abortController?: AbortController })._abortController?.signal;
  if (!signal) throw new Error('SDK internals changed: no _abortController on the transport');
  return signal;
}

function transportOf(conn: ServerConnection): unknown {
  return (conn as unknown as { session?: { transport: unknown } }).session?.transport;
}

async function connectionsAccepted(server: { child: import('node:child_process').ChildProcess; stderr(): string }): Promise<number> {
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    const m = /CONNECTIONS (\d+)\n(?![\s\S]*CONNECTIONS)/.exec(server.stderr());
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 10));
  }
  return NaN;
}

/** N calls each: abort listeners left on the shared signal, MaxListeners warnings, TCP connections. */
export async function httpListeners(opts: { era: Era; calls?: number; who: 'sdk' | 'ours' }) {
  const calls = opts.calls ?? 10_000;
  let warnings = 0;
  process.on('warning', (w) => {
    if (w.name === 'MaxListenersExceededWarning') warnings++;
  });
  const server = await startListening(TINY_HTTP, ['--era', opts.era]);
  try {
    let signal: AbortSignal;
    let call: () => Promise<unknown>;
    let close: () => Promise<void>;
    if (opts.who === 'sdk') {
      const sdk = await plainHttp(server.url);
      signal = sharedSignal(sdk.transport);
      call = () => sdk.client.callTool({ name: 'echo', arguments: ARGS });
      close = () => sdk.client.close();
    } else {
      const ours = oursHttp(server.url);
      await ours.start();
      signal = sharedSignal(transportOf(ours));
      call = () => ours.callTool('echo', ARGS);
      close = () => ours.dispose();
    }
    const before = getEventListeners(signal, 'abort').length;
    let peak = before;
    for (let i = 0; i < calls; i++) {
      await call();
      if (i % 100 === 99) peak = Math.max(peak, getEventListeners(signal, 'abort').length);
    }
    const after = getEventListeners(signal, 'abort').length;
    const connections = await connectionsAccepted(server);
    await close();
    return {
      calls,
      listenersBefore: before,
      listenersAfter: after,
      listenersPeak: peak,
      maxListenersWarnings: warnings,
      tcpConnections: connections,
    };
  } finally {
    await server.stop();
  }
}
