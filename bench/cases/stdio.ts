// stdio cases: warm call, cold call, big results (time and peak memory), the size limit.
import { spawn } from 'node:child_process';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServerError } from '../../src/core';
import { RawPipeClient } from '../lib/raw';
import { FIXTURE_SERVER, NODE, PIPE_ECHO, oursStdio, sdkStdio, textLength } from '../lib/setup';
import { MiB, alternateSamples, gc, now, peakRssBytes, resetPeakRss, rssBytes, summarize } from '../lib/stats';

const ECHO = { name: 'echo', arguments: { message: 'hi' } };
const noProgress = () => {};
/** What ServerConnection gives the SDK for a call with onProgress. */
const PROGRESS_OPTIONS = { onprogress: noProgress, timeout: 60_000, resetTimeoutOnProgress: true, maxTotalTimeout: 600_000 };

/**
 * Warm tools/call echo: floor (raw pipe to a tiny echo process), raw client to the fixture, the plain
 * SDK (and a second plain client as a control for the method's noise), ours; then the SDK and ours
 * both asking for progress (a progress token, so progress resets the timeout).
 *
 * Each contender has its own server process, warmed up alike (a server that served more calls is
 * faster: V8 keeps optimising it for thousands of calls). Two processes of the same server still
 * differ by several µs per call, so the comparison runs `sets` times with fresh processes and the
 * samples of all sets are pooled.
 */
export async function warmStdio(opts: { rounds?: number; perRound?: number; warmup?: number; sets?: number } = {}) {
  const pooled: Record<string, number[]> = {};
  for (let set = 0; set < (opts.sets ?? 3); set++) {
    const floor = new RawPipeClient(NODE, [PIPE_ECHO]);
    const rawFixture = new RawPipeClient(NODE, [FIXTURE_SERVER]);
    await rawFixture.initialize();
    const sdk = await sdkStdio();
    const control = await sdkStdio();
    const ours = oursStdio();
    await ours.start();
    const sdkP = await sdkStdio();
    const oursP = oursStdio();
    await oursP.start();
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
          sdkProgress: () => sdkP.callTool(ECHO, undefined, PROGRESS_OPTIONS),
          oursProgress: () => oursP.callTool('echo', ECHO.arguments, { onProgress: noProgress }),
        },
        { warmup: opts.warmup ?? 500, rounds: opts.rounds ?? 5, perRound: opts.perRound ?? 600 },
      );
      for (const [k, v] of Object.entries(samples)) (pooled[k] ??= []).push(...v);
    } finally {
      await Promise.all([floor.close(), rawFixture.close(), sdk.close(), control.close(), ours.dispose(), sdkP.close(), oursP.dispose()]);
    }
  }
  return Object.fromEntries(Object.entries(pooled).map(([k, v]) => [k, summarize(v)]));
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

/** Cold call = spawn + initialize + tools/call; closing is not timed. */
export async function cold(opts: { runs?: number } = {}) {
  const runs = opts.runs ?? 8;
  const samples: Record<'floor' | 'sdk' | 'ours', number[]> = { floor: [], sdk: [], ours: [] };
  for (let i = -1; i < runs; i++) {
    const f = await firstByte();
    let t0 = now();
    const sdk = await sdkStdio();
    await sdk.callTool(ECHO);
    const s = now() - t0;
    await sdk.close();
    t0 = now();
    const ours = oursStdio();
    await ours.callTool('echo', ECHO.arguments);
    const o = now() - t0;
    await ours.dispose();
    if (i >= 0) {
      samples.floor.push(f);
      samples.sdk.push(s);
      samples.ours.push(o);
    }
  }
  return { floor: summarize(samples.floor), sdk: summarize(samples.sdk), ours: summarize(samples.ours) };
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
  who: 'ours' | 'sdk' | 'floor';
  bytes: number;
  maxBufferSize?: number;
  repeat?: number;
}): Promise<BigOutcome> {
  let call: (bytes: number) => Promise<number>;
  let close: () => Promise<void>;
  if (opts.who === 'floor') {
    const raw = new RawPipeClient(NODE, [FIXTURE_SERVER]);
    await raw.initialize();
    call = async (bytes) => {
      const r = (await raw.request('tools/call', { name: 'big', arguments: { bytes } })) as { result: CallToolResult };
      return textLength(r.result);
    };
    close = () => raw.close();
  } else if (opts.who === 'sdk') {
    const sdk = await sdkStdio({}, opts.maxBufferSize);
    call = async (bytes) =>
      textLength((await sdk.callTool({ name: 'big', arguments: { bytes } }, undefined, { timeout: 600_000 })) as CallToolResult);
    close = () => sdk.close();
  } else {
    const ours = oursStdio();
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
export async function bigTime(opts: { bytes: number; rounds?: number }) {
  const raw = new RawPipeClient(NODE, [FIXTURE_SERVER]);
  await raw.initialize();
  const ours = oursStdio();
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
  try {
    for (let round = -1; round < (opts.rounds ?? 6); round++) {
      // ABBA order, and a full GC before each call, so neither pays for the other's garbage.
      const order = (round & 1) === 0 ? (['floor', 'ours'] as const) : (['ours', 'floor'] as const);
      for (const name of order) {
        gc();
        const t0 = now();
        await fns[name]();
        if (round >= 0) samples[name].push(now() - t0);
      }
    }
    return { floor: summarize(samples.floor), ours: summarize(samples.ours) };
  } finally {
    await Promise.all([raw.close(), ours.dispose()]);
  }
}

/** The size limit: the one oversized result fails with a clear error; the server lives on. */
export async function sizeLimit() {
  const ours = oursStdio({}, { maxResultBytes: 8 * MiB });
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
