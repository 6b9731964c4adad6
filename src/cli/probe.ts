// `servers --probe`: connect to each enabled server, a few at a time, and say which protocol
// version (and era) it speaks, or why it could not be reached. Nothing is probed without --probe:
// listing the configuration never starts a server.
import { errorMessage, type ServerDefinition } from '../core';
import type { LoadedConfig } from './config';
import { withTimeout } from './config';
import { startConnection, type RunContext } from './context';

export type Probe =
  | {
      readonly ok: true;
      readonly protocolVersion?: string;
      readonly era?: 'modern' | 'legacy';
      readonly serverInfo?: { name: string; version: string };
    }
  | { readonly ok: false; readonly error: string };

/** At most this many servers start at once: probing 30 stdio servers must not start 30 processes together. */
export const PROBE_CONCURRENCY = 4;

export async function probeServers(ctx: RunContext, config: LoadedConfig): Promise<Map<string, Probe>> {
  const queue = config.servers.filter((s) => !s.disabled);
  const out = new Map<string, Probe>();
  const worker = async (): Promise<void> => {
    for (let def = queue.shift(); def && !ctx.signal.aborted; def = queue.shift()) out.set(def.name, await probe(ctx, config, def));
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, queue.length) }, worker));
  return out;
}

async function probe(ctx: RunContext, config: LoadedConfig, def: ServerDefinition): Promise<Probe> {
  const conn = ctx.open(withTimeout({ definition: def, inputs: config.inputs }, ctx.args));
  try {
    await startConnection(conn, ctx.signal);
    const info = conn.info;
    return {
      ok: true,
      protocolVersion: info?.protocolVersion,
      era: info?.era,
      serverInfo: info?.serverInfo ? { name: info.serverInfo.name, version: info.serverInfo.version } : undefined,
    };
  } catch (e) {
    // The row already names the server.
    const full = errorMessage(e);
    const message = full.startsWith(`${def.name}: `) ? full.slice(def.name.length + 2) : full;
    return { ok: false, error: conn.masker.mask(message) };
  } finally {
    // One process at a time per worker: stop it before the next one starts.
    await conn.dispose();
  }
}

/** The PROTOCOL column of `servers --probe`. */
export function describeProbe(p: Probe | undefined, disabled: boolean): string {
  if (disabled) return '(disabled: not probed)';
  if (!p) return '(not probed: interrupted)';
  if (!p.ok) return `FAILED: ${p.error.split('\n')[0]}`;
  return p.protocolVersion ? `${p.protocolVersion}${p.era === 'modern' ? ' (stateless)' : ''}` : '(unknown)';
}
