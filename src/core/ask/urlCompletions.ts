// Completions of URL-mode elicitations (2025-11-25 `notifications/elicitation/complete`), by
// elicitation id, for a client that waits for the user to finish in the browser before it retries
// a request the server refused with -32042 (URL elicitation required). A completion that arrives
// before anyone waits for it is kept, so the order of the two does not matter.
export class UrlCompletions {
  private readonly done = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();

  /** The server says the user finished the elicitation `id`. */
  complete(id: string): void {
    const waiting = this.waiters.get(id);
    if (!waiting) {
      this.done.add(id);
      return;
    }
    this.waiters.delete(id);
    for (const resolve of waiting) resolve();
  }

  /** Resolves when `id` is complete (at once if it already is); rejects with the signal's reason on abort. */
  wait(id: string, signal?: AbortSignal): Promise<void> {
    if (this.done.delete(id)) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const onAbort = () => {
        set.delete(done);
        if (!set.size) this.waiters.delete(id);
        reject(signal!.reason);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      set.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
