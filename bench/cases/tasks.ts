// Polling overhead of a task that lasts 10 s: how many tasks/get requests the client sends and how
// much CPU the client process uses meanwhile, at the interval the server suggests (the era
// fixture's task_timer; 2026-07-28 over stdio). Registered in bench/run.ts (group "tasks").
import * as path from 'node:path';
import { ServerConnection } from '../../src/core';
import { definition, REPO_ROOT } from '../lib/setup';

const MODERN = path.join(REPO_ROOT, 'test', 'fixtures', 'eras', 'modern.mjs');

/** One 10 s task (`ms`), polled every `pollMs`: requests sent and client CPU (user + system, ms). */
export async function taskPolling(opts: { ms?: number; pollMs?: number; era?: 'modern' | 'legacy' }) {
  const ms = opts.ms ?? 10_000;
  let polls = 0;
  const count = (m: string) => {
    if (m.includes('request tasks/get')) polls++;
  };
  const conn = new ServerConnection(
    definition({ command: process.execPath, args: [MODERN, '--era', opts.era ?? 'modern'], env: { ERA_LOG_REQUESTS: '1' } }),
    { logger: { trace: count, debug: count, info: count, warn: count, error: count } },
  );
  try {
    await conn.listTools();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await conn.callTool('task_timer', { ms, pollMs: opts.pollMs ?? 1000 });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ms, pollMs: opts.pollMs ?? 1000, polls, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await conn.dispose();
  }
}

type Outcome = Awaited<ReturnType<typeof taskPolling>>;

/** The run.ts step: 10 s tasks polled every 1 s and every 200 ms. */
export async function tasksStep(
  runCase: <T>(name: string, opts?: object) => Promise<T>,
  rows: { case: string; ours: string; sdk: string; floor: string; goal: string; met?: boolean }[],
): Promise<void> {
  for (const pollMs of [1000, 200]) {
    const r = await runCase<Outcome>('taskPolling', { ms: 10_000, pollMs });
    const expected = Math.ceil(10_000 / pollMs);
    rows.push({
      case: `task 10 s, poll ${pollMs} ms`,
      ours: `${r.polls} tasks/get, ${r.cpuMs.toFixed(0)} ms CPU`,
      sdk: 'no tasks runtime',
      floor: `${expected} polls`,
      goal: `<= ${expected + 1} polls, < 1% CPU`,
      met: r.polls <= expected + 1 && r.cpuMs < r.wallMs / 100,
    });
  }
}
