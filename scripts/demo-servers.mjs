// The demo servers that VS Code cannot start by itself, on fixed ports that
// demo/.vscode/settings.json names: `fixture-http` (our fixture over Streamable HTTP) and
// `fixture-signin` (the v2 fixture behind the OAuth fixtures: a protected MCP server and its
// authorization server, whose consent page has an Allow button). `npm start` and
// `npm run test:e2e` start them before the workbench opens and stop them (with their process
// trees) at the end, also on Ctrl+C/SIGTERM and on failure (through proc.mjs's cleanups).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { descendants, killTree, onCleanup } from './proc.mjs';

/** Descendants of pid (via /proc ppid links). */
export const descendantPids = descendants;
import { ROOT } from './setup-vscode.mjs';

export const DEMO_HTTP_PORT = 39217;
export const DEMO_HTTP_URL = `http://127.0.0.1:${DEMO_HTTP_PORT}/mcp`;
/** `fixture-signin`: the protected MCP server, and its authorization server. */
export const DEMO_SIGNIN_PORT = 39219;
export const DEMO_AUTH_PORT = 39220;
export const DEMO_SIGNIN_URL = `http://127.0.0.1:${DEMO_SIGNIN_PORT}/mcp`;
/** The e2e's server whose authorization server is the test extension's "Test Account" (test/e2e/accounts.test.ts). */
export const ACCOUNT_PORT = 39221;
export const ACCOUNT_AUTH_PORT = 39222;
export const ACCOUNT_URL = `http://127.0.0.1:${ACCOUNT_PORT}/mcp`;
export const ACCOUNT_ISSUER = `http://127.0.0.1:${ACCOUNT_AUTH_PORT}/test-account`;
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'server.mjs');
const OAUTH_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'oauth', 'main.ts');

export class PortInUseError extends Error {}

/** Resolves true when something accepts connections on 127.0.0.1:port. */
export function portTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Who listens on a TCP port, from /proc (Linux; best effort): "pid 123: node …" or undefined. */
export function listenerOf(port) {
  try {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    const inodes = new Set();
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        // local_address is "IP:PORT" in hex, st 0A = LISTEN, inode is field 9
        if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]);
      }
    }
    if (!inodes.size) return undefined;
    for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      let fds;
      try {
        fds = fs.readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target;
        try {
          target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(m[1])) {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          return `pid ${pid}: ${cmd.length > 160 ? `${cmd.slice(0, 159)}…` : cmd}`;
        }
      }
    }
  } catch {
    /* not Linux, or no permission */
  }
  return undefined;
}

/**
 * Starts `node test/fixtures/server.mjs --http --port 39217` and waits for its `LISTENING` line.
 * Throws PortInUseError (with who holds the port, when it can tell) if the port is taken.
 * @returns {Promise<{url:string, pid:number, stop:()=>Promise<void>}>}
 */
export function startDemoHttpServer({ port = DEMO_HTTP_PORT, log = () => {} } = {}) {
  return startDemoProcess({
    what: `the demo's "fixture-http" server (${DEMO_HTTP_URL})`,
    args: [FIXTURE, '--http', '--port', String(port)],
    ports: [port],
    ready: /^LISTENING (\S+)$/m,
    log,
  });
}

/**
 * Starts the demo's `fixture-signin`: test/fixtures/oauth/main.ts with the consent page, the
 * protected server on 39219 and its authorization server on 39220; waits for its `OAUTH` line.
 * @returns {Promise<{url:string, pid:number, stop:()=>Promise<void>}>}
 */
export function startDemoSignInServer({ port = DEMO_SIGNIN_PORT, authPort = DEMO_AUTH_PORT, log = () => {} } = {}) {
  return startDemoProcess({
    what: `the demo's "fixture-signin" server (${DEMO_SIGNIN_URL} and its authorization server on port ${authPort})`,
    args: ['--import', 'tsx', OAUTH_FIXTURE, '--consent', 'page', '--port', String(port), '--as-port', String(authPort)],
    ports: [port, authPort],
    ready: /^OAUTH (\S+) /m,
    log,
  });
}

/**
 * Starts the e2e's `fixture-account`: the OAuth fixtures with the authorization server's issuer at
 * /test-account (claimed by the test extension's "Test Account" provider, which gets its tokens
 * there), the protected server on 39221 and its authorization server on 39222.
 * @returns {Promise<{url:string, pid:number, stop:()=>Promise<void>}>}
 */
export function startAccountServer({ log = () => {} } = {}) {
  return startDemoProcess({
    what: `the e2e's "fixture-account" server (${ACCOUNT_URL} and its authorization server ${ACCOUNT_ISSUER})`,
    args: [
      '--import',
      'tsx',
      OAUTH_FIXTURE,
      '--consent',
      'page',
      '--port',
      String(ACCOUNT_PORT),
      '--as-port',
      String(ACCOUNT_AUTH_PORT),
      '--issuer-path',
      '/test-account',
      '--account',
    ],
    ports: [ACCOUNT_PORT, ACCOUNT_AUTH_PORT],
    ready: /^OAUTH (\S+) /m,
    log,
  });
}

/** Starts a demo server process (own process group) and waits until it prints `ready` (its URL in group 1). */
async function startDemoProcess({ what, args, ports, ready, log }) {
  for (const port of ports) {
    if (await portTaken(port)) {
      const who = listenerOf(port);
      throw new PortInUseError(`port ${port} on 127.0.0.1 is already in use${who ? ` (${who})` : ''}; ${what} needs it`);
    }
  }
  // detached: own process group, so killTree ends it and anything it starts.
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    removeCleanup();
    await killTree(child.pid);
  };
  const removeCleanup = onCleanup(stop);
  let output = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s:\n${output}`)), 30000);
      const onData = (d) => {
        output += d;
        const m = ready.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        // Lost a race for the port, most likely (EADDRINUSE).
        if (/EADDRINUSE/.test(output)) reject(new PortInUseError(`a port of ${what} is already in use on 127.0.0.1 (${ports.join(', ')})`));
        else reject(new Error(`${what} exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    // Keep draining its output (a full pipe would block it); the caller may want to see it.
    child.stdout.removeAllListeners('data');
    child.stderr.removeAllListeners('data');
    child.stdout.on('data', (d) => log(String(d)));
    child.stderr.on('data', (d) => log(String(d)));
    child.removeAllListeners('exit');
    return { url, pid: child.pid, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Live processes whose command line matches `re` (Linux /proc), as {pid, ppid, cmd}. */
export function processesMatching(re) {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (!re.test(cmd)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue; // a zombie is dead, only not yet reaped
      out.push({ pid: Number(entry), ppid: Number(rest[1]), cmd });
    } catch {
      /* vanished meanwhile */
    }
  }
  return out;
}
