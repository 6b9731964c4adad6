// Tasks without a server: which calls ask for a task, the two eras' wire shapes, and the polling loop
// under fake timers (the server's interval is the subject, so time is faked, never measured).
import * as assert from 'node:assert/strict';
import { mock } from 'node:test';
import {
  asksForTask,
  clientTaskCapabilities,
  createdTask,
  followTask,
  isServerError,
  parseTask,
  pollDelay,
  waitForTask,
  TASKS_EXTENSION,
  type TaskChannel,
  type TaskInfo,
} from '../../src/core';
import { describeTask, readRemembered, taskLabel, type TrackedTask } from '../../src/ui/tasks/trackedTasks';

/** A channel whose tasks/get answers come from a script, one per request; every request is recorded. */
function scripted(era: 'modern' | 'legacy', answers: Record<string, unknown>[]) {
  const sent: { method: string; params: Record<string, unknown> }[] = [];
  const ch: TaskChannel = {
    server: 'srv',
    era,
    request(method, params) {
      sent.push({ method, params });
      if (method === 'tasks/get') return Promise.resolve(answers.shift() ?? { taskId: 't1', status: 'working' });
      if (method === 'tasks/cancel') return Promise.resolve({ taskId: 't1', status: 'cancelled' });
      if (method === 'tasks/result') return Promise.resolve({ content: [{ type: 'text', text: 'legacy result' }] });
      if (method === 'tasks/update') return Promise.resolve({});
      return Promise.reject(new Error(`unexpected ${method}`));
    },
  };
  return { ch, sent };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const working = (extra: Record<string, unknown> = {}): TaskInfo => parseTask('srv', { taskId: 't1', status: 'working', ...extra });

describe('tasks: policy', () => {
  it('asks for a task per taskSupport and useTasks', () => {
    assert.equal(asksForTask('required', 'auto'), true);
    assert.equal(asksForTask('required', 'never'), false);
    assert.equal(asksForTask('optional', 'auto'), false);
    assert.equal(asksForTask('optional', 'auto', true), true, 'a call marked long');
    assert.equal(asksForTask('optional', 'always'), true);
    assert.equal(asksForTask('forbidden', 'always', true), false);
  });

  it('declares list and cancel (2025) and the extension (2026), nothing with never', () => {
    const caps = clientTaskCapabilities('auto') as { tasks?: { requests?: unknown }; extensions?: Record<string, unknown> };
    assert.deepEqual(caps.tasks, { list: {}, cancel: {} });
    assert.deepEqual(caps.extensions, { [TASKS_EXTENSION]: {} });
    assert.deepEqual(clientTaskCapabilities('never'), {});
    // Questions the host can answer may be asked as client tasks (2025).
    const asking = clientTaskCapabilities('auto', { elicitation: true, sampling: true }) as { tasks?: Record<string, unknown> };
    assert.deepEqual(asking.tasks, { list: {}, cancel: {}, requests: { elicitation: { create: {} }, sampling: { createMessage: {} } } });
    assert.deepEqual(clientTaskCapabilities('never', { elicitation: true }), {});
  });
});

describe('tasks: wire shapes', () => {
  it('reads both eras into one shape', () => {
    const legacy = parseTask('srv', { taskId: 'a', status: 'working', ttl: 60000, pollInterval: 500, createdAt: 'c' });
    assert.deepEqual(legacy, { taskId: 'a', status: 'working', createdAt: 'c', ttlMs: 60000, pollIntervalMs: 500 });
    const modern = parseTask('srv', { taskId: 'b', status: 'completed', ttlMs: null, pollIntervalMs: 100, result: { content: [] } });
    assert.deepEqual(modern, { taskId: 'b', status: 'completed', ttlMs: null, pollIntervalMs: 100, result: { content: [] } });
    assert.throws(() => parseTask('srv', { status: 'working' }), /srv.*without a valid taskId/s);
  });

  it('tells a created task from a result', () => {
    assert.equal(createdTask('srv', { content: [{ type: 'text', text: 'x' }] }), undefined);
    assert.equal(createdTask('srv', { task: { taskId: 'a', status: 'working' } })?.taskId, 'a');
    assert.equal(createdTask('srv', { content: [], 'io.github.mcp-manager/createdTask': { taskId: 'b', status: 'working' } })?.taskId, 'b');
  });

  it('clamps the poll interval: default 1 s, at least 20 ms, at most 30 s', () => {
    assert.equal(pollDelay(working()), 1000);
    assert.equal(pollDelay(working({ pollIntervalMs: 1 })), 20);
    assert.equal(pollDelay(working({ pollIntervalMs: 3_600_000 })), 30_000);
  });
});

describe('tasks: polling', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('polls at the interval the server suggests, also when it changes', async () => {
    const { ch, sent } = scripted('modern', [
      { taskId: 't1', status: 'working', pollIntervalMs: 2000, statusMessage: 'half' },
      { taskId: 't1', status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } },
    ]);
    const seen: TaskInfo[] = [];
    const done = waitForTask(ch, working({ pollIntervalMs: 500 }), { onTask: (t) => seen.push(t) });
    await flush();
    mock.timers.tick(499);
    await flush();
    assert.equal(sent.length, 0, 'not before the interval');
    mock.timers.tick(1);
    await flush();
    assert.equal(sent.length, 1);
    mock.timers.tick(1999);
    await flush();
    assert.equal(sent.length, 1, 'the new interval (2 s) is honoured');
    mock.timers.tick(1);
    const ended = await done;
    assert.equal(sent.length, 2);
    assert.equal(ended.status, 'completed');
    assert.deepEqual(
      seen.map((t) => `${t.status}:${t.statusMessage ?? ''}`),
      ['working:half', 'completed:'],
    );
  });

  it('tells onTask only of changes', async () => {
    const { ch } = scripted('modern', [
      { taskId: 't1', status: 'working', pollIntervalMs: 100 },
      { taskId: 't1', status: 'working', pollIntervalMs: 100 },
      { taskId: 't1', status: 'completed', result: { content: [] } },
    ]);
    const seen: string[] = [];
    const done = waitForTask(ch, working({ pollIntervalMs: 100 }), { onTask: (t) => seen.push(t.status) });
    for (let i = 0; i < 3; i++) {
      await flush();
      mock.timers.tick(100);
    }
    await done;
    assert.deepEqual(seen, ['completed']);
  });

  it('cancels on the server when the caller aborts', async () => {
    const { ch, sent } = scripted('legacy', []);
    const abort = new AbortController();
    const seen: string[] = [];
    const done = waitForTask(ch, working({ pollIntervalMs: 1000 }), { onTask: (t) => seen.push(t.status) }, abort.signal);
    await flush();
    abort.abort();
    await assert.rejects(done, (e: unknown) => isServerError(e) && e.kind === 'cancelled' && /task t1 was cancelled/.test(e.message));
    assert.deepEqual(
      sent.map((r) => r.method),
      ['tasks/cancel'],
    );
    assert.deepEqual(seen, ['cancelled']);
  });

  it('answers a task waiting for input once per key, though the server repeats the question', async () => {
    const question = { q1: { method: 'elicitation/create', params: { message: 'colour?' } } };
    const { ch, sent } = scripted('modern', [
      // The server has not caught up with the answer yet (tasks/update is eventually consistent).
      { taskId: 't1', status: 'input_required', inputRequests: question, pollIntervalMs: 100 },
      { taskId: 't1', status: 'completed', result: { content: [] } },
    ]);
    const answered: string[] = [];
    const answering = {
      ...ch,
      answer: async (method: string) => (answered.push(method), { action: 'accept', content: { colour: 'red' } }),
    };
    const done = waitForTask(answering, parseTask('srv', { taskId: 't1', status: 'input_required', inputRequests: question }));
    for (let i = 0; i < 3; i++) {
      await flush();
      mock.timers.tick(100);
    }
    assert.equal((await done).status, 'completed');
    assert.deepEqual(answered, ['elicitation/create']);
    assert.deepEqual(
      sent.map((r) => r.method),
      ['tasks/update', 'tasks/get', 'tasks/get'],
    );
    assert.deepEqual(sent[0]!.params, { taskId: 't1', inputResponses: { q1: { action: 'accept', content: { colour: 'red' } } } });
  });

  it('2025: a task waiting for input is followed with tasks/result at once (its questions travel with it)', async () => {
    const { ch, sent } = scripted('legacy', [{ taskId: 't1', status: 'completed' }]);
    const seen: string[] = [];
    const result = await followTask(ch, parseTask('srv', { taskId: 't1', status: 'input_required' }), {
      onTask: (t) => seen.push(t.status),
    });
    assert.deepEqual(result, { content: [{ type: 'text', text: 'legacy result' }] });
    assert.deepEqual(
      sent.map((r) => r.method),
      ['tasks/result', 'tasks/get'],
    );
    assert.deepEqual(seen, ['completed']);
  });

  it('fetches the outcome: inline (2026), tasks/result (2025), a failure names the task', async () => {
    const inline = await followTask(
      scripted('modern', []).ch,
      parseTask('srv', { taskId: 't1', status: 'completed', result: { content: [{ type: 'text', text: 'x' }] } }),
    );
    assert.deepEqual(inline, { content: [{ type: 'text', text: 'x' }] });
    const legacy = scripted('legacy', []);
    const fetched = await followTask(legacy.ch, parseTask('srv', { taskId: 't1', status: 'completed' }));
    assert.deepEqual(fetched, { content: [{ type: 'text', text: 'legacy result' }] });
    assert.deepEqual(
      legacy.sent.map((r) => r.method),
      ['tasks/result'],
    );
    await assert.rejects(
      followTask(scripted('modern', []).ch, parseTask('srv', { taskId: 't9', status: 'failed', error: { code: -32603, message: 'boom' } })),
      (e: unknown) => isServerError(e) && e.server === 'srv' && e.message.includes('task t9 failed: boom'),
    );
    await assert.rejects(
      followTask(scripted('modern', []).ch, parseTask('srv', { taskId: 't8', status: 'cancelled' })),
      (e: unknown) => isServerError(e) && e.kind === 'cancelled',
    );
  });
});

describe('tasks: what the editor remembers and shows', () => {
  it('reads remembered tasks, dropping malformed entries', () => {
    const ok = { server: 's', tool: 't', taskId: 'id', startedAt: 1 };
    assert.deepEqual(readRemembered([ok, { server: 's' }, null, 'x']), [ok]);
    assert.deepEqual(readRemembered(undefined), []);
  });

  it('describes a task: status, elapsed time, message or problem', () => {
    const t: TrackedTask = {
      server: 's',
      tool: 'research',
      taskId: '1234567890',
      startedAt: 0,
      status: 'working',
      statusMessage: 'Analyzing',
    };
    assert.equal(describeTask(t, 12_500), 'working · 12.5 s · Analyzing');
    assert.equal(taskLabel(t), 'research (task 12345678)');
    assert.equal(
      describeTask({ ...t, status: 'lost', problem: 'the server no longer knows it', endedAt: 500 }),
      'lost · 500 ms · the server no longer knows it',
    );
  });
});
