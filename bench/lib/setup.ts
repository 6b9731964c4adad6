// Builds the three contenders of every case: our connection layer, a plain SDK client, and the
// floor. Paths and server starters come from the test fixtures.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseServer, ServerConnection, type ConnectionOptions, type ServerDefinition } from '../../src/core';
import { FIXTURE_SERVER, NODE, REPO_ROOT, stopChild, type StartedServer } from '../../test/fixtures/paths';

export { FIXTURE_SERVER, NODE, REPO_ROOT };
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
export const PIPE_ECHO = path.join(BENCH_DIR, 'servers', 'pipeEcho.mjs');
export const TINY_HTTP = path.join(BENCH_DIR, 'servers', 'tinyHttp.mjs');

/** Short grace periods: the bench never waits on a polite shutdown. */
const timing = { closeGraceMs: 500, killGraceMs: 500 };

export function definition(entry: Record<string, unknown>, name = 'bench'): ServerDefinition {
  const r = parseServer(name, entry);
  if (!('definition' in r)) throw new Error(`bad bench config: ${JSON.stringify(r.issues)}`);
  return r.definition;
}

/** Our connection to the fixture over stdio (started on first use). */
export function oursStdio(
  env: Record<string, string> = {},
  extra: Record<string, unknown> = {},
  options: ConnectionOptions = {},
): ServerConnection {
  return new ServerConnection(definition({ command: NODE, args: [FIXTURE_SERVER], env, ...extra }), { timing, ...options });
}

export function oursHttp(url: string): ServerConnection {
  return new ServerConnection(definition({ type: 'http', url }), { timing });
}

/** A plain SDK client to the fixture over stdio, connected. */
export async function sdkStdio(env: Record<string, string> = {}, maxBufferSize?: number): Promise<Client> {
  const transport = new StdioClientTransport({
    command: NODE,
    args: [FIXTURE_SERVER],
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'ignore',
    ...(maxBufferSize ? { maxBufferSize } : {}),
  });
  const client = new Client({ name: 'bench-sdk', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export async function sdkHttp(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'bench-sdk', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
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

/** Live direct children of this process (zombies excluded). */
export function childCount(): number {
  let n = 0;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === process.pid && f[0] !== 'Z') n++;
    } catch {
      // exited
    }
  }
  return n;
}

export function textLength(result: { content?: unknown }): number {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.reduce((n, c) => n + (c.text?.length ?? 0), 0);
}
