import * as assert from 'node:assert/strict';
import { Suggestions } from '../../src/ui/suggestions';

/** A manual clock: time moves only when a test says so. */
function manualClock() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const flush = () => new Promise<void>((r) => setImmediate(r));
  return {
    timers: {
      set: (fn: () => void, ms: number) => (due.set(++next, { at: now + ms, fn }), next),
      clear: (h: unknown) => void due.delete(h as number),
    },
    async tickAsync(ms: number) {
      now += ms;
      for (const [h, t] of [...due].sort((a, b) => a[1].at - b[1].at))
        if (t.at <= now) {
          due.delete(h);
          t.fn();
        }
      await flush();
    },
  };
}

describe('suggestions while typing', () => {
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => (clock = manualClock()));

  const deferred = () => {
    let resolve!: (v: readonly string[]) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<readonly string[]>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  it('asks once typing pauses, for the last value only', async () => {
    const asked: string[] = [];
    const shown: Array<readonly string[] | undefined> = [];
    const s = new Suggestions(
      async (v) => (asked.push(v), [`${v}1`]),
      (u) => !u.busy && shown.push(u.values),
      { timers: clock.timers },
    );
    s.typed('a');
    s.typed('ab');
    await clock.tickAsync(100);
    s.typed('abc');
    await clock.tickAsync(149);
    assert.deepEqual(asked, []);
    await clock.tickAsync(1);
    assert.deepEqual(asked, ['abc']);
    assert.deepEqual(shown, [['abc1']]);
  });

  it('drops a slow answer overtaken by a newer one, and cancels its request', async () => {
    const slow = deferred();
    const signals: AbortSignal[] = [];
    const shown: Array<{ value: string; values?: readonly string[] }> = [];
    const s = new Suggestions(
      (v, signal) => (signals.push(signal), v === 'slow' ? slow.promise : Promise.resolve([`${v}!`])),
      (u) => !u.busy && shown.push({ value: u.value, values: u.values }),
      { timers: clock.timers },
    );
    s.typed('slow');
    await clock.tickAsync(150);
    s.typed('fast');
    await clock.tickAsync(150);
    assert.equal(signals[0]!.aborted, true, 'the slow request is cancelled');
    slow.resolve(['late']);
    await clock.tickAsync(0);
    assert.deepEqual(shown, [{ value: 'fast', values: ['fast!'] }]);
  });

  it('a failing completion shows no values and is not thrown; nothing shows after dispose', async () => {
    const updates: Array<{ busy: boolean; values?: readonly string[] }> = [];
    const s = new Suggestions(
      () => Promise.reject(new Error('server down')),
      (u) => updates.push({ busy: u.busy, values: u.values }),
      { timers: clock.timers },
    );
    await s.now('x');
    assert.deepEqual(updates, [
      { busy: true, values: undefined },
      { busy: false, values: undefined },
    ]);
    s.typed('y');
    s.dispose();
    await clock.tickAsync(1000);
    assert.equal(updates.length, 2);
  });

  it('shows at most max values', async () => {
    let shown: readonly string[] | undefined;
    const s = new Suggestions(
      async () => Array.from({ length: 500 }, (_, i) => String(i)),
      (u) => (shown = u.values),
      { max: 100, timers: clock.timers },
    );
    await s.now('');
    assert.equal(shown?.length, 100);
  });
});
