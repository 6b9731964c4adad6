// Completion latency per keystroke (completion/complete of the era fixture's greet `name`, over
// stdio): each prefix of a few names typed one key at a time, one request per keystroke, by our
// connection, a plain SDK v2 client and a raw pipe client; then typing as the editor does it
// (src/ui/suggestions.ts, 150 ms debounce, a key every 60 ms): requests sent per word and the time
// from the last key to the values shown, also while an earlier completion is slow (3 s).
// Registered in bench/run.ts (group "completions").
import * as path from 'node:path';
import { ServerConnection } from '../../src/core';
import { Suggestions } from '../../src/ui/suggestions';
import { RawPipeClient } from '../lib/raw';
import { BENCH_TIMING, NODE, REPO_ROOT, definition, plainStdio, type Era } from '../lib/setup';
import { now, summarize, type Summary } from '../lib/stats';

const ERAS_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'eras', 'modern.mjs');
const WORDS = ['Grace', 'Linus', 'Alan', 'Ada'];
const DEBOUNCE_MS = 150;
const KEY_EVERY_MS = 60;

type Complete = (value: string, signal?: AbortSignal) => Promise<readonly string[]>;

async function contender(era: Era, who: 'floor' | 'sdk' | 'ours'): Promise<{ complete: Complete; close: () => Promise<void> }> {
  const args = [ERAS_FIXTURE, '--era', era];
  if (who === 'floor') {
    const raw = new RawPipeClient(NODE, args);
    await raw.open(era);
    return {
      complete: async (value) => {
        const r = await raw.request('completion/complete', {
          ref: { type: 'ref/prompt', name: 'greet' },
          argument: { name: 'name', value },
        });
        return (r.result as { completion: { values: string[] } }).completion.values;
      },
      close: () => raw.close(),
    };
  }
  if (who === 'sdk') {
    const client = await plainStdio(era, {}, { args });
    return {
      complete: async (value, signal) =>
        (await client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value } }, { signal })).completion
          .values,
      close: () => client.close(),
    };
  }
  const conn = new ServerConnection(definition({ command: NODE, args }), { timing: BENCH_TIMING });
  await conn.listPrompts();
  return {
    complete: async (value, signal) =>
      (await conn.complete({ type: 'prompt', name: 'greet' }, { name: 'name', value }, {}, { signal })).values,
    close: () => conn.dispose(),
  };
}

/** Every prefix of every word, `rounds` times: one request per keystroke, timed. */
export async function completionPerKey(opts: { era: Era; who: 'floor' | 'sdk' | 'ours'; rounds?: number }) {
  const c = await contender(opts.era, opts.who);
  try {
    const times: number[] = [];
    for (let round = -1; round < (opts.rounds ?? 20); round++)
      for (const word of WORDS)
        for (let i = 1; i <= word.length; i++) {
          const t0 = now();
          const values = await c.complete(word.slice(0, i));
          if (round >= 0) times.push(now() - t0);
          if (!values.includes(word)) throw new Error(`"${word.slice(0, i)}" suggested ${JSON.stringify(values)}, not ${word}`);
        }
    return { perKey: summarize(times), keys: times.length };
  } finally {
    await c.close();
  }
}

/** Types `word` through Suggestions (real timers); resolves with requests sent and last-key-to-shown ms. */
function typeWord(complete: Complete, word: string, before?: string): Promise<{ requests: number; shownMs: number }> {
  let requests = 0;
  let lastKeyAt = 0;
  return new Promise((resolve, reject) => {
    const s = new Suggestions(
      (value, signal) => (requests++, complete(value, signal)),
      (u) => {
        if (u.busy || u.value !== word) return;
        s.dispose();
        if (!u.values?.includes(word)) reject(new Error(`typing "${word}" showed ${JSON.stringify(u.values)}`));
        else resolve({ requests, shownMs: now() - lastKeyAt });
      },
      { debounceMs: DEBOUNCE_MS },
    );
    // An earlier value still being answered (the fixture answers values starting with "slow" after 3 s).
    if (before !== undefined) void s.now(before);
    let i = 0;
    const key = () => {
      i++;
      lastKeyAt = now();
      s.typed(word.slice(0, i));
      if (i < word.length) setTimeout(key, KEY_EVERY_MS);
    };
    setTimeout(key, KEY_EVERY_MS);
  });
}

/** Typing as the editor does: requests per word, last key to values shown (plain, and behind a slow completion). */
export async function completionTyping(opts: { era: Era; rounds?: number }) {
  const c = await contender(opts.era, 'ours');
  try {
    const requests: number[] = [];
    const shown: number[] = [];
    const behindSlow: number[] = [];
    await typeWord(c.complete, 'Grace'); // warm-up
    for (let round = 0; round < (opts.rounds ?? 3); round++)
      for (const word of WORDS) {
        const r = await typeWord(c.complete, word);
        requests.push(r.requests);
        shown.push(r.shownMs);
        // The slow request is cancelled by the first keystroke's request; the server may still be sleeping on it.
        behindSlow.push((await typeWord(c.complete, word, 'slow')).shownMs);
      }
    return {
      keys: WORDS.reduce((n, w) => n + w.length, 0) * (opts.rounds ?? 3),
      requests: requests.reduce((a, b) => a + b, 0),
      shown: summarize(shown),
      behindSlow: summarize(behindSlow),
    };
  } finally {
    await c.close();
  }
}

type PerKey = Awaited<ReturnType<typeof completionPerKey>>;
type Typing = Awaited<ReturnType<typeof completionTyping>>;
type Row = {
  case: string;
  era?: Era;
  ours: string;
  sdk: string;
  floor: string;
  oursVsSdk?: number;
  oursVsFloor?: number;
  goal: string;
  met?: boolean;
};

const ms = (s: Summary) => `${s.median.toFixed(2)} ms (p95 ${s.p95.toFixed(2)})`;

/** The run.ts step for one era. */
export async function completionsStep(
  era: Era,
  runCase: <T>(name: string, opts?: object) => Promise<T>,
  rows: Row[],
  goal: (text: string, met: boolean, detail: string) => void,
  quick: boolean,
): Promise<void> {
  const rounds = quick ? 5 : 20;
  const floor = await runCase<PerKey>('completionPerKey', { era, who: 'floor', rounds });
  const sdk = await runCase<PerKey>('completionPerKey', { era, who: 'sdk', rounds });
  const ours = await runCase<PerKey>('completionPerKey', { era, who: 'ours', rounds });
  const vsSdk = ours.perKey.median / sdk.perKey.median;
  const met = vsSdk <= 1.1;
  rows.push({
    case: 'completion/complete per keystroke',
    era,
    ours: ms(ours.perKey),
    sdk: ms(sdk.perKey),
    floor: ms(floor.perKey),
    oursVsSdk: vsSdk,
    oursVsFloor: ours.perKey.median / floor.perKey.median,
    goal: '≤ 1.1x plain v2',
    met,
  });
  const typing = await runCase<Typing>('completionTyping', { era, rounds: quick ? 1 : 3 });
  const slowMet = typing.behindSlow.median < 1000;
  rows.push({
    case: `  (typing, a key every ${KEY_EVERY_MS} ms, ${DEBOUNCE_MS} ms debounce)`,
    era,
    ours: `${typing.requests} requests for ${typing.keys} keys; last key -> shown ${ms(typing.shown)}`,
    sdk: '',
    floor: '',
    goal: `one request per word, shown ~${DEBOUNCE_MS} ms + one round trip`,
    met: typing.requests <= typing.keys / 3,
  });
  rows.push({
    case: '  (the same, behind a 3 s completion)',
    era,
    ours: `last key -> shown ${ms(typing.behindSlow)}`,
    sdk: '',
    floor: '',
    goal: 'not held up by the slow answer',
    met: slowMet,
  });
  goal(
    `completion latency per keystroke within 1.1x the plain SDK v2 client, and a slow completion never holds up typing (${era})`,
    met && slowMet,
    `per key: ours ${ms(ours.perKey)}, plain v2 ${ms(sdk.perKey)} (${vsSdk.toFixed(2)}x), raw ${ms(floor.perKey)}; ` +
      `typed: ${typing.requests} requests for ${typing.keys} keys, shown ${ms(typing.shown)} after the last key, ${ms(typing.behindSlow)} behind a slow one`,
  );
}
