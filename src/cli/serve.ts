// `mcp-manager serve [server...]`: the configured servers as one MCP server for other clients
// (Claude Code, Cursor, Claude Desktop, scripts), on stdio or on local Streamable HTTP. Nothing
// starts until a client uses a server; lists seen before are answered from
// $XDG_CONFIG_HOME/mcp-manager/gateway (default ~/.config/mcp-manager/gateway).
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  askHostFor,
  FileMetadataStore,
  FileToolChoices,
  Gateway,
  GatewayHttpServer,
  gatewayConfigSnippet,
  isConfigNote,
  serveGatewayStdio,
  suggest,
  TOKEN_VARIABLE,
  writeTokenFile,
  type AskHost,
  type GatewayAskHost,
  type GatewayLaunch,
} from '../core';
import { loadCliConfig } from './config';
import type { RunContext } from './context';
import { EXIT, usageError } from './errors';
import { stderrLogger } from './logger';

/** Where the gateway keeps what it remembers: $XDG_CONFIG_HOME/mcp-manager/gateway. */
export function gatewayStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'mcp-manager', 'gateway');
}

export async function serve(ctx: RunContext): Promise<number> {
  const a = ctx.args.serveArgs!;
  const config = loadCliConfig(ctx.args, ctx.cwd);
  const names = config.servers.map((s) => s.name);
  for (const name of a.servers) {
    if (names.includes(name)) continue;
    const own = config.issues.find((i) => i.server === name && !isConfigNote(i));
    if (own) throw usageError(`invalid configuration: ${own.field ? `${own.field}: ` : ''}${own.message}. Fix the entry first.`, name);
    const hint = suggest(name, names);
    throw usageError(
      `no server named "${name}" in ${config.where}. Configured: ${names.join(', ') || 'none'}${hint ? ` (did you mean "${hint}"?)` : ''}.`,
      name,
    );
  }

  if (a.printConfig) {
    ctx.out(gatewayConfigSnippet(a.printConfig, launchFor(ctx, a.servers, a.httpPort)));
    if (a.httpPort !== undefined)
      ctx.err(
        `The entry reads the token from ${a.printConfig === 'vscode' ? 'a password prompt' : `$${TOKEN_VARIABLE}`}; start the gateway with: mcp-manager serve --http 127.0.0.1:${a.httpPort} --token-file FILE\n`,
      );
    return EXIT.ok;
  }

  let token: string | undefined;
  if (a.httpPort !== undefined && !a.tokenFile) {
    token = process.env[TOKEN_VARIABLE];
    if (!token)
      throw usageError(
        `--http needs a token for its clients: give --token-file FILE (a new token is written there) or set ${TOKEN_VARIABLE}.`,
      );
    if (token.length < 22) throw usageError(`${TOKEN_VARIABLE} is too short: use at least 128 random bits (e.g. openssl rand -base64 32).`);
  }

  // Named servers are offered even with "expose": false (asking for them by name is the choice).
  const chosen = a.servers.length ? config.servers.filter((s) => a.servers.includes(s.name)) : config.servers;
  const workspace = path.resolve(ctx.cwd, ctx.args.config ?? ctx.args.workspace ?? '.');
  // The servers' questions go to the gateway client whose call caused them (not to this terminal).
  const relay: { host?: GatewayAskHost } = {};
  const ask: AskHost = {
    defaultRoots: () => [path.resolve(ctx.cwd, ctx.args.workspace ?? '.')],
    elicit: (request, c) => relay.host!.elicit(request, c),
    sample: (request, c) => relay.host!.sample(request, c),
  };
  const connections = chosen.map((definition) =>
    ctx.open({ definition: a.servers.length ? { ...definition, expose: true } : definition, inputs: config.inputs }, ask),
  );
  const dir = gatewayStateDir();
  const gateway = new Gateway({
    servers: () => connections,
    store: new FileMetadataStore(path.join(dir, 'lists')),
    choices: new FileToolChoices(path.join(dir, `tools-${createHash('sha256').update(workspace).digest('hex').slice(0, 16)}.json`)),
    logger: stderrLogger(ctx.args.verbosity, 'gateway'),
  });
  relay.host = askHostFor(gateway);
  const log = stderrLogger(ctx.args.verbosity, 'gateway');
  try {
    if (a.httpPort === undefined) {
      const stdio = await serveGatewayStdio(gateway, { logger: log });
      // The client ends the session by closing our stdin (or Ctrl+C / SIGTERM).
      await untilEnd(ctx.signal, (done) => process.stdin.once('end', done).once('close', done));
      await stdio.close();
      return EXIT.ok;
    }
    const server = await GatewayHttpServer.start(gateway, { port: a.httpPort, token, logger: log });
    if (a.tokenFile) await writeTokenFile(path.resolve(ctx.cwd, a.tokenFile), server.token);
    ctx.out(
      ctx.args.jsonOutput
        ? `${JSON.stringify({ url: server.url, tokenFile: a.tokenFile ? path.resolve(ctx.cwd, a.tokenFile) : undefined })}\n`
        : `MCP Manager gateway: ${server.url} (${connections.length} server${connections.length === 1 ? '' : 's'}; Ctrl+C stops it)\n`,
    );
    await untilEnd(ctx.signal);
    await server.close();
    return EXIT.ok;
  } finally {
    gateway.dispose();
  }
}

function untilEnd(signal: AbortSignal, also?: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    also?.(() => resolve());
  });
}

/** How another client starts this gateway: this node and this CLI script, with the same configuration options. */
function launchFor(ctx: RunContext, servers: readonly string[], httpPort: number | undefined): GatewayLaunch {
  if (httpPort !== undefined) return { kind: 'http', url: `http://127.0.0.1:${httpPort}/mcp` };
  const script = path.resolve(process.argv[1] ?? 'mcp-manager');
  const where = ctx.args.config
    ? ['--config', path.resolve(ctx.cwd, ctx.args.config)]
    : ['--workspace', path.resolve(ctx.cwd, ctx.args.workspace ?? '.')];
  return { kind: 'stdio', command: process.execPath, args: [script, 'serve', ...servers, ...where] };
}
