// Suggestions while the user types (completion/complete for prompt arguments and template
// variables): debounced, the latest value wins, an older answer arriving late is dropped, and a
// slow or failing server never blocks typing (its answer simply never shows). Pure timing logic,
// unit-tested with fake timers; the quick input that shows the values is in src/vscode.

export type Suggest = (value: string, signal: AbortSignal) => Promise<readonly string[]>;

export interface SuggestionsOptions {
  /** Wait this long after the last keystroke before asking (default 150 ms). */
  readonly debounceMs?: number;
  /** At most this many values are shown (default 100; the spec caps a completion at 100). */
  readonly max?: number;
  /** The clock (tests pass a manual one). */
  readonly timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
}

const realTimers = {
  set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Suggestions {
  private timer?: unknown;
  private current?: AbortController;
  private disposed = false;

  constructor(
    private readonly suggest: Suggest,
    /** The values for `value`, or `busy` changing. Never called after dispose(). */
    private readonly show: (update: { readonly value: string; readonly values?: readonly string[]; readonly busy: boolean }) => void,
    private readonly options: SuggestionsOptions = {},
  ) {}

  private get clock() {
    return this.options.timers ?? realTimers;
  }

  /** The user typed: ask for `value` once typing pauses; a question still in flight is cancelled. */
  typed(value: string): void {
    if (this.disposed) return;
    this.clock.clear(this.timer);
    this.timer = this.clock.set(() => void this.ask(value), this.options.debounceMs ?? 150);
  }

  /** Asks now (the first value, shown when the input opens). */
  now(value: string): Promise<void> {
    this.clock.clear(this.timer);
    return this.ask(value);
  }

  dispose(): void {
    this.disposed = true;
    this.clock.clear(this.timer);
    this.current?.abort();
  }

  private async ask(value: string): Promise<void> {
    this.current?.abort();
    const mine = new AbortController();
    this.current = mine;
    this.show({ value, busy: true });
    let values: readonly string[] | undefined;
    try {
      values = (await this.suggest(value, mine.signal)).slice(0, this.options.max ?? 100);
    } catch {
      // A failing completion shows nothing; typing goes on.
      values = undefined;
    }
    if (this.disposed || this.current !== mine) return;
    this.current = undefined;
    this.show({ value, values, busy: false });
  }
}
