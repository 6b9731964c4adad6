#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code on demo/.
// - A desktop `code` on PATH: builds once and opens an Extension Development Host on demo/.
// - Otherwise (this headless machine): code-server 1.139.1 on 127.0.0.1 with the repo itself as an
//   installed extension (a symlink in a throw-away extensions dir, so the workbench runs without the
//   smoke-test driver, which the `payload` URL parameter would need and which hides every
//   notification toast), esbuild in watch mode, so "Developer: Reload Window" picks up changes to
//   the code (a changed package.json needs a restart). Runs until Ctrl+C, then stops everything.
//   MCPM_PORT=8080 picks the port; MCPM_VSCODE_VERSION the version.
// Either way the demo's `fixture-http` server (our fixture over Streamable HTTP on 127.0.0.1:39217)
// runs alongside and is stopped at the end; if that port is taken, that is said and the rest
// (the stdio servers) still works.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCleanup, runCleanups, startCodeServer, killTree } from './code-server-host.mjs';
import { DEMO_HTTP_URL, DEMO_SIGNIN_URL, PortInUseError, startDemoHttpServer, startDemoSignInServer } from './demo-servers.mjs';
import { isInstalled, ROOT } from './setup-vscode.mjs';

const DEMO = path.join(ROOT, 'demo');
const hasDesktopCode = spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;

if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);

/** The demo's HTTP server; a taken port is reported, not fatal (the stdio servers still work). */
async function startHttpFixture() {
  try {
    const http = await startDemoHttpServer({
      log: process.env.MCPM_DEBUG ? (t) => process.stderr.write(`[fixture-http] ${t}`) : undefined,
    });
    console.log(`[start] fixture-http: MCP fixture server on ${http.url} (pid ${http.pid})`);
    return http;
  } catch (e) {
    if (!(e instanceof PortInUseError)) throw e;
    console.warn(`
[start] WARNING: ${e.message}.
        "fixture-http" will show an error (or talk to whatever listens there); "everything",
        "fixture" and "fixture-secret" (stdio) work as usual. Free the port and restart to use it.
`);
    return undefined;
  }
}

let httpFixture;
try {
  httpFixture = await startHttpFixture();
} catch (e) {
  console.error(`[start] could not start the HTTP fixture for ${DEMO_HTTP_URL}: ${e.message ?? e}`);
}

/** The demo's server that signs in (and its authorization server); a taken port is reported, not fatal. */
let signInFixture;
try {
  signInFixture = await startDemoSignInServer({
    log: process.env.MCPM_DEBUG ? (t) => process.stderr.write(`[fixture-signin] ${t}`) : undefined,
  });
  console.log(`[start] fixture-signin: an MCP server that signs in, on ${signInFixture.url} (pid ${signInFixture.pid})`);
} catch (e) {
  console.warn(
    `[start] WARNING: could not start "fixture-signin" (${DEMO_SIGNIN_URL}): ${e.message ?? e}. The other servers work as usual.`,
  );
}

if (hasDesktopCode) {
  console.log('[start] opening an Extension Development Host on demo/ (run `npm run watch` for live rebuilds)');
  const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, DEMO], { stdio: 'inherit' });
  if (r.status !== 0 || !httpFixture) {
    await runCleanups();
    process.exit(r.status ?? 1);
  }
  // `code` returns once the window is open; the HTTP fixture must outlive this script's return.
  console.log(`[start] fixture-http stays up on ${httpFixture.url} until you press Ctrl+C here.`);
  setInterval(() => {}, 1 << 30);
} else {
  // Rebuild on change; detached = own process group, so cleanup kills esbuild's service too.
  const watch = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  onCleanup(() => killTree(watch.pid));

  const version = process.env.MCPM_VSCODE_VERSION ?? '1.139.1';
  // The repo as an installed extension: <publisher>.<name>-<version> -> ROOT (package.json `main`
  // is dist/extension.js, which the watcher rewrites).
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-start-extensions-'));
  const link = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.symlinkSync(ROOT, link, 'dir');
  onCleanup(() => {
    fs.unlinkSync(link); // the link only, never what it points to
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  });
  if (!isInstalled(version)) {
    // On a fresh clone this is minutes of npm and node-gyp (a line every 30 s shows it is alive).
    console.log(
      `[start] first run: VS Code ${version} (code-server) is not installed yet; installing it once into .vscode-test/ before the workbench can open. This takes several minutes (4-6 on a busy 2-core machine); later starts take seconds.`,
    );
  }
  let server;
  try {
    server = await startCodeServer({
      version,
      extensionsDir,
      smokeTestDriver: false,
      settings: { 'git.openRepositoryInParentFolders': 'never' }, // demo/ sits inside this repo
      port: process.env.MCPM_PORT ? Number(process.env.MCPM_PORT) : undefined,
    });
  } catch (e) {
    console.error(`[start] ${e.message ?? e}`);
    await runCleanups(); // the HTTP fixture and the esbuild watcher
    process.exit(1);
  }
  const url = new URL(server.url);
  url.searchParams.set('folder', DEMO);

  console.log(`
  VS Code ${version} (code-server) with MCP Manager loaded from ${ROOT}
  workspace: demo/ (servers: everything, fixture, ${httpFixture ? `fixture-http on ${httpFixture.url}` : 'fixture-http (not started here: its port is taken, see above)'}, fixture-secret, ${signInFixture ? `fixture-signin on ${signInFixture.url}` : 'fixture-signin (not started here, see above)'}, survey)

  Open:  ${url}

  (Listening on 127.0.0.1 only; from another machine use e.g. \`ssh -L ${server.port}:127.0.0.1:${server.port}\`.)
  Changes rebuild automatically; run "Developer: Reload Window" to load them. Ctrl+C stops.
`);
  // Stay in the foreground; SIGINT/SIGTERM run the cleanups registered above (code-server tree,
  // esbuild watcher) and exit.
  setInterval(() => {}, 1 << 30);
}
