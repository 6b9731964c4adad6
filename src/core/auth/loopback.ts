// The loopback redirect listener of a sign-in (RFC 8252 section 7.3): bound to 127.0.0.1 only, on an
// ephemeral port or `redirectPort`, it accepts exactly one callback carrying the expected `state`
// and then closes. Callbacks with another state are refused and ignored (a stray or forged
// redirect cannot end the sign-in). Cancel (signal) and timeout close it too: nothing stays listening.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackResult {
  readonly code: string;
  /** The `iss` parameter (RFC 9207), form-urldecoded, exactly as received. */
  readonly iss?: string;
}

export interface LoopbackOptions {
  /** Fixed port (the `redirectPort` setting); default: any free port. */
  readonly port?: number;
  /** Path of the redirect URI (default /callback). */
  readonly path?: string;
}

export interface Loopback {
  /** `http://127.0.0.1:<port>/callback` */
  readonly url: string;
  /**
   * Waits for the one callback with `state`. Rejects with CallbackError on timeout, cancel, or an
   * error answer from the authorization server; the listener is closed in every case.
   */
  wait(state: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<CallbackResult>;
  /** Closes the listener (idempotent). */
  close(): Promise<void>;
}

export class CallbackError extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled' | 'denied' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'CallbackError';
  }
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function startLoopback(options: LoopbackOptions = {}): Promise<Loopback> {
  const path = options.path ?? '/callback';
  let expected: string | undefined;
  let settle: ((r: CallbackResult | CallbackError) => void) | undefined;
  let done = false;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
      return;
    }
    const q = url.searchParams;
    if (done || expected === undefined || q.get('state') !== expected) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE('Sign-in not recognised', 'This answer does not belong to the sign-in MCP Manager is waiting for. Close this tab.'));
      return;
    }
    done = true;
    const code = q.get('code');
    const error = q.get('error');
    if (!code) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE('Sign-in failed', 'The authorization server did not allow the sign-in. You can close this tab.'));
      // The error code only: error_description is the authorization server's text, not ours to show.
      settle?.(new CallbackError('denied', `the authorization server refused the sign-in (${error ?? 'no code in its answer'})`));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end(PAGE('Signed in', 'MCP Manager received the sign-in. You can close this tab.'));
    settle?.({ code, ...(q.has('iss') && { iss: q.get('iss')! }) });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`redirectPort ${options.port} is in use on 127.0.0.1; free it or choose another "oauth.redirectPort"`)
          : e,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));

  return {
    url: `http://127.0.0.1:${port}${path}`,
    close,
    wait(state, { timeoutMs, signal }) {
      expected = state;
      return new Promise<CallbackResult>((resolve, reject) => {
        const finish = (r: CallbackResult | CallbackError) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          settle = undefined;
          done = true;
          void close().then(() => (r instanceof CallbackError ? reject(r) : resolve(r)));
        };
        const onAbort = () => finish(new CallbackError('cancelled', 'the sign-in was cancelled'));
        const timer = setTimeout(
          () =>
            finish(
              new CallbackError(
                'timeout',
                `no answer from the browser within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`,
              ),
            ),
          timeoutMs,
        );
        settle = finish;
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
