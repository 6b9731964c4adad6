// The gateway: the configured servers offered as one MCP server (see gateway.ts).
export { Gateway, GatewayRequestError, type GatewayOptions, type ListKind } from './gateway';
export { NameTable, namePrefix, MAX_NAME_LENGTH, type NameTarget } from './names';
export {
  FileMetadataStore,
  FileToolChoices,
  MemoryMetadataStore,
  listsKey,
  type MetadataStore,
  type RememberedLists,
  type ToolChoices,
} from './store';
export { askHostFor, type AskRelay, type CallContext, type GatewayAskHost, type GatewayCaller, type UpstreamAsk } from './relay';
export { GatewayEndpoint, GATEWAY_INFO, loadServerSdk } from './downstream';
export { serveGatewayStdio, type GatewayStdio } from './stdio';
export { GatewayHttpServer, GATEWAY_PATH, checkRequest, newGatewayToken, writeTokenFile, type GatewayHttpOptions } from './http';
export { gatewayConfigSnippet, CLIENT_KINDS, TOKEN_VARIABLE, type ClientKind, type GatewayLaunch } from './snippets';
