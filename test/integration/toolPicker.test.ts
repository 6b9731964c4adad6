// "MCP: Call Tool..." starts nothing the user did not pick (issue 11, point 3): opening the pick
// lists the tools of running servers only; a server that is not running is a "Start …" row that
// starts it when chosen; a failed server is a row with its error and Retry, and is not restarted
// by opening the pick. The real QuickPick is driven with the workbench's own quick-input commands;
// what it shows is read through an internal command. Real fixture processes throughout.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PickSnapshot } from '../../src/vscode/toolCall/toolPicker';
import { badServer, childProcesses, fixtureServer, getApi, rememberServers, setServers, waitFor } from './helpers/mcpm';

const snapshot = () => vscode.commands.executeCommand<PickSnapshot | undefined>('mcpManager.getToolPickState');
const rowOf = (snap: PickSnapshot | undefined, server: string) => snap?.rows.filter((r) => r.server === server) ?? [];

/** Moves the pick's active row to `label` with the quick input's own "next" command, then accepts it. */
async function choose(label: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await snapshot())?.active === label) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return;
    }
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  }
  assert.fail(`row "${label}" never became active; rows: ${JSON.stringify((await snapshot())?.rows.map((r) => r.label))}`);
}

describe('Call Tool pick: starts only what is picked', function () {
  let saved: ReturnType<typeof rememberServers>;

  before(async () => {
    await getApi();
    saved = rememberServers();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await waitFor('the pick to close', async () => (await snapshot()) === undefined);
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('lists running servers, shows idle ones as Start rows and failed ones with their error, and starts nothing', async () => {
    await setServers({ up: fixtureServer(), idle: fixtureServer(), bad: badServer('exit-now.mjs') });
    const { registry } = (await getApi())._test;
    await registry.get('up')!.listTools();
    await registry
      .get('bad')!
      .start()
      .catch(() => undefined);
    const bad = registry.get('bad')!;
    assert.equal(bad.state.kind, 'error');
    const failures = bad.state.kind === 'error' ? bad.state.failures : -1;
    const pids = childProcesses().map((p) => p.pid);
    assert.equal(pids.length, 1);

    const pending = vscode.commands.executeCommand('mcpManager.callTool');
    const snap = await waitFor('the pick with every server settled', async () => {
      const s = await snapshot();
      return s && !s.busy && rowOf(s, 'up').some((r) => r.tool === 'echo') && rowOf(s, 'idle')[0]?.status === 'idle' ? s : undefined;
    });
    assert.deepEqual(
      rowOf(snap, 'idle').map((r) => r.label),
      ['$(play) Start idle'],
    );
    const [badRow] = rowOf(snap, 'bad');
    assert.equal(badRow?.status, 'error');
    assert.match(badRow!.label, /bad failed/);

    // Opening the pick started no process and did not restart the failed server.
    assert.deepEqual(
      childProcesses().map((p) => p.pid),
      pids,
    );
    assert.equal(registry.get('idle')!.state.kind, 'idle');
    assert.equal(bad.state.kind === 'error' && bad.state.failures, failures);

    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
  });

  it('choosing a Start row starts that server in place; Retry restarts a failed one', async () => {
    await setServers({ idle: fixtureServer(), bad: badServer('exit-now.mjs') });
    const { registry } = (await getApi())._test;
    await registry
      .get('bad')!
      .start()
      .catch(() => undefined);
    const failedState = registry.get('bad')!.state;
    assert.equal(failedState.kind, 'error');

    const pending = vscode.commands.executeCommand('mcpManager.callTool');
    await waitFor('the Start row', async () => rowOf(await snapshot(), 'idle')[0]?.status === 'idle');
    assert.deepEqual(childProcesses(), []);
    await choose('$(play) Start idle');
    const snap = await waitFor('the started server’s tools in the pick', async () => {
      const s = await snapshot();
      return rowOf(s, 'idle').some((r) => r.tool === 'echo') ? s : undefined;
    });
    assert.equal(childProcesses().length, 1);
    assert.equal(registry.get('idle')!.state.kind, 'running');
    assert.equal(rowOf(snap, 'bad')[0]?.status, 'error');

    await choose(rowOf(snap, 'bad')[0]!.label);
    // Retried: a new attempt, which fails again (the fixture always exits), and the row says so.
    await waitFor(
      'the retry to fail again',
      () => registry.get('bad')!.state !== failedState && registry.get('bad')!.state.kind === 'error',
    );
    await waitFor('the error row again', async () => rowOf(await snapshot(), 'bad')[0]?.status === 'error');
    assert.ok(await snapshot(), 'the pick closed on Retry');

    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
  });
});
