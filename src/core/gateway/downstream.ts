// The gateway's face to its clients: an SDK v2 server (`@modelcontextprotocol/server`, loaded on
// first use so that activating the extension or running other CLI commands never loads it) per
// client connection, in either protocol era, answering from the Gateway. One Endpoint serves
// one listener (stdio or HTTP) and tells its live clients when a list changed.
import type { CallToolResult, Implementation } from '@modelcontextprotocol/client';
import type { McpRequestContext, Server, ServerContext } from '@modelcontextprotocol/server';
import { errorMessage, isServerError } from '../errors';
import type { Disposable } from '../events';
import type { Logger } from '../logger';
import { GatewayRequestError, type Gateway, type ListKind } from './gateway';
import type { CallContext, GatewayCaller } from './relay';

export type ServerSdk = typeof import('@modelcontextprotocol/server');

/** Loads the SDK's server package (bundled, evaluated only when a gateway starts). */
export function loadServerSdk(): Promise<ServerSdk> {
  // The ESM and CommonJS declarations of the package differ only in name; the bundle has one copy.
  return import('@modelcontextprotocol/server') as unknown as Promise<ServerSdk>;
}

export const GATEWAY_INFO: Implementation = { name: 'mcp-manager-gateway', version: '0.1.0' };

const INSTRUCTIONS =
  'MCP Manager gateway: the tools and prompts of several MCP servers, each named <server>_<name>. ' +
  'Servers start when one of their tools is first used, so a first call may take a little longer.';

interface Live {
  readonly server: Server;
  readonly caller: GatewayCaller;
}

export class GatewayEndpoint implements Disposable {
  private readonly live = new Set<Live>();
  private readonly subscription: Disposable;

  constructor(
    readonly gateway: Gateway,
    private readonly sdk: ServerSdk,
    private readonly log: Logger,
    private readonly info: Implementation = GATEWAY_INFO,
    /** Also told of list changes (the HTTP handler's listen streams). */
    private readonly onListChanged?: (kind: ListKind) => void,
  ) {
    this.subscription = gateway.onDidChangeList((kind) => this.notify(kind));
  }

  /** Clients connected now (long-lived instances: stdio connections, 2025-era HTTP sessions). */
  get clientCount(): number {
    return this.live.size;
  }

  /**
   * Makes the SDK server for one client connection (`longLived`) or one 2026-07-28 HTTP request.
   * Its handlers are the same in both eras; only a 2025-era connection can carry questions back.
   */
  create(ctx: Pick<McpRequestContext, 'era'>, longLived: boolean): Server {
    const { Server: SdkServer, ProtocolError } = this.sdk;
    const server = new SdkServer(this.info, {
      capabilities: { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } },
      instructions: INSTRUCTIONS,
    });
    const gateway = this.gateway;
    const caller = gateway.openCaller({ clientName: () => server.getClientVersion()?.name });
    const legacy = ctx.era === 'legacy';
    const entry: Live = { server, caller };
    if (longLived) this.live.add(entry);
    server.onclose = () => {
      this.live.delete(entry);
      caller.dispose();
    };
    const context = (mcpReq: ServerContext['mcpReq']): CallContext => {
      const caps = legacy ? server.getClientCapabilities() : undefined;
      return {
        caller,
        elicit: caps?.elicitation ? (params, signal) => mcpReq.elicitInput(params, { signal }) : undefined,
        sample: caps?.sampling ? (params, signal) => mcpReq.requestSampling(params, { signal }) as never : undefined,
      };
    };
    const fail = (e: unknown): never => {
      if (e instanceof GatewayRequestError) throw new ProtocolError(e.code, e.message);
      if (isServerError(e) && e.kind === 'protocol' && e.code !== undefined) throw new ProtocolError(e.code, e.message);
      throw new ProtocolError(-32603, errorMessage(e));
    };

    server.setRequestHandler('tools/list', async () => ({ tools: await gateway.listTools(caller) }));
    server.setRequestHandler('tools/call', async (request, hctx) => {
      const token = request.params._meta?.progressToken;
      const notify = hctx.mcpReq.notify;
      try {
        return await gateway.callTool(request.params.name, request.params.arguments, context(hctx.mcpReq), {
          signal: hctx.mcpReq.signal,
          onProgress:
            token === undefined
              ? undefined
              : (p) =>
                  void notify({ method: 'notifications/progress', params: { progressToken: token, ...p } }).catch((e: unknown) =>
                    this.log.debug(`gateway: progress not delivered: ${errorMessage(e)}`),
                  ),
        });
      } catch (e) {
        // A server that could not start or failed mid-call: the calling model should read why.
        if (isServerError(e) && e.kind !== 'protocol' && e.kind !== 'cancelled') return toolError(e.message);
        return fail(e);
      }
    });
    server.setRequestHandler('prompts/list', async () => ({ prompts: await gateway.listPrompts() }));
    server.setRequestHandler('prompts/get', async (request, hctx) =>
      gateway.getPrompt(request.params.name, request.params.arguments, context(hctx.mcpReq), hctx.mcpReq.signal).catch(fail),
    );
    server.setRequestHandler('resources/list', async () => ({ resources: await gateway.listResources() }));
    server.setRequestHandler('resources/templates/list', async () => ({ resourceTemplates: await gateway.listResourceTemplates() }));
    server.setRequestHandler('resources/read', async (request, hctx) =>
      gateway.readResource(request.params.uri, context(hctx.mcpReq), hctx.mcpReq.signal).catch(fail),
    );
    return server;
  }

  private notify(kind: ListKind): void {
    for (const { server } of this.live) {
      const sent =
        kind === 'tools'
          ? server.sendToolListChanged()
          : kind === 'prompts'
            ? server.sendPromptListChanged()
            : server.sendResourceListChanged();
      sent.catch((e: unknown) => this.log.debug(`gateway: ${kind} list_changed not delivered: ${errorMessage(e)}`));
    }
    this.onListChanged?.(kind);
  }

  async close(): Promise<void> {
    this.subscription.dispose();
    await Promise.all([...this.live].map(({ server }) => server.close().catch(() => undefined)));
    this.live.clear();
  }

  dispose(): void {
    void this.close();
  }
}

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}
