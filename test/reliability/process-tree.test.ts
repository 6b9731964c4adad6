// Process trees: servers that ignore SIGTERM, shell wrappers and `npx`-style launchers whose real
// server is a grandchild. The whole tree must end on stop, restart, configuration change and
// deactivation (registry dispose), and when the host process exits without cleaning up.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseServers, ServerRegistry, type ServerConnection } from '../../src/core';
import { FIXTURE_SERVER, NODE, REPO_ROOT, isProcessAlive } from '../fixtures/paths';
import { textOf, waitFor } from '../unit/helpers';
import { WATCHDOG_GRACE_S } from '../../src/core/transport/groupWatchdog';
import { BAD } from './fixtures';
import { Bench, FAST, groupPids, pidFromLog, type CaseContext } from './harness';

type Scenario = 'stop' | 'restart' | 'configuration change' | 'deactivation';

interface TreeKind {
  readonly label: string;
  readonly entry: Record<string, unknown>;
  /** Minimum size of the process tree once the server runs. */
  readonly size: number;
  /** The innermost (real) server's pid. */
  inner(c: ServerConnection, t: CaseContext, name: string): Promise<number>;
}

const KINDS: TreeKind[] = [
  {
    label: 'shell wrapper',
    entry: { command: BAD.shellWrapper },
    size: 2,
    inner: async (c) => Number(textOf(await c.callTool('pid', {}))),
  },
  {
    label: 'npx-style launcher',
    entry: { command: NODE, args: [BAD.npxLauncher, NODE, FIXTURE_SERVER] },
    size: 3,
    inner: async (c) => Number(textOf(await c.callTool('pid', {}))),
  },
  {
    label: 'npx-style launcher of a server ignoring SIGTERM',
    entry: { command: NODE, args: [BAD.npxLauncher, NODE, BAD.ignoreSigterm] },
    size: 3,
    inner: async (c, t, name) => {
      await c.ping();
      return pidFromLog(t.log(name), /ignore-sigterm started pid=(\d+)/);
    },
  },
  {
    label: 'server ignoring SIGTERM',
    entry: { command: NODE, args: [BAD.ignoreSigterm] },
    size: 1,
    inner: async (c) => {
      await c.ping();
      return c.info!.pid!;
    },
  },
];

describe('reliability: process trees', function () {
  this.timeout(30_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('Process trees').start()));
  after(() => bench?.dispose());

  for (const kind of KINDS) {
    for (const scenario of ['stop', 'restart', 'configuration change', 'deactivation'] as Scenario[]) {
      it(`${kind.label}: the whole tree ends on ${scenario}`, () =>
        bench.run(`${kind.label}: ${scenario}`, 'every process of the tree ends', async (t) => {
          const name = `tree${KINDS.indexOf(kind)}${scenario[0]}`;
          let registry: ServerRegistry | undefined;
          let c: ServerConnection;
          if (scenario === 'deactivation') {
            // A registry of its own: disposing it is what deactivate() does.
            registry = new ServerRegistry({ timing: FAST, loggerFor: (n) => t.log(n) });
            await registry.update(parseServers({ [name]: kind.entry }));
            c = registry.get(name)!;
          } else {
            c = await t.server(name, kind.entry);
          }
          const inner = await kind.inner(c, t, name);
          const leader = c.info!.pid!;
          const tree = groupPids(leader);
          assert.ok(tree.length >= kind.size && tree.includes(inner), `tree ${tree.join(',')} holds ${inner}`);
          tree.forEach((p) => t.track(p));
          const t0 = performance.now();
          switch (scenario) {
            case 'stop':
              await c.stop();
              break;
            case 'restart': {
              await c.restart();
              const next = await kind.inner(c, t, name);
              assert.notEqual(next, inner);
              groupPids(c.info!.pid!).forEach((p) => t.track(p));
              break;
            }
            case 'configuration change':
              await bench.configure({ ...bench.entries, [name]: { ...kind.entry, env: { CHANGED: '1' } } });
              await waitFor(() => bench.registry.get(name)!.state.kind === 'running', 10_000, 'the restart with the new configuration');
              groupPids(bench.registry.get(name)!.info!.pid!).forEach((p) => t.track(p));
              break;
            case 'deactivation':
              await registry!.dispose();
              break;
          }
          const alive = tree.filter(isProcessAlive);
          assert.deepEqual(alive, [], `still alive after ${scenario}: ${alive.join(', ')}`);
          t.mark(performance.now() - t0);
          return `${tree.length} processes ended in ${Math.round(performance.now() - t0)} ms`;
        }));
    }
  }

  const hostDeaths = {
    exit: { title: 'calls process.exit()', by: 'the exit hook', args: [] },
    throw: { title: 'dies of an uncaught exception', by: 'the exit hook', args: ['--throw'] },
    kill: { title: 'is killed with SIGKILL (no JavaScript runs)', by: 'the watchdog', args: ['--wait'] },
  };
  for (const [how, death] of Object.entries(hostDeaths)) {
    it(`host process ${death.title} without deactivating`, () =>
      bench.run(`host ${death.title} without deactivating`, `every server tree is killed by ${death.by}`, async (t) => {
        const child = spawn(NODE, ['--import', 'tsx', 'test/reliability/hostExit.script.ts', ...death.args], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        await waitFor(() => out.includes('\n') || child.exitCode !== null, 15_000, 'the host to start its servers');
        const groups = JSON.parse(out.split('\n')[0]!) as number[];
        const pids = groups.flatMap(groupPids);
        assert.ok(pids.length >= 6, `trees: ${pids.join(',')} ${err}`);
        pids.forEach((p) => t.track(p));
        const t0 = performance.now();
        if (how === 'kill') {
          // Give the launcher's grandchild time to start, as the other hosts do before leaving.
          await new Promise((r) => setTimeout(r, 300));
          child.kill('SIGKILL');
        }
        await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
        // The watchdog sends SIGTERM, then SIGKILL after WATCHDOG_GRACE_S (the launched server ignores SIGTERM).
        await waitFor(
          () => pids.every((p) => !isProcessAlive(p)),
          3000 + WATCHDOG_GRACE_S * 1000,
          'the trees to end after the host exited',
        );
        t.mark(performance.now() - t0);
        return `${pids.length} processes of 3 trees ended with the host`;
      }));
  }
});
