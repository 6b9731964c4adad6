// OAuth sign-in for http/sse servers (MCP authorization, 2025-11-25 and 2026-07-28): what hosts use.
import type { HttpDefinition } from '../config/types';
import { DEFERRED_VARIABLE, deferredKey } from '../config/variables';
import type { InputResolver } from '../connectionTypes';
import { ServerError } from '../errors';
import type { Logger } from '../logger';
import { ServerAuth, type AuthStatus, type SignInOptions, type SignInResult } from './serverAuth';
import type { AuthHost } from './types';

export * from './types';
export { MemoryCredentialStore } from './memoryStore';
export { bestAccountProvider, matchesAuthorizationServer, type AccountProviderDeclaration } from './accounts';
export { startLoopback, CallbackError, type CallbackResult, type Loopback, type LoopbackOptions } from './loopback';
export { MAX_STEP_UPS, type AuthStatus, type Challenge, type SignInOptions, type SignInResult } from './serverAuth';

function serverAuth(def: HttpDefinition, host: AuthHost, log?: Logger): ServerAuth {
  if (def.oauth === false) {
    throw new ServerError(def.name, 'config', 'sign-in is turned off for this server ("oauth": false)', { field: 'oauth' });
  }
  return new ServerAuth(def, host, log);
}

/**
 * Signs in to a server now (the person acted: Sign In, `mcp-manager login`): discovery, client
 * identity, the browser through `host.ui`, the code exchange; the tokens go to `host.store`.
 * Restart the server's connection afterwards so its next session uses them.
 */
export async function signIn(
  def: HttpDefinition,
  host: AuthHost,
  options: SignInOptions & { log?: Logger; inputs?: InputResolver } = {},
): Promise<SignInResult> {
  return serverAuth(await withInputs(def, options.inputs), host, options.log).signIn(options);
}

/** Forgets the server's tokens, revoking them at the authorization server when it can; keeps client registrations. */
export async function signOut(
  def: HttpDefinition,
  host: AuthHost,
  options: { log?: Logger; inputs?: InputResolver } = {},
): Promise<{ revoked: boolean; signedIn: boolean }> {
  return serverAuth(await withInputs(def, options.inputs), host, options.log).signOut();
}

/** The definition with its `${input:}` values (an oauth.clientSecret) resolved, as a connection does. */
async function withInputs(def: HttpDefinition, inputs: InputResolver | undefined): Promise<HttpDefinition> {
  if (!def.inputs.length || !inputs) return def;
  const values = await inputs(def.name, def.inputs);
  const sub = (v: string) =>
    v.replace(DEFERRED_VARIABLE, (whole, kind: string, id: string) => {
      const value = values[deferredKey(kind, id)];
      if (value === undefined) throw new ServerError(def.name, 'config', `no value for ${whole}`);
      return value;
    });
  const oauth = def.oauth && { ...def.oauth, ...(def.oauth.clientSecret && { clientSecret: sub(def.oauth.clientSecret) }) };
  const headers = Object.fromEntries(Object.entries(def.headers).map(([k, v]) => [k, sub(v)]));
  return { ...def, url: sub(def.url), headers, ...(oauth !== undefined && { oauth }) };
}

/** Whether there is a token for the server (for a tooltip: issuer, scope, expiry). No network. */
export function authStatus(def: HttpDefinition, host: AuthHost): Promise<AuthStatus> {
  return new ServerAuth(def, host).status();
}
