// The API other extensions get from `vscode.extensions.getExtension('mcp-manager.mcp-manager').exports`.
// It goes through the same registry (and kept-alive connections) and the same catalog as the tree
// and the commands.
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { type CallOptions, type ServerCatalog, type ServerDefinition, ServerError, type ServerRegistry, type StateKind } from '../core';

export interface ServerSummary {
  readonly name: string;
  readonly state: StateKind;
  readonly transport: ServerDefinition['type'];
}

export interface McpManagerApi {
  /** Configured servers with their current state. Starts nothing. */
  listServers(): ServerSummary[];
  /** The server's tools; starts the server if needed. */
  listTools(server: string): Promise<Tool[]>;
  /** Calls a tool; starts the server if needed. Aborting the signal cancels the call on the server. */
  /** `onProgress` asks the server for progress, which then also resets the server's requestTimeoutMs. */
  callTool(
    server: string,
    tool: string,
    args?: Record<string, unknown>,
    options?: Pick<CallOptions, 'signal' | 'onProgress'>,
  ): Promise<CallToolResult>;
  /** Servers were added/removed/changed, or a server's state or tools changed. */
  readonly onDidChange: vscode.Event<void>;
}

export function createApi(registry: ServerRegistry, catalog: ServerCatalog): McpManagerApi & vscode.Disposable {
  const emitter = new vscode.EventEmitter<void>();
  const fire = () => emitter.fire();
  const subscriptions = [registry.onDidChangeServers(fire), registry.onDidChangeState(fire), registry.onDidChangeTools(fire)];
  const get = (name: string) => {
    const conn = registry.get(name);
    if (!conn) throw new ServerError(name, 'config', `no MCP server named "${name}" is configured`);
    return conn;
  };
  return {
    listServers: () => registry.list().map((c) => ({ name: c.name, state: c.state.kind, transport: c.definition.type })),
    listTools: async (server) => [...(await catalog.list(get(server), 'tools'))],
    callTool: async (server, tool, args, options) =>
      get(server).callTool(tool, args, { signal: options?.signal, onProgress: options?.onProgress }),
    onDidChange: emitter.event,
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      emitter.dispose();
    },
  };
}
