// The in-editor gateway: VS Code's own MCP support (chat, agent mode) gets our servers through
// `vscode.lm.registerMcpServerDefinitionProvider`, one definition per offered server, each
// pointing at a local Streamable HTTP gateway in this extension host, so chat uses the same
// kept-alive process per server as the tree (consent and inputs apply as for our own calls).
// Feature-detected: VS Code 1.100 has no such API and simply gets nothing. Nothing listens until
// VS Code resolves a definition, i.e. starts one of the servers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  FileMetadataStore,
  FileToolChoices,
  Gateway,
  GatewayHttpServer,
  GATEWAY_PATH,
  type Logger,
  type ServerConnection,
  type ServerRegistry,
} from '../../core';
import type { GatewaySource } from '../tree/serverTree';

export const GATEWAY_PROVIDER_ID = 'mcpManager.gateway';

/** The parts of the 1.101+ API this uses (the typings here are 1.100's). */
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<unknown[]> | unknown[];
      resolveMcpServerDefinition?(definition: unknown, token: vscode.CancellationToken): Promise<unknown> | unknown;
    },
  ): vscode.Disposable;
}
type HttpDefinitionClass = new (
  label: string,
  uri: vscode.Uri,
  headers?: Record<string, string>,
  version?: string,
) => {
  label: string;
  uri: vscode.Uri;
  headers: Record<string, string>;
};

/** Servers VS Code reads itself from .vscode/mcp.json are not offered to it a second time. */
export function readByVsCode(conn: ServerConnection): boolean {
  const file = conn.definition.source?.file;
  return !!file && path.basename(file) === 'mcp.json' && path.basename(path.dirname(file)) === '.vscode';
}

export class EditorGateway implements vscode.Disposable, GatewaySource {
  private made?: Gateway;
  /** The gateway of every exposed server, made on first use: its code loads with dist/protocol.js. */
  get gateway(): Gateway {
    return (this.made ??= this.makeGateway());
  }
  private readonly perServer = new Map<ServerConnection, Gateway>();
  private http?: Promise<GatewayHttpServer>;
  /** Whether VS Code took the definition provider (1.101+). */
  registered = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly uses = new vscode.EventEmitter<void>();
  /** The tool choices or the clients of a server changed (the tree's checkboxes and counts). */
  readonly onDidChange = this.uses.event;
  private readonly store: FileMetadataStore;
  private readonly choices: FileToolChoices;

  constructor(
    private readonly registry: ServerRegistry,
    storage: { readonly global: string; readonly workspace?: string },
    private readonly log: Logger,
    /** A server's own log (its Output channel): which clients use it through the gateway. */
    private readonly loggerFor?: (server: string) => Logger,
  ) {
    this.store = new FileMetadataStore(path.join(storage.global, 'gateway', 'lists'));
    // Tool choices are the workspace's (its storage), else the window's.
    this.choices = new FileToolChoices(path.join(storage.workspace ?? storage.global, 'gateway-tools.json'));
    this.disposables.push(
      this.changed,
      this.uses,
      this.choices.onDidChange(() => this.uses.fire()),
      registry.onDidChangeServers(() => {
        this.changed.fire();
        for (const [conn, g] of this.perServer) {
          if (registry.get(conn.name) === conn) continue;
          g.dispose();
          this.perServer.delete(conn);
        }
      }),
    );
  }

  /** Servers offered to VS Code: the gateway's, without those VS Code runs itself. */
  offered(): ServerConnection[] {
    // What the gateway offers, worked out without making it (VS Code asks at startup).
    return this.registry.list().filter((c) => !c.definition.disabled && c.definition.expose !== false && !readByVsCode(c));
  }

  /** Registers the definition provider when this VS Code has the API (1.101+); returns whether it did. */
  registerProvider(): boolean {
    const lm = (vscode as unknown as { lm?: Partial<McpApi> }).lm;
    const HttpDefinition = (vscode as unknown as { McpHttpServerDefinition?: HttpDefinitionClass }).McpHttpServerDefinition;
    if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || !HttpDefinition) return false;
    let registration: vscode.Disposable;
    try {
      registration = lm.registerMcpServerDefinitionProvider(GATEWAY_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: this.changed.event,
        provideMcpServerDefinitions: () => this.definitions().map((d) => new HttpDefinition(d.label, vscode.Uri.parse(d.url), d.headers)),
        resolveMcpServerDefinition: async (definition) => {
          // The listener starts when VS Code starts one of the servers; the URL gets its port then.
          const server = await this.listen();
          const def = definition as InstanceType<HttpDefinitionClass>;
          const name = decodeURIComponent(def.uri.path.slice(GATEWAY_PATH.length + 1));
          def.uri = vscode.Uri.parse(`http://127.0.0.1:${server.port}${GATEWAY_PATH}/${encodeURIComponent(name)}`);
          def.headers = { ...def.headers, Authorization: `Bearer ${server.token}` };
          return def;
        },
      });
    } catch (e) {
      // VS Code 1.100 has an early form of the API that wants another contribution point: the
      // servers are then not offered to its chat, and nothing else changes.
      this.log.info(`VS Code's MCP server definition API is not usable here: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    this.disposables.push(registration);
    return (this.registered = true);
  }

  /** What the provider offers: one entry per server (the URL's port is filled in on resolve). */
  definitions(): { label: string; server: string; url: string; headers: Record<string, string> }[] {
    return this.offered().map((c) => ({
      label: `${c.name} (MCP Manager)`,
      server: c.name,
      url: `http://127.0.0.1:0${GATEWAY_PATH}/${encodeURIComponent(c.name)}`,
      headers: {},
    }));
  }

  /** The local HTTP gateway, started on first use. */
  listen(): Promise<GatewayHttpServer> {
    return (this.http ??= GatewayHttpServer.start(this.gateway, {
      logger: this.log,
      routes: (name) => this.gatewayFor(name),
    }).then((server) => {
      this.log.info(`gateway listening on ${server.url} (and ${server.url}/<server>)`);
      return server;
    }));
  }

  isToolOffered(server: string, tool: string): boolean {
    return this.choices.isOffered(server, tool);
  }

  /** Offers a tool to the gateway's clients or hides it; they are told their tool list changed. */
  setToolOffered(server: string, tool: string, offered: boolean): Promise<void> {
    return this.choices.setOffered(server, tool, offered);
  }

  /** How many clients of the gateway used `server`. */
  clientsOf(server: string): number {
    let n = this.made?.clientsOf(server) ?? 0;
    for (const [conn, g] of this.perServer) if (conn.name === server) n += g.clientsOf(server);
    return n;
  }

  private gatewayFor(name: string): Gateway | undefined {
    const conn = this.registry.get(name);
    if (!conn || !this.offered().includes(conn)) return undefined;
    let g = this.perServer.get(conn);
    if (!g) this.perServer.set(conn, (g = this.makeGateway([name])));
    return g;
  }

  private makeGateway(only?: string[]): Gateway {
    const gateway = new Gateway({
      servers: () => this.registry.list(),
      onDidChangeServers: this.registry.onDidChangeServers,
      only,
      store: this.store,
      choices: this.choices,
      logger: this.log,
      serverLogger: this.loggerFor,
    });
    // Disposed with the gateway (its emitter goes with it).
    gateway.onDidChangeClients(() => this.uses.fire());
    return gateway;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.http?.then((s) => s.close()).catch(() => undefined);
    for (const g of this.perServer.values()) g.dispose();
    this.made?.dispose();
  }
}

export { registerCopyGatewayConfig, COPY_GATEWAY_CONFIG_COMMAND } from './copyConfig';
export { registerGatewayCheckboxes } from './checkboxes';
