// Sign-in during operations: an attempt that fails because the server needs (more) sign-in is
// run again after signing in, when the host allows it (AuthHost.signInOnDemand).
import { MAX_STEP_UPS } from '../auth/serverAuth';
import { SignInRequiredError } from '../auth/types';
import type { ConnectionOptions } from '../connectionTypes';
import { ServerError } from '../errors';
import type { Logger } from '../logger';

/**
 * Runs `attempt`; when it fails because the server needs (more) sign-in and the host may sign in
 * during operations, signs in (between attempts, outside any handshake or request timer: a person
 * may take minutes in the browser) and runs it again, at most MAX_STEP_UPS times. `translate`
 * finds the sign-in failure behind a request's raw failure.
 */
export async function signingIn<T>(
  server: string,
  host: ConnectionOptions['auth'],
  log: Logger,
  attempt: () => Promise<T>,
  signal?: AbortSignal,
  translate: (e: unknown) => unknown = (e) => e,
  /** Also ends a sign-in in progress (the connection's stop()). */
  stopped?: AbortSignal,
): Promise<T> {
  for (let signIns = 0; ; signIns++) {
    let err: unknown;
    try {
      return await attempt();
    } catch (e) {
      err = translate(e);
    }
    if (!(err instanceof SignInRequiredError) || !err.signIn || !host?.ui || !host.signInOnDemand || signal?.aborted || stopped?.aborted)
      throw err;
    if (signIns >= MAX_STEP_UPS) {
      if (!err.stepUp) throw err;
      throw new ServerError(
        server,
        'auth',
        `the server still refuses with insufficient_scope after ${signIns} sign-ins with more scopes (it asks for "${err.scope ?? ''}")`,
      );
    }
    log.info(`${err.reason}; signing in`);
    // Combined only here, when a person signs in, not for every request that passes through.
    await err.signIn(signal && stopped ? AbortSignal.any([signal, stopped]) : (signal ?? stopped));
  }
}
