// `mcp-manager login <server>` and `logout <server>`: sign in to an http/sse server that needs
// OAuth (tokens go to the credentials file, see credentials.ts), or forget its tokens.
import { signIn, signOut, type HttpDefinition } from '../core';
import { resolveTarget, type Target } from './config';
import type { RunContext } from './context';
import { EXIT, usageError } from './errors';
import { cliInputResolver } from './inputs';
import { stderrLogger } from './logger';
import { json } from './output';
import { cliAuthHost } from './signIn';

function oauthTarget(ctx: RunContext): { def: HttpDefinition; target: Target } {
  if (ctx.args.adHoc) throw usageError(`"${ctx.args.command}" works on a configured server; it takes no --stdio or --url.`);
  const target = resolveTarget(ctx.args, ctx.cwd);
  const def = target.definition;
  if (def.type !== 'http' && def.type !== 'sse') {
    throw usageError(`is a ${def.type} server; only http and sse servers sign in (OAuth).`, def.name);
  }
  if (def.oauth === false) throw usageError('has "oauth": false, so sign-in is turned off for it. Remove that key to sign in.', def.name);
  return { def, target };
}

export async function login(ctx: RunContext): Promise<number> {
  const { def, target } = oauthTarget(ctx);
  const host = cliAuthHost({ err: ctx.err, always: true });
  const log = stderrLogger(ctx.args.verbosity, def.name);
  const r = await signIn(def, host, { signal: ctx.signal, log, inputs: cliInputResolver(target.inputs) });
  if (ctx.args.jsonOutput) {
    ctx.out(
      json({
        server: def.name,
        signedIn: true,
        issuer: r.issuer,
        scope: r.scope,
        expiresAt: r.expiresAt && new Date(r.expiresAt).toISOString(),
      }),
    );
  } else {
    const until = r.expiresAt ? `, until ${new Date(r.expiresAt).toISOString()}` : '';
    ctx.out(`Signed in to ${def.name} at ${r.issuer}${r.scope ? ` (scope: ${r.scope})` : ''}${until}.\n`);
  }
  return EXIT.ok;
}

export async function logout(ctx: RunContext): Promise<number> {
  const { def, target } = oauthTarget(ctx);
  const host = cliAuthHost({ err: ctx.err, always: true });
  const r = await signOut(def, host, { log: stderrLogger(ctx.args.verbosity, def.name), inputs: cliInputResolver(target.inputs) });
  if (ctx.args.jsonOutput) ctx.out(json({ server: def.name, signedOut: r.signedIn, revoked: r.revoked }));
  else if (!r.signedIn) ctx.out(`${def.name} was not signed in.\n`);
  else ctx.out(`Signed out of ${def.name}${r.revoked ? ' (tokens revoked at the authorization server)' : ' (tokens forgotten)'}.\n`);
  return EXIT.ok;
}
