// What another client needs in its configuration to use the gateway (`mcp-manager serve
// --print-config`, "MCP: Copy Gateway Configuration..."). The token is never written into a
// snippet: HTTP entries read it from the environment variable (or, in VS Code, a password
// input), which the user fills from the token file.
export type ClientKind = 'claude' | 'cursor' | 'vscode';
export const CLIENT_KINDS: readonly ClientKind[] = ['claude', 'cursor', 'vscode'];

export const TOKEN_VARIABLE = 'MCP_MANAGER_GATEWAY_TOKEN';

export type GatewayLaunch =
  { readonly kind: 'stdio'; readonly command: string; readonly args: readonly string[] } | { readonly kind: 'http'; readonly url: string };

/** The entry for `client` as JSON text, under the server name `name` (default "mcp-manager"). */
export function gatewayConfigSnippet(client: ClientKind, launch: GatewayLaunch, name = 'mcp-manager'): string {
  return `${JSON.stringify(snippetObject(client, launch, name), null, 2)}\n`;
}

function snippetObject(client: ClientKind, launch: GatewayLaunch, name: string): unknown {
  if (launch.kind === 'stdio') {
    const entry = { command: launch.command, args: [...launch.args] };
    return client === 'vscode' ? { servers: { [name]: { type: 'stdio', ...entry } } } : { mcpServers: { [name]: entry } };
  }
  switch (client) {
    case 'claude': // Claude Code expands ${VAR} in .mcp.json
      return { mcpServers: { [name]: { type: 'http', url: launch.url, headers: { Authorization: `Bearer \${${TOKEN_VARIABLE}}` } } } };
    case 'cursor':
      return { mcpServers: { [name]: { url: launch.url, headers: { Authorization: `Bearer \${env:${TOKEN_VARIABLE}}` } } } };
    case 'vscode':
      return {
        inputs: [{ type: 'promptString', id: 'mcp-manager-gateway-token', description: 'MCP Manager gateway token', password: true }],
        servers: { [name]: { type: 'http', url: launch.url, headers: { Authorization: 'Bearer ${input:mcp-manager-gateway-token}' } } },
      };
  }
}
