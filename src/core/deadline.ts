// Cancellation helpers. RequestAbort is the per-request handle ServerConnection gives the SDK: the
// maximum total time (maxTotalTimeoutMs) and the caller's own signal both end a request through it.
//
// Why not an AbortController: the SDK's Protocol.request adds an 'abort' listener to the signal it
// is given, and on Node's EventTarget that costs ~3 µs plus garbage per request, the largest part of
// our overhead on a warm call (docs/performance.md, "warm stdio call"). Protocol.request (SDK 1.32)
// only calls `throwIfAborted()`, `addEventListener('abort', listener)` and reads `aborted` and
// `reason`, so this class is that much of an AbortSignal and nothing else. test/unit/deadline.test.ts
// drives it through the real SDK Client, so an SDK that starts using more of the signal fails there.

/** A one-shot abort for one request (and its input_required retries), shaped as the part of AbortSignal the SDK's request uses. */
export class RequestAbort {
  aborted = false;
  reason: unknown = undefined;
  private listener?: () => void;
  /**
   * Listeners after the first: a request answered with 2026-07-28 `input_required` is retried on
   * the same signal, and the SDK's round driver listens on it too (core/ask). Rare, so kept apart.
   */
  private more?: (() => void)[];

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort') throw new TypeError(`RequestAbort supports only 'abort' listeners, not '${String(type)}'`);
    if (!this.listener) this.listener = listener;
    else (this.more ??= []).push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort') return;
    if (this.listener === listener) this.listener = this.more?.shift();
    else if (this.more) this.more = this.more.filter((l) => l !== listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = [...(this.listener ? [this.listener] : []), ...(this.more ?? [])];
    this.listener = undefined;
    this.more = undefined;
    for (const listener of listeners) listener();
  }

  /** For the SDK's `signal` option, whose type is AbortSignal. */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}

/**
 * Waits for `p` unless `signal` aborts first; the work behind `p` goes on (others may share it).
 * The listener is removed either way, so a long-lived signal gathers none.
 */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
