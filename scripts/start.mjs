#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code on demo/.
// - A desktop `code` on PATH: builds once and opens an Extension Development Host on demo/.
// - Otherwise (this headless machine): code-server 1.139.1 on 127.0.0.1 with the repo loaded as
//   a development extension (the workbench's `payload` URL parameter, like F5 in VS Code),
//   esbuild in watch mode, so "Developer: Reload Window" picks up changes. Runs until Ctrl+C,
//   then stops everything. MCPM_PORT=8080 picks the port; MCPM_VSCODE_VERSION the version.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { onCleanup, startCodeServer, killTree } from './code-server-host.mjs';
import { ROOT } from './setup-vscode.mjs';

const DEMO = path.join(ROOT, 'demo');
const hasDesktopCode = spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;

if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);

if (hasDesktopCode) {
  console.log('[start] opening an Extension Development Host on demo/ (run `npm run watch` for live rebuilds)');
  const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, DEMO], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// Rebuild on change; detached = own process group, so cleanup kills esbuild's service too.
const watch = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
onCleanup(() => killTree(watch.pid));

const version = process.env.MCPM_VSCODE_VERSION ?? '1.139.1';
const server = await startCodeServer({ version, port: process.env.MCPM_PORT ? Number(process.env.MCPM_PORT) : undefined });
const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
const url = new URL(server.url);
url.searchParams.set('folder', DEMO);
url.searchParams.set('payload', JSON.stringify([['extensionDevelopmentPath', remote(ROOT)]]));

console.log(`
  VS Code ${version} (code-server) with MCP Manager loaded from ${ROOT}
  workspace: demo/

  Open:  ${url}

  (Listening on 127.0.0.1 only; from another machine use e.g. \`ssh -L ${server.port}:127.0.0.1:${server.port}\`.)
  Changes rebuild automatically; run "Developer: Reload Window" to load them. Ctrl+C stops.
`);
// Stay in the foreground; SIGINT/SIGTERM run the cleanups registered above (code-server tree,
// esbuild watcher) and exit.
setInterval(() => {}, 1 << 30);
