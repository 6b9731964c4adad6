#!/usr/bin/env node
// Stand-in for the `code` executable, so @vscode/test-electron's runTests({ vscodeExecutablePath })
// works offline. It understands the arguments runTests passes (--extensionDevelopmentPath=,
// --extensionTestsPath=, a workspace folder or .code-workspace file, --user-data-dir=,
// --extensions-dir=; the desktop-only flags are ignored) and runs the tests inside a real VS Code: code-server + headless Chromium,
// using the workbench's own test `payload` URL parameter. Test output arrives through
// window.codeAutomationLog, the mocha result through window.codeAutomationExit; the shim exits
// with that code.
//
// VS Code version: $MCPM_VSCODE_VERSION (default 1.139.1).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { launchChromium, onCleanup, runCleanups, startCodeServer } from './code-server-host.mjs';

// Printed by test/integration/index.ts when mocha starts.
const TESTS_STARTED = '[mcpm-tests] running';
// Offline-workbench chatter that is never about the tests.
const NOISE = [/ENOTFOUND open-vsx\.org/, /^Creating a socket/, /^\[Service Worker\]/, /^Canceled: Canceled/, /^\[AccountPolicyGate\]/];
const TIMEOUT_MS = Number(process.env.MCPM_TEST_TIMEOUT_MS ?? 10 * 60 * 1000);

function parseArgs(argv) {
  const o = { extensionDevelopmentPath: [], folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      o.folder = path.resolve(a); // the one positional argument: workspace folder
      continue;
    }
    const [, key, inline] = m;
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(key);
    const value = inline ?? (takesValue ? argv[++i] : undefined);
    if (key === 'extensionDevelopmentPath') o.extensionDevelopmentPath.push(path.resolve(value));
    else if (key === 'extensionTestsPath') o.extensionTestsPath = path.resolve(value);
    else if (key === 'user-data-dir') o.userDataDir = path.resolve(value);
    else if (key === 'extensions-dir') o.extensionsDir = path.resolve(value);
    // --no-sandbox, --disable-updates, --skip-welcome, ... are desktop flags: nothing to do.
  }
  if (!o.extensionTestsPath || !o.extensionDevelopmentPath.length) {
    throw new Error('usage: vscode-shim.mjs --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> [folder]');
  }
  return o;
}

/** The workbench URL that makes VS Code load the dev extension and run the tests. */
export function testUrl(base, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(base).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ...extensionDevelopmentPath.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const params = new URLSearchParams();
  // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
  if (folder) params.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', folder);
  params.set('payload', JSON.stringify(payload));
  return `${base}?${params}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const version = process.env.MCPM_VSCODE_VERSION ?? '1.139.1';
  // runTests always passes --disable-workspace-trust; MCPM_WORKSPACE_TRUST=untrusted opens the
  // workspace in Restricted Mode instead (trust enabled, nothing trusted yet).
  const untrusted = process.env.MCPM_WORKSPACE_TRUST === 'untrusted';
  // MCPM_USER_SETTINGS: JSON of extra user settings for this window (run-integration.mjs, per suite).
  const settings = process.env.MCPM_USER_SETTINGS ? JSON.parse(process.env.MCPM_USER_SETTINGS) : undefined;
  const server = await startCodeServer({
    version,
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    workspaceTrust: untrusted,
    settings,
  });
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage();

  // Everything the workbench logs arrives through codeAutomationLog, test output included. Lines
  // before the marker that test/integration/index.ts prints are workbench start-up chatter:
  // keep them back unless the run fails early (or $MCPM_DEBUG is set).
  const held = [];
  let started = !!process.env.MCPM_DEBUG;
  let exit;
  const result = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    if (!started) {
      started = line.includes(TESTS_STARTED);
      if (!started) return void held.push(line);
    }
    if (NOISE.some((re) => re.test(line))) return;
    (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const dumpHeld = () => {
    if (!started && held.length) console.error(`[vscode-shim] workbench log:\n${held.join('\n')}`);
  };
  page.on('pageerror', (e) => held.push(`[page error] ${e.message}`));
  if (process.env.MCPM_DEBUG) page.on('console', (m) => console.error(`[browser ${m.type()}] ${m.text()}`));

  console.log(`[vscode-shim] VS Code ${version} (code-server) on ${server.url}`);
  // 'load' waits for the whole workbench bundle: far over the default 30 s at load 25+ on 2 cores.
  await page.goto(testUrl(server.url, args), { timeout: 180000 });
  const timeout = new Promise((resolve) =>
    setTimeout(() => {
      console.error(`[vscode-shim] no result after ${TIMEOUT_MS / 1000}s`);
      resolve(1);
    }, TIMEOUT_MS).unref(),
  );
  // Fail fast (not after the timeout) when the browser or code-server goes away mid-run.
  let finished = false;
  const crashed = new Promise((resolve) => {
    const fail = (msg) => () => {
      if (!finished) resolve(console.error(`[vscode-shim] ${msg}`) ?? 1);
    };
    browser.on('disconnected', fail('Chromium went away'));
    page.on('crash', fail('the workbench page crashed'));
    server.exited.then(fail('code-server exited'));
  });
  const code = await Promise.race([result, timeout, crashed]);
  finished = true;
  if (code !== 0) {
    dumpHeld();
    if (!started)
      console.error(`[vscode-shim] the tests never started; code-server said:\n${fs.readFileSync(server.logFile, 'utf8').slice(-4000)}`);
  }
  return code;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`[vscode-shim] ${e.stack ?? e}`);
}
await runCleanups(); // stops Chromium and code-server (whole process tree)
process.exit(code);
