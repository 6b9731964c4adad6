// Streamable HTTP and SSE: a URL we connect to (see factory.ts for the transports, httpErrors.ts
// for the wording of their failures).
import { SdkHttpError, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { describeTarget, type HttpDefinition } from '../config/types';
import { isSecretName } from '../secrets';
import { withOAuth } from '../auth/authFetch';
import { ServerAuth } from '../auth/serverAuth';
import type { TransportDriver } from './driver';
import { createHttpTransport } from './factory';
import {
  httpFailure,
  httpStatus,
  networkFailure,
  resourceMetadataUrl,
  wellKnownMetadataUrls,
  type AuthHints,
  type FailedAnswer,
} from './httpErrors';

/** The WWW-Authenticate header of each transport's latest 401 answer. */
const challenges = new WeakMap<Transport, string>();
/** Each transport's latest failed answer. */
const failed = new WeakMap<Transport, FailedAnswer>();
const PROBE_TIMEOUT_MS = 3000;
/** The OAuth client of each transport of a server that signs in. */
const auths = new WeakMap<Transport, ServerAuth>();

export const httpDriver: TransportDriver<HttpDefinition> = {
  types: ['http', 'sse'],

  secrets(def) {
    // Unresolved ${input:...} placeholders are not secrets; their values are added once resolved.
    const secret = def.oauth ? def.oauth.clientSecret : undefined;
    return [
      ...Object.entries(def.headers).flatMap(([k, v]) =>
        isSecretName(k) && !v.includes('${input:') ? [v.replace(/^Bearer\s+/i, '')] : [],
      ),
      ...(secret && !secret.includes('${input:') ? [secret] : []),
    ];
  },

  substitute(def, sub) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(def.headers)) headers[k] = sub(v);
    const oauth = def.oauth && { ...def.oauth, ...(def.oauth.clientSecret && { clientSecret: sub(def.oauth.clientSecret) }) };
    return { ...def, url: sub(def.url), headers, ...(oauth !== undefined && { oauth }) };
  },

  create(def, ctx) {
    ctx.log.info(`connecting to ${def.url} (${def.type === 'sse' ? 'SSE' : 'Streamable HTTP'})`);
    // OAuth when the host can keep credentials, the entry does not turn it off ("oauth": false), and
    // it does not send its own Authorization header (a token the user manages).
    const ownAuthorization = Object.keys(def.headers).some((k) => k.toLowerCase() === 'authorization');
    const oauth =
      ctx.auth && def.oauth !== false && !ownAuthorization ? new ServerAuth(def, ctx.auth, ctx.log, (t) => ctx.masker.add(t)) : undefined;
    const transport: Transport = createHttpTransport(
      def,
      (response) => {
        if (response.ok) return;
        failed.set(transport, { contentType: response.headers.get('content-type') ?? undefined });
        if (response.status === 401) challenges.set(transport, response.headers.get('www-authenticate') ?? '');
      },
      (reason) => ctx.log.info(reason),
      oauth && ((fetch) => withOAuth(fetch, oauth)),
    );
    if (oauth) auths.set(transport, oauth);
    return Promise.resolve(transport);
  },

  authFailure: (transport) => auths.get(transport)?.takeFailure(),

  describe: describeTarget,
  process: () => undefined,

  explainTimeout(def, timeoutMs) {
    return `${describeTarget(def)} did not answer the MCP handshake within ${timeoutMs} ms (startupTimeoutMs); the connection was closed. Check that the URL serves MCP and the server is healthy, or raise startupTimeoutMs if it is just slow.`;
  },

  async explainStartup(e, def, transport) {
    const auth = httpStatus(e)?.status === 401 ? await authHints(def, challenges.get(transport)) : undefined;
    return httpFailure(e, def, auth, failed.get(transport)) ?? networkFailure(e, describeTarget(def));
  },

  explainRequest: (e, def) => httpFailure(e, def),

  expiredSession(e, transport) {
    // A Streamable HTTP server answered 404 to a request carrying our session id: it forgot the session.
    if (e instanceof SdkHttpError && e.status === 404 && transport instanceof StreamableHTTPClientTransport) return transport.sessionId;
    return undefined;
  },
};

/**
 * Whether a server that answered 401 offers OAuth: a `resource_metadata` in its WWW-Authenticate
 * header, or protected-resource metadata at its well-known URL (RFC 9728), as MCP's authorization spec says.
 */
export async function authHints(def: HttpDefinition, challenge: string | undefined): Promise<AuthHints> {
  const advertised = resourceMetadataUrl(challenge);
  if (advertised) return { challenge, metadataUrl: advertised };
  for (const url of wellKnownMetadataUrls(def.url)) {
    try {
      const r = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        redirect: 'follow',
      });
      if (!r.ok) continue;
      const meta = (await r.json()) as { authorization_servers?: unknown; resource?: unknown };
      if (Array.isArray(meta.authorization_servers) || typeof meta.resource === 'string') return { challenge, metadataUrl: url };
    } catch {
      // Not there, or not JSON: no OAuth advertised at this URL.
    }
  }
  return { challenge };
}
