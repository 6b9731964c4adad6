// A stdio server that writes text to stdout while starting: the connection says so in its
// `starting` state at once (the tree shows it), instead of only in the log until the handshake
// times out. Real child processes.
import assert from 'node:assert/strict';
import { ServerConnection, type ConnectionState } from '../../src/core';
import { BAD, NODE } from '../fixtures/paths';
import { definition, fastTiming } from '../unit/helpers';

describe('stray stdout output while starting', () => {
  const conns: ServerConnection[] = [];
  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.dispose()));
  });

  it('notes the first non-JSON-RPC line in the starting state', async () => {
    const conn = new ServerConnection(definition('talky', { command: NODE, args: [BAD.textStdout], startupTimeoutMs: 60_000 }), {
      timing: fastTiming,
    });
    conns.push(conn);
    const noted = new Promise<ConnectionState>((resolve) => {
      conn.onDidChangeState((s) => {
        if (s.kind === 'starting' && s.problem) resolve(s);
      });
    });
    const start = conn.start().catch(() => undefined);
    const state = await noted;
    assert.equal(state.kind, 'starting');
    assert.equal(
      state.kind === 'starting' && state.problem,
      "the server wrote text that is not JSON-RPC to stdout: 'hello'; a stdio server may only write protocol messages there",
    );
    assert.equal(conn.state, state);
    await conn.stop();
    await start;
  });

  it('a server that is only noisy still starts, and the note goes with the starting state', async () => {
    const conn = new ServerConnection(definition('noisy', { command: NODE, args: [BAD.noisyStdout] }), { timing: fastTiming });
    conns.push(conn);
    await conn.start();
    assert.equal(conn.state.kind, 'running');
  });
});
