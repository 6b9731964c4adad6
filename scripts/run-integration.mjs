#!/usr/bin/env node
// `npm run test:integration`: runs test/integration/**/*.test.ts inside a real VS Code extension
// host, on every VS Code version we support (oldest = engines.vscode, newest stable).
// Restrict versions with MCPM_VSCODE_VERSIONS=1.139.1, tests with MCPM_TEST_GREP=<regex>,
// suites with MCPM_TEST_SUITES=default,multiroot.
//
// Uses the standard @vscode/test-electron runTests() API; only vscodeExecutablePath points at
// scripts/vscode-shim.mjs, which runs the tests in code-server + headless Chromium because VS Code
// cannot be downloaded here.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTests, OUT } from './build-tests.mjs';
import { installVsix } from './code-server-host.mjs';
import { ensureVSCode, ROOT, selectedVersions } from './setup-vscode.mjs';
import { testExtensionVsix } from './test-extension.mjs';

const SHIM = path.join(ROOT, 'scripts', 'vscode-shim.mjs');
const FIXTURES = path.join(ROOT, 'test', 'integration');

// Suites: each runs in its own VS Code window on its own workspace (a fresh temp copy of the
// folder under test/integration/). A test file belongs to the suite whose `match` fits its name,
// otherwise to `default`. Add a suite here when tests need a differently opened window.
// `settings`: extra user settings for the suite's window.
const SUITES = [
  // Its tests start servers from workspace settings; the confirmation before running a
  // workspace-defined command would be a modal (refused in tests). config.test.ts turns it back on.
  { name: 'default', workspace: 'workspace', settings: { 'mcpManager.confirmWorkspaceServers': false } },
  // Multi-root: opens the .code-workspace file in the copied folder.
  { name: 'multiroot', match: /-multiroot\.test\.js$/, workspace: 'workspace-multiroot', open: 'multi.code-workspace' },
  // Restricted Mode: workspace trust enabled and the folder not trusted.
  { name: 'untrusted', match: /-untrusted\.test\.js$/, workspace: 'workspace-untrusted', untrusted: true },
];
const suiteOf = (file) => SUITES.find((s) => s.match?.test(path.basename(file))) ?? SUITES[0];

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const versions = selectedVersions();
const t0 = Date.now();
const secs = (since) => `${Math.round((Date.now() - since) / 1000)}s`;

// Fresh bundles of the extension and of the tests (esbuild: ~1 s), so this command also works
// on its own, not only after `npm run build`.
if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
const count = await buildTests();
console.log(`[integration] ${count} test file(s); VS Code ${versions.join(', ')}`);
fs.chmodSync(SHIM, 0o755); // runTests spawns it directly; survive a checkout that lost the x bit

// Installs (cold: minutes, mostly node-gyp) run one after another in the background, so the
// first version's tests start as soon as it is ready while the next one installs. (Both at once
// is slower on 2 cores: they fight over the CPU and the first version is ready much later.)
const installs = new Map();
let chain = Promise.resolve();
for (const v of versions) {
  const p = chain.then(() => ensureVSCode(v));
  p.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
  chain = p.catch(() => {}); // a failed install does not stop the next one
  installs.set(v, p);
}

// Bundled test files per suite (suites without files, or not in $MCPM_TEST_SUITES, are skipped).
const wanted = process.env.MCPM_TEST_SUITES?.split(/[\s,]+/).filter(Boolean);
const bySuite = new Map(SUITES.map((suite) => [suite, []]));
for (const file of testFiles(OUT).sort()) bySuite.get(suiteOf(file)).push(file);
if (wanted?.length) for (const suite of SUITES) if (!wanted.includes(suite.name)) bySuite.delete(suite);

const results = [];
for (const version of versions) {
  for (const [suite, files] of bySuite) {
    if (!files.length) continue;
    const label = `VS Code ${version}${suite.name === 'default' ? '' : ` [${suite.name}]`}`;
    const started = Date.now();
    console.log(`\n===== integration tests on ${label}: ${files.length} file(s) =====`);
    let ok = false;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-integration-'));
    const failuresFile = path.join(tmp, 'failures.txt');
    let failures = '';
    // A failed install is reported once (with its cause), not again for every suite.
    const install = await installs.get(version).then(
      () => null,
      (e) => e,
    );
    if (install) {
      if (!install.reported) console.error(`[integration] installing VS Code ${version} failed:\n${install.message}`);
      else console.error(`[integration] ${label}: skipped, VS Code ${version} is not installed (see above)`);
      install.reported = true;
      fs.rmSync(tmp, { recursive: true, force: true });
      results.push({ label, ok: false, time: secs(started) });
      continue;
    }
    try {
      // Beside ours, an installed language model provider (test/fixtures/lm-extension): sampling
      // in the tests goes through vscode.lm to a model that answers offline.
      await installVsix(version, await testExtensionVsix(), path.join(tmp, 'extensions'));
      // A copy of the fixture workspace: tests may write settings without touching the repo.
      const workspace = path.join(tmp, suite.workspace);
      fs.cpSync(path.join(FIXTURES, suite.workspace), workspace, { recursive: true });
      await runTests({
        vscodeExecutablePath: SHIM,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(OUT, 'index.js'),
        launchArgs: [
          suite.open ? path.join(workspace, suite.open) : workspace,
          `--user-data-dir=${path.join(tmp, 'user-data')}`,
          `--extensions-dir=${path.join(tmp, 'extensions')}`,
        ],
        extensionTestsEnv: {
          MCPM_VSCODE_VERSION: version,
          MCPM_TEST_FILES: files.join(path.delimiter), // read by test/integration/index.ts
          MCPM_WORKSPACE_TRUST: suite.untrusted ? 'untrusted' : '', // read by vscode-shim.mjs
          MCPM_USER_SETTINGS: JSON.stringify(suite.settings ?? {}), // read by vscode-shim.mjs
          // Colours on a terminal, and in CI (mocha's ✔/✖ symbols are coloured there anyway).
          MCPM_TEST_COLOR: process.stdout.isTTY || process.env.CI ? '1' : '0',
          MCPM_TEST_FAILURES: failuresFile, // written by test/integration/index.ts
        },
      });
      ok = true;
    } catch (e) {
      console.error(`[integration] ${label}: ${e.message}`);
    } finally {
      if (fs.existsSync(failuresFile)) failures = fs.readFileSync(failuresFile, 'utf8');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    results.push({ label, ok, time: secs(started), failures });
  }
}

console.log('\n===== integration summary =====');
for (const r of results) {
  console.log(`  ${r.label}: ${r.ok ? 'passed' : 'FAILED'} (${r.time})`);
  // Repeated here so that the end of a long log still says which tests failed, and why.
  if (r.failures) console.log(r.failures.replace(/^/gm, '      '));
}
console.log(`  total ${secs(t0)}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
