import * as assert from 'node:assert/strict';
import { parseServers, ServerRegistry } from '../../src/core';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { assertGone, childPids, fastTiming, textOf } from '../unit/helpers';

describe('ServerRegistry', () => {
  let registry: ServerRegistry;
  beforeEach(() => (registry = new ServerRegistry({ timing: fastTiming })));
  afterEach(() => registry.dispose());

  const config = (servers: Record<string, unknown>) => parseServers(servers);
  const fx = (extra: Record<string, unknown> = {}) => ({ command: NODE, args: [FIXTURE_SERVER], ...extra });

  it('creates connections without starting anything', async () => {
    const before = childPids().length;
    await registry.update(config(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`s${i}`, fx()]))));
    assert.equal(registry.list().length, 50);
    assert.ok(registry.list().every((c) => c.state.kind === 'idle'));
    assert.equal(childPids().length, before);
  });

  it('restarts only the server whose resolved configuration changed', async () => {
    await registry.update(config({ a: fx(), b: fx({ env: { V: '1' } }), c: fx() }));
    const pidA = textOf(await registry.get('a')!.callTool('pid', {}));
    const pidB = textOf(await registry.get('b')!.callTool('pid', {}));
    const connA = registry.get('a');
    const change = await registry.update(config({ a: fx(), b: fx({ env: { V: '2' } }), d: fx() }));
    assert.deepEqual(change, { added: ['d'], removed: ['c'], changed: ['b'], updated: [] });
    assert.strictEqual(registry.get('a'), connA, 'unchanged server keeps its connection');
    assert.equal(textOf(await registry.get('a')!.callTool('pid', {})), pidA);
    await assertGone(Number(pidB));
    const env = JSON.parse(textOf(await registry.get('b')!.callTool('env', { name: 'V' })));
    assert.equal(env, '2');
    assert.notEqual(textOf(await registry.get('b')!.callTool('pid', {})), pidB);
  });

  it('applies a change of expose to the running server without restarting it', async () => {
    await registry.update(config({ a: fx() }));
    const conn = registry.get('a')!;
    const pid = textOf(await conn.callTool('pid', {}));
    const seen: unknown[] = [];
    registry.onDidChangeServers((c) => seen.push(c));
    const change = await registry.update(config({ a: fx({ expose: false }) }));
    assert.deepEqual(change, { added: [], removed: [], changed: [], updated: ['a'] });
    assert.deepEqual(seen, [change], 'listeners hear of it (the gateway lists again)');
    assert.strictEqual(registry.get('a'), conn, 'same connection');
    assert.equal(conn.definition.expose, false, 'with the new entry');
    assert.equal(conn.state.kind, 'running');
    assert.equal(textOf(await conn.callTool('pid', {})), pid, 'same process');
    // Back to offered, then a real change: that one restarts.
    assert.deepEqual((await registry.update(config({ a: fx() }))).updated, ['a']);
    assert.deepEqual((await registry.update(config({ a: fx({ env: { V: '1' } }) }))).changed, ['a']);
  });

  it('keeps good servers when another entry is bad, and reports duplicates', async () => {
    const r = config({ good: fx(), bad: { command: 42 } });
    await registry.update({ servers: [...r.servers, ...parseServers({ good: fx({ env: { X: '1' } }) }).servers], issues: r.issues });
    assert.deepEqual(
      registry.list().map((c) => c.name),
      ['good'],
    );
    assert.deepEqual(
      registry.issues.map((i) => i.server),
      ['bad', 'good'],
    );
    assert.match(registry.issues[1]!.message, /also defined in/);
    assert.equal(registry.issues[1]!.severity, 'warning');
    assert.equal(textOf(await registry.get('good')!.callTool('echo', { message: 'x' })), 'Echo: x');
  });

  it('forwards state and tool events of its connections', async () => {
    await registry.update(config({ a: fx() }));
    const states: string[] = [];
    registry.onDidChangeState(({ connection, state }) => states.push(`${connection.name}:${state.kind}`));
    await registry.get('a')!.listTools();
    assert.deepEqual(states, ['a:starting', 'a:running']);
  });

  it('dispose stops every server and leaves no process', async () => {
    const before = childPids().length;
    await registry.update(config({ a: fx(), b: fx(), c: fx({ keepAlive: false }) }));
    const pids = await Promise.all(['a', 'b'].map(async (n) => Number(textOf(await registry.get(n)!.callTool('pid', {})))));
    const slow = registry
      .get('c')!
      .callTool('sleep', { ms: 5000 })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    await registry.dispose();
    await slow;
    for (const pid of pids) await assertGone(pid);
    assert.equal(childPids().length, before);
  });
});
