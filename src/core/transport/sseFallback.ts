// `type: "http"` that falls back to the legacy HTTP+SSE transport, as VS Code does for mcp.json:
// when the first POST (initialize) is answered with a 4xx other than 401, the server does not
// speak Streamable HTTP, so the same URL is tried as an SSE endpoint (GET, then POST to the
// endpoint it names). A subclass of the Streamable HTTP transport, so the connection treats it as
// one (session expiry, session id) until it has fallen back.
import {
  SdkHttpError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
  type StreamableHTTPClientTransportOptions,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';

/** Whether a failure of the initialize POST means "try SSE" (VS Code: any 4xx but 401). */
export function shouldFallBackToSse(e: unknown): boolean {
  return e instanceof SdkHttpError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 403;
}

export class HttpWithSseFallback extends StreamableHTTPClientTransport {
  private sse?: SSEClientTransport;
  private decided = false;

  constructor(
    url: URL,
    options: StreamableHTTPClientTransportOptions,
    private readonly createSse: () => SSEClientTransport,
    private readonly onFallback?: (reason: string) => void,
  ) {
    super(url, options);
  }

  /** True once the connection uses SSE. */
  get usesSse(): boolean {
    return !!this.sse;
  }

  override get sessionId(): string | undefined {
    return this.sse ? undefined : super.sessionId;
  }

  override async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.sse) return this.sse.send(message);
    if (this.decided || !('method' in message) || message.method !== 'initialize') return super.send(message, options);
    try {
      await super.send(message, options);
      this.decided = true;
    } catch (e) {
      this.decided = true;
      if (!shouldFallBackToSse(e)) throw e;
      const sse = this.createSse();
      sse.onmessage = (m) => this.onmessage?.(m);
      sse.onerror = (err) => this.onerror?.(err);
      sse.onclose = () => this.onclose?.();
      this.onFallback?.(
        `Streamable HTTP was refused (HTTP ${(e as SdkHttpError).status}); trying the legacy HTTP+SSE transport at the same URL, as VS Code does`,
      );
      await sse.start();
      this.sse = sse;
      await sse.send(message);
    }
  }

  override setProtocolVersion(version: string): void {
    if (this.sse) this.sse.setProtocolVersion?.(version);
    else super.setProtocolVersion(version);
  }

  override async close(): Promise<void> {
    // Only one of them reports the close (the other never carried a session).
    if (this.sse) await this.sse.close();
    else await super.close();
  }
}
