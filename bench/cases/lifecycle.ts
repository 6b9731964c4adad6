// Lifecycle cases: the cost of configured but unused servers, and idle shutdown.
import { ServerRegistry } from '../../src/core';
import { FIXTURE_SERVER, NODE, childCount, definition, oursStdio, type Era } from '../lib/setup';
import { gc, now } from '../lib/stats';

/** `n` stdio servers configured and never used: heap and processes they cost. */
export async function idleServers(opts: { n?: number }) {
  const n = opts.n ?? 50;
  const defs = Array.from({ length: n }, (_, i) =>
    definition({ command: NODE, args: [FIXTURE_SERVER], env: { INDEX: String(i) } }, `server-${i}`),
  );
  const processesBefore = childCount();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const registry = new ServerRegistry({});
  await registry.update({ servers: defs, issues: [] });
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const processes = childCount() - processesBefore;
  const states = new Set(registry.list().map((c) => c.state.kind));
  await registry.dispose();
  return { servers: n, bytesPerServer: (heapAfter - heapBefore) / n, processes, states: [...states] };
}

/** idleTimeout stops the process after inactivity; the next call restarts it transparently. */
export async function idleShutdown(opts: { era: Era; idleMs?: number }) {
  const idleMs = opts.idleMs ?? 300;
  const conn = oursStdio(opts.era, {}, {}, { timing: { closeGraceMs: 300, killGraceMs: 300, idleTimeoutMs: idleMs } });
  try {
    const pidOf = async () => Number((await conn.callTool('pid', {})).content.map((c) => (c.type === 'text' ? c.text : '')).join(''));
    const first = await pidOf();
    const deadline = Date.now() + idleMs + 5000;
    while (Date.now() < deadline && conn.state.kind !== 'idle') await new Promise((r) => setTimeout(r, 20));
    const stoppedAfterIdle = conn.state.kind === 'idle' && !isAlive(first);
    const t0 = now();
    const second = await pidOf();
    const restartMs = now() - t0;
    return { ok: stoppedAfterIdle && second !== first, stoppedAfterIdle, restarted: second !== first, restartCallMs: restartMs };
  } finally {
    await conn.dispose();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
