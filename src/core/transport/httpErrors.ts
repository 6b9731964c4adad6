// The wording of HTTP-level failures (Streamable HTTP and SSE): a status, a body that is not MCP,
// a network error. Each says what happened at which URL and what to change.
import { SdkError, SdkErrorCode, SdkHttpError, SseError } from '@modelcontextprotocol/client';
import { errorMessage } from '../errors';
import type { HttpDefinition } from '../config/types';

/** What a failed handshake learnt about the server's authorization (see httpDriver.ts). */
export interface AuthHints {
  /** The WWW-Authenticate header of a 401 answer. */
  readonly challenge?: string;
  /** Where the server advertises OAuth protected-resource metadata (RFC 9728), when it does. */
  readonly metadataUrl?: string;
}

/** What the transport saw of the failed answer (SSE errors carry no body: the content type tells a web page). */
export interface FailedAnswer {
  readonly contentType?: string;
}

/**
 * Status and body of an HTTP-level SDK error, if it is one: the Streamable HTTP transport's
 * SdkHttpError (status, response text) or unexpected-content SdkError, the SSE transport's
 * SseError (status only) or its POST failure ("Error POSTing to endpoint (HTTP 404): ...").
 */
export function httpStatus(e: unknown): { status: number; body: string; contentType?: string } | undefined {
  // The protocol-version probe wraps what the transport threw ("Version negotiation probe failed").
  for (let x: unknown = e, i = 0; x instanceof Error && i < 4; x = x.cause, i++) {
    const found = ownHttpStatus(x);
    if (found) return found;
  }
  return undefined;
}

function ownHttpStatus(e: Error): { status: number; body: string; contentType?: string } | undefined {
  if (e instanceof SdkHttpError) {
    const text = typeof e.data.text === 'string' ? e.data.text : e.message.replace(/^Error POSTing to endpoint: ?/, '');
    return { status: e.status, body: text };
  }
  if (e instanceof SdkError && e.code === SdkErrorCode.ClientHttpUnexpectedContent) {
    const contentType = /Unexpected content type: (.*)$/.exec(e.message)?.[1] ?? '';
    return { status: 200, body: '', contentType };
  }
  if (e instanceof SseError) {
    const status = typeof e.code === 'number' && e.code > 0 ? e.code : Number(/\((?:HTTP )?(\d{3})\)/.exec(e.message)?.[1] ?? 0);
    return status ? { status, body: '' } : undefined;
  }
  const posted = /^Error POSTing to endpoint \(HTTP (\d{3})\): ?([\s\S]*)$/.exec(e.message);
  return posted ? { status: Number(posted[1]), body: posted[2] } : undefined;
}

/** Explains an HTTP-level failure (status, or a body that is not MCP) with the next step; undefined for others. */
export function httpFailure(e: unknown, def: HttpDefinition, auth: AuthHints = {}, answer: FailedAnswer = {}): string | undefined {
  const http = httpStatus(e);
  if (!http) return undefined;
  const { status, contentType } = http;
  const url = def.url;
  if (contentType !== undefined) {
    return `this URL does not serve MCP: ${url} answered with ${contentType || 'no content type'} instead of MCP (application/json or text/event-stream). Check the URL.`;
  }
  const page = isWebPage(http.body) || /^\s*text\/html/i.test(answer.contentType ?? '');
  const text = plainText(http.body);
  const body = text ? ` (${text.length > 200 ? `${text.slice(0, 200)}…` : text})` : '';
  const sseHint =
    /\/sse\/?$/.test(new URL(url).pathname) && def.type === 'http'
      ? ' A URL ending in /sse is usually an SSE endpoint: set "type": "sse".'
      : '';
  if (status === 401 && auth.metadataUrl) {
    return `${url} needs sign-in: HTTP 401${body}, and the server advertises OAuth sign-in (${auth.metadataUrl}), which is off for this connection ("oauth": false, or a host without sign-in). Remove "oauth": false to sign in, or get an access token from the service and pass it in "headers" as "Authorization: Bearer <token>".`;
  }
  if (status === 401 || status === 403)
    return `${url} refused access: HTTP ${status}${body}. Check the credentials in its "headers" (e.g. Authorization).`;
  if (page && (status === 404 || status === 405 || status === 501)) {
    return `this URL does not serve MCP: ${url} answered HTTP ${status} with a web page${body}, so it is a web server but not an MCP endpoint. Check the URL (Streamable HTTP endpoints are often /mcp, SSE ones /sse).${sseHint}`;
  }
  if (status === 404)
    return `HTTP 404 from ${url}${body}: nothing serves MCP there. Check the URL (Streamable HTTP endpoints are often /mcp, SSE ones /sse).${sseHint}`;
  if (status === 405)
    return `HTTP 405 from ${url}${body}: the server does not take this request there. Check the URL and "type" (${def.type === 'http' ? 'an older server may need "sse"' : 'a newer server may need "http"'}).${sseHint}`;
  if (status >= 500) return `HTTP ${status} from ${url}${body}: the server is up but failing. Check the server's own logs, then try again.`;
  return `HTTP ${status} from ${url}${body}. Check the URL and the server.`;
}

/** A network-level failure to reach the URL (refused, unknown host, ...), explained; undefined for others. */
export function networkFailure(e: unknown, target: string): string | undefined {
  const net = networkCode(e);
  const msg = errorMessage(e).replace(/^Version negotiation probe failed: /, '');
  if (net === 'ECONNREFUSED') return `cannot connect to ${target}: connection refused. Is the server running?`;
  if (net === 'ENOTFOUND' || net === 'EAI_AGAIN') return `cannot connect to ${target}: host not found (${net}). Check the URL.`;
  if (net || /fetch failed/i.test(msg)) return `cannot connect to ${target}: ${msg}. Check the URL and that the server is reachable.`;
  return undefined;
}

/** The errno-style code of a network failure anywhere in the error's message or cause chain. */
function networkCode(e: unknown): string | undefined {
  for (let x: unknown = e, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    // Not the SDK's own codes (ERA_NEGOTIATION_FAILED looks like an errno name).
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && !(x instanceof SdkError)) return code;
    const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|EPIPE)\b/.exec(
      errorMessage(x),
    );
    if (m) return m[1];
  }
  return undefined;
}

function isWebPage(body: string): boolean {
  return /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<title>/i.test(body);
}

/** A body as one line of text: tags, scripts and styles removed. */
function plainText(body: string): string {
  return body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** resource_metadata="..." in a WWW-Authenticate header (RFC 9728 section 5.1). */
export function resourceMetadataUrl(challenge: string | undefined): string | undefined {
  return challenge ? /resource_metadata\s*=\s*"([^"]+)"/i.exec(challenge)?.[1] : undefined;
}

/** The well-known protected-resource metadata URLs of an MCP endpoint (RFC 9728 section 3.1: path-aware first, then the root). */
export function wellKnownMetadataUrls(endpoint: string): string[] {
  const u = new URL(endpoint);
  const path = u.pathname.replace(/\/$/, '');
  const urls = [`${u.origin}/.well-known/oauth-protected-resource${path}`, `${u.origin}/.well-known/oauth-protected-resource`];
  return [...new Set(urls)];
}
