// The gateway (`mcp-manager serve`, dist/cli.js over stdio, a plain SDK v2 client downstream):
// tools/list with 50 servers whose lists are remembered (time, and processes started: goal 0),
// and a warm tools/call through the gateway against the same call made directly (goal: within
// 1.5x the direct call plus one stdio hop, the raw pipe round trip).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { FileMetadataStore, listsKey } from '../../src/core';
import { loadCliConfig } from '../../src/cli/config';
import { descendants } from '../../test/servers/gatewayHelpers';
import { RawPipeClient } from '../lib/raw';
import { FIXTURE_SERVER, NODE, PIPE_ECHO, REPO_ROOT } from '../lib/setup';
import { alternate, now, summarize, type Summary } from '../lib/stats';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function workspace(servers: number): { dir: string; config: string; xdg: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-bench-gateway-'));
  const config = path.join(dir, 'mcp.json');
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < servers; i++) entries[`s${i}`] = { command: NODE, args: [FIXTURE_SERVER], env: { BENCH_SERVER: String(i) } };
  fs.writeFileSync(config, JSON.stringify({ servers: entries }));
  return { dir, config, xdg: path.join(dir, 'xdg') };
}

async function gatewayClient(config: string, xdg: string, cwd: string): Promise<{ client: Client; pid: number }> {
  const transport = new StdioClientTransport({
    command: NODE,
    args: [CLI, 'serve', '--config', config],
    env: { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: xdg },
    cwd,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-gateway', version: '1.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid! };
}

async function directClient(): Promise<Client> {
  const client = new Client({ name: 'bench-direct', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: NODE, args: [FIXTURE_SERVER], stderr: 'ignore' }));
  return client;
}

/** tools/list through the gateway with `servers` servers remembered: the first list after connecting, then warm lists. */
export async function gatewayList(opts: { servers?: number; lists?: number } = {}) {
  const n = opts.servers ?? 50;
  const ws = workspace(n);
  try {
    // Remember the fixture's lists for every server, exactly as the gateway keys them.
    const probe = await directClient();
    const tools = (await probe.listTools()).tools;
    await probe.close();
    const store = new FileMetadataStore(path.join(ws.xdg, 'mcp-manager', 'gateway', 'lists'));
    for (const def of loadCliConfig({ config: ws.config }, ws.dir).servers)
      await store.set(def.name, listsKey(def), { tools, resources: [], resourceTemplates: [], prompts: [], listedAt: Date.now() });

    const t0 = now();
    const { client, pid } = await gatewayClient(ws.config, ws.xdg, ws.dir);
    const connected = now();
    const first = (await client.listTools()).tools.length;
    const firstMs = now() - connected;
    const times: number[] = [];
    for (let i = 0; i < (opts.lists ?? 20); i++) {
      const t = now();
      await client.listTools();
      times.push(now() - t);
    }
    const processes = descendants(pid).length;
    await client.close();
    return {
      servers: n,
      tools: first,
      connectMs: connected - t0,
      firstListMs: firstMs,
      warmList: summarize(times),
      processesStarted: processes,
    };
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/** A warm echo through the gateway vs the same call to the fixture directly, and one raw stdio hop. */
export async function gatewayWarmCall(
  opts: { rounds?: number; perRound?: number; warmup?: number } = {},
): Promise<Record<string, Summary>> {
  const ws = workspace(1);
  const { client: viaGateway } = await gatewayClient(ws.config, ws.xdg, ws.dir);
  const direct = await directClient();
  const hop = new RawPipeClient(NODE, [PIPE_ECHO]);
  try {
    await viaGateway.listTools();
    return await alternate(
      {
        gateway: () => viaGateway.callTool({ name: 's0_echo', arguments: { message: 'hi' } }),
        direct: () => direct.callTool({ name: 'echo', arguments: { message: 'hi' } }),
        hop: () => hop.request('tools/call', { name: 'echo', arguments: { message: 'hi' } }),
      },
      { warmup: opts.warmup ?? 1000, rounds: opts.rounds ?? 6, perRound: opts.perRound ?? 200 },
    );
  } finally {
    await Promise.all([viaGateway.close(), direct.close(), hop.close()]);
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

interface Row {
  case: string;
  ours: string;
  sdk: string;
  floor: string;
  goal: string;
  met?: boolean;
  oursVsSdk?: number;
}

/** run.ts's `gateway` group: runs both cases and adds their rows and goals. */
export async function report(
  runCase: <T>(name: string, opts?: object) => Promise<T>,
  rows: Row[],
  goal: (text: string, met: boolean, detail: string) => void,
  quick: boolean,
): Promise<void> {
  const ms = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
  const list = await runCase<Awaited<ReturnType<typeof gatewayList>>>('gatewayList', { servers: 50, lists: quick ? 10 : 30 });
  rows.push({
    case: `gateway tools/list, ${list.servers} servers remembered (${list.tools} tools)`,
    ours: `first ${ms(list.firstListMs)}, warm ${ms(list.warmList.median)}; ${list.processesStarted} processes`,
    sdk: '',
    floor: '',
    goal: '0 processes started',
    met: list.processesStarted === 0,
  });
  const call = await runCase<Record<'gateway' | 'direct' | 'hop', Summary>>(
    'gatewayWarmCall',
    quick ? { rounds: 3, perRound: 100, warmup: 300 } : {},
  );
  const budget = 1.5 * call.direct!.median + call.hop!.median;
  rows.push({
    case: 'gateway warm tools/call (echo) vs direct',
    ours: ms(call.gateway!.median),
    sdk: ms(call.direct!.median),
    floor: ms(call.hop!.median),
    oursVsSdk: call.gateway!.median / call.direct!.median,
    goal: '≤ 1.5x direct + one hop',
    met: call.gateway!.median <= budget,
  });
  goal(
    'Gateway: tools/list of 50 remembered servers starts nothing; a warm call within 1.5x direct plus one stdio hop',
    list.processesStarted === 0 && call.gateway!.median <= budget,
    `tools/list of ${list.tools} tools: first ${ms(list.firstListMs)} (connect ${ms(list.connectMs)}), warm ${ms(list.warmList.median)}, ${list.processesStarted} processes started; ` +
      `warm call ${ms(call.gateway!.median)} via the gateway vs ${ms(call.direct!.median)} direct (budget ${ms(budget)}: 1.5x direct + a raw hop of ${ms(call.hop!.median)})`,
  );
}
