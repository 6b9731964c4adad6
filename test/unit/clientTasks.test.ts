// Client tasks (2025-11-25: the server asks this client to run a question as a task) at the
// transport: what is served here and what still reaches the SDK. The whole round trip against a
// real server (server-everything's *-async tools) is in test/servers/ask.test.ts.
import * as assert from 'node:assert/strict';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { serveClientTasks } from '../../src/core/tasks/clientTasks';
import { recordingLogger } from './helpers';

function transport() {
  const sent: Record<string, unknown>[] = [];
  const delivered: unknown[] = [];
  const t = {
    start: async () => undefined,
    close: async () => undefined,
    send: async (m: JSONRPCMessage) => void sent.push(m as unknown as Record<string, unknown>),
    onmessage: (m: JSONRPCMessage) => void delivered.push(m),
  } as unknown as Transport;
  const receive = (m: Record<string, unknown>) => t.onmessage!({ jsonrpc: '2.0', ...m } as JSONRPCMessage);
  return { t, sent, delivered, receive };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('client tasks (2025-11-25)', () => {
  it('answers a task-augmented question at once with a task, then its result through tasks/result', async () => {
    const { t, sent, delivered, receive } = transport();
    let release!: (v: Record<string, unknown>) => void;
    const asked: unknown[] = [];
    const served = serveClientTasks(
      t,
      (method, params) => (asked.push({ method, params }), new Promise((r) => (release = r))),
      recordingLogger(),
    );
    receive({ id: 1, method: 'elicitation/create', params: { message: 'Name?', requestedSchema: {}, task: { ttl: 1000 } } });
    await flush();
    const task = (sent[0]!.result as { task: { taskId: string; status: string; ttl: number } }).task;
    assert.equal(task.status, 'input_required');
    assert.equal(task.ttl, 1000);
    assert.deepEqual(
      asked,
      [{ method: 'elicitation/create', params: { message: 'Name?', requestedSchema: {} } }],
      'the task param is not passed on',
    );
    receive({ id: 2, method: 'tasks/result', params: { taskId: task.taskId } });
    receive({ id: 3, method: 'tasks/list', params: {} });
    await flush();
    assert.deepEqual(
      sent.map((m) => m.id),
      [1, 3],
      'tasks/result waits for the answer',
    );
    release({ action: 'accept', content: { name: 'Ada' } });
    await flush();
    assert.deepEqual(sent.at(-1), {
      jsonrpc: '2.0',
      id: 2,
      result: { action: 'accept', content: { name: 'Ada' }, _meta: { 'io.modelcontextprotocol/related-task': { taskId: task.taskId } } },
    });
    assert.deepEqual(delivered, [], 'nothing of it reached the SDK');
    served.dispose();
  });

  it('tasks/cancel aborts the host; an unknown id is an error; a plain question goes to the SDK', async () => {
    const { t, sent, delivered, receive } = transport();
    let signal: AbortSignal | undefined;
    serveClientTasks(t, (_m, _p, s) => ((signal = s), new Promise(() => undefined)), recordingLogger());
    receive({ id: 1, method: 'sampling/createMessage', params: { messages: [], maxTokens: 5, task: {} } });
    await flush();
    const task = (sent[0]!.result as { task: { taskId: string; status: string } }).task;
    assert.equal(task.status, 'working');
    receive({ id: 2, method: 'tasks/cancel', params: { taskId: task.taskId } });
    receive({ id: 3, method: 'tasks/get', params: { taskId: 'nope' } });
    receive({ id: 4, method: 'elicitation/create', params: { message: 'now' } });
    await flush();
    assert.equal(signal?.aborted, true);
    assert.equal((sent[1]!.result as { status: string }).status, 'cancelled');
    assert.deepEqual(sent[2]!.error, { code: -32602, message: 'no client task nope' });
    assert.equal(delivered.length, 1);
  });
});
