// Resources and prompts in the Servers tree, "MCP: Read Resource..." and "MCP: Get Prompt...", in
// the real extension host against the fixture server. The fixture writes `request <method>` to
// stderr for every request it gets (FIXTURE_LOG_REQUESTS), which lands in the server's log file:
// that is how these tests see what was (and was not) asked of the server. Questions are answered
// by the ScriptedPrompter; everything behind them (processes, documents, editors) is real.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { FolderNode, MessageNode, PromptNode, ResourceNode, ServerNode, TemplateNode, TreeNode } from '../../src/ui/tree/nodes';
import type { ServerTreeProvider } from '../../src/vscode/tree/serverTree';
import { logText, scriptedUi } from './helpers/configHelpers';
import { childProcesses, extensionPath, fixtureServer, getApi, rememberServers, setServers, waitFor } from './helpers/mcpm';
import type { ScriptedPrompter } from './helpers/scriptedPrompter';

const SERVER = 'rs';
const iconId = (item: vscode.TreeItem) => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined);
const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const tooltip = (tree: ServerTreeProvider, node: TreeNode) =>
  (tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value;

/** The methods the server was asked for, in order, from its log (every line, across tests). */
async function requests(server = SERVER): Promise<string[]> {
  return [...(await logText(`MCP: ${server}`)).matchAll(/\[stderr\] request (\S+)/g)].map((m) => m[1]!);
}

/**
 * Requests made since `baseline` (a count from requests()), once the log has caught up: a ping
 * goes last, and its line in the log means every earlier request is there too.
 */
async function requestsSince(baseline: number, server = SERVER): Promise<string[]> {
  const api = await getApi();
  await api._test.registry.get(server)!.ping();
  const all = await waitFor('the ping in the log', async () => {
    const r = await requests(server);
    return r.slice(baseline).includes('ping') ? r : undefined;
  });
  return all.slice(baseline).filter((m) => m !== 'ping');
}

function editorOf(scheme: string): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e?.document.uri.scheme === scheme ? e : undefined;
}

function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
}

describe('resources and prompts (tree, Read Resource, Get Prompt)', function () {
  let tree: ServerTreeProvider;
  let saved: ReturnType<typeof rememberServers>;
  let ui: ScriptedPrompter;
  let done: () => void;

  const server = (name = SERVER) => {
    const node = tree.getChildren().find((n): n is ServerNode => n.kind === 'server' && n.serverName === name);
    assert.ok(node, `no node for server ${name}`);
    return node;
  };
  /** Children once no loading row is left. */
  const settled = (node: TreeNode) =>
    waitFor(`children of ${node.id} to settle`, () => {
      const c = tree.getChildren(node);
      return c.some((n) => n.kind === 'message' && n.role === 'connecting') ? undefined : c;
    });
  const folder = async (kind: 'resources' | 'prompts', name = SERVER) => {
    const children = await settled(server(name));
    const node = children.find((n): n is FolderNode => n.kind === 'folder' && n.folder === kind);
    assert.ok(node, `no ${kind} folder under ${name}: ${children.map((c) => c.id).join(', ')}`);
    return node;
  };
  const click = <T>(node: TreeNode) => {
    const command = tree.getTreeItem(node).command;
    assert.ok(command, `${node.id} has no command`);
    return vscode.commands.executeCommand<T>(command.command, ...(command.arguments ?? []));
  };

  before(async () => {
    tree = (await getApi())._test.tree;
    saved = rememberServers();
  });

  beforeEach(async () => {
    ({ ui, done } = await scriptedUi());
    await setServers({
      [SERVER]: fixtureServer({ env: { FIXTURE_LOG_REQUESTS: '1' } }),
      toolsOnly: fixtureServer({ env: { FIXTURE_TOOLS_ONLY: '1' } }),
    });
  });

  afterEach(async () => {
    done();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  it('shows Resources and Prompts folders before the tools of a server that declares them, and lists nothing until expanded', async () => {
    const baseline = (await requests()).length;
    const children = await settled(server());
    assert.deepEqual(
      children.slice(0, 2).map((n) => n.id),
      [`resources:${SERVER}`, `prompts:${SERVER}`],
    );
    const tools = children.slice(2);
    assert.equal(tools.length, 13);
    assert.ok(tools.every((n) => n.kind === 'tool'));
    const [resources, prompts] = children as FolderNode[];
    const item = tree.getTreeItem(resources!);
    assert.equal(label(item), 'Resources');
    assert.equal(item.id, `resources:${SERVER}`);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(item.contextValue, 'mcpFolder;resources;');
    assert.equal(item.description, undefined, 'a count before anything was listed');
    assert.equal(label(tree.getTreeItem(prompts!)), 'Prompts');
    assert.equal(tree.getTreeItem(prompts!).contextValue, 'mcpFolder;prompts;');
    assert.equal(tree.getParent(resources!), server());
    // The server description still counts tools only.
    assert.equal(tree.getTreeItem(server()).description, 'stdio · 13 tools');

    // A server declaring only tools looks as before: its tools and nothing else.
    const plain = await settled(server('toolsOnly'));
    assert.equal(plain.length, 13);
    assert.ok(
      plain.every((n) => n.kind === 'tool'),
      plain.map((n) => n.id).join(', '),
    );

    // Starting and showing the server asked for its tools, never for resources or prompts.
    const asked = await requestsSince(baseline);
    assert.deepEqual(asked, ['initialize', 'tools/list']);
  });

  it('expanding a folder lists it lazily, with a loading row, then its items with stable ids', async () => {
    const resources = await folder('resources');
    const baseline = (await requests()).length;
    const first = tree.getChildren(resources) as MessageNode[];
    assert.equal(first.length, 1);
    assert.equal(first[0]!.id, `resources:${SERVER}/connecting`);
    assert.equal(label(tree.getTreeItem(first[0]!)), 'Loading resources…');
    assert.equal(iconId(tree.getTreeItem(first[0]!)), 'loading~spin');
    tree.getChildren(resources); // asked again while listing: still one listing

    const items = await settled(resources);
    assert.deepEqual(
      items.map((n) => n.id),
      [
        `resource:${SERVER}/fixture://readme`,
        `resource:${SERVER}/fixture://data.json`,
        `resource:${SERVER}/fixture://bundle`,
        `resource:${SERVER}/fixture://broken`,
        `template:${SERVER}/fixture://item/{id}`,
      ],
    );
    assert.equal(tree.getTreeItem(resources).description, '4 resources · 1 template');
    const readme = items[0] as ResourceNode;
    const readmeItem = tree.getTreeItem(readme);
    assert.equal(label(readmeItem), 'Readme');
    assert.equal(readmeItem.description, 'fixture://readme');
    assert.equal(readmeItem.contextValue, 'mcpResource;');
    assert.equal(iconId(readmeItem), 'file');
    assert.equal(readmeItem.command?.command, 'mcpManager.readResource');
    assert.equal(readmeItem.command?.arguments?.[0], readme);
    const readmeTip = tooltip(tree, readme);
    for (const part of ['**Readme** `readme`', 'A static text resource.', 'URI: `fixture://readme`', 'MIME type: text/plain'])
      assert.ok(readmeTip.replace(/&nbsp;/g, ' ').includes(part), readmeTip);
    assert.equal(label(tree.getTreeItem(items[1]!)), 'data'); // no title: the name
    assert.equal(iconId(tree.getTreeItem(items[1]!)), 'json');
    assert.match(tooltip(tree, items[1]!), /Size: 40 B/);
    const template = items[4] as TemplateNode;
    const templateItem = tree.getTreeItem(template);
    assert.equal(label(templateItem), 'Item');
    assert.equal(templateItem.description, 'fixture://item/{id}');
    assert.equal(iconId(templateItem), 'symbol-parameter');
    assert.equal(templateItem.contextValue, 'mcpResourceTemplate;');
    assert.match(tooltip(tree, template), /Variables: `id`/);
    assert.equal(tree.getParent(readme), resources);

    const prompts = await folder('prompts');
    assert.equal(label(tree.getTreeItem(tree.getChildren(prompts)[0]!)), 'Loading prompts…');
    const promptNodes = (await settled(prompts)) as PromptNode[];
    assert.deepEqual(
      promptNodes.map((n) => n.id),
      [`prompt:${SERVER}/greet`, `prompt:${SERVER}/review`],
    );
    assert.equal(tree.getTreeItem(prompts).description, '2 prompts');
    const review = tree.getTreeItem(promptNodes[1]!);
    assert.equal(label(review), 'Review');
    assert.equal(review.description, 'Asks for a review of a topic.');
    assert.equal(review.contextValue, 'mcpPrompt;');
    assert.equal(review.command?.command, 'mcpManager.getPrompt');
    const reviewTip = tooltip(tree, promptNodes[1]!);
    assert.match(reviewTip, /`topic` \*\*\(required\)\*\* — What to review/);
    assert.match(reviewTip, /`tone` \(optional\) — How to say it/);

    // Listed once each; the same node objects on the next ask (expansion survives refreshes).
    assert.deepEqual(await requestsSince(baseline), ['resources/list', 'resources/templates/list', 'prompts/list']);
    assert.equal(tree.getChildren(resources)[0], readme);
    assert.equal(await folder('resources'), resources);

    // MCP: Refresh lists expanded folders again.
    const beforeRefresh = (await requests()).length;
    await vscode.commands.executeCommand('mcpManager.refresh');
    await settled(resources);
    assert.ok((await requestsSince(beforeRefresh)).includes('resources/list'));
  });

  it('a folder whose listing fails shows the error with Show Logs and Restart', async () => {
    await setServers({ [SERVER]: fixtureServer({ env: { FIXTURE_FAIL_LISTS: '1' } }) });
    const rows = (await settled(await folder('resources'))) as MessageNode[];
    assert.deepEqual(
      rows.map((r) => r.role),
      ['error', 'showLogs', 'restart'],
    );
    const error = tree.getTreeItem(rows[0]!);
    assert.match(label(error), /^Could not list resources: .*resources\/list failed on purpose/);
    assert.equal(error.contextValue, 'mcpError;server;');
    assert.equal(iconId(error), 'error');
    assert.equal(tree.getTreeItem(rows[1]!).command?.command, 'mcpManager.showServerLogs');
    assert.equal(tree.getTreeItem(rows[2]!).command?.command, 'mcpManager.restartServer');
    assert.equal(tree.getParent(rows[0]!)?.id, `resources:${SERVER}`);
  });

  it('clicking a resource opens its text read-only, in the language of its MIME type; reopening reads nothing', async () => {
    const items = (await settled(await folder('resources'))) as ResourceNode[];
    const result = await click<ReadResourceResult>(items[0]!);
    assert.ok(result, JSON.stringify(ui.asked));
    assert.equal((result.contents[0] as { text?: string }).text, 'Fixture server readme.');
    const editor = await waitFor('the resource editor', () => editorOf('mcpm-resource'));
    assert.equal(editor.document.getText(), 'Fixture server readme.');
    assert.equal(editor.document.uri.path, `/Readme (${SERVER}).txt`);
    assert.equal(editor.document.languageId, 'plaintext');
    const edited = await Promise.resolve(editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'))).catch(() => false);
    assert.equal(editor.document.getText(), 'Fixture server readme.', `edit() returned ${edited} and changed the text`);
    assert.equal(editor.document.isDirty, false);

    await click(items[1]!);
    const json = await waitFor(
      'the JSON resource',
      () => editorOf('mcpm-resource')?.document.uri.path.endsWith('.json') && editorOf('mcpm-resource'),
    );
    assert.equal(json.document.languageId, 'json');
    assert.equal(json.document.getText(), JSON.stringify({ name: 'fixture', items: [1, 2, 3] }, null, 2));
    assert.equal(json.document.uri.path, `/data (${SERVER}).json`);

    // Reopening a document the extension already read asks the server nothing.
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const baseline = (await requests()).length;
    const again = await vscode.workspace.openTextDocument(uri);
    assert.equal(again.getText(), 'Fixture server readme.');
    assert.deepEqual(await requestsSince(baseline), []);
  });

  it('shows every content of a multi-part resource: text in fences, the image in the media panel, binary as a note', async () => {
    const items = (await settled(await folder('resources'))) as ResourceNode[];
    const result = await click<ReadResourceResult>(items.find((n) => n.uri === 'fixture://bundle')!);
    assert.equal(result?.contents.length, 3);
    const editor = await waitFor('the bundle document', () => editorOf('mcpm-resource'));
    assert.equal(editor.document.languageId, 'markdown');
    assert.equal(editor.document.uri.path, `/Bundle (${SERVER}).md`);
    const text = editor.document.getText();
    assert.match(text, /^# Bundle\n/);
    assert.match(
      text,
      /## 1\. `fixture:\/\/bundle\/notes\.md`\n\ntext\/markdown · 25 B\n\n```markdown\n# Notes\n\nSome \*Markdown\*\.\n```/,
    );
    assert.match(text, /## 2\. `fixture:\/\/bundle\/pixel\.png`\n\nimage\/png · 70 B · image, shown in the media panel/);
    assert.match(text, /## 3\. `fixture:\/\/bundle\/data\.bin`\n\napplication\/octet-stream · 6 B · binary data, not shown as text/);
    await waitFor('the media panel', () => webviewTabs('mcpManager.browseMedia').length === 1);
  });

  it('"MCP: Read Resource..." from the palette: the server that offers resources, then a resource', async () => {
    // toolsOnly has run and declares no resources, so rs is the only server to ask about: no server question.
    await settled(server('toolsOnly'));
    await settled(server());
    ui.on('pick', new RegExp(`^MCP: Read Resource \\(${SERVER}\\)`), 'Readme');
    const result = await vscode.commands.executeCommand<ReadResourceResult>('mcpManager.readResource');
    assert.equal((result?.contents[0] as { text?: string }).text, 'Fixture server readme.');
    assert.equal(ui.count('pick', /Server/), 0);
    const picked = ui.asked.find((a) => a.kind === 'pick' && /\(rs\)/.test(a.text))!;
    assert.deepEqual(
      picked.items?.map((i) => i.label),
      ['Readme', 'data', 'Bundle', 'Broken', 'Templates: you enter their variables', '$(symbol-parameter) Item'],
    );
    assert.equal((await waitFor('the editor', () => editorOf('mcpm-resource'))).document.getText(), 'Fixture server readme.');
    assert.deepEqual(ui.unexpected, []);
  });

  it('a template asks for each variable, expands the URI with the SDK and reads it', async () => {
    const items = await settled(await folder('resources'));
    ui.on('input', /\{id\} in fixture:\/\/item\/\{id\}/, 'a b/42');
    const result = await click<ReadResourceResult>(items.find((n) => n.kind === 'template')!);
    // Expanded by the SDK's UriTemplate: the value is percent-encoded (and the fixture echoes it as sent).
    assert.equal(result?.contents[0]?.uri, 'fixture://item/a%20b%2F42');
    const asked = ui.asked.find((a) => a.kind === 'input')!;
    assert.match(asked.text, /^MCP: Read Item \(rs\) \| \{id\} in fixture:\/\/item\/\{id\} \| An item by id\.$/);
    const editor = await waitFor('the item document', () => editorOf('mcpm-resource'));
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), { id: 'a%20b%2F42' });
    assert.equal(editor.document.uri.path, `/Item a b_42 (${SERVER}).json`);

    // From the palette with the values given: no questions.
    const again = await vscode.commands.executeCommand<ReadResourceResult>('mcpManager.readResource', {
      serverName: SERVER,
      uriTemplate: 'fixture://item/{id}',
      values: { id: '7' },
    });
    assert.equal(again?.contents[0]?.uri, 'fixture://item/7');
    assert.equal(ui.asked.filter((a) => a.kind === 'input').length, 1);
  });

  it('Escape at a template variable or a prompt argument reads and sends nothing', async () => {
    const items = await settled(await folder('resources'));
    const prompts = (await settled(await folder('prompts'))) as PromptNode[];
    const baseline = (await requests()).length;
    ui.on('input', /\{id\}/, undefined);
    assert.equal(await click(items.find((n) => n.kind === 'template')!), undefined);
    ui.on('input', /topic \(required\)/, 'the tree');
    ui.on('input', /tone \(optional/, undefined);
    assert.equal(await click(prompts.find((p) => p.promptName === 'review')!), undefined);
    assert.equal(ui.asked.filter((a) => a.kind === 'input').length, 3);
    assert.deepEqual(await requestsSince(baseline), []);
    assert.equal(vscode.window.activeTextEditor, undefined);

    // Escape at the server pick starts nothing either (servers never started: both may offer prompts).
    await setServers({});
    await waitFor('no fixture processes', () => childProcesses().length === 0);
    await setServers({ one: fixtureServer(), two: fixtureServer() });
    ui.on('pick', /^MCP: Get Prompt \| Server/, undefined);
    assert.equal(await vscode.commands.executeCommand('mcpManager.getPrompt'), undefined);
    assert.equal(ui.count('pick', /Server/), 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(childProcesses(), []);
  });

  it('a prompt with arguments: asks for them (optional ones skippable) and renders its messages as Markdown', async () => {
    const prompts = (await settled(await folder('prompts'))) as PromptNode[];
    ui.on('input', /topic \(required\) — What to review/, 'the tree');
    ui.on('input', /tone \(optional: leave empty to skip\) — How to say it/, '');
    const result = await click<GetPromptResult>(prompts.find((p) => p.promptName === 'review')!);
    assert.equal(result?.messages.length, 4);
    const editor = await waitFor('the prompt document', () => editorOf('mcpm-prompt'));
    assert.equal(editor.document.languageId, 'markdown');
    assert.equal(editor.document.uri.path, `/Review (${SERVER}).md`);
    const text = editor.document.getText();
    assert.match(text, /^# Review\n\nPrompt `review` from server `rs` · 4 messages\n/);
    assert.match(text, /Arguments:\n\n- `topic`: `the tree`\n/);
    assert.ok(!text.includes('`tone`'), 'a skipped optional argument was sent');
    assert.match(text, /> Review of the tree\n/);
    assert.match(text, /## 1\. User\n\nPlease review the tree\.\n/);
    assert.match(text, /## 2\. Assistant\n\nSure\. Here is the readme:\n/);
    assert.match(
      text,
      /## 3\. User\n\n_Embedded resource_ `fixture:\/\/readme` \(text\/plain, 22 B\):\n\n```\nFixture server readme\.\n```/,
    );
    assert.match(text, /## 4\. User\n\n_Image \(image\/png, 70 B\), shown in the media panel/);
    const edited = await Promise.resolve(editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'))).catch(() => false);
    assert.ok(!editor.document.getText().startsWith('x'), `edit() returned ${edited}`);

    // "MCP: Get Prompt..." from the palette: server, prompt, argument.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ui.on('pick', /^MCP: Get Prompt \| Server/, SERVER);
    ui.on('pick', /^MCP: Get Prompt \(rs\)/, 'Greet');
    ui.on('input', /name \(required\) — Who to greet/, 'Ada');
    const greet = await vscode.commands.executeCommand<GetPromptResult>('mcpManager.getPrompt');
    assert.deepEqual(greet?.messages[0]?.content, { type: 'text', text: 'Hello, Ada!' });
    const greetDoc = await waitFor('the greet document', () => editorOf('mcpm-prompt'));
    assert.match(greetDoc.document.getText(), /## 1\. User\n\nHello, Ada!\n/);
    assert.deepEqual(ui.unexpected, []);
  });

  it('a failing read says which server and resource, with Show Logs, and logs it', async () => {
    const items = (await settled(await folder('resources'))) as ResourceNode[];
    ui.on('error', /Could not read resource/, 'Show Logs');
    assert.equal(await click(items.find((n) => n.uri === 'fixture://broken')!), undefined);
    const shown = ui.asked.find((a) => a.kind === 'error');
    assert.ok(shown, JSON.stringify(ui.asked));
    assert.equal(
      shown.text,
      `Could not read resource "fixture://broken" from MCP server "${SERVER}": the disk is on fire (MCP error -32603)`,
    );
    assert.deepEqual(shown.actions, ['Show Logs']);
    assert.equal(editorOf('mcpm-resource'), undefined);
    await waitFor('the failure in the log', async () =>
      (await logText(`MCP: ${SERVER}`)).includes('could not read resource "fixture://broken"'),
    );
  });

  it('registers its commands, and the manifest shows them on the right tree items and in the palette', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['mcpManager.readResource', 'mcpManager.getPrompt', 'mcpManager.copyResourceUri']) assert.ok(registered.has(id), id);
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8')) as {
      contributes: {
        commands: { command: string; title: string; category?: string; icon?: string }[];
        menus: Record<string, { command: string; when?: string; group?: string }[]>;
      };
    };
    const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
    assert.deepEqual(contributed.get('mcpManager.readResource'), {
      command: 'mcpManager.readResource',
      title: 'Read Resource...',
      shortTitle: 'Read',
      category: 'MCP Manager',
      icon: '$(go-to-file)',
    });
    assert.deepEqual(contributed.get('mcpManager.getPrompt'), {
      command: 'mcpManager.getPrompt',
      title: 'Get Prompt...',
      category: 'MCP Manager',
      icon: '$(comment-discussion)',
    });
    /** The context values a command's view/item/context entries match (their `viewItem =~ /.../` regexes). */
    const shownOn = (command: string, values: string[], group?: RegExp) =>
      values.filter((v) =>
        manifest.contributes.menus['view/item/context']!.some((m) => {
          const re = /viewItem =~ \/(.*)\/$/.exec(m.when ?? '')?.[1];
          return m.command === command && re !== undefined && new RegExp(re).test(v) && (!group || group.test(m.group ?? ''));
        }),
      );
    const values = [
      'mcpResource;',
      'mcpResourceTemplate;',
      'mcpPrompt;',
      'mcpFolder;resources;',
      'mcpFolder;prompts;',
      'mcpTool;readOnly;',
      'mcpServer;running;stdio;',
    ];
    assert.deepEqual(shownOn('mcpManager.readResource', values, /^inline/), ['mcpResource;', 'mcpResourceTemplate;']);
    assert.deepEqual(shownOn('mcpManager.readResource', values), ['mcpResource;', 'mcpResourceTemplate;', 'mcpFolder;resources;']);
    assert.deepEqual(shownOn('mcpManager.getPrompt', values), ['mcpPrompt;', 'mcpFolder;prompts;']);
    assert.deepEqual(shownOn('mcpManager.copyResourceUri', values), ['mcpResource;', 'mcpResourceTemplate;']);
    // In the palette: Read Resource and Get Prompt; Copy Resource URI needs a tree item.
    const hidden = manifest.contributes.menus.commandPalette!.filter((m) => m.when === 'false').map((m) => m.command);
    assert.ok(hidden.includes('mcpManager.copyResourceUri'));
    assert.ok(!hidden.includes('mcpManager.readResource') && !hidden.includes('mcpManager.getPrompt'));
    // The tree items carry exactly those context values.
    const items = (await settled(await folder('resources'))).map((n) => tree.getTreeItem(n).contextValue);
    assert.deepEqual([...new Set(items)], ['mcpResource;', 'mcpResourceTemplate;']);
  });

  it('an expanded folder lists again when the server says its list changed', async () => {
    await setServers({ [SERVER]: fixtureServer({ env: { FIXTURE_LATE_RESOURCE_MS: '300' } }) });
    const resources = await folder('resources');
    const first = await settled(resources);
    assert.equal(first.length, 5);
    // The fixture registers fixture://late 300 ms after that list and notifies resources/list_changed.
    const ids = await waitFor('the late resource in the folder', () => {
      const c = tree.getChildren(resources);
      return c.some((n) => n.kind === 'resource' && n.resource.uri === 'fixture://late') ? c.map((n) => n.id) : undefined;
    });
    assert.equal(ids.length, 6);
    assert.match(await logText(`MCP: ${SERVER}`), /resource list changed/);
  });

  it('a restart forgets the lists: an expanded folder lists again from the new session', async () => {
    const resources = await folder('resources');
    await settled(resources);
    await vscode.commands.executeCommand('mcpManager.restartServer', server());
    const first = tree.getChildren(resources) as MessageNode[];
    assert.equal(first[0]?.role, 'connecting');
    assert.equal((await settled(resources)).length, 5);
  });
});
