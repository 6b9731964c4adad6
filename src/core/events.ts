// A tiny event emitter with VS Code's shape (`event(listener) -> Disposable`), so core/ stays
// free of the `vscode` module while adapters can forward events one-to-one.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A faulty listener must not break the emitter or the other listeners.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Collects disposables so a lifetime (extension, connection) can be ended in one call. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  add<D extends Disposable>(d: D): D {
    this.items.add(d);
    return d;
  }
  /** Disposes one item now and forgets it (a timer that is re-armed). */
  delete(d: Disposable): void {
    if (this.items.delete(d)) d.dispose();
  }
  /** Disposes everything, newest first. */
  dispose(): void {
    const items = [...this.items].reverse();
    this.items.clear();
    for (const d of items) d.dispose();
  }
}
