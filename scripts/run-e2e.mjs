#!/usr/bin/env node
// `npm run test:e2e`: the extension as a user gets it. Packages the .vsix (`npm run package`),
// checks what went into it, installs it into a fresh code-server (VS Code 1.139.1) with
// --install-extension, opens demo/ and runs the Playwright tests in test/e2e/*.test.ts with mocha
// (test/e2e/.mocharc.json; TypeScript via tsx). Screenshots land in test-results/e2e/;
// MCPM_UPDATE_SCREENSHOT=1 copies the last one taken to docs/screenshot.png.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installVsix, runCleanups, startCodeServer } from './code-server-host.mjs';
import { ensureVSCode, ROOT } from './setup-vscode.mjs';

const VERSION = process.env.MCPM_E2E_VSCODE_VERSION ?? '1.139.1';
const VSIX = path.join(ROOT, 'dist', 'mcp-manager.vsix');
const WORKSPACE = path.join(ROOT, 'demo');
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
// What may ship in the .vsix (paths inside its extension/ folder; vsce renames LICENSE to
// LICENSE.txt and may lower-case README/CHANGELOG).
const ALLOWED = [/^package\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^license(\.txt)?$/i, /^dist\/extension\.js$/, /^dist\/cli\.js$/, /^media\/[^/]+$/];

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
  for (const must of ['package.json', 'dist/extension.js']) {
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

async function main() {
  const t0 = Date.now();
  console.log('===== e2e: package =====');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if ((await run(npm, ['run', 'package'])) !== 0) throw new Error('npm run package failed');
  checkVsixContents();

  console.log(`===== e2e: install into VS Code ${VERSION} =====`);
  await ensureVSCode(VERSION);
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-e2e-extensions-'));
  try {
    await installVsix(VERSION, VSIX, extensionsDir);
    const server = await startCodeServer({ version: VERSION, extensionsDir });
    console.log(`[e2e] code-server ${server.url} workspace ${path.relative(ROOT, WORKSPACE)}/`);

    console.log('===== e2e: tests =====');
    fs.rmSync(RESULTS, { recursive: true, force: true });
    const mochaBin = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const code = await run(process.execPath, [mochaBin, '--config', 'test/e2e/.mocharc.json', ...process.argv.slice(2)], {
      env: { ...process.env, MCPM_E2E_URL: server.url, MCPM_E2E_WORKSPACE: WORKSPACE, MCPM_E2E_VSCODE_VERSION: VERSION, MCPM_E2E_RESULTS: RESULTS },
    });

    const shot = newestPng(RESULTS);
    if (shot) console.log(`[e2e] screenshots in ${path.relative(ROOT, RESULTS)}/ (last: ${path.basename(shot)})`);
    if (code === 0 && process.env.MCPM_UPDATE_SCREENSHOT === '1' && shot) {
      fs.copyFileSync(shot, path.join(ROOT, 'docs', 'screenshot.png'));
      console.log(`[e2e] copied ${path.basename(shot)} to docs/screenshot.png`);
    }
    console.log(`[e2e] ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)}s`);
    return code;
  } finally {
    await runCleanups(); // code-server and its whole process tree
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`[e2e] ${e.stack ?? e}`);
  await runCleanups();
}
process.exit(code);
