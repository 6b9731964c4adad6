// Shared configuration in a real VS Code (single-folder workspace): .vscode/mcp.json read and
// watched on disk, precedence against settings, launch consent for workspace-defined commands,
// ${input:...} prompting into SecretStorage with masking checked in the real log files, envFile
// masking, live reload restarting exactly the changed server, Import Servers and Add Server.
// Questions are answered by a ScriptedPrompter; settings, files, secrets and processes are real.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerNode } from '../../src/ui/tree/nodes';
import {
  folderPath,
  logText,
  mcpJsonPath,
  rememberSettings,
  removeMcpJson,
  scriptedUi,
  section,
  waitForConfig,
  writeEchoServer,
  writeMcpJson,
} from './helpers/configHelpers';
import { childProcesses, FIXTURE, fixtureServer, getApi, MARKER, NODE, resultText, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

// The dialogs' button titles (src/vscode/consent.ts, importServers.ts). Literal here: importing
// them would bundle the extension's sources (and jsonc-parser's UMD build) into the test.
const ALLOW = 'Allow';
const ALLOW_ALWAYS = 'Allow Always for This Workspace';
const REPLACE = 'Replace';
const STORE_SECRETS = 'Store in Secret Storage';

const pidOf = async (server: string) => resultText(await (await getApi()).callTool(server, 'pid', {}));
const envOf = async (server: string, name: string) =>
  JSON.parse(resultText(await (await getApi()).callTool(server, 'env', { name }))) as string | null;

describe('configuration: mcp.json, precedence, consent, inputs, reload, import, add', function () {
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;
  const extraFiles: string[] = [];

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
    for (const f of extraFiles.splice(0)) fs.rmSync(f, { force: true });
    await saved.restore();
    await api._test.inputs.clear();
    await api._test.consent.reset();
    await api._test.reloadConfig();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
    if (this.currentTest?.state === 'passed') assert.deepEqual(ui.unexpected, [], 'questions nobody expected');
  });

  it('reads .vscode/mcp.json and follows edits on disk within a second', async () => {
    const api = await getApi();
    writeMcpJson({ servers: { fromMcp: fixtureServer() } });
    const created = await waitForConfig('the mcp.json server', (r) => r.get('fromMcp'));
    const source = created.value.definition.source!;
    assert.equal(source.kind, 'mcp.json');
    assert.equal(source.label, '.vscode/mcp.json');
    assert.equal(source.file, mcpJsonPath());

    writeMcpJson({ servers: { fromMcp: fixtureServer(), second: fixtureServer() } });
    const edited = await waitForConfig('the added server', (r) => r.get('second'));
    removeMcpJson();
    const deleted = await waitForConfig('the servers to go', (r) => !r.get('fromMcp') && !r.get('second'));
    const times = [created.ms, edited.ms, deleted.ms].map((ms) => Math.round(ms));
    console.log(`      mcp.json create/edit/delete reached the registry after ${times.join(' / ')} ms`);
    assert.deepEqual(
      api.listServers().filter((s) => s.name === 'fromMcp'),
      [],
    );
    assert.deepEqual(childProcesses(), []);
  });

  it('a name in workspace settings and mcp.json is shown once: settings win, with a note', async () => {
    const api = await getApi();
    await section().update('servers', { dup: fixtureServer({ env: { FROM: 'settings' } }) }, vscode.ConfigurationTarget.Workspace);
    writeMcpJson({ servers: { dup: fixtureServer({ env: { FROM: 'mcp' } }), mcpOnly: fixtureServer() } });
    await waitForConfig('both sources', (r) => r.get('mcpOnly') && r.get('dup')?.definition.source?.kind === 'workspace');
    const tree = api._test.tree;
    const groups = tree.getChildren().filter((n) => n.kind === 'group');
    const label = (item: vscode.TreeItem) => String(typeof item.label === 'string' ? item.label : item.label?.label);
    assert.deepEqual(
      groups.map((g) => label(tree.getTreeItem(g))),
      ['Workspace settings', '.vscode/mcp.json'],
    );
    const names = groups.flatMap((g) =>
      tree
        .getChildren(g)
        .filter((n) => n.kind === 'server')
        .map((n) => (n as ServerNode).serverName),
    );
    // The shadowed mcp.json entry is a note row in its own group (issue 11: notes sit in their group).
    assert.deepEqual(names, ['dup', 'mcpOnly']);
    assert.equal(api._test.registry.get('dup')!.definition.source?.kind, 'workspace');
    const dupNode = tree.getChildren(groups[0]).find((n) => (n as ServerNode).serverName === 'dup')!;
    const tooltip = (tree.resolveTreeItem(tree.getTreeItem(dupNode), dupNode).tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /also defined in \\\.vscode\/mcp\\\.json; the entry from Workspace settings is used/);
    assert.match(String((tree.getTreeItem(groups[0]).tooltip as string) ?? ''), /most specific wins/);
  });

  it('asks before running a workspace-defined command, once; never for a user-level server', async () => {
    const api = await getApi();
    writeMcpJson({ servers: { guarded: fixtureServer() } });
    await waitForConfig('the server', (r) => r.get('guarded'));

    // Cancel: nothing is spawned, the server is stopped (not failed), and it is not asked again
    // until the user starts it explicitly.
    ui.on('confirm', /"guarded"/, undefined);
    await assert.rejects(api.listTools('guarded'), /not allowed/);
    assert.deepEqual(childProcesses(), []);
    assert.equal(api._test.registry.get('guarded')!.state.kind, 'stopped');
    const ask = ui.asked.find((a) => a.kind === 'confirm')!;
    assert.ok(ask.detail?.includes(`${NODE} ${FIXTURE()} ${MARKER}`), ask.detail);
    assert.ok(ask.detail?.includes('.vscode/mcp.json'), ask.detail);
    assert.deepEqual(ask.actions, [ALLOW, ALLOW_ALWAYS]);
    await assert.rejects(api.listTools('guarded'), /not allowed/);
    assert.equal(ui.count('confirm', /"guarded"/), 1);

    // An explicit start asks again; "Allow Always" is remembered across restarts.
    ui.on('confirm', /"guarded"/, ALLOW_ALWAYS);
    await vscode.commands.executeCommand('mcpManager.startServer', 'guarded');
    assert.equal(api._test.registry.get('guarded')!.state.kind, 'running');
    assert.equal(childProcesses().length, 1);
    await vscode.commands.executeCommand('mcpManager.restartServer', 'guarded');
    assert.equal(api._test.registry.get('guarded')!.state.kind, 'running');
    assert.equal(ui.count('confirm', /"guarded"/), 2);

    // A changed command line is a new question (the running server restarts with it).
    ui.on('confirm', /"guarded"/, ALLOW);
    writeMcpJson({ servers: { guarded: fixtureServer({ args: [FIXTURE(), MARKER, '--changed'] }) } });
    await waitForConfig(
      'the restarted server',
      (r) =>
        r.get('guarded')?.definition.type === 'stdio' &&
        r.get('guarded')!.state.kind === 'running' &&
        (r.get('guarded')!.definition as { args: readonly string[] }).args.includes('--changed'),
    );
    assert.equal(ui.count('confirm', /"guarded"/), 3);

    // Reset: asked again.
    await vscode.commands.executeCommand('mcpManager.resetLaunchPermissions');
    await vscode.commands.executeCommand('mcpManager.stopServer', 'guarded');
    ui.on('confirm', /"guarded"/, ALLOW);
    await vscode.commands.executeCommand('mcpManager.startServer', 'guarded');
    assert.equal(ui.count('confirm', /"guarded"/), 4);

    // The user's own servers are never asked about.
    await section().update('servers', { mine: fixtureServer() }, vscode.ConfigurationTarget.Global);
    await api._test.reloadConfig();
    await vscode.commands.executeCommand('mcpManager.startServer', 'mine');
    assert.equal(api._test.registry.get('mine')!.state.kind, 'running');
    assert.equal(ui.count('confirm', /"mine"/), 0);
  });

  it('prompts for ${input:...} once, keeps it in SecretStorage, masks it in logs and the tree, and forgets it on Clear', async () => {
    const api = await getApi();
    const SECRET = 'tok-5f3a9c1e7b';
    const script = writeEchoServer(folderPath(), FIXTURE(), ['FIXTURE_TOKEN']);
    extraFiles.push(script);
    writeMcpJson({
      inputs: [{ type: 'promptString', id: 'tok', description: 'Fixture token', password: true }],
      servers: { withInput: { command: NODE, args: [script, '${input:tok}', MARKER], env: { FIXTURE_TOKEN: '${input:tok}' } } },
    });
    await waitForConfig('the server', (r) => r.get('withInput'));
    ui.on('confirm', /"withInput"/, ALLOW_ALWAYS);
    ui.on('input', /"withInput" needs \$\{input:tok\}/, SECRET);

    assert.equal(await envOf('withInput', 'FIXTURE_TOKEN'), SECRET);
    const asked = ui.asked.find((a) => a.kind === 'input')!;
    assert.equal(asked.password, true);
    assert.match(asked.text, /Fixture token/);
    assert.deepEqual(
      api._test.inputs.stored().map((s) => [s.id, s.scope]),
      [['tok', `mcp.json:${mcpJsonPath()}`]],
    );

    // Reused after a restart: no second question.
    await vscode.commands.executeCommand('mcpManager.restartServer', 'withInput');
    assert.equal(await envOf('withInput', 'FIXTURE_TOKEN'), SECRET);
    assert.equal(ui.count('input', /tok/), 1);

    // Never in the log (the command line and the server's own stderr echo it), nor in the tree.
    const log = await waitFor('the stderr line in the log file', async () => {
      const text = await logText('MCP: withInput');
      return /\[stderr\] FIXTURE_TOKEN=/.test(text) ? text : undefined;
    });
    assert.ok(!log.includes(SECRET), 'the secret reached the log file');
    assert.match(log, /\[stderr\] FIXTURE_TOKEN=•+ arg=•+/);
    assert.match(log, /starting: .* •+ --mcpm-integration/);
    const tree = api._test.tree;
    const node = tree.serverNode('withInput')!;
    const tip = (tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value;
    assert.ok(!tip.includes(SECRET));
    assert.ok(tip.includes('${input:tok}'), tip);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('mcpManager').inspect('servers')).includes(SECRET));

    // Clear Stored Inputs: asked again on the next start.
    ui.on('pickMany', /Clear Stored MCP Inputs/, [/^tok$/]);
    await vscode.commands.executeCommand('mcpManager.clearStoredInputs');
    assert.deepEqual(api._test.inputs.stored(), []);
    ui.on('input', /needs \$\{input:tok\}/, 'second-value');
    await vscode.commands.executeCommand('mcpManager.restartServer', 'withInput');
    assert.equal(await envOf('withInput', 'FIXTURE_TOKEN'), 'second-value');

    // Dismissing the prompt starts nothing.
    await api._test.inputs.clear();
    await vscode.commands.executeCommand('mcpManager.stopServer', 'withInput');
    await waitFor('the process to exit', () => childProcesses().length === 0);
    ui.on('input', /needs \$\{input:tok\}/, undefined);
    await assert.rejects(api.listTools('withInput'), /no value was entered/);
    assert.equal(api._test.registry.get('withInput')!.state.kind, 'stopped');
    assert.deepEqual(childProcesses(), []);
  });

  it('input values never cross scopes; settings servers use mcpManager.inputs of their scope', async () => {
    const api = await getApi();
    const entry = fixtureServer({ env: { SHARED_ID: '${input:token}' } });
    await section().update(
      'inputs',
      [{ type: 'pickString', id: 'token', description: 'Pick the token', options: ['alpha', 'beta'], default: 'beta' }],
      vscode.ConfigurationTarget.Workspace,
    );
    await section().update('servers', { wsServer: entry }, vscode.ConfigurationTarget.Workspace);
    await section().update('servers', { userServer: entry }, vscode.ConfigurationTarget.Global);
    await api._test.reloadConfig();
    ui.on('confirm', /"wsServer"/, ALLOW);
    ui.on('pick', /"wsServer" needs \$\{input:token\}/, 'alpha');
    ui.on('input', /"userServer" needs \$\{input:token\}/, 'user-typed-value');
    assert.equal(await envOf('wsServer', 'SHARED_ID'), 'alpha');
    // Undeclared at user scope: a generic, hidden prompt, and not the workspace's value.
    assert.equal(await envOf('userServer', 'SHARED_ID'), 'user-typed-value');
    assert.equal(ui.asked.find((a) => a.kind === 'input')?.password, true);
    assert.deepEqual(
      api._test.inputs
        .stored()
        .map((s) => s.scope)
        .sort(),
      ['user', `workspace:${path.join(folderPath(), '.vscode', 'settings.json')}`],
    );
  });

  it('envFile values are secrets: masked in the log and in the error shown in the tree', async () => {
    const api = await getApi();
    const VALUE = 'envfile-private-7788';
    const envFile = path.join(folderPath(), 'test.env');
    fs.writeFileSync(envFile, `# comment\nGREETING="${VALUE}"\nexport OTHER=plain\n`);
    const script = writeEchoServer(folderPath(), FIXTURE(), ['GREETING', 'OTHER']);
    const crashing = writeEchoServer(folderPath(), FIXTURE(), ['GREETING'], 1);
    extraFiles.push(envFile, script, crashing);
    await section().update(
      'servers',
      { envUser: { command: NODE, args: [script, MARKER], envFile }, envCrash: { command: NODE, args: [crashing, MARKER], envFile } },
      vscode.ConfigurationTarget.Global,
    );
    await api._test.reloadConfig();

    assert.equal(await envOf('envUser', 'GREETING'), VALUE);
    assert.equal(await envOf('envUser', 'OTHER'), 'plain');
    const log = await waitFor('the stderr line', async () => {
      const text = await logText('MCP: envUser');
      return text.includes('[stderr] GREETING=') ? text : undefined;
    });
    assert.ok(!log.includes(VALUE));
    // Every envFile value counts as a secret, whatever its name.
    assert.match(log, /GREETING=•+ OTHER=•+ arg=--mcpm-integration/);

    await assert.rejects(
      api.listTools('envCrash'),
      (e: Error) => /exited with code 1 during startup: GREETING=•+/.test(e.message) && !e.message.includes(VALUE),
    );
    const tree = api._test.tree;
    const node = tree.serverNode('envCrash')!;
    const shown = [
      ...tree.getChildren(node).map((n) => String(tree.getTreeItem(n).label)),
      (tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value,
    ].join('\n');
    assert.match(shown, /GREETING=•+/);
    assert.ok(!shown.includes(VALUE), shown);
    const crashLog = await waitFor('the crash in the log', async () => {
      const text = await logText('MCP: envCrash');
      return text.includes('GREETING=') ? text : undefined;
    });
    assert.ok(!crashLog.includes(VALUE));
  });

  it('live reload restarts exactly the changed server; a call on another keeps running; a bad entry is an error node', async () => {
    const api = await getApi();
    ui.on('confirm', /"(a|b)"/, ALLOW_ALWAYS, 3);
    writeMcpJson({ servers: { a: fixtureServer(), b: fixtureServer() } });
    await waitForConfig('the servers', (r) => r.get('a') && r.get('b'));
    const pidA = await pidOf('a');
    const pidB = await pidOf('b');
    const slow = api.callTool('a', 'sleep', { ms: 1500 });

    writeMcpJson({ servers: { a: fixtureServer(), b: fixtureServer({ env: { CHANGED: '1' } }) } });
    const restarted = await waitForConfig('b to restart', (r) => {
      const s = r.get('b')?.state;
      return s?.kind === 'running' && String(s.pid) !== pidB && s.pid;
    });
    console.log(`      b was running again ${Math.round(restarted.ms)} ms after its entry changed on disk`);
    assert.equal(await envOf('b', 'CHANGED'), '1');
    assert.equal(await pidOf('a'), pidA);
    assert.equal(resultText(await slow), 'slept 1500');
    assert.equal(childProcesses().length, 2);

    // A syntax error while editing keeps the last valid version (nothing is stopped).
    writeMcpJson('{ "servers": { "a": {} "b": {} } }');
    await waitForConfig('the syntax error node', (r) =>
      r.issues.some((i) => /mcp\.json:1:\d+: comma expected.*last valid version/.test(i.message)),
    );
    assert.equal(await pidOf('a'), pidA);
    assert.equal(await pidOf('b'), String(restarted.value));

    // An entry that becomes invalid is an error node; the other server is untouched.
    writeMcpJson({ servers: { a: fixtureServer(), b: fixtureServer({ startupTimeoutMs: 'soon' }) } });
    await waitForConfig('b as an error', (r) => !r.get('b') && r.issues.some((i) => i.server === 'b' && i.field === 'startupTimeoutMs'));
    await waitFor('b to exit', () => childProcesses().length === 1);
    assert.equal(await pidOf('a'), pidA);
    const issueNodes = api._test.tree.getChildren().filter((n) => n.kind === 'issue');
    assert.ok(issueNodes.some((n) => String(api._test.tree.getTreeItem(n).label) === 'b › startupTimeoutMs'));
    assert.equal(ui.count('confirm', /"b"/), 2);
  });

  it('Import Servers: preview with conflicts marked, replacement confirmed, secrets moved to SecretStorage', async () => {
    const api = await getApi();
    const dotMcp = path.join(folderPath(), '.mcp.json');
    extraFiles.push(dotMcp);
    fs.writeFileSync(
      dotMcp,
      JSON.stringify({
        mcpServers: {
          imp: { command: NODE, args: [FIXTURE(), MARKER], env: { API_KEY: 'import-secret-123', MODE: 'x' }, autoApprove: ['echo'] },
          remote: {
            type: 'streamable-http',
            url: 'http://127.0.0.1:9/mcp',
            headers: { Authorization: 'Bearer bearer-secret-456' },
            timeout: 20,
          },
          existing: { command: NODE, args: [FIXTURE(), MARKER, '--new'] },
          same: { command: NODE, args: [FIXTURE(), MARKER] },
          bad: { command: '' },
        },
      }),
    );
    await section().update(
      'servers',
      { existing: fixtureServer(), same: { command: NODE, args: [FIXTURE(), MARKER] } },
      vscode.ConfigurationTarget.Global,
    );
    await api._test.reloadConfig();

    ui.on('pick', /^Import MCP Servers/, '.mcp.json');
    ui.on('pick', /where should they be saved/, 'User settings');
    let preview: { label: string; picked?: boolean; detail?: string }[] = [];
    ui.on('pickMany', /Import MCP Servers from .*\.mcp\.json into User settings/, (ask) => {
      preview = ask.items!.map((i) => ({ label: i.label, picked: i.picked, detail: i.detail }));
      return ask.items!.filter((i) => !/same|bad/.test(i.label));
    });
    ui.on('confirm', /Replace 1 existing server in User settings/, REPLACE);
    ui.on('confirm', /2 values look like secrets/, STORE_SECRETS);
    await vscode.commands.executeCommand('mcpManager.importServers');

    assert.deepEqual(
      preview.map((p) => [p.label, !!p.picked]),
      [
        ['imp', true],
        ['remote', true],
        ['$(warning) existing', false],
        ['$(check) same', false],
        ['$(error) bad', false],
      ],
    );
    assert.match(preview[0]!.detail!, /secret-looking values: env\.API_KEY · ignored keys: autoApprove/);
    assert.match(preview[4]!.detail!, /cannot be imported: command: must not be empty/);
    const written = section().inspect<Record<string, Record<string, unknown>>>('servers')!.globalValue!;
    assert.deepEqual(Object.keys(written).sort(), ['existing', 'imp', 'remote', 'same']);
    assert.deepEqual(written.imp, { command: NODE, args: [FIXTURE(), MARKER], env: { API_KEY: '${input:imp-API_KEY}', MODE: 'x' } });
    assert.deepEqual(written.remote, {
      type: 'http',
      url: 'http://127.0.0.1:9/mcp',
      headers: { Authorization: 'Bearer ${input:remote-Authorization}' },
      requestTimeoutMs: 20000,
    });
    assert.deepEqual((written.existing as { args: string[] }).args.at(-1), '--new');
    const settingsText = JSON.stringify([section().inspect('servers'), section().inspect('inputs')]);
    assert.ok(!settingsText.includes('import-secret-123') && !settingsText.includes('bearer-secret-456'), settingsText);
    assert.deepEqual(
      section()
        .inspect<{ id: string; password: boolean }[]>('inputs')!
        .globalValue!.map((i) => [i.id, i.password]),
      [
        ['imp-API_KEY', true],
        ['remote-Authorization', true],
      ],
    );
    assert.ok(
      ui.asked.some(
        (a) =>
          a.kind === 'notify' &&
          /Imported 3 MCP servers into User settings: imp, remote, existing\. 2 secret values were stored/.test(a.text),
      ),
    );

    // The stored value is used without a question (user scope: no consent either).
    await api._test.reloadConfig();
    assert.equal(await envOf('imp', 'API_KEY'), 'import-secret-123');
    assert.equal(ui.count('input', /./), 0);
  });

  it('Import Servers from a chosen file into workspace settings: conflicts can be skipped', async () => {
    const api = await getApi();
    const file = path.join(folderPath(), 'claude_desktop_config.json');
    extraFiles.push(file);
    fs.writeFileSync(
      file,
      JSON.stringify({
        globalShortcut: 'x',
        mcpServers: { keep: { command: 'node', args: ['old.js'] }, fresh: { url: 'https://example.com/sse' } },
      }),
    );
    await section().update('servers', { keep: { command: 'node', args: ['mine.js'] } }, vscode.ConfigurationTarget.Workspace);
    ui.on('pick', /^Import MCP Servers/, /Choose a file/);
    ui.on('openFile', /Import/, file);
    ui.on('pick', /where should they be saved/, 'Workspace settings');
    ui.on('pickMany', /into Workspace settings/, [/keep/, /fresh/]);
    ui.on('confirm', /Replace 1 existing server/, 'Skip Them');
    await vscode.commands.executeCommand('mcpManager.importServers');
    const written = section().inspect<Record<string, unknown>>('servers')!.workspaceValue!;
    assert.deepEqual(written, { keep: { command: 'node', args: ['mine.js'] }, fresh: { url: 'https://example.com/sse', type: 'sse' } });
    await waitForConfig('the imported server', (r) => r.get('fresh')?.definition.type === 'sse');
    assert.equal(api._test.registry.get('fresh')!.definition.source?.kind, 'workspace');
  });

  it('Add Server writes a validated entry to the chosen scope and offers to start it', async () => {
    const api = await getApi();
    ui.on('pick', /Add MCP Server: how does it run/, 'Command (stdio)');
    ui.on('input', /Add MCP Server \(2\/7\): command/, `"${NODE}" "${FIXTURE()}" ${MARKER}`);
    ui.on('input', /\(3\/7\): environment/, '');
    ui.on('input', /\(4\/7\): working directory/, '');
    ui.on('input', /\(5\/7\): env file/, '');
    ui.on('input', /Add MCP Server \(6\/7\): name/, 'added');
    ui.on('pick', /Add MCP Server \(7\/7\)/, 'Workspace settings');
    ui.on('notify', /"added" was added to Workspace settings/, 'Start');
    await vscode.commands.executeCommand('mcpManager.addServer');
    assert.deepEqual(section().inspect('servers')!.workspaceValue, { added: { command: NODE, args: [FIXTURE(), MARKER] } });
    assert.equal(api._test.registry.get('added')!.state.kind, 'running');
    assert.equal(childProcesses().length, 1);
    // The user just wrote it: starting it asks no confirmation.
    assert.equal(ui.count('confirm', /./), 0);

    // The npm shortcut, saved to user settings; not started.
    ui.on('pick', /Add MCP Server: how does it run/, 'npm package (stdio)');
    ui.on('input', /npm package/, '@modelcontextprotocol/server-everything');
    ui.on('input', /Arguments for the package/, 'stdio');
    ui.on('input', /environment|working directory|env file/, '', 3);
    ui.on('input', /Add MCP Server \(6\/7\): name/, 'everything');
    ui.on('pick', /Add MCP Server \(7\/7\)/, 'User settings');
    await vscode.commands.executeCommand('mcpManager.addServer');
    assert.deepEqual(section().inspect('servers')!.globalValue, {
      everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything', 'stdio'] },
    });
    assert.equal(api._test.registry.get('everything')!.state.kind, 'idle');
  });
});
