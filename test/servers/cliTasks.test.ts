// The CLI's tasks: `call` waits for a task (status on stderr) or detaches, `tasks` lists, `task`
// shows, waits for (--result) or cancels (--cancel) one, from another process than the one that
// started it. Against server-everything (2025-11-25) and the era fixture over HTTP in both eras.
import * as assert from 'node:assert/strict';
import { ERAS, EVERYTHING_SERVER, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { buildCli, runCli } from './runCli';

describe('cli: tasks', function () {
  this.timeout(180_000);
  before(function () {
    this.timeout(120_000);
    buildCli();
  });

  it("call waits for server-everything's simulate-research-query, its status on stderr", async () => {
    const r = await runCli([
      'call',
      '--stdio',
      `${JSON.stringify(NODE)} ${JSON.stringify(EVERYTHING_SERVER)} stdio`,
      'simulate-research-query',
      '{"topic":"tides"}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Research Report: tides/);
    assert.match(r.stderr, /simulate-research-query: task \S+ working/);
    assert.match(r.stderr, /simulate-research-query: task \S+ completed/);
  });

  for (const era of ['modern', 'legacy'] as const) {
    describe(`the era fixture over HTTP, ${era === 'modern' ? '2026-07-28' : '2025-11-25'}`, () => {
      let http: StartedServer;
      before(async () => {
        http = await startHttpFixture(['--http', '--era', era], { script: ERAS.modern });
      });
      after(async () => {
        await http?.stop();
      });
      const at = () => ['--url', http.url];

      it('detaches, then shows, lists, cancels and waits for the task in other processes', async () => {
        const started = await runCli(['call', ...at(), 'task_wait', '{"pollMs":20}', '--detach']);
        assert.equal(started.code, 0, started.stderr);
        const id = started.stdout.trim();
        assert.match(id, /^[0-9a-f-]{36}$/);
        assert.match(started.stderr, new RegExp(`task ${id} --result`));

        const shown = await runCli(['task', ...at(), id, '--json']);
        assert.equal(shown.code, 0, shown.stderr);
        assert.equal((JSON.parse(shown.stdout) as { status: string }).status, 'working');

        const listed = await runCli(['tasks', ...at()]);
        if (era === 'legacy') {
          assert.equal(listed.code, 0, listed.stderr);
          assert.match(listed.stdout, new RegExp(`${id}\\s+working`));
        } else {
          assert.equal(listed.code, 2);
          assert.match(listed.stderr, /has no list of tasks; follow one by its id: mcp-manager task/);
        }

        const cancelled = await runCli(['task', ...at(), id, '--cancel']);
        assert.equal(cancelled.code, 0, cancelled.stderr);
        assert.match(cancelled.stdout, /status\s+cancelled/);
        const waited = await runCli(['task', ...at(), id, '--result']);
        assert.equal(waited.code, 1);
        assert.match(waited.stderr, new RegExp(`task ${id} was cancelled`));
      });

      it('task --result waits for a detached task and prints its result', async () => {
        const started = await runCli(['call', ...at(), 'task_ok', '{"polls":3,"pollMs":20}', '--detach', '--task']);
        assert.equal(started.code, 0, started.stderr);
        const id = started.stdout.trim();
        const waited = await runCli(['task', ...at(), id, '--result']);
        assert.equal(waited.code, 0, waited.stderr);
        assert.match(waited.stdout, /task_ok done after \d+ polls/);
        assert.match(waited.stderr, new RegExp(`waiting: task ${id} completed`));
      });

      it('a failed task exits 1 naming it; an unknown id exits 2', async () => {
        const failed = await runCli(['call', ...at(), 'task_fail', '{"pollMs":20}']);
        assert.equal(failed.code, 1);
        assert.match(failed.stderr, /task_fail failed on purpose/);
        const unknown = await runCli(['task', ...at(), 'no-such-task']);
        assert.equal(unknown.code, 2, unknown.stderr);
        assert.match(unknown.stderr, /no task no-such-task/);
      });
    });
  }

  for (const era of ['modern', 'legacy'] as const)
    it(`call answers a task that asks while it runs (--elicit), ${era === 'modern' ? '2026-07-28' : '2025-11-25'} over stdio`, async () => {
      const r = await runCli([
        'call',
        '--stdio',
        `${JSON.stringify(NODE)} ${JSON.stringify(ERAS.modern)} --era ${era}`,
        'task_ask',
        '{"pollMs":20}',
        '--elicit',
        'accept:{"colour":"teal"}',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'task_ask answered: accept {"colour":"teal"}');
      assert.match(r.stderr, /task_ask: task \S+ input_required: question 1 of 1/);
      assert.match(r.stderr, /task_ask: task \S+ completed/);
    });

  it('rejects task options on other verbs', async () => {
    const r = await runCli(['tools', 'x', '--detach']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--detach and --task apply to "call" only/);
  });
});
