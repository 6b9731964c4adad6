// The gateway over stdio (`mcp-manager serve`): one client, either era (the SDK's serveStdio
// pins the era from the client's first message).
import type { Transport } from '@modelcontextprotocol/client';
import type { Implementation } from '@modelcontextprotocol/client';
import type { Logger } from '../logger';
import { nullLogger } from '../logger';
import { GatewayEndpoint, loadServerSdk } from './downstream';
import type { Gateway } from './gateway';

export interface GatewayStdio {
  readonly endpoint: GatewayEndpoint;
  close(): Promise<void>;
}

export async function serveGatewayStdio(
  gateway: Gateway,
  options: { readonly transport?: Transport; readonly logger?: Logger; readonly info?: Implementation } = {},
): Promise<GatewayStdio> {
  const log = options.logger ?? nullLogger;
  const sdk = await loadServerSdk();
  const { serveStdio } =
    (await import('@modelcontextprotocol/server/stdio')) as unknown as typeof import('@modelcontextprotocol/server/stdio');
  const endpoint = new GatewayEndpoint(gateway, sdk, log, options.info);
  const handle = serveStdio((ctx) => endpoint.create(ctx, true), {
    legacy: 'serve',
    transport: options.transport,
    onerror: (e) => log.debug(`gateway stdio: ${e.message}`),
  });
  return {
    endpoint,
    close: async () => {
      await endpoint.close();
      await handle.close();
    },
  };
}
