#!/usr/bin/env node
// `npm run test:e2e`: the extension as a user gets it. Packages the .vsix (`npm run package`),
// checks what went into it, installs it into a fresh code-server (VS Code 1.139.1) with
// --install-extension, opens demo/ and runs the Playwright tests in test/e2e/*.test.ts with mocha
// (test/e2e/.mocharc.json; TypeScript via tsx). Screenshots land in test-results/e2e/;
// MCPM_UPDATE_SCREENSHOT=1 copies the ones the docs show (DOC_SHOTS) into docs/.
// The demo's `fixture-http` server (test/fixtures/server.mjs --http --port 39217) runs for the
// duration; a taken port fails the run at once with who holds it. After the tests, code-server is
// shut down the way it normally ends (SIGTERM to its own processes only) and the run fails if any
// MCP server the workbench started (fixture, server-everything) outlives it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installVsix, killTree, onCleanup, runCleanups, startCodeServer } from './code-server-host.mjs';
import {
  ACCOUNT_AUTH_PORT,
  ACCOUNT_ISSUER,
  ACCOUNT_PORT,
  ACCOUNT_URL,
  DEMO_AUTH_PORT,
  DEMO_HTTP_PORT,
  DEMO_SIGNIN_PORT,
  descendantPids,
  listenerOf,
  PortInUseError,
  portTaken,
  processesMatching,
  startAccountServer,
  startDemoHttpServer,
  startDemoSignInServer,
} from './demo-servers.mjs';
import { testExtensionVsix } from './test-extension.mjs';
import { sleep } from './proc.mjs';
import { ensureVSCode, ROOT } from './setup-vscode.mjs';

const VERSION = process.env.MCPM_E2E_VSCODE_VERSION ?? '1.139.1';
const E2E_REGISTRY_PORT = 39218;
const VSIX = path.join(ROOT, 'dist', 'mcp-manager.vsix');
const WORKSPACE = path.join(ROOT, 'demo');
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
/** Screenshots the README shows: what the e2e takes -> the file in docs/ (MCPM_UPDATE_SCREENSHOT=1). */
const DOC_SHOTS = {
  'readme.png': 'screenshot.png', // test/e2e/mcp-manager.test.ts
  'testing.png': 'testing.png', // test/e2e/tests.test.ts
  'registry-search.png': 'registry.png', // test/e2e/registry.test.ts
};
/** Command lines of the MCP servers the demo starts over stdio. */
const MCP_SERVER = /test\/fixtures\/server\.mjs|test\/fixtures\/eras\/modern\.mjs|server-everything/;
// What may ship in the .vsix (paths inside its extension/ folder; vsce renames LICENSE to
// LICENSE.txt and may lower-case README/CHANGELOG).
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/i,
  /^changelog\.md$/i,
  /^license(\.txt)?$/i,
  /^dist\/extension\.js$/,
  /^dist\/protocol\.js$/,
  /^dist\/cli\.js$/,
  /^media\/(walkthrough\/)?[^/]+$/,
  /^docs\/screenshot\.png$/,
  /^schemas\/[^/]+\.json$/,
];

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** File names in a zip (the .vsix), read from its central directory; no unzip needed. */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function checkVsixContents() {
  const files = zipEntries(VSIX)
    .filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length));
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  console.log(`[e2e] ${path.relative(ROOT, VSIX)}: ${files.join(', ')}`);
  if (unexpected.length) throw new Error(`unexpected files in the .vsix (fix .vscodeignore): ${unexpected.join(', ')}`);
  // dist/protocol.js: the SDK, loaded by dist/extension.js on the first connection (esbuild.mjs).
  for (const must of ['package.json', 'dist/extension.js', 'dist/protocol.js']) {
    if (!files.includes(must)) throw new Error(`${must} is missing from the .vsix`);
  }
}

function newestPng(dir) {
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png') && !f.startsWith('failed-'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return processesMatching(MCP_SERVER).some((p) => p.pid === pid); // not a zombie, not a reused pid
  } catch {
    return false;
  }
};

/**
 * Ends code-server as it normally ends (SIGTERM to its process group: server, extension hosts,
 * watchers; not to the MCP servers, which the extension starts in groups of their own), then
 * reports the MCP servers it had started that are still alive 5 s later.
 */
async function shutDownAndFindLeftovers(server) {
  const started = descendantPids(server.pid);
  const ours = processesMatching(MCP_SERVER).filter((p) => started.includes(p.pid));
  console.log(
    `[e2e] MCP servers started by the workbench: ${ours.map((p) => `${p.pid} ${path.basename(p.cmd.split(' ')[1] ?? '')}`).join(', ') || 'none'}`,
  );
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (const deadline = Date.now() + 15000; Date.now() < deadline && groupAlive(server.pid);) await sleep(100);
  if (groupAlive(server.pid)) console.warn('[e2e] code-server did not exit within 15 s of SIGTERM');
  for (const deadline = Date.now() + 5000; Date.now() < deadline && ours.some((p) => alive(p.pid));) await sleep(100);
  return { ours, leftovers: ours.filter((p) => alive(p.pid)) };
}

/** A live process (not a zombie), whatever it runs: the owner of the turn lock. */
function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: kill(0) is all there is
  }
}

/** One e2e run at a time on a machine: the demo's ports are fixed (see takeTurn). */
const TURN_LOCK = path.join(os.tmpdir(), 'mcpm-e2e-ports.lock');
const TURN_WAIT_MS = Number(process.env.MCPM_E2E_WAIT_MS ?? 20 * 60_000);

/**
 * The demo's `fixture-http` (39217, in demo/'s settings), `fixture-signin` (39219 and its
 * authorization server, 39220) and the test registry (39218) have fixed
 * ports, so two e2e runs on one machine (two checkouts' `npm test`, which must pass side by side)
 * take turns instead of failing at once: an O_EXCL lock file holding our pid (taken over when its
 * owner died), then the ports free, for holders that take no turn (an older checkout, `npm start`).
 * A budget (MCPM_E2E_WAIT_MS, 20 min) turns a holder that never lets go into a failure naming it.
 */
async function takeTurn() {
  const until = Date.now() + TURN_WAIT_MS;
  let said = '';
  const say = (line) => {
    if (line !== said) console.log(`[e2e] ${line}`);
    said = line;
  };
  for (;;) {
    try {
      fs.writeFileSync(TURN_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(TURN_LOCK, 'utf8')) || 0;
    } catch {
      continue; // released meanwhile
    }
    if (!owner || !processAlive(owner)) {
      fs.rmSync(TURN_LOCK, { force: true }); // stale: its owner is gone
      continue;
    }
    if (Date.now() > until) throw new Error(`another e2e run (pid ${owner}) still holds ${TURN_LOCK} after ${TURN_WAIT_MS / 60000} min`);
    say(`waiting for the e2e run of pid ${owner} to finish: the demo's ports are fixed (${TURN_LOCK})`);
    await sleep(1000);
  }
  onCleanup(() => {
    try {
      if (Number(fs.readFileSync(TURN_LOCK, 'utf8')) === process.pid) fs.rmSync(TURN_LOCK, { force: true });
    } catch {
      /* already gone */
    }
  });
  for (const port of [DEMO_HTTP_PORT, DEMO_SIGNIN_PORT, DEMO_AUTH_PORT, E2E_REGISTRY_PORT, ACCOUNT_PORT, ACCOUNT_AUTH_PORT]) {
    // Past the budget, startDemoHttpServer (or the registry) fails with who holds the port.
    while ((await portTaken(port)) && Date.now() < until) {
      say(`waiting for port ${port} on 127.0.0.1 (${listenerOf(port) ?? 'held by another process'}; a running \`npm start\`?)`);
      await sleep(1000);
    }
  }
}

/**
 * The test files run in one workbench per pass. VS Code's own MCP UI (its server list, which the
 * gateway's test reads) exists only with VS Code's AI features on; they stay off for the other
 * files, so the chat UI cannot open over those tests and their screenshots. The accounts test runs
 * last, with the test extension (test/fixtures/lm-extension) installed and its server added in the
 * user settings, so the other files' demo tree stays as it is.
 */
const GATEWAY_SPEC = 'test/e2e/gateway.test.ts';
const ACCOUNTS_SPEC = 'test/e2e/accounts.test.ts';
const E2E_SPECS = fs
  .readdirSync(path.join(ROOT, 'test', 'e2e'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/e2e/${f}`);
/** Mocha arguments running only `spec` (of the .mocharc.json's specs). */
const only = (spec) => ['--config', 'test/e2e/.mocharc.json', ...E2E_SPECS.filter((f) => f !== spec).flatMap((f) => ['--ignore', f])];
const PASSES = [
  {
    name: 'tests',
    mocha: ['--config', 'test/e2e/.mocharc.json', '--ignore', GATEWAY_SPEC, '--ignore', ACCOUNTS_SPEC],
    settings: {},
  },
  { name: "tests with VS Code's AI features on", mocha: only(GATEWAY_SPEC), settings: { 'chat.disableAIFeatures': false } },
  // Signing in with an account VS Code has: the test extension's "Test Account" provider claims
  // fixture-account's authorization server (installed for this pass only, the last one).
  {
    name: 'signing in with a VS Code account',
    mocha: only(ACCOUNTS_SPEC),
    testExtension: true,
    settings: {
      'mcpManager.servers': { 'fixture-account': { type: 'http', url: ACCOUNT_URL } },
      'mcpmTest.accountIssuer': ACCOUNT_ISSUER,
    },
  },
];

/** One pass: a fresh code-server with the pass's settings, its test files, then the leftover check. */
async function runPass(pass, extensionsDir, lap) {
  if (pass.testExtension) await installVsix(VERSION, await testExtensionVsix(), extensionsDir);
  // No smoke-test driver: no test payload is needed, and with it VS Code 1.139 shows no toasts.
  const server = await startCodeServer({
    version: VERSION,
    extensionsDir,
    smokeTestDriver: false,
    // As a real code-server: the OAuth sign-in's browser pages and its redirect go through it.
    proxy: true,
    settings: {
      'git.openRepositoryInParentFolders': 'never', // demo/ sits inside this repo: no "open the repository?" toast
      'mcpManager.registries': [`http://127.0.0.1:${E2E_REGISTRY_PORT}`],
      // Ports that other programs on this machine open would show as a "Ports" badge in the screenshots.
      'remote.autoForwardPorts': false,
      ...pass.settings,
    },
  });
  console.log(`[e2e] code-server ${server.url} workspace ${path.relative(ROOT, WORKSPACE)}/`);
  lap('start code-server');
  console.log(`===== e2e: ${pass.name} =====`);
  const mochaBin = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const failuresFile = path.join(os.tmpdir(), `mcpm-e2e-failures-${process.pid}.txt`);
  fs.rmSync(failuresFile, { force: true });
  let code = await run(process.execPath, [mochaBin, ...pass.mocha, '--require', 'test/e2e/failures.ts', ...process.argv.slice(2)], {
    env: {
      ...process.env,
      MCPM_E2E_FAILURES: failuresFile, // written by test/e2e/failures.ts

      MCPM_E2E_URL: server.url,
      MCPM_E2E_WORKSPACE: WORKSPACE,
      MCPM_E2E_VSCODE_VERSION: VERSION,
      MCPM_E2E_RESULTS: RESULTS,
    },
  });
  lap(pass.name);
  const failures = fs.existsSync(failuresFile) ? fs.readFileSync(failuresFile, 'utf8').trim() : '';
  fs.rmSync(failuresFile, { force: true });

  // The browser is closed; now the workbench's server goes away, and its MCP servers with it.
  const { ours, leftovers } = await shutDownAndFindLeftovers(server);
  lap('shutdown');
  if (leftovers.length) {
    console.error(
      `[e2e] FAILED: MCP servers still running after the workbench closed:\n${leftovers.map((p) => `  ${p.pid} (ppid ${p.ppid}) ${p.cmd}`).join('\n')}`,
    );
    for (const p of leftovers) await killTree(p.pid);
    code ||= 1;
  } else if (ours.length) {
    console.log(`[e2e] none of the ${ours.length} MCP servers outlived the workbench`);
  }
  await server.stop(); // whatever is left of its tree, and its temp dir
  return { code, ours: ours.length, failures };
}

async function main() {
  const t0 = Date.now();
  await takeTurn();
  const lap = (() => {
    let last = t0;
    return (what) => {
      const now = Date.now();
      console.log(`[e2e] ${what}: ${((now - last) / 1000).toFixed(1)}s`);
      last = now;
    };
  })();
  // First (a taken port fails the run at once), and before the workbench opens: the demo's
  // `fixture-http` must answer from the start.
  const http = await startDemoHttpServer({ log: process.env.MCPM_DEBUG ? (t) => process.stderr.write(`[fixture-http] ${t}`) : undefined });
  console.log(`[e2e] fixture-http: ${http.url} (pid ${http.pid})`);
  const signin = await startDemoSignInServer({
    log: process.env.MCPM_DEBUG ? (t) => process.stderr.write(`[fixture-signin] ${t}`) : undefined,
  });
  console.log(`[e2e] fixture-signin: ${signin.url} (pid ${signin.pid})`);
  const account = await startAccountServer({
    log: process.env.MCPM_DEBUG ? (t) => process.stderr.write(`[fixture-account] ${t}`) : undefined,
  });
  console.log(`[e2e] fixture-account: ${account.url} (pid ${account.pid})`);
  // The test registry for test/e2e/registry.test.ts (set as the user's mcpManager.registries below).
  const registry = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'registry', 'server.mjs'), String(E2E_REGISTRY_PORT)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onCleanup(() => registry.kill());
  await new Promise((resolve, reject) => {
    registry.stdout.on('data', (d) => /listening/.test(String(d)) && resolve());
    registry.once('exit', (c) => reject(new Error(`the test registry exited (${c}); is port ${E2E_REGISTRY_PORT} taken?`)));
  });

  console.log('===== e2e: package =====');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if ((await run(npm, ['run', 'package'])) !== 0) throw new Error('npm run package failed');
  checkVsixContents();
  lap('package');

  console.log(`===== e2e: install into VS Code ${VERSION} =====`);
  await ensureVSCode(VERSION);
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-e2e-extensions-'));
  // Also on Ctrl+C (the signal handler runs the cleanups, not this function's finally).
  onCleanup(() => fs.rmSync(extensionsDir, { recursive: true, force: true }));
  try {
    await installVsix(VERSION, VSIX, extensionsDir);
    fs.rmSync(RESULTS, { recursive: true, force: true });
    let code = 0;
    let seen = 0;
    const failed = [];
    for (const pass of PASSES) {
      const result = await runPass(pass, extensionsDir, lap);
      code ||= result.code;
      seen += result.ours;
      if (result.failures) failed.push(`  ${pass.name}:\n${result.failures.replace(/^/gm, '    ')}`);
    }
    if (code === 0 && !seen) {
      console.error('[e2e] FAILED: no MCP server process was seen during the tests, so the leftover check checked nothing');
      code = 1;
    }
    await http.stop();
    await signin.stop();
    await account.stop();

    const shot = newestPng(RESULTS);
    if (shot) console.log(`[e2e] screenshots in ${path.relative(ROOT, RESULTS)}/ (last: ${path.basename(shot)})`);
    if (code === 0 && process.env.MCPM_UPDATE_SCREENSHOT === '1') {
      // A run of some suites (--grep) updates the shots it took and says which it did not.
      const taken = Object.entries(DOC_SHOTS).filter(([shot]) => fs.existsSync(path.join(RESULTS, shot)));
      if (!taken.length) throw new Error(`none of ${Object.keys(DOC_SHOTS).join(', ')} was taken`);
      for (const [shot, doc] of taken) {
        fs.copyFileSync(path.join(RESULTS, shot), path.join(ROOT, 'docs', doc));
        console.log(`[e2e] copied ${shot} to docs/${doc}`);
      }
      for (const shot of Object.keys(DOC_SHOTS).filter((s) => !taken.some(([t]) => t === s))) {
        console.log(`[e2e] ${shot} was not taken (its suite did not run): docs/${DOC_SHOTS[shot]} unchanged`);
      }
    }
    // Repeated here so that the end of a long log still says which tests failed, and why.
    if (failed.length) console.log(`[e2e] failed tests:\n${failed.join('\n')}`);
    console.log(`[e2e] ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)}s`);
    return code;
  } finally {
    await runCleanups(); // code-server and its whole process tree, the HTTP fixture
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

let code = 1;
try {
  code = await main();
} catch (e) {
  if (e instanceof PortInUseError)
    console.error(`[e2e] FAILED: ${e.message}. Stop whatever holds it (a running \`npm start\`?) and run again.`);
  else console.error(`[e2e] ${e.stack ?? e}`);
  await runCleanups();
}
process.exit(code);
