// Browse Registry and Update in the real extension host, against the test registry
// (test/fixtures/registry/server.mjs) on 127.0.0.1: search, details, install into .vscode/mcp.json
// and user settings with the secret in secret storage, the server idle in the tree, deprecated
// entries not offered, an unreachable registry, and the Update action with what it changes.
// The search-as-you-type QuickPick cannot be typed into from here: the test's stand-in calls the
// same search function the real pick calls on each pause in typing.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { quickPickLiveSearch, type LivePick, type LivePickOptions } from '../../src/vscode/registry/livePick';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { mcpJsonPath, rememberSettings, removeMcpJson, scriptedUi, section } from './helpers/configHelpers';
import { childProcesses, fixture, getApi, NODE, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

async function startRegistry(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(NODE, [fixture('registry', 'server.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`test registry exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, proc };
}

type Item = vscode.QuickPickItem & { entry?: { server: { name: string } } };

describe('MCP registry: Browse Registry, install, update', function () {
  let registry: { url: string; proc: ChildProcess };
  let saved: ReturnType<typeof rememberSettings>;
  let ui: ScriptedPrompter;
  let done: () => void;
  let searches: string[];
  let lastItems: Item[];

  /** A stand-in for the live QuickPick: "types" `text`, then accepts the item named `pick`. */
  function typing(text: string, pick: string | undefined): LivePick {
    return (async <T extends vscode.QuickPickItem>(options: LivePickOptions<T>) => {
      searches.push(text);
      const { items } = await options.search(text, new AbortController().signal);
      lastItems = items as unknown as Item[];
      return pick === undefined ? undefined : items.find((i) => i.label === pick);
    }) as LivePick;
  }

  before(async () => {
    registry = await startRegistry();
    saved = rememberSettings(['servers', 'inputs', 'registries']);
  });
  after(() => {
    registry.proc.kill();
  });
  beforeEach(async () => {
    ({ ui, done } = await scriptedUi());
    searches = [];
    lastItems = [];
    await section().update('registries', [registry.url], vscode.ConfigurationTarget.Global);
  });
  afterEach(async function () {
    done();
    const api = await getApi();
    api._test.registryBrowser.livePick = quickPickLiveSearch;
    removeMcpJson();
    await saved.restore();
    await api._test.inputs.clear();
    await api._test.reloadConfig();
    await waitFor('no server processes', () => childProcesses().length === 0);
    if (this.currentTest?.state === 'passed') assert.deepEqual(ui.unexpected, [], 'questions nobody expected');
  });

  const findServer = (name: string) => {
    const walk = (nodes: TreeNode[]): TreeNode | undefined => {
      for (const n of nodes) {
        if (n.kind === 'server' && n.serverName === name) return n;
        if (n.kind === 'group') {
          const inner = walk(tree().getChildren(n));
          if (inner) return inner;
        }
      }
      return undefined;
    };
    return walk(tree().getChildren());
  };
  let treeRef: Awaited<ReturnType<typeof getApi>>['_test']['tree'] | undefined;
  const tree = () => treeRef!;

  it('finds a server by a word and installs it into .vscode/mcp.json: secret in secret storage, server idle in the tree', async () => {
    const api = await getApi();
    treeRef = api._test.tree;
    api._test.registryBrowser.livePick = typing('remote-secret', 'com.example/remote-secret');
    ui.on('pick', /remote-secret 2\.0\.0 \(remote\)/, /^Install: remote \(Streamable HTTP\)/)
      .on('input', /: name/, 'remote-secret')
      .on('pick', /: where/, '.vscode/mcp.json')
      .on('input', /URL variable \{tenant\}: Your tenant/, 'acme')
      .on('input', /variable \{token\}: API token \(secret/, 'tok-123')
      .on('pick', /header X-Region: Service region/, 'eu-west-1')
      .on('notify', /Installed "remote-secret"/, undefined);
    const installed = (await vscode.commands.executeCommand('mcpManager.browseRegistry')) as { name: string } | undefined;
    assert.equal(installed?.name, 'remote-secret');
    assert.deepEqual(searches, ['remote-secret']);
    assert.deepEqual(
      lastItems.map((i) => [i.label, i.description]),
      [['com.example/remote-secret', '2.0.0 · remote']],
    );
    const details = ui.asked.find((a) => a.kind === 'pick' && /remote-secret 2\.0\.0/.test(a.text))!;
    const labels = details.items!.map((i) => i.label);
    assert.ok(labels.includes('$(cloud-download) Install: remote (SSE) https://mcp.example.com/sse'), 'both remotes offered');
    assert.ok(
      labels.some((l) => /Values for remote \(Streamable HTTP\)/.test(l)),
      'required values shown before installing',
    );
    assert.equal(ui.asked.find((a) => a.kind === 'input' && /\{token\}/.test(a.text))!.password, true);

    const text = fs.readFileSync(mcpJsonPath(), 'utf8');
    assert.ok(!text.includes('tok-123'), 'the secret is not in the file');
    const written = JSON.parse(text) as { servers: Record<string, unknown>; inputs: { id: string; password: boolean }[] };
    assert.deepEqual(written.servers['remote-secret'], {
      type: 'http',
      url: 'https://acme.mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${input:remote-secret.token}', 'X-Region': 'eu-west-1' },
      registry: { url: registry.url, name: 'com.example/remote-secret', version: '2.0.0' },
    });
    assert.deepEqual(
      written.inputs.map((i) => [i.id, i.password]),
      [['remote-secret.token', true]],
    );
    assert.ok(
      api._test.inputs.stored().some((s) => s.id === 'remote-secret.token'),
      'the value is in secret storage',
    );

    const conn = await waitFor('the server in the registry', () => api._test.registry.get('remote-secret'));
    assert.equal(conn.state.kind, 'idle', 'installing starts nothing');
    const node = await waitFor('the server in the tree', () => findServer('remote-secret'));
    assert.match(String(tree().getTreeItem(node).contextValue), /^mcpServer;idle;http;oauth;$/);
  });

  it('installs a package into user settings with its required values; deprecated entries are not offered', async () => {
    const api = await getApi();
    treeRef = api._test.tree;
    api._test.registryBrowser.livePick = typing('com.example/de', 'com.example/deprecated-server');
    ui.on('pick', /deprecated-server 0\.9\.0/, undefined);
    assert.equal(await vscode.commands.executeCommand('mcpManager.browseRegistry'), undefined);
    assert.deepEqual(
      lastItems.map((i) => i.label),
      ['com.example/deprecated-server'],
      'deleted entries are not listed',
    );
    assert.match(String(lastItems[0]!.detail), /deprecated/);
    const details = ui.asked.at(-1)!;
    assert.match(details.text, /deprecated: not offered for install/);
    assert.ok(!details.items!.some((i) => /Install/.test(i.label)), 'no install row');

    api._test.registryBrowser.livePick = typing('dotnet', 'com.example/dotnet-tool');
    ui.on('pick', /dotnet-tool 0\.5\.0/, /^Install: nuget/)
      .on('input', /: name/, 'dotnet')
      .on('pick', /: where/, 'User settings')
      .on('input', /WEATHER_CHOICES/, 'sunny,rainy')
      .on('notify', /Installed "dotnet"/, undefined);
    await vscode.commands.executeCommand('mcpManager.browseRegistry');
    const servers =
      section().inspect<Record<string, { command: string; args: string[]; env: Record<string, string> }>>('servers')!.globalValue!;
    assert.deepEqual(
      [servers.dotnet!.command, servers.dotnet!.args, servers.dotnet!.env],
      ['dnx', ['Example.DotnetTool@0.5.0', '--yes', '--', 'mcp', 'start'], { WEATHER_CHOICES: 'sunny,rainy' }],
    );
    await waitFor('dotnet registered', () => api._test.registry.get('dotnet'));
  });

  it('an unreachable registry is reported with its URL', async () => {
    const api = await getApi();
    const dead = await startRegistry();
    dead.proc.kill();
    await new Promise((r) => dead.proc.once('exit', r));
    await section().update('registries', [dead.url], vscode.ConfigurationTarget.Global);
    await assert.rejects(
      api._test.registryBrowser.search('time'),
      new RegExp(`Could not reach the MCP registry ${dead.url.replace(/\./g, '\\.')}`),
    );
  });

  it('an installed server with a newer version: the tree says so, Update shows what changes and writes it', async () => {
    const api = await getApi();
    treeRef = api._test.tree;
    const old = {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-everything@1.0.0'],
      registry: { url: registry.url, name: 'io.github.modelcontextprotocol/server-everything', version: '1.0.0' },
    };
    await section().update('servers', { everything: old }, vscode.ConfigurationTarget.Global);
    await api._test.reloadConfig();
    await api._test.registryUpdates.check();
    assert.equal(api._test.registryUpdates.updateFor('everything')?.server.version, '2.0.0');
    const item = tree().getTreeItem(await waitFor('node', () => findServer('everything')));
    assert.match(String(item.description), /update 2\.0\.0 available/);
    assert.match(String(item.contextValue), /^mcpServer;idle;stdio;update;$/);

    ui.on('confirm', /Update "everything" from 1\.0\.0 to 2\.0\.0\?/, 'Update').on('notify', /Updated "everything" to 2\.0\.0/, undefined);
    await vscode.commands.executeCommand('mcpManager.updateServer', { serverName: 'everything' });
    const confirm = ui.asked.find((a) => a.kind === 'confirm')!;
    assert.match(
      String(confirm.detail),
      /args: -y @modelcontextprotocol\/server-everything@1\.0\.0 -> -y @modelcontextprotocol\/server-everything@2\.0\.0 stdio/,
    );
    const servers = section().inspect<Record<string, { args: string[]; registry: { version: string } }>>('servers')!.globalValue!;
    assert.deepEqual(servers.everything!.args, ['-y', '@modelcontextprotocol/server-everything@2.0.0', 'stdio']);
    assert.equal(servers.everything!.registry.version, '2.0.0');
    await waitFor(
      'the update note to go',
      async () => (await api._test.registryUpdates.check(), !api._test.registryUpdates.updateFor('everything')),
    );
  });
});
