// RequestAbort (src/core/deadline.ts) stands in for an AbortSignal in the SDK's Protocol.request.
// These drive it through the real SDK Client and McpServer (in memory), so an SDK that starts using
// more of the signal than RequestAbort provides fails here.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { inMemoryServer, ServerConnection, ServerError } from '../../src/core';
import { RequestAbort } from '../../src/core/deadline';
import { fastTiming, recordingLogger, textOf, waitFor } from './helpers';

describe('request cancellation (RequestAbort through the SDK)', function () {
  let serverSawAbort: string[];
  let started: number;
  const open: ServerConnection[] = [];

  const connect = (options: { requestTimeoutMs?: number; maxTotalTimeoutMs?: number } = {}) => {
    const create = () => {
      const server = new McpServer({ name: 'abortable', version: '1.0.0' });
      server.registerTool(
        'wait',
        { inputSchema: { ms: z.number(), progressEveryMs: z.number().optional() } },
        async ({ ms, progressEveryMs }, extra) => {
          started++;
          const token = extra._meta?.progressToken;
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              clearInterval(ticker);
              resolve();
            };
            const timer = setTimeout(done, ms);
            const ticker = progressEveryMs
              ? setInterval(() => {
                  if (token !== undefined)
                    void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
                }, progressEveryMs)
              : undefined;
            extra.signal.addEventListener('abort', () => {
              serverSawAbort.push(String(extra.signal.reason));
              done();
            });
          });
          return { content: [{ type: 'text', text: `waited ${ms}` }] };
        },
      );
      return server;
    };
    const c = new ServerConnection(inMemoryServer('ab', create, options), { timing: fastTiming, logger: recordingLogger() });
    open.push(c);
    return c;
  };

  beforeEach(() => {
    serverSawAbort = [];
    started = 0;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  it("the caller's signal cancels the call, and the server is told", async () => {
    const c = connect();
    const ac = new AbortController();
    const call = c.callTool('wait', { ms: 10_000 }, { signal: ac.signal });
    await waitFor(() => started === 1, 2000, 'the tool to start');
    ac.abort('user pressed cancel');
    await assert.rejects(call, (e: unknown) => e instanceof ServerError && e.kind === 'cancelled');
    await waitFor(() => serverSawAbort.length === 1, 2000, 'the server to see the cancellation');
    assert.match(serverSawAbort[0]!, /user pressed cancel/);
  });

  it('an already aborted signal fails at once and never reaches the server', async () => {
    const c = connect();
    await c.ping();
    await assert.rejects(
      c.callTool('wait', { ms: 10 }, { signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof ServerError && e.kind === 'cancelled',
    );
    assert.equal(started, 0);
  });

  it('progress keeps a call alive past requestTimeoutMs; maxTotalTimeoutMs ends it and cancels it on the server', async () => {
    const c = connect({ requestTimeoutMs: 150, maxTotalTimeoutMs: 600 });
    let progress = 0;
    const ok = await c.callTool('wait', { ms: 400, progressEveryMs: 30 }, { onProgress: () => progress++ });
    assert.equal(textOf(ok), 'waited 400', 'progress reset the 150 ms timeout');
    assert.ok(progress > 3);
    await assert.rejects(
      c.callTool('wait', { ms: 10_000, progressEveryMs: 30 }, { onProgress: () => {} }),
      (e: unknown) => e instanceof ServerError && e.kind === 'timeout' && /maximum total time of 600 ms/.test(e.message),
    );
    await waitFor(() => serverSawAbort.length === 1, 2000, 'the server to see the cancellation');
  });

  it('leaves no listener on a signal shared by many calls', async () => {
    const c = connect();
    const shared = new AbortController().signal;
    for (let i = 0; i < 50; i++) assert.equal(textOf(await c.callTool('wait', { ms: 0 }, { signal: shared })), 'waited 0');
    assert.equal(getEventListeners(shared, 'abort').length, 0);
  });

  it('is a one-shot abort: every listener once (input_required retries add more), later aborts ignored, reason kept', () => {
    const a = new RequestAbort();
    const reasons: unknown[] = [];
    a.addEventListener('abort', () => reasons.push(a.reason));
    const removed = () => reasons.push('removed');
    a.addEventListener('abort', removed);
    a.addEventListener('abort', () => reasons.push('third'));
    a.removeEventListener('abort', removed);
    a.throwIfAborted();
    a.abort('first');
    a.abort('second');
    assert.deepEqual(reasons, ['first', 'third']);
    assert.equal(a.aborted, true);
    assert.throws(
      () => a.throwIfAborted(),
      (e: unknown) => e === 'first',
    );
  });
});
