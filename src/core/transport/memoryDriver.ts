// In-memory: an SDK server in this process (see memory.ts).
import type { MemoryDefinition } from '../config/types';
import type { TransportDriver } from './driver';
import { createMemoryTransport } from './memory';

export const memoryDriver: TransportDriver<MemoryDefinition> = {
  types: ['memory'],
  secrets: () => [],
  // Nothing in an in-memory definition takes `${input:}` values.
  substitute: (def) => def,
  create(def, ctx) {
    ctx.log.info('connecting to an in-memory server');
    return createMemoryTransport(def);
  },
  describe: () => 'in-memory server',
  process: () => undefined,
  explainTimeout: (_def, timeoutMs) =>
    `did not complete the MCP handshake within ${timeoutMs} ms (startupTimeoutMs). Check the server's code, or raise startupTimeoutMs if it is just slow.`,
  explainStartup: () => Promise.resolve(undefined),
  explainRequest: () => undefined,
  expiredSession: () => undefined,
};
