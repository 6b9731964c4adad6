// Process-tree helpers shared by the scripts: kill a process with everything it started, and run
// cleanups on normal exit paths as well as on SIGINT/SIGTERM/SIGHUP, so a Ctrl+C or a CI timeout
// never leaves code-server, Chromium or a half-done npm install behind.
import fs from 'node:fs';
import os from 'node:os';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** All descendants of pid (children first found via /proc, so it works after setsid too). */
export function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* process vanished meanwhile */
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalAll(pids, signal) {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM the process, its process group and all descendants; SIGKILL whatever survives
 * `graceMs`. Waits until the group is empty too: code-server forks helpers (file watcher,
 * extension host) that may still be shutting down after their parent is gone.
 */
export async function killTree(pid, graceMs = 3000) {
  const pids = [pid, ...descendants(pid)];
  const gone = () => !groupAlive(pid) && !pids.some(alive);
  const signal = (sig) => {
    try {
      process.kill(-pid, sig); // the group (we start children detached = own group)
    } catch {
      /* not a group leader, or empty */
    }
    signalAll([...pids, ...pids.flatMap(descendants)], sig);
  };
  signal('SIGTERM');
  for (const deadline = Date.now() + graceMs; Date.now() < deadline && !gone();) await sleep(100);
  if (!gone()) signal('SIGKILL');
  for (const deadline = Date.now() + 2000; Date.now() < deadline && !gone();) await sleep(50);
}

// Cleanups run on normal exit paths and on SIGINT/SIGTERM/SIGHUP, so a Ctrl+C or a CI timeout
// never leaves code-server or Chromium behind.
const cleanups = new Set();
let signalsHooked = false;
export function onCleanup(fn) {
  cleanups.add(fn);
  if (!signalsHooked) {
    signalsHooked = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(sig, async () => {
        console.error(`\n[mcpm] ${sig}: cleaning up`);
        await runCleanups();
        process.exit(128 + (os.constants.signals[sig] ?? 1));
      });
    }
  }
  return () => cleanups.delete(fn);
}
export async function runCleanups() {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) {
    try {
      await fn();
    } catch (e) {
      console.error(`[mcpm] cleanup failed: ${e.message}`);
    }
  }
}
