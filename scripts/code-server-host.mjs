// Starts a throw-away code-server (a real VS Code) on 127.0.0.1 and drives it with Debian's
// Chromium through playwright-core. Shared by the integration shim, the e2e runner and
// `npm start`. Everything lives in a fresh temp dir (user data, extensions, XDG dirs) so nothing
// leaks into $HOME or between runs, and stop() kills the whole process tree: code-server's
// extension host otherwise outlives it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { killTree, onCleanup, sleep } from './proc.mjs';
import { ensureVSCode } from './setup-vscode.mjs';

export { killTree, onCleanup, runCleanups } from './proc.mjs';

// User settings that keep an offline workbench quiet and deterministic.
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true, // 1.139: keeps the chat/copilot UI from opening on first start
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // 1.139 opens an (empty, offline) chat side bar
  // Fresh user data every run would open our walkthrough every time (it opens once per install).
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

// With workspace trust on: no modal trust prompt at start-up, so the window stays in Restricted
// Mode without anyone answering it.
const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

/** A free TCP port on 127.0.0.1 (tiny race until code-server binds it; startCodeServer retries). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server for VS Code `version`.
 * @param {object} o
 * @param {string} o.version            VS Code version, e.g. '1.139.1'
 * @param {string} [o.extensionsDir]    default: fresh temp dir
 * @param {string} [o.userDataDir]      default: fresh temp dir
 * @param {object} [o.settings]         extra user settings
 * @param {object} [o.env]              extra environment (reaches the extension host)
 * @param {number} [o.port]             fixed port (default: a free one)
 * @param {boolean} [o.workspaceTrust]  enable workspace trust (default: off, everything trusted)
 * @param {boolean} [o.proxy]           keep code-server's port proxy (/proxy/<port>/), as a real
 *                                      code-server has it: vscode.env.asExternalUri and openExternal
 *                                      map 127.0.0.1 URLs through it (default: off)
 * @param {boolean} [o.echo]            mirror code-server's output to stderr ($MCPM_DEBUG does too)
 * @param {boolean} [o.smokeTestDriver] VS Code >= 1.139: enable the smoke-test driver, which the
 *                                      test `payload` URL parameter needs (default: true). It also
 *                                      hides notification toasts (they only reach the notification
 *                                      center), so a run that watches toasts turns it off.
 * @returns {Promise<{url:string, port:number, pid:number, tmp:string, userDataDir:string, extensionsDir:string, logFile:string, exited:Promise<number|string>, stop:()=>Promise<void>}>}
 */
export async function startCodeServer(o) {
  const vs = await ensureVSCode(o.version);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-code-server-'));
  const userDataDir = o.userDataDir ?? path.join(tmp, 'user-data');
  const extensionsDir = o.extensionsDir ?? path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const trust = o.workspaceTrust ? TRUST_SETTINGS : {};
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...o.settings }, null, 2),
  );
  // Machine-scoped settings (e.g. workbench.welcomePage.walkthroughs.openOnInstall) reach the
  // extension host, which runs on the "remote" side in code-server, only from Machine settings.
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'Machine', 'settings.json'),
    JSON.stringify({ 'workbench.welcomePage.walkthroughs.openOnInstall': false }, null, 2),
  );

  // TMPDIR too: the extension host and the git extension put their IPC sockets there.
  const env = { ...vs.env, ...xdgEnv(tmp), TMPDIR: tmp, ...o.env };
  // If we were started from a VS Code terminal, its IPC variables would make code-server talk
  // to that editor instead of being standalone.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') && !(o.env && k in o.env)) delete env[k];

  const logFile = path.join(tmp, 'code-server.log');
  const echo = o.echo || !!process.env.MCPM_DEBUG;
  let lastError;
  for (let attempt = 1; attempt <= (o.port ? 1 : 3); attempt++) {
    const port = o.port ?? (await freePort());
    const args = [
      vs.codeServerBin,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(o.proxy ? [] : ['--disable-proxy']),
      '--ignore-last-opened',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
    ];
    if (!o.workspaceTrust) args.push('--disable-workspace-trust');
    // VS Code >= 1.139 only honours the test `payload` URL parameter with the smoke-test driver.
    // It also suppresses notification toasts, hence the opt-out for runs without a payload.
    if (Number(o.version.split('.')[1]) >= 139 && o.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');

    const out = fs.openSync(logFile, 'a');
    let logOpen = true; // output may still arrive while the tree is being killed
    // detached: own process group, so stop() can signal code-server and everything it forks.
    const child = spawn(vs.nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        if (logOpen) fs.writeSync(out, d);
        if (chunks.length < 200) chunks.push(d.toString());
        if (echo) process.stderr.write(d);
      });
    }
    let exited = null;
    const exitedPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = code ?? signal))));

    const url = `http://127.0.0.1:${port}/`;
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      removeCleanup();
      await killTree(child.pid);
      logOpen = false;
      fs.closeSync(out);
      if (!process.env.MCPM_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    };
    const removeCleanup = onCleanup(stop);

    // Ready when /healthz answers; fail fast if the process dies (e.g. port taken).
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline && exited === null) {
      try {
        const res = await fetch(`${url}healthz`);
        if (res.ok) {
          return { url, port, pid: child.pid, tmp, userDataDir, extensionsDir, logFile, stop, exited: exitedPromise, version: o.version };
        }
      } catch {
        /* not listening yet */
      }
      await sleep(200);
    }
    lastError = new Error(
      `code-server ${vs.codeServerVersion} did not start on ${url} (exit: ${exited}):\n${chunks.join('').slice(-3000)}`,
    );
    await killTree(child.pid);
    removeCleanup();
    logOpen = false;
    fs.closeSync(out);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  throw lastError;
}

/** XDG dirs under `base`, so VS Code/code-server/Chromium write nothing into $HOME. */
export function xdgEnv(base) {
  return {
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
    XDG_STATE_HOME: path.join(base, 'xdg-state'),
  };
}

/** Installs a .vsix into an extensions dir with the given code-server (offline, no gallery). */
export async function installVsix(version, vsixPath, extensionsDir) {
  const vs = await ensureVSCode(version);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-install-'));
  try {
    await new Promise((resolve, reject) => {
      const child = spawn(
        vs.nodeBin,
        [
          vs.codeServerBin,
          '--extensions-dir',
          extensionsDir,
          '--user-data-dir',
          path.join(tmp, 'user-data'),
          '--force',
          '--install-extension',
          vsixPath,
        ],
        {
          env: { ...vs.env, ...xdgEnv(tmp) },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`--install-extension failed (${code}):\n${output}`))));
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Flags from the offline guide (scripts/chromium-flags.json, also read by test/e2e/workbench.ts):
// without the background-networking ones Chromium keeps trying (and failing) to reach Google's
// hosts on this closed network; no sandbox (we run as root), no GPU.
export const CHROMIUM_ARGS = JSON.parse(fs.readFileSync(new URL('./chromium-flags.json', import.meta.url), 'utf8'));

/** Debian's /usr/bin/chromium via playwright-core; never a downloaded browser. */
export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  // Own XDG dirs: Chromium otherwise writes crash reports and dconf files into $HOME.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.MCPM_CHROMIUM ?? '/usr/bin/chromium',
    headless,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...xdgEnv(tmp) },
    // Our own signal handling closes the browser; Playwright's would race it.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  browser.on('disconnected', () => fs.rmSync(tmp, { recursive: true, force: true }));
  return browser;
}
