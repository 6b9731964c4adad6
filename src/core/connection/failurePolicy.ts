// When a server that keeps failing is started again: exponential backoff between attempts, and
// giving up after `maxFailures` in a row until the user restarts it. Counts only; the connection
// owns the state it shows.
import type { Timing } from '../connectionTypes';
import { ServerError } from '../errors';
import type { ConnectionState } from '../state';

export class FailurePolicy {
  private count = 0;
  private lastAt = 0;

  constructor(private readonly timing: Timing) {}

  get failures(): number {
    return this.count;
  }

  get gaveUp(): boolean {
    return this.count >= this.timing.maxFailures;
  }

  /** A healthy stretch, an explicit restart: start counting again. */
  reset(): void {
    this.count = 0;
  }

  /** One more failure in a row; returns whether that was the last one tried. */
  record(): boolean {
    this.count++;
    this.lastAt = Date.now();
    return this.gaveUp;
  }

  /** How long to wait before the next attempt (0: at once). */
  backoffMs(): number {
    if (this.count === 0) return 0;
    const wait = Math.min(this.timing.backoffBaseMs * 2 ** (this.count - 1), this.timing.backoffMaxMs) - (Date.now() - this.lastAt);
    return Math.max(0, wait);
  }

  /** The error of an attempt refused because the policy gave up (with the last error, if shown). */
  gaveUpError(name: string, state: ConnectionState): ServerError {
    const last = state.kind === 'error' ? ` Last error: ${state.message.replace(`${name}: `, '')}` : '';
    return new ServerError(
      name,
      'gaveUp',
      `failed ${this.count} times in a row and is not being restarted automatically; restart it to try again.${last}`,
    );
  }
}
