import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { GroupWatchdog } from './groupWatchdog';

// Signals to a whole process group. stdio servers are spawned as group leaders (detached on
// POSIX) so `npx`, shell wrappers and their grandchildren can all be ended together.

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    if (process.platform === 'win32') {
      // No process groups on Windows: taskkill /T walks the tree.
      const r = spawnSync('taskkill', ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])], { windowsHide: true });
      return r.status === 0;
    } else {
      process.kill(-pid, signal);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * True while any process of the group is alive. On Linux, zombies do not count: orphaned
 * grandchildren are re-parented to PID 1, which in containers may reap them late or never.
 */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return groupMembersLinux(pid).length > 0;
    } catch {
      // /proc unavailable: fall through to the signal check.
    }
  }
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Process groups of all live stdio servers: killed synchronously if the host exits without
 * stopping them, and by the watchdog (groupWatchdog.ts) if the host dies without running any code.
 */
const liveGroups = new Set<number>();
const watchdog = new GroupWatchdog();
let exitHookInstalled = false;

export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  watchdog.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) signalGroup(g, 'SIGKILL');
    });
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
  watchdog.remove(pid);
}

function groupMembersLinux(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while scanning
    }
    // Fields after the parenthesised command: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
  }
  return members;
}
