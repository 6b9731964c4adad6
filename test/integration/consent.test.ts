// Launch consent for workspace-defined commands (issue 11, point 3): consent is asked before any
// ${input:} prompt, servers starting together get one dialog at a time, and "Allow All N Workspace
// Servers" answers for every workspace server at once. Real mcp.json, real processes; the dialogs
// are answered by a ScriptedPrompter.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rememberSettings, removeMcpJson, scriptedUi, section, waitForConfig, writeMcpJson } from './helpers/configHelpers';
import { childProcesses, fixtureServer, getApi, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

describe('launch consent: before inputs, one decision for all workspace servers', function () {
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;

  before(async () => {
    await getApi();
    saved = rememberSettings();
  });

  beforeEach(async () => {
    ({ ui, done } = await scriptedUi());
    await section().update('confirmWorkspaceServers', true, vscode.ConfigurationTarget.Global);
  });

  afterEach(async function () {
    done();
    const api = await getApi();
    removeMcpJson();
    await saved.restore();
    await api._test.inputs.clear();
    await api._test.consent.reset();
    await api._test.reloadConfig();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
    if (this.currentTest?.state === 'passed') assert.deepEqual(ui.unexpected, [], 'questions nobody expected');
  });

  it('three servers starting together: one dialog, consent before the secret, "Allow All" covers the rest', async () => {
    const api = await getApi();
    writeMcpJson({
      inputs: [{ type: 'promptString', id: 'tok', description: 'Token', password: true }],
      servers: { a: fixtureServer(), b: fixtureServer(), c: fixtureServer({ env: { FIXTURE_TOKEN: '${input:tok}' } }) },
    });
    await waitForConfig('the servers', (r) => r.get('a') && r.get('b') && r.get('c'));
    ui.on('confirm', /configured by this workspace/, 'Allow All 3 Workspace Servers');
    ui.on('input', /needs \$\{input:tok\}/, 'tok-value-1');

    await Promise.all(['c', 'a', 'b'].map((name) => api.listTools(name)));
    assert.equal(childProcesses().length, 3);
    const confirms = ui.asked.filter((a) => a.kind === 'confirm');
    assert.equal(confirms.length, 1, `dialogs: ${confirms.map((c) => c.text).join(' | ')}`);
    const [ask] = confirms;
    assert.deepEqual(ask!.actions, ['Allow', 'Allow Always for This Workspace', 'Allow All 3 Workspace Servers']);
    assert.match(ask!.detail ?? '', /Allow: this server, until this window is closed or reloaded/);
    assert.match(ask!.detail ?? '', /until its command line changes/);
    // Consent came first: the secret was asked for only after it.
    const order = ui.asked.map((a) => a.kind).filter((k) => k === 'confirm' || k === 'input');
    assert.deepEqual(order, ['confirm', 'input']);

    // "Allow All" is remembered for the workspace: restarts ask nothing.
    await vscode.commands.executeCommand('mcpManager.restartServer', 'a');
    assert.equal(api._test.registry.get('a')!.state.kind, 'running');
    assert.equal(ui.asked.filter((a) => a.kind === 'confirm').length, 1);
  });

  it('declining consent for a server with an input asks for no secret and starts nothing', async () => {
    const api = await getApi();
    writeMcpJson({
      inputs: [{ type: 'promptString', id: 'tok', description: 'Token', password: true }],
      servers: { only: fixtureServer({ env: { FIXTURE_TOKEN: '${input:tok}' } }) },
    });
    await waitForConfig('the server', (r) => r.get('only'));
    ui.on('confirm', /"only"/, undefined);
    await assert.rejects(api.listTools('only'), /not allowed/);
    const [ask] = ui.asked.filter((a) => a.kind === 'confirm');
    assert.deepEqual(ask!.actions, ['Allow', 'Allow Always for This Workspace']);
    assert.match(ask!.detail ?? '', /Asks for \$\{input:tok\} after you allow it/);
    assert.equal(ui.asked.filter((a) => a.kind === 'input').length, 0);
    assert.deepEqual(childProcesses(), []);
  });
});
