// Extension activation, measured on the production bundle itself: load `dist/extension.js` (as built
// by `node esbuild.mjs --production`) and call its activate() with a stub of the `vscode` module
// (bench/lib/vscodeStub.ts) and the demo workspace's settings (demo/.vscode/settings.json: three
// stdio servers, one with an input, and one HTTP server), so the configuration is read and parsed as in VS Code.
// One process measures one activation: a module loads once per process, and a second activate() in
// the same process would run warm code. bench/run.ts runs this case several times and takes medians.
// The process must not have loaded zod before (bench/child.ts loads only this case for it): zod
// keeps its configuration on globalThis, and the one the SDK brings sets a memoizer there that
// every other zod instance then uses, which made the first parse of the settings 3x slower than
// in an extension host where nothing else loaded zod.
import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { REPO_ROOT } from '../../test/fixtures/paths';
import { childCount } from '../lib/procs';
import { extensionContext, installVscodeStub } from '../lib/vscodeStub';

interface Extension {
  activate(context: unknown): {
    listServers(): { name: string; state: string; transport: string }[];
    listTools(server: string): Promise<unknown[]>;
  };
  deactivate(): Promise<void>;
}

/**
 * Loads a CommonJS file the way Node's own `.js` loader does (read, wrap, compile, run). Not
 * through require(): this process runs under tsx, whose require hook would process the bundle first.
 */
function loadCommonJs(file: string): unknown {
  const M = Module as unknown as {
    new (id: string): NodeJS.Module & { _compile(code: string, file: string): void };
    _nodeModulePaths(dir: string): string[];
  };
  const m = new M(file);
  m.filename = file;
  m.paths = M._nodeModulePaths(path.dirname(file));
  m._compile(fs.readFileSync(file, 'utf8'), file);
  m.loaded = true;
  return m.exports;
}

/**
 * Times the loading of dist/protocol.js (the SDK, which the bundle require()s on its first use):
 * reading and compiling it, and running its top level (the function it exports, called with the
 * modules it shares with extension.js). Loaded as loadCommonJs does, not through tsx's hook.
 */
function timeProtocolLoad(): { ms?: number; cpuMs?: number; bytes?: number } {
  const record: { ms?: number; cpuMs?: number; bytes?: number } = {};
  const M = Module as unknown as { _load(request: string, parent: { filename: string }, isMain: boolean): unknown };
  const load = M._load;
  M._load = function (request, parent, isMain) {
    if (!/(^|\/)protocol\.js$/.test(request)) return load.call(this, request, parent, isMain);
    const file = path.resolve(path.dirname(parent.filename), request);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const init = loadCommonJs(file) as (shared: unknown) => unknown;
    const compiled = performance.now() - t0;
    const compiledCpu = cpuMs(c0, process.cpuUsage());
    record.bytes = fs.statSync(file).size;
    return (shared: unknown) => {
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      const exports = init(shared);
      record.ms = compiled + performance.now() - t1;
      record.cpuMs = compiledCpu + cpuMs(c1, process.cpuUsage());
      return exports;
    };
  };
  return record;
}

/** User + system CPU time of this process between two `process.cpuUsage()` readings, in ms. */
function cpuMs(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number {
  return (b.user - a.user + b.system - a.system) / 1000;
}

/** Counts every way of starting a process (a process that exits at once would not be seen alive). */
function countSpawns(): { readonly calls: string[] } {
  const calls: string[] = [];
  const cp = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    const original = cp[name]!;
    cp[name] = function (this: unknown, ...args: unknown[]) {
      calls.push(`${name} ${String(args[0])}`);
      return original.apply(this, args);
    };
  }
  return { calls };
}

/** One activation of the bundle: code loading and activate() timed separately, processes counted. */
export async function activation(opts: { bundle?: string; settleMs?: number; extraServers?: number; connect?: boolean }) {
  const bundle = path.resolve(REPO_ROOT, opts.bundle ?? path.join('dist', 'extension.js'));
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  const defaults = Object.fromEntries(Object.entries(pkg.contributes.configuration.properties).map(([k, v]) => [k, v.default]));
  const folder = path.join(REPO_ROOT, 'demo');
  const settings = parse(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
  // `node esbuild.mjs` (development) links a sourcemap; `--production` minifies and has none.
  if (fs.readFileSync(bundle, 'utf8').includes('\n//# sourceMappingURL='))
    throw new Error(`${bundle} is a development build: build it with node esbuild.mjs --production`);
  // extraServers: more stdio servers like the demo's fixture, to see how activation grows with configuration.
  if (opts.extraServers) {
    const servers = { ...((settings['mcpManager.servers'] ?? {}) as Record<string, unknown>) };
    for (let i = 0; i < opts.extraServers; i++)
      servers[`extra-${i}`] = {
        command: 'node',
        args: ['${workspaceFolder}/../test/fixtures/server.mjs', `--n=${i}`],
        env: { N: String(i) },
      };
    settings['mcpManager.servers'] = servers;
  }
  const configured = Object.keys((settings['mcpManager.servers'] ?? {}) as object);
  // connect: the first connection is made (to the demo's `fixture` server) after activation is
  // measured; its consent prompt, which the stub would refuse, is turned off as in the integration tests.
  const user = opts.connect ? { 'mcpManager.confirmWorkspaceServers': false } : {};
  const api = installVscodeStub({ folders: [folder], workspace: settings, user, defaults, trusted: true });
  const protocol = timeProtocolLoad();
  const context = extensionContext({
    extensionPath: REPO_ROOT,
    packageJSON: pkg,
    logDir: path.join(os.tmpdir(), 'mcp-manager-bench-logs'),
  });
  const spawns = countSpawns();
  const childrenBefore = childCount();

  // CPU time beside wall time: on a loaded machine the process's own CPU time varies much less.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ext = loadCommonJs(bundle) as Extension;
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const exported = ext.activate(context);
  const t2 = performance.now();
  const c2 = process.cpuUsage();

  const serversAtReturn = exported.listServers().length;
  const apiCalls = Object.values(api.calls).reduce((a, b) => a + b, 0);
  const commands = api.commands.size;
  // A process started late (by a timer, or once the configuration is applied) counts too.
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 200));
  const processes = Math.max(childCount() - childrenBefore, spawns.calls.length);
  const servers = exported.listServers();
  const protocolAtActivation = protocol.ms !== undefined;
  const spawnCalls = [...spawns.calls];
  let firstConnectMs: number | undefined;
  if (opts.connect) {
    const t3 = performance.now();
    await exported.listTools('fixture');
    firstConnectMs = performance.now() - t3;
  }
  for (const d of context.subscriptions) d.dispose();
  await ext.deactivate();

  if (servers.length !== configured.length)
    throw new Error(
      `activate() registered ${servers.length} servers (${servers.map((s) => s.name).join(', ')}), the workspace configures ${configured.length}`,
    );
  return {
    loadMs: t1 - t0,
    activateMs: t2 - t1,
    loadCpuMs: cpuMs(c0, c1),
    activateCpuMs: cpuMs(c1, c2),
    processes,
    spawnCalls,
    serversAtReturn,
    servers: servers.map((s) => `${s.name} (${s.transport}, ${s.state})`),
    apiCalls,
    commands,
    bundleBytes: fs.statSync(bundle).size,
    /** dist/protocol.js was loaded by activation (it must not be). */
    protocolAtActivation,
    /** With connect: loading protocol.js (read, compile, top level), and the whole first listTools. */
    protocolLoadMs: protocol.ms,
    protocolLoadCpuMs: protocol.cpuMs,
    protocolBytes: protocol.bytes,
    firstConnectMs,
  };
}
