// The fetch under an OAuth server's transport (Streamable HTTP or SSE alike): adds the bearer token
// to requests for the server's own origin (never to another one; the keep-alive fetch also drops it
// on a redirect to another origin), and on a 401 refreshes or signs in and sends the request once
// more; on a 403 insufficient_scope steps up, at most MAX_STEP_UPS times per request. What cannot
// be fixed is recorded on the ServerAuth (the driver words it) and the answer goes to the SDK as is.
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import type { FetchLike } from '../transport/http';
import { MAX_STEP_UPS, type Challenge, type ServerAuth } from './serverAuth';

export function withOAuth(inner: FetchLike, auth: ServerAuth, maxStepUps = MAX_STEP_UPS): FetchLike {
  return async (input, init = {}) => {
    const target = new URL(String(input));
    if (!auth.covers(target)) return inner(input, init);
    let recovered = false;
    let stepUps = 0;
    for (;;) {
      const token = await auth.accessToken();
      const headers = new Headers(init.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      else headers.delete('authorization');
      const response = await inner(input, { ...init, headers: Object.fromEntries(headers) });
      if (response.status !== 401 && response.status !== 403) return response;
      const challenge = challengeOf(response);
      try {
        if (response.status === 401) {
          if (recovered) throw new Error(`${target.origin} still answers 401 after signing in`);
          recovered = true;
          await auth.recover(challenge);
        } else {
          if (challenge.error !== 'insufficient_scope') return response;
          if (stepUps >= maxStepUps) {
            throw new Error(
              `the server still refuses with insufficient_scope after ${maxStepUps} sign-ins with more scopes (it asks for "${challenge.scope ?? ''}")`,
            );
          }
          stepUps++;
          await auth.stepUp(challenge);
        }
      } catch (e) {
        auth.fail(e);
        return response;
      }
      await response.body?.cancel().catch(() => undefined);
    }
  };
}

export function challengeOf(response: Response): Challenge {
  const p = extractWWWAuthenticateParams(response);
  return { resourceMetadataUrl: p.resourceMetadataUrl?.href, scope: p.scope, error: p.error };
}
