// In-memory servers: an SDK server in this process, linked to our client through the SDK's
// InMemoryTransport pair. For tests (no process, no socket) and for embedding a server in a tool.
import { InMemoryTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import { DEFAULTS } from '../config/schema';
import type { InMemoryServer, MemoryDefinition } from '../config/types';

export type MemoryOptions = Partial<Omit<MemoryDefinition, 'type' | 'name' | 'createServer' | 'inputs'>>;

/**
 * A definition for a server created in code, e.g.
 * `new ServerConnection(inMemoryServer('demo', () => buildMcpServer()))`. `createServer` runs once
 * per session (an SDK server serves a single transport), so a restart gets a fresh server.
 */
export function inMemoryServer(
  name: string,
  createServer: () => InMemoryServer | Promise<InMemoryServer>,
  options: MemoryOptions = {},
): MemoryDefinition {
  return { ...DEFAULTS, disabled: false, sampling: 'ask', samplingModels: [], ...options, type: 'memory', name, createServer, inputs: [] };
}

/**
 * Creates the server and connects it to one end of a linked pair; returns the other end. Closing
 * the returned transport closes both ends, so the server sees the session end too.
 */
export async function createMemoryTransport(def: MemoryDefinition): Promise<Transport> {
  const [client, server] = InMemoryTransport.createLinkedPair();
  const instance = await def.createServer();
  await instance.connect(server);
  return client;
}
