// Tool calls as tasks through ServerConnection against real servers: server-everything (2025-11-25,
// `simulate-research-query` requires tasks) and the SDK v2 era fixture's task tools in both eras.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ServerConnection,
  cancelTask,
  detachedTask,
  followTask,
  getTask,
  isServerError,
  listTasks,
  waitForTask,
  type AskHost,
  type TaskInfo,
} from '../../src/core';
import { ERAS, EVERYTHING_SERVER, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf } from '../unit/helpers';

describe('tasks', function () {
  this.timeout(60_000);
  const open: ServerConnection[] = [];
  const conn = (entry: Record<string, unknown>) => {
    const logger = recordingLogger();
    const c = new ServerConnection(definition('tasks', entry), { timing: { ...fastTiming, stdioProbeTimeoutMs: 1500 }, logger });
    open.push(c);
    return Object.assign(c, { logged: logger.lines });
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  describe('server-everything (2025-11-25)', () => {
    it('calls simulate-research-query as a task: statuses, then the result', async () => {
      const c = conn({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'] });
      const seen: TaskInfo[] = [];
      const result = await c.callTool('simulate-research-query', { topic: 'tasks' }, { task: { onTask: (t) => seen.push(t) } });
      assert.match(textOf(result), /Research Report: tasks/);
      assert.ok(seen.length >= 2, `statuses seen: ${JSON.stringify(seen)}`);
      assert.equal(seen[0]!.status, 'working');
      assert.equal(seen.at(-1)!.status, 'completed');
      const listed = await c.withTasks((ch) => listTasks(ch));
      assert.ok(listed?.some((t) => t.taskId === seen[0]!.taskId));
    });
  });

  for (const era of ['modern', 'legacy'] as const) {
    for (const transport of ['stdio', 'http'] as const) {
      describe(`the era fixture, ${era === 'modern' ? '2026-07-28' : '2025-11-25'} over ${transport}`, () => {
        let http: StartedServer | undefined;
        before(async () => {
          if (transport === 'http') http = await startHttpFixture(['--http', '--era', era], { script: ERAS.modern });
        });
        after(async () => {
          await http?.stop();
        });
        const fixture = (extra: Record<string, unknown> = {}) =>
          conn(
            transport === 'http'
              ? { type: 'http', url: http!.url, ...extra }
              : { command: NODE, args: [ERAS.modern, '--era', era], ...extra },
          );

        it('a task that succeeds after a few polls', async () => {
          const c = fixture();
          const seen: TaskInfo[] = [];
          const result = await c.callTool('task_timer', { ms: 0, pollMs: 20 }, { task: { onTask: (t) => seen.push(t) } });
          assert.equal(textOf(result), 'task_timer done after 0 ms');
          assert.equal(seen[0]!.status, 'working');
          assert.equal(seen.at(-1)!.status, 'completed');
          const polled = await c.callTool('task_ok', { polls: 3, pollMs: 20 }, { task: { long: true } });
          assert.equal(textOf(polled), 'task_ok done after 3 polls');
        });

        it('useTasks decides for a tool that allows tasks', async () => {
          if (era === 'modern') {
            // 2026-07-28: the server decides; `never` leaves the extension out, so it answers at once.
            assert.equal(textOf(await fixture({ useTasks: 'never' }).callTool('task_ok', { pollMs: 20 })), 'task_ok done without a task');
            assert.equal(textOf(await fixture().callTool('task_ok', { pollMs: 20 })), 'task_ok done after 3 polls');
          } else {
            assert.equal(textOf(await fixture().callTool('task_ok', { pollMs: 20 })), 'task_ok done without a task');
            assert.equal(textOf(await fixture({ useTasks: 'always' }).callTool('task_ok', { pollMs: 20 })), 'task_ok done after 3 polls');
          }
        });

        it('a task that fails: the error names the server and the task', async () => {
          const c = fixture();
          await assert.rejects(c.callTool('task_fail', { pollMs: 20 }), (e: unknown) => {
            assert.ok(isServerError(e));
            assert.match(e.message, /task_fail failed on purpose/);
            return true;
          });
        });

        it('a task that is cancelled: the signal sends tasks/cancel', async () => {
          const c = fixture();
          const abort = new AbortController();
          const seen: TaskInfo[] = [];
          const call = c.callTool(
            'task_wait',
            { pollMs: 20 },
            { signal: abort.signal, task: { onTask: (t) => (seen.push(t), t.status === 'working' && abort.abort()) } },
          );
          await assert.rejects(call, (e: unknown) => isServerError(e) && e.kind === 'cancelled');
          assert.equal(seen.at(-1)!.status, 'cancelled');
          assert.equal((await c.withTasks((ch) => getTask(ch, seen[0]!.taskId))).status, 'cancelled');
        });

        if (era === 'modern' || transport === 'stdio')
          it('a task that asks while it runs (input_required): each question answered once, through the host', async () => {
            const asked: { message: string; era: string }[] = [];
            const ask: AskHost = {
              elicit: async (req, ctx) => {
                asked.push({ message: req.message, era: ctx.era });
                return { action: 'accept', content: { colour: `colour${asked.length}` } };
              },
            };
            const logger = recordingLogger();
            const c = new ServerConnection(
              definition(
                'tasks',
                transport === 'http' ? { type: 'http', url: http!.url } : { command: NODE, args: [ERAS.modern, '--era', era] },
              ),
              { timing: { ...fastTiming, stdioProbeTimeoutMs: 1500 }, logger, ask },
            );
            open.push(c);
            const seen: TaskInfo[] = [];
            // pollMs 20: the fixture repeats an unanswered question on every tasks/get, so a second
            // look before the answer lands must not ask the user again.
            const result = await c.callTool('task_ask', { questions: 2, pollMs: 20 }, { task: { onTask: (t) => seen.push(t) } });
            assert.equal(textOf(result), 'task_ask answered: accept {"colour":"colour1"}; accept {"colour":"colour2"}');
            assert.deepEqual(
              asked.map((a) => a.message),
              ['Which colour should the task use?', 'Which colour should the task use?'],
            );
            assert.ok(
              seen.some((t) => t.status === 'input_required'),
              JSON.stringify(seen),
            );
            assert.equal(seen.at(-1)!.status, 'completed');
            assert.ok(logger.lines.some((l) => /elicitation answered: accept/.test(l)));
          });

        if (era === 'modern')
          it('a task that asks a connection without a way to answer: a clear error', async () => {
            await assert.rejects(fixture().callTool('task_ask', { pollMs: 20 }), (e: unknown) => {
              assert.ok(isServerError(e));
              assert.match(e.message, /tasks: task \S+ needs input \(elicitation\/create\): .*not offered to this server/);
              return true;
            });
          });

        it('detaches, then follows the task by id from another connection', async () => {
          const first = fixture();
          const detached = detachedTask(await first.callTool('task_wait', { pollMs: 20 }, { task: { detach: true } }));
          assert.ok(detached);
          assert.equal(detached.status, 'working');
          if (transport === 'http') {
            // The server outlives the client: a second client (a reloaded window) finds the task.
            const second = fixture();
            assert.equal((await second.withTasks((ch) => getTask(ch, detached.taskId))).status, 'working');
            if (era === 'legacy') assert.ok((await second.withTasks((ch) => listTasks(ch)))?.some((t) => t.taskId === detached.taskId));
            else assert.equal(await second.withTasks((ch) => listTasks(ch)), undefined, '2026-07-28 has no tasks/list');
            const cancelled = await second.withTasks((ch) => cancelTask(ch, detached.taskId));
            assert.equal(cancelled.status, 'cancelled');
            const ended = await second.withTasks((ch) => waitForTask(ch, cancelled));
            assert.equal(ended.status, 'cancelled');
          } else {
            assert.equal((await first.withTasks((ch) => cancelTask(ch, detached.taskId))).status, 'cancelled');
          }
        });

        if (transport === 'stdio')
          it('a task outlives its stdio process (ERA_TASKS_DIR) and completes when its gate opens', async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-tasks-'));
            try {
              const env = { ERA_TASKS_DIR: dir };
              const first = fixture({ env });
              const task = detachedTask(await first.callTool('task_gate', { gate: 'g1' }, { task: { detach: true } }));
              assert.ok(task);
              await first.dispose(); // the process ends, as a reloaded window's server does
              const second = fixture({ env });
              const seen = await second.withTasks((ch) => getTask(ch, task.taskId));
              assert.equal(seen.status, 'working');
              assert.equal(seen.statusMessage, 'waiting for gate g1');
              assert.equal(textOf(await second.callTool('open_gate', { gate: 'g1' })), 'gate g1 open');
              const ended = await second.withTasks((ch) => waitForTask(ch, seen));
              assert.equal(ended.status, 'completed');
              const result = await second.withTasks((ch) => followTask(ch, ended));
              assert.equal(textOf(result), 'task_gate done: gate g1 opened');
            } finally {
              fs.rmSync(dir, { recursive: true, force: true });
            }
          });
      });
    }
  }
});
