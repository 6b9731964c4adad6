// The core's two host hooks around a launch, against the real fixture server: ConnectionOptions
// .beforeLaunch (the editor's consent prompt) and a declined InputResolver. Declining is the
// user's choice: nothing is spawned, the state goes back to `stopped`, no failure is counted.
import assert from 'node:assert/strict';
import { ServerConnection, ServerError, type LaunchRequest } from '../../src/core';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { childPids, definition, fastTiming, recordingLogger } from '../unit/helpers';

describe('launch hooks (beforeLaunch, declined inputs)', () => {
  const conns: ServerConnection[] = [];
  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.dispose()));
  });
  const connect = (entry: Record<string, unknown>, options: ConstructorParameters<typeof ServerConnection>[1]) => {
    const conn = new ServerConnection(definition('fx', entry), { timing: fastTiming, ...options });
    conns.push(conn);
    return conn;
  };

  it('asks with the command line as configured (inputs unresolved, secrets masked) before spawning; false spawns nothing', async () => {
    const asked: LaunchRequest[] = [];
    let answer = false;
    const logger = recordingLogger();
    const conn = connect(
      { command: NODE, args: [FIXTURE_SERVER, '--token', '${input:tok}'], env: { API_KEY: 'literal-secret-1' } },
      {
        logger,
        inputResolver: async () => ({ tok: 'typed-secret-2' }),
        beforeLaunch: async (_def, launch) => {
          asked.push(launch);
          return answer;
        },
      },
    );
    const before = childPids().length;
    await assert.rejects(conn.start(), (e: unknown) => e instanceof ServerError && e.kind === 'cancelled' && /not allowed/.test(e.message));
    assert.equal(conn.state.kind, 'stopped');
    assert.equal(childPids().length, before, 'a process was spawned');
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.command, NODE);
    // Asked before the input: its placeholder, never a value.
    assert.deepEqual(asked[0]!.args, [FIXTURE_SERVER, '--token', '${input:tok}']);

    // Declining counted no failure: the next start runs at once (no backoff) once allowed.
    answer = true;
    const states: string[] = [];
    const sub = conn.onDidChangeState((s) => states.push(s.kind));
    await conn.start();
    sub.dispose();
    assert.equal(conn.state.kind, 'running');
    assert.deepEqual(states, ['starting', 'running'], 'no failure counted, no backoff');
    assert.equal(asked.length, 2);
    assert.ok(!logger.lines.some((l) => l.includes('typed-secret-2') || l.includes('literal-secret-1')), logger.lines.join('\n'));
  });

  it('asks for consent before any input: declining prompts for nothing; allowing then prompts', async () => {
    const order: string[] = [];
    let allow = false;
    const conn = connect(
      { command: NODE, args: [FIXTURE_SERVER], env: { TOKEN: '${input:tok}' } },
      {
        inputResolver: async () => {
          order.push('input');
          return { tok: 'value-xyz' };
        },
        beforeLaunch: async () => {
          order.push('consent');
          return allow;
        },
      },
    );
    await assert.rejects(conn.start(), (e: unknown) => e instanceof ServerError && e.kind === 'cancelled');
    assert.deepEqual(order, ['consent']);
    allow = true;
    await conn.start();
    assert.deepEqual(order, ['consent', 'consent', 'input']);
  });

  it('the hook gets the configured definition (placeholders, not values)', async () => {
    let seen: unknown;
    const conn = connect(
      { command: NODE, args: [FIXTURE_SERVER], env: { TOKEN: '${input:tok}' } },
      {
        inputResolver: async () => ({ tok: 'value-xyz' }),
        beforeLaunch: async (def) => {
          seen = def;
          return true;
        },
      },
    );
    await conn.start();
    assert.ok(JSON.stringify(seen).includes('${input:tok}'));
    assert.ok(!JSON.stringify(seen).includes('value-xyz'));
  });

  it('an input prompt that is dismissed leaves the server stopped, not failed', async () => {
    const conn = connect(
      { command: NODE, args: [FIXTURE_SERVER, '${input:x}'] },
      {
        inputResolver: async (server) => {
          throw new ServerError(server, 'cancelled', 'no value was entered');
        },
      },
    );
    await assert.rejects(conn.start(), (e: unknown) => e instanceof ServerError && e.kind === 'cancelled');
    assert.equal(conn.state.kind, 'stopped');
  });
});
