// Streamable HTTP servers may answer a POSTed request with an event stream (to send progress before
// the result). When that stream ends, or its connection drops, before the answer (a proxy timeout,
// a server restart, a crash mid-write), SDK 1.32 just stops reading and the request waits for its
// whole timeout (a minute by default) although nothing can arrive any more. Unless the server made
// the stream resumable (an SSE `id:` field, after which the SDK reconnects and resumes), this fetch
// wrapper then appends to the stream, after everything the server sent, one error event per request
// of that POST that has not been answered in it. Events are processed in order, so the request
// fails at once with what happened, and nothing changes for streams that carry their answers.
export const STREAM_CUT_ERROR_CODE = -32098;

type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export function guardResponseStreams(fetch: FetchLike): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method !== 'POST' || !response.ok || !/^\s*text\/event-stream/i.test(response.headers.get('content-type') ?? ''))
      return response;
    const ids = requestIds(init.body);
    const source = ids.length ? response.body : null;
    if (!source) return response;
    const body = guard(source, ids);
    return new Proxy(response, {
      get(target, prop) {
        if (prop === 'body') return body;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
}

/** Ids of the requests in a POST body (a message or a batch). */
function requestIds(body: RequestInit['body']): (string | number)[] {
  if (typeof body !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const ids: (string | number)[] = [];
  for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
    const r = m as { id?: unknown; method?: unknown };
    if (r && typeof r.method === 'string' && (typeof r.id === 'string' || typeof r.id === 'number')) ids.push(r.id);
  }
  return ids;
}

function guard(source: ReadableStream<Uint8Array>, ids: (string | number)[]): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  // An answer for one of our ids: `"id":5` in an event that then completes (a blank line after
  // it). A false match (an "id" field deeper in some content) only means falling back to the SDK's
  // own timeout for that request.
  const waiting = new Map(ids.map((id) => [id, new RegExp(`"id"\\s*:\\s*${escapeRegExp(JSON.stringify(id))}(?![\\w.])`)]));
  const candidates = new Set<string | number>();
  let resumable = false;
  let carry = '\n';
  const scan = (chunk: Uint8Array) => {
    const text = carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    if (!resumable && /[\r\n]id:/.test(text)) resumable = true;
    // Events that held a matching id in earlier chunks end at the first blank line from here on.
    if (candidates.size && endOfEvent(text, Math.max(0, carry.length - 3)) >= 0) {
      for (const id of candidates) waiting.delete(id);
      candidates.clear();
    }
    for (const [id, re] of waiting) {
      const m = re.exec(text);
      if (!m) continue;
      if (endOfEvent(text, m.index + m[0].length) >= 0) waiting.delete(id);
      else candidates.add(id);
    }
    carry = text.slice(-32);
  };
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, why: string) => {
    if (waiting.size) {
      const events = [...waiting.keys()].map((id) => {
        const error = {
          code: STREAM_CUT_ERROR_CODE,
          message: `${why} before the answer arrived (the HTTP response was cut off); the server may have restarted or a proxy closed the connection. Try again`,
        };
        return `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id, error })}\n\n`;
      });
      // The blank lines end a half-received event first (the SDK drops it as unparsable).
      controller.enqueue(new TextEncoder().encode(`\n\n${events.join('')}`));
    }
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (e) {
        if (resumable) return controller.error(e);
        return finish(controller, `the connection was lost (${e instanceof Error ? e.message : String(e)})`);
      }
      if (next.done) return resumable ? controller.close() : finish(controller, 'the server ended the response stream');
      scan(next.value);
      controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Index of the blank line that ends an SSE event, at or after `from`; -1 if none. */
function endOfEvent(text: string, from: number): number {
  const i = text.slice(from).search(/\n\n|\r\n\r\n|\r\r/);
  return i < 0 ? -1 : from + i;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
