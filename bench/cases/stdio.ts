// stdio cases: warm call, cold call, big results (time and peak memory), the size limit.
import { spawn } from 'node:child_process';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ServerError } from '../../src/core';
import { RawPipeClient } from '../lib/raw';
import {
  FIXTURE_SERVER,
  NODE,
  PIPE_ECHO,
  oursStdio,
  oursV1Fixture,
  plainStdio,
  serverArgs,
  textLength,
  v1Stdio,
  type Era,
} from '../lib/setup';
import { MiB, alternateSamples, cpuMs, gc, now, peakRssBytes, resetPeakRss, rssBytes, summarize } from '../lib/stats';

const ECHO = { name: 'echo', arguments: { message: 'hi' } };
const noProgress = () => {};
/** What ServerConnection gives the SDK for a call with onProgress. */
const PROGRESS_OPTIONS = { onprogress: noProgress, timeout: 60_000, resetTimeoutOnProgress: true, maxTotalTimeout: 600_000 };

/** A raw NDJSON client to the bench server of `era`, opened (initialize, or server/discover). */
async function rawServer(era: Era, env: NodeJS.ProcessEnv = process.env): Promise<RawPipeClient> {
  const raw = new RawPipeClient(NODE, serverArgs(era), env);
  await raw.open(era);
  return raw;
}

/**
 * Warm tools/call echo against the bench server of one era: floor (raw pipe to a tiny echo process),
 * raw client to the same server, the plain SDK v2 client (and a second one as a control for the
 * method's noise), ours; then the plain v2 client and ours both asking for progress (a progress
 * token, so progress resets the timeout); for a 2025-era server also the plain SDK v1 client.
 *
 * Each contender has its own server process, warmed up alike (a server that served more calls is
 * faster: V8 keeps optimising it for thousands of calls). Two processes of the same server still
 * differ by several µs per call, so the comparison runs `sets` times with fresh processes and the
 * samples of all sets are pooled.
 */
export async function warmStdio(opts: { era: Era; rounds?: number; perRound?: number; warmup?: number; sets?: number; v1?: boolean }) {
  const { era } = opts;
  const pooled: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let set = 0; set < (opts.sets ?? 3); set++) {
    const floor = new RawPipeClient(NODE, [PIPE_ECHO]);
    const rawFixture = await rawServer(era);
    const sdk = await plainStdio(era);
    const control = await plainStdio(era);
    const ours = oursStdio(era);
    await ours.start();
    const sdkP = await plainStdio(era);
    const oursP = oursStdio(era);
    await oursP.start();
    const v1 = era === 'legacy' && opts.v1 !== false ? await v1Stdio() : undefined;
    try {
      const samples = await alternateSamples(
        {
          floor: () => floor.request('tools/call', ECHO),
          rawFixture: () => rawFixture.request('tools/call', ECHO),
          sdk: () => sdk.callTool(ECHO),
          // Same as sdk, another process: how far two identical contenders differ in this run.
          sdkControl: () => control.callTool(ECHO),
          ours: () => ours.callTool('echo', ECHO.arguments),
          // Asking for progress: the SDK and the server then handle a progress token (a few µs).
          sdkProgress: () => sdkP.callTool(ECHO, PROGRESS_OPTIONS),
          oursProgress: () => oursP.callTool('echo', ECHO.arguments, { onProgress: noProgress }),
          ...(v1 && { v1: () => v1.callTool(ECHO) }),
        },
        { warmup: opts.warmup ?? 500, rounds: opts.rounds ?? 5, perRound: opts.perRound ?? 600 },
        cpu,
      );
      for (const [k, v] of Object.entries(samples)) (pooled[k] ??= []).push(...v);
    } finally {
      await Promise.all([
        floor.close(),
        rawFixture.close(),
        sdk.close(),
        control.close(),
        ours.dispose(),
        sdkP.close(),
        oursP.dispose(),
        v1?.close(),
      ]);
    }
  }
  return {
    ...Object.fromEntries(Object.entries(pooled).map(([k, v]) => [k, summarize(v)])),
    // The client process's CPU time per call (one sample per round): what load on the machine disturbs least.
    cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, summarize(v)])),
  };
}

/** Spawn to first byte of `node -e`: the floor of any cold start. */
function firstByte(): Promise<number> {
  const t0 = now();
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['-e', "process.stdout.write('x')"], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(now() - t0));
    child.once('error', reject);
  });
}

/**
 * Cold call = spawn + handshake (server/discover, with the fall back to initialize for a 2025-era
 * server) + tools/call; closing is not timed. For a 2025-era server also, for information, the plain
 * v2 client with default options (the 2025 handshake only, no probe) and the plain v1 client.
 * Contenders take turns, in a rotating order, so neither always runs right after the other.
 */
export async function cold(opts: { era: Era; runs?: number }) {
  const { era } = opts;
  const runs = opts.runs ?? 8;
  const contenders: Record<string, () => Promise<number>> = {
    floor: firstByte,
    sdk: async () => {
      const t0 = now();
      const sdk = await plainStdio(era);
      await sdk.callTool(ECHO);
      const ms = now() - t0;
      await sdk.close();
      return ms;
    },
    ours: async () => {
      const t0 = now();
      const ours = oursStdio(era);
      await ours.callTool('echo', ECHO.arguments);
      const ms = now() - t0;
      await ours.dispose();
      return ms;
    },
  };
  if (era === 'legacy') {
    contenders.sdk2025 = async () => {
      const t0 = now();
      const sdk = await plainStdio(era, {}, { twentyFive: true });
      await sdk.callTool(ECHO);
      const ms = now() - t0;
      await sdk.close();
      return ms;
    };
    contenders.v1 = async () => {
      const t0 = now();
      const v1 = await v1Stdio();
      await v1.callTool(ECHO);
      const ms = now() - t0;
      await v1.close();
      return ms;
    };
  }
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = -1; i < runs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(i, 0)) % names.length]!;
      const ms = await contenders[name]!();
      if (i >= 0) samples[name]!.push(ms);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]));
}

export interface BigOutcome {
  readonly ok: boolean;
  /** Time of each big call (the first is also the one whose memory was measured). */
  readonly ms: number[];
  /** Peak RSS during the first big call minus RSS before it. */
  readonly peakDeltaBytes: number;
  readonly error?: string;
}

/**
 * Big results in a fresh process (run by child.ts): the first call's time and client peak memory,
 * then `repeat` more timed calls.
 */
export async function bigResult(opts: {
  era: Era;
  who: 'ours' | 'sdk' | 'floor';
  bytes: number;
  maxBufferSize?: number;
  repeat?: number;
}): Promise<BigOutcome> {
  const { era } = opts;
  let call: (bytes: number) => Promise<number>;
  let close: () => Promise<void>;
  if (opts.who === 'floor') {
    const raw = await rawServer(era);
    call = async (bytes) => {
      const r = (await raw.request('tools/call', { name: 'big', arguments: { bytes } })) as { result: CallToolResult };
      return textLength(r.result);
    };
    close = () => raw.close();
  } else if (opts.who === 'sdk') {
    const sdk = await plainStdio(era, {}, { maxBufferSize: opts.maxBufferSize });
    call = async (bytes) => textLength(await sdk.callTool({ name: 'big', arguments: { bytes } }, { timeout: 600_000 }));
    close = () => sdk.close();
  } else {
    const ours = oursStdio(era);
    call = async (bytes) => textLength(await ours.callTool('big', { bytes }, { timeoutMs: 600_000 }));
    close = () => ours.dispose();
  }
  const times: number[] = [];
  let peakDeltaBytes = NaN;
  try {
    // Warm the path (handshake, JIT) with small results first.
    for (let i = 0; i < 20; i++) await call(64 * 1024);
    for (let i = 0; i <= (opts.repeat ?? 0); i++) {
      gc();
      await new Promise((r) => setTimeout(r, 50));
      const before = rssBytes();
      resetPeakRss();
      const t0 = now();
      const n = await call(opts.bytes);
      times.push(now() - t0);
      if (i === 0) peakDeltaBytes = peakRssBytes() - before;
      if (n !== opts.bytes) return { ok: false, ms: times, peakDeltaBytes, error: `got ${n} bytes` };
    }
    return { ok: true, ms: times, peakDeltaBytes };
  } catch (e) {
    if (Number.isNaN(peakDeltaBytes)) peakDeltaBytes = peakRssBytes() - rssBytes();
    return { ok: false, ms: times.length ? times : [NaN], peakDeltaBytes, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await close();
  }
}

/**
 * Time of big results, ours against the raw pipe, alternating in one process (one process per
 * sample would let process-to-process noise swamp the difference). Memory: see bigResult.
 */
export async function bigTime(opts: { era: Era; bytes: number; rounds?: number; v1Fixture?: boolean }) {
  // v1Fixture: the SDK 1.x fixture server of the figures recorded before issue 13 (2025 era).
  const raw = opts.v1Fixture ? new RawPipeClient(NODE, [FIXTURE_SERVER]) : await rawServer(opts.era);
  if (opts.v1Fixture) await raw.open('legacy');
  const ours = opts.v1Fixture ? oursV1Fixture() : oursStdio(opts.era);
  await ours.start();
  const check = (n: number) => {
    if (n !== opts.bytes) throw new Error(`got ${n} bytes, expected ${opts.bytes}`);
  };
  const fns = {
    floor: async () =>
      check(
        textLength(
          ((await raw.request('tools/call', { name: 'big', arguments: { bytes: opts.bytes } })) as { result: CallToolResult }).result,
        ),
      ),
    ours: async () => check(textLength(await ours.callTool('big', { bytes: opts.bytes }, { timeoutMs: 600_000 }))),
  };
  const samples: Record<keyof typeof fns, number[]> = { floor: [], ours: [] };
  const cpu: Record<keyof typeof fns, number[]> = { floor: [], ours: [] };
  try {
    for (let round = -1; round < (opts.rounds ?? 6); round++) {
      // ABBA order, and a full GC before each call, so neither pays for the other's garbage.
      const order = (round & 1) === 0 ? (['floor', 'ours'] as const) : (['ours', 'floor'] as const);
      for (const name of order) {
        gc();
        const c0 = cpuMs();
        const t0 = now();
        await fns[name]();
        if (round >= 0) {
          samples[name].push(now() - t0);
          cpu[name].push(cpuMs() - c0);
        }
      }
    }
    return {
      floor: summarize(samples.floor),
      ours: summarize(samples.ours),
      cpu: { floor: summarize(cpu.floor), ours: summarize(cpu.ours) },
    };
  } finally {
    await Promise.all([raw.close(), ours.dispose()]);
  }
}

/** The size limit: the one oversized result fails with a clear error; the server lives on. */
export async function sizeLimit(opts: { era: Era }) {
  const ours = oursStdio(opts.era, {}, { maxResultBytes: 8 * MiB });
  try {
    const pidOf = async () => Number((await ours.callTool('pid', {})).content.map((c) => (c.type === 'text' ? c.text : '')).join(''));
    const pid = await pidOf();
    const t0 = now();
    let error = '';
    let kind = '';
    try {
      await ours.callTool('big', { bytes: 10 * MiB });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      kind = e instanceof ServerError ? e.kind : '';
    }
    const ms = now() - t0;
    const samePid = (await pidOf()) === pid;
    return { ok: kind === 'tooLarge' && samePid, ms, error, kind, serverAlive: samePid };
  } finally {
    await ours.dispose();
  }
}
