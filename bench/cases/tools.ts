// Tool lists: 10,000 tools (one page), output-schema validators (list time, memory over
// re-lists, lazy compile on first call), and the tree's first paint of 10,000 tools.
import type { Tool } from '@modelcontextprotocol/client';
import { ServerRegistry } from '../../src/core';
import { createValidatorProvider } from '../../src/core/toolOutput';
import { RawPipeClient } from '../lib/raw';
import {
  FIXTURE_SERVER,
  NODE,
  definition,
  oursStdio,
  oursV1Fixture,
  plainStdio,
  serverArgs,
  toolsEnv,
  v1FixtureToolsEnv,
  type Era,
} from '../lib/setup';
import { MiB, cpuMs, gc, now, summarize } from '../lib/stats';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { installVscodeStub } from '../lib/vscodeStub';

/** The bench server's own tools (echo, pid, big) besides the t0..tN-1 of a tools case. */
const OWN_TOOLS = 3;

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Lists `tools` tools: one warm-up list, `lists` timed lists, then `relists` more with a full GC
 * after each, recording the retained heap (what every re-list leaks). The last list is retained,
 * as a client would.
 */
export async function toolsList(opts: {
  era: Era;
  who: 'floor' | 'sdk' | 'ours';
  tools: number;
  outputSchema?: boolean;
  lists?: number;
  relists?: number;
  /** The SDK 1.x fixture server of the figures recorded before issue 13 (2025 era; floor and ours only). */
  v1Fixture?: boolean;
}) {
  const { era } = opts;
  const v1Fixture = !!opts.v1Fixture;
  // One page (the server renders the list once and keeps it, so re-lists measure the client).
  const env = v1Fixture ? v1FixtureToolsEnv(opts.tools) : toolsEnv(opts.tools, !!opts.outputSchema);
  let list: () => Promise<number>;
  let close: () => Promise<void>;
  if (opts.who === 'floor') {
    const raw = new RawPipeClient(NODE, v1Fixture ? [FIXTURE_SERVER] : serverArgs(era), { ...process.env, ...env });
    await raw.open(v1Fixture ? 'legacy' : era);
    list = async () => ((await raw.request('tools/list', {})) as { result: { tools: unknown[] } }).result.tools.length;
    close = () => raw.close();
  } else if (opts.who === 'sdk') {
    if (v1Fixture) throw new Error('toolsList: the v1 fixture case has no plain v2 contender');
    const sdk = await plainStdio(era, env);
    // 'refresh': fetch every time (a 2026-07-28 list may be served from the client's cache otherwise).
    list = async () => (await sdk.listTools(undefined, { cacheMode: 'refresh' })).tools.length;
    close = () => sdk.close();
  } else {
    const ours = v1Fixture ? oursV1Fixture(env) : oursStdio(era, env);
    list = async () => (await ours.listTools({ refresh: true })).length;
    close = () => ours.dispose();
  }
  try {
    // The SDK 1.x fixture has 13 tools of its own.
    const expected = opts.tools + (v1Fixture ? 13 : OWN_TOOLS);
    const first = await list(); // warm-up: the server renders and caches its list
    if (first !== expected) throw new Error(`listed ${first} tools, expected ${expected}`);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < (opts.lists ?? 5); i++) {
      const c0 = cpuMs();
      const t0 = now();
      await list();
      times.push(now() - t0);
      cpu.push(cpuMs() - c0);
    }
    const heapBase = heapUsed();
    const heap: number[] = [];
    for (let i = 0; i < (opts.relists ?? 0); i++) {
      await list();
      heap.push(heapUsed());
    }
    const last = heap.length ? heap[heap.length - 1]! : heapBase;
    return {
      time: summarize(times),
      /** The client process's CPU time per list. */
      cpu: summarize(cpu),
      lists: times.length,
      relists: heap.length,
      heapAfterFirstMiB: heap.length ? (heap[0]! - heapBase) / MiB : 0,
      heapAfterLastMiB: (last - heapBase) / MiB,
      heapGrowthPerListMiB: heap.length ? (last - heapBase) / heap.length / MiB : 0,
    };
  } finally {
    await close();
  }
}

/** Our lazy output validation: first call of a tool compiles its validator, later calls reuse it. */
export async function lazyValidation(opts: { era: Era; tools?: number; calls?: number }) {
  const tools = opts.tools ?? 1000;
  let compiled = 0;
  const ours = oursStdio(
    opts.era,
    toolsEnv(tools, true),
    {},
    {
      validatorFactory: () => {
        const inner = createValidatorProvider();
        return { getValidator: (schema) => (compiled++, inner.getValidator(schema)) };
      },
    },
  );
  try {
    await ours.listTools();
    const t0 = now();
    await ours.callTool('t7', { value: 'a' });
    const firstMs = now() - t0;
    const later: number[] = [];
    for (let i = 0; i < (opts.calls ?? 200); i++) {
      const t = now();
      await ours.callTool('t7', { value: 'b' });
      later.push(now() - t);
    }
    for (let i = 0; i < 3; i++) await ours.listTools({ refresh: true });
    await ours.callTool('t7', { value: 'c' });
    return { firstCallMs: firstMs, laterCall: summarize(later), validatorsCompiled: compiled };
  } finally {
    await ours.dispose();
  }
}

/**
 * The tree's first paint of an expanded server with `tools` tools: from getChildren (which starts
 * the listing) to a TreeItem for every tool. The server is already running (a kept-alive session
 * whose tools were not listed yet); `cold: true` includes starting it.
 */
export async function treeFirstPaint(opts: { era: Era; tools?: number; runs?: number; cold?: boolean }) {
  installVscodeStub();
  const { ServerTreeProvider } =
    (await import('../../src/vscode/tree/serverTree.js')) as typeof import('../../src/vscode/tree/serverTree.js');
  const tools = opts.tools ?? 10_000;
  const samples: number[] = [];
  let items = 0;
  for (let run = -1; run < (opts.runs ?? 5); run++) {
    const registry = new ServerRegistry({ timing: { closeGraceMs: 300, killGraceMs: 300 } });
    await registry.update({
      servers: [definition({ command: NODE, args: serverArgs(opts.era), env: toolsEnv(tools) }, 'big')],
      issues: [],
    });
    const conn = registry.get('big')!;
    if (!opts.cold) {
      await conn.start();
      // The server renders its list once and caches it; a client would find it rendered too.
      await conn.listTools();
      (conn as unknown as { session: { tools?: Tool[] } }).session.tools = undefined;
    }
    const tree = new ServerTreeProvider(registry);
    const node = tree.serverNode('big')!;
    const t0 = now();
    // VS Code asks for the children (answered at once with "Loading tools…", which starts the
    // listing), then again when the provider fires a change for the node.
    const loaded = new Promise<TreeNode[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the tree did not show the tools within 60 s')), 60_000);
      const sub = tree.onDidChangeTreeData((changed) => {
        if (changed !== node && changed !== undefined) return;
        const children = tree.getChildren(node);
        if (!children.some((c) => c.kind === 'tool')) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(children);
      });
    });
    tree.getChildren(node);
    const children = await loaded;
    for (const child of children) tree.getTreeItem(child);
    const ms = now() - t0;
    items = children.length;
    if (run >= 0) samples.push(ms);
    tree.dispose();
    await registry.dispose();
  }
  // The server's own tools besides the t0..tN-1 (it declares no resources or prompts: no folders).
  if (items !== tools + OWN_TOOLS) throw new Error(`tree showed ${items} items, expected ${tools + OWN_TOOLS}`);
  return { time: summarize(samples), items };
}
