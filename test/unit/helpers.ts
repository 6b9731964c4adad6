// Shared helpers for core unit tests: real processes, observed through /proc.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseServer, type ServerDefinition, type Logger } from '../../src/core';
import { isProcessAlive } from '../fixtures/paths';

/** Short grace periods and backoff so lifecycle tests run in milliseconds. */
export const fastTiming = {
  closeGraceMs: 300,
  killGraceMs: 300,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  maxFailures: 3,
  healthyAfterMs: 60_000,
};

export function definition(name: string, entry: Record<string, unknown>): ServerDefinition {
  const r = parseServer(name, entry);
  if (!('definition' in r)) throw new Error(`bad test config: ${JSON.stringify(r.issues)}`);
  return r.definition;
}

/** Live processes (zombies excluded) from /proc, with their parent and process group. */
function liveProcesses(): { pid: number; ppid: number; pgrp: number }[] {
  const out: { pid: number; ppid: number; pgrp: number }[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp ...
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] !== 'Z' && f[0] !== 'X') out.push({ pid: Number(e), ppid: Number(f[1]), pgrp: Number(f[2]) });
    } catch {
      // gone
    }
  }
  return out;
}

/** Direct children of this test process that are alive. */
export function childPids(): number[] {
  return liveProcesses()
    .filter((p) => p.ppid === process.pid)
    .map((p) => p.pid);
}

/** Live members of a process group: a server's whole tree. */
export function groupPids(pgid: number): number[] {
  return liveProcesses()
    .filter((p) => p.pgrp === pgid)
    .map((p) => p.pid);
}

/**
 * The least time waitFor waits before giving up. A budget is only there to turn a hang into a
 * clear failure; a small one (2-3 s) raced process startup and exits on a busy machine (two
 * `npm test` runs on 2 cores), so no budget is smaller than this.
 */
export const WAIT_FLOOR_MS = 10_000;

/** Waits for `cond` (polling); fails after max(timeoutMs, WAIT_FLOOR_MS), naming `what`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + Math.max(timeoutMs, WAIT_FLOOR_MS);
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

export async function assertGone(pid: number, timeoutMs = 3000): Promise<void> {
  await waitFor(() => !isProcessAlive(pid), timeoutMs, `process ${pid} to exit`);
}

/** A logger that records lines, for asserting what reached the log. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string | Error) => lines.push(`${level} ${typeof m === 'string' ? m : m.message}`);
  return {
    lines,
    trace: push('trace'),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    traceEnabled: false,
  };
}

export function textOf(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}
