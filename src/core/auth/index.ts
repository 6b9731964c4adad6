// OAuth sign-in for http/sse servers (MCP authorization, 2025-11-25 and 2026-07-28): what hosts use.
import type { HttpDefinition } from '../config/types';
import { ServerError } from '../errors';
import type { Logger } from '../logger';
import { ServerAuth, type AuthStatus, type SignInOptions, type SignInResult } from './serverAuth';
import type { AuthHost } from './types';

export * from './types';
export { MemoryCredentialStore } from './memoryStore';
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
export function signIn(def: HttpDefinition, host: AuthHost, options: SignInOptions & { log?: Logger } = {}): Promise<SignInResult> {
  return serverAuth(def, host, options.log).signIn(options);
}

/** Forgets the server's tokens, revoking them at the authorization server when it can; keeps client registrations. */
export function signOut(def: HttpDefinition, host: AuthHost, log?: Logger): Promise<{ revoked: boolean; signedIn: boolean }> {
  return serverAuth(def, host, log).signOut();
}

/** Whether there is a token for the server (for a tooltip: issuer, scope, expiry). No network. */
export function authStatus(def: HttpDefinition, host: AuthHost): Promise<AuthStatus> {
  return new ServerAuth(def, host).status();
}
