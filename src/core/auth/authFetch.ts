// The fetch under an OAuth server's transport (Streamable HTTP or SSE alike): adds the bearer token
// to requests for the server's own origin (never to another one; the keep-alive fetch also drops it
// on a redirect to another origin), and on a 401 refreshes the token and sends the request once
// more. What needs a person (a sign-in, wider scopes on a 403 insufficient_scope) or cannot be fixed
// is recorded on the ServerAuth (the driver turns it into the ServerError) and the answer goes to
// the SDK as is; the connection signs in between attempts when its host allows that.
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import type { FetchLike } from '../transport/http';
import type { Challenge, ServerAuth } from './serverAuth';

export function withOAuth(inner: FetchLike, auth: ServerAuth): FetchLike {
  return async (input, init = {}) => {
    const target = new URL(String(input));
    if (!auth.covers(target)) return inner(input, init);
    let recovered = false;
    for (;;) {
      const token = await auth.accessToken();
      const headers = new Headers(init.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      const response = await inner(input, { ...init, headers: Object.fromEntries(headers) });
      if (response.status !== 401 && response.status !== 403) return response;
      const challenge = challengeOf(response);
      if (response.status === 403 && challenge.error !== 'insufficient_scope') return response;
      try {
        if (response.status === 403) await auth.stepUp(challenge);
        if (recovered) throw new Error(`${target.origin} still answers 401 after a new token`);
        recovered = true;
        await auth.recover(challenge);
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
