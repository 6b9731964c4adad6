// Builds the contenders of every case: our connection layer, a plain SDK v2 client (and the plain
// SDK v1 client, for information), and the floor, each against a server of either protocol era.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseServer, ServerConnection, type ConnectionOptions, type ServerDefinition } from '../../src/core';
import { FIXTURE_SERVER, NODE, REPO_ROOT, stopChild, type StartedServer } from '../../test/fixtures/paths';

export { FIXTURE_SERVER, NODE, REPO_ROOT };
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
export const PIPE_ECHO = path.join(BENCH_DIR, 'servers', 'pipeEcho.mjs');
export const TINY_HTTP = path.join(BENCH_DIR, 'servers', 'tinyHttp.mjs');
/** The bench's SDK v2 server (`--era legacy|modern`, stdio or `--http`). */
export const V2_SERVER = path.join(BENCH_DIR, 'servers', 'v2Server.mjs');

/** The protocol era of the server a case runs against: 2025-11-25 (`initialize`) or 2026-07-28 (`server/discover`). */
export type Era = 'legacy' | 'modern';
export const ERAS: readonly Era[] = ['legacy', 'modern'];
export const ERA_VERSION: Record<Era, string> = { legacy: '2025-11-25', modern: '2026-07-28' };

/** Short grace periods: the bench never waits on a polite shutdown. */
export const BENCH_TIMING = { closeGraceMs: 500, killGraceMs: 500 };
const timing = BENCH_TIMING;

export function definition(entry: Record<string, unknown>, name = 'bench'): ServerDefinition {
  const r = parseServer(name, entry);
  if (!('definition' in r)) throw new Error(`bad bench config: ${JSON.stringify(r.issues)}`);
  return r.definition;
}

/** The command line of the bench server in `era` over stdio. */
export function serverArgs(era: Era): string[] {
  return [V2_SERVER, '--era', era];
}

/** Environment of the bench server for a tool-list case. */
export function toolsEnv(tools: number, outputSchema = false): Record<string, string> {
  return { BENCH_TOOL_COUNT: String(tools), ...(outputSchema ? { BENCH_OUTPUT_SCHEMA: '1' } : {}) };
}

/** Our connection to the bench server over stdio (started on first use). */
export function oursStdio(
  era: Era,
  env: Record<string, string> = {},
  extra: Record<string, unknown> = {},
  options: ConnectionOptions = {},
): ServerConnection {
  return new ServerConnection(definition({ command: NODE, args: serverArgs(era), env, ...extra }), { timing, ...options });
}

/**
 * Our connection to the SDK 1.x fixture server (test/fixtures/server.mjs, a 2025-era server): the
 * server of the figures recorded before issue 13, so that ours can be compared with them in one run.
 */
export function oursV1Fixture(env: Record<string, string> = {}): ServerConnection {
  return new ServerConnection(definition({ command: NODE, args: [FIXTURE_SERVER], env }), { timing });
}

/** The SDK 1.x fixture's environment for `tools` extra tools on one page (what the recorded figures used). */
export function v1FixtureToolsEnv(tools: number): Record<string, string> {
  return { FIXTURE_TOOL_COUNT: String(tools), FIXTURE_PAGE_SIZE: String(tools + 100) };
}

export function oursHttp(url: string): ServerConnection {
  return new ServerConnection(definition({ type: 'http', url }), { timing });
}

/**
 * A plain SDK v2 client as its documentation has a user write one that speaks both eras:
 * `versionNegotiation: { mode: 'auto' }` (server/discover, falling back to initialize). With
 * `twentyFive: true`, the default options instead: the 2025 handshake only.
 */
function plainClient(twentyFive = false): Client {
  return new Client({ name: 'bench-sdk-v2', version: '1.0.0' }, twentyFive ? {} : { versionNegotiation: { mode: 'auto' } });
}

/** A plain SDK v2 client to the bench server over stdio, connected. */
export async function plainStdio(
  era: Era,
  env: Record<string, string> = {},
  opts: { maxBufferSize?: number; twentyFive?: boolean; args?: string[] } = {},
): Promise<Client> {
  const transport = new StdioClientTransport({
    command: NODE,
    args: opts.args ?? serverArgs(era),
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'ignore',
    ...(opts.maxBufferSize ? { maxBufferSize: opts.maxBufferSize } : {}),
  });
  const client = plainClient(opts.twentyFive);
  await client.connect(transport);
  return client;
}

export async function plainHttp(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = plainClient();
  await client.connect(transport);
  return { client, transport };
}

/** The plain SDK v1 client (1.32, what the figures before issue 13 compared with): 2025-era servers only. */
export async function v1Stdio(env: Record<string, string> = {}): Promise<V1Client> {
  const transport = new V1StdioClientTransport({
    command: NODE,
    args: serverArgs('legacy'),
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'ignore',
  });
  const client = new V1Client({ name: 'bench-sdk-v1', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export async function v1Http(url: string): Promise<V1Client> {
  const client = new V1Client({ name: 'bench-sdk-v1', version: '1.0.0' });
  await client.connect(new V1StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Starts a node script that prints `LISTENING <url>` on stderr. */
export function startListening(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<StartedServer> {
  const child = spawn(NODE, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not listen: ${stderr}`)), 15_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      const m = /LISTENING (\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        let stopping: Promise<void> | undefined;
        resolve({ url: m[1]!, pid: child.pid ?? -1, child, stderr: () => stderr, stop: () => (stopping ??= stopChild(child)) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code}): ${stderr}`)));
  });
}

export { childCount } from './procs';

export function textLength(result: { content?: unknown }): number {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.reduce((n, c) => n + (c.text?.length ?? 0), 0);
}
