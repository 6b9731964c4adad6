// Streamable HTTP cases: warm call latency, and abort-listener growth over many calls.
import { getEventListeners } from 'node:events';
import type { ServerConnection } from '../../src/core';
import { startHttpFixture } from '../../test/fixtures/paths';
import { RawHttpClient } from '../lib/raw';
import { TINY_HTTP, oursHttp, sdkHttp, startListening } from '../lib/setup';
import { alternate } from '../lib/stats';

const ARGS = { message: 'hi' };

/**
 * Warm tools/call over Streamable HTTP. `tiny`: a minimal JSON-response server (client cost
 * dominates; the floor is raw http.request keep-alive to the same server). `fixture`: the SDK's
 * own server (SSE responses), whose own cost is shown by the raw client against it.
 */
export async function httpWarm(opts: { server: 'tiny' | 'fixture'; rounds?: number; perRound?: number; warmup?: number }) {
  const server = opts.server === 'tiny' ? await startListening(TINY_HTTP) : await startHttpFixture(['--http']);
  const floor = new RawHttpClient(server.url);
  await floor.initialize();
  const sdk = await sdkHttp(server.url);
  const ours = oursHttp(server.url);
  await ours.start();
  try {
    return await alternate(
      {
        floor: () => floor.call('echo', ARGS),
        sdk: () => sdk.client.callTool({ name: 'echo', arguments: ARGS }),
        ours: () => ours.callTool('echo', ARGS),
      },
      { warmup: opts.warmup ?? 500, rounds: opts.rounds ?? 5, perRound: opts.perRound ?? 500 },
    );
  } finally {
    floor.close();
    await Promise.all([sdk.client.close(), ours.dispose()]);
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
export async function httpListeners(opts: { calls?: number; who: 'sdk' | 'ours' }) {
  const calls = opts.calls ?? 10_000;
  let warnings = 0;
  process.on('warning', (w) => {
    if (w.name === 'MaxListenersExceededWarning') warnings++;
  });
  const server = await startListening(TINY_HTTP);
  try {
    let signal: AbortSignal;
    let call: () => Promise<unknown>;
    let close: () => Promise<void>;
    if (opts.who === 'sdk') {
      const sdk = await sdkHttp(server.url);
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
