// Timing and memory helpers for the benchmarks.
import * as fs from 'node:fs';

export interface Summary {
  readonly n: number;
  /** Milliseconds. */
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samplesMs: readonly number[]): Summary {
  if (samplesMs.length === 0) throw new Error('no samples');
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { n: s.length, median: at(0.5), p95: at(0.95), min: s[0]!, max: s[s.length - 1]! };
}

/**
 * CPU time (user + system) this process has used, in milliseconds. On a shared machine a
 * client's CPU time is what other processes disturb least: wall time also holds the waits for a
 * descheduled server or client, CPU time only the work done.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** High-resolution now, in milliseconds. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = now();
  const value = await fn();
  return { ms: now() - t0, value };
}

/**
 * Runs `fn` `warmup` times, then `runs` times, timing each run. With several functions, rounds
 * alternate between them so drift (JIT, GC, the other core's load) hits all of them alike.
 */
export async function alternate(
  fns: Record<string, () => Promise<unknown>>,
  opts: { warmup: number; rounds: number; perRound: number },
): Promise<Record<string, Summary> & { cpu: Record<string, Summary> }> {
  const cpu: Record<string, number[]> = {};
  const samples = await alternateSamples(fns, opts, cpu);
  return {
    ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])),
    cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, summarize(v)])),
  } as Record<string, Summary> & { cpu: Record<string, Summary> };
}

/**
 * alternate(), returning every sample (milliseconds) instead of summaries. With `cpu`, also this
 * process's CPU time per call, averaged over each round (one sample per round), into `cpu[name]`.
 */
export async function alternateSamples(
  fns: Record<string, () => Promise<unknown>>,
  opts: { warmup: number; rounds: number; perRound: number },
  cpu?: Record<string, number[]>,
): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(fns)) {
    samples[name] = [];
    for (let i = 0; i < opts.warmup; i++) await fn();
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const out = samples[name]!;
      const c0 = cpuMs();
      for (let i = 0; i < opts.perRound; i++) {
        const t0 = now();
        await fn();
        out.push(now() - t0);
      }
      if (cpu) (cpu[name] ??= []).push((cpuMs() - c0) / opts.perRound);
    }
  }
  return samples;
}

// ---- memory (Linux /proc): peak RSS is the kernel's high-water mark, exact whatever the GC does ----

function statusField(name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Resets the peak-RSS high-water mark (VmHWM) to the current RSS. */
export function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export function rssBytes(): number {
  return statusField('VmRSS');
}

export function peakRssBytes(): number {
  return statusField('VmHWM');
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  g();
  g();
}

export const MiB = 1024 * 1024;
