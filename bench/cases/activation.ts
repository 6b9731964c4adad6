// Extension activation, measured on the production bundle itself: load `dist/extension.js` (as built
// by `node esbuild.mjs --production`) and call its activate() with a stub of the `vscode` module
// (bench/lib/vscodeStub.ts) and the demo workspace's settings (demo/.vscode/settings.json: three
// stdio servers, one with an input, and one HTTP server), so the configuration is read and parsed as in VS Code.
// One process measures one activation: a module loads once per process, and a second activate() in
// the same process would run warm code. bench/run.ts runs this case several times and takes medians.
import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { REPO_ROOT, childCount } from '../lib/setup';
import { extensionContext, installVscodeStub } from '../lib/vscodeStub';

interface Extension {
  activate(context: unknown): { listServers(): { name: string; state: string; transport: string }[] };
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
export async function activation(opts: { bundle?: string; settleMs?: number; extraServers?: number }) {
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
  const api = installVscodeStub({ folders: [folder], workspace: settings, defaults, trusted: true });
  const context = extensionContext({
    extensionPath: REPO_ROOT,
    packageJSON: pkg,
    logDir: path.join(os.tmpdir(), 'mcp-manager-bench-logs'),
  });
  const spawns = countSpawns();
  const childrenBefore = childCount();

  const t0 = performance.now();
  const ext = loadCommonJs(bundle) as Extension;
  const t1 = performance.now();
  const exported = ext.activate(context);
  const t2 = performance.now();

  const serversAtReturn = exported.listServers().length;
  const apiCalls = Object.values(api.calls).reduce((a, b) => a + b, 0);
  const commands = api.commands.size;
  // A process started late (by a timer, or once the configuration is applied) counts too.
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 200));
  const processes = Math.max(childCount() - childrenBefore, spawns.calls.length);
  const servers = exported.listServers();
  for (const d of context.subscriptions) d.dispose();
  await ext.deactivate();

  if (servers.length !== configured.length)
    throw new Error(
      `activate() registered ${servers.length} servers (${servers.map((s) => s.name).join(', ')}), the workspace configures ${configured.length}`,
    );
  return {
    loadMs: t1 - t0,
    activateMs: t2 - t1,
    processes,
    spawnCalls: spawns.calls,
    serversAtReturn,
    servers: servers.map((s) => `${s.name} (${s.transport}, ${s.state})`),
    apiCalls,
    commands,
    bundleBytes: fs.statSync(bundle).size,
  };
}
