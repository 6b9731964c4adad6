// When the server asks, in the real extension host: the v2 fixture's ask_* tools in both eras.
// Roots come from the workspace folder; a form question opens the Call Tool form in "asks" mode
// (its page is driven through the panel: the webview's DOM is the e2e test's part); a URL
// question asks before opening; sampling goes to a language model through the review dialogs.
// The language model is a small one of the test's own, handed to the extension's model source
// (registering a chat provider needs a manifest contribution the extension does not ship).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { OpenForm } from '../../src/vscode/toolCall/argumentForm';
import {
  NODE,
  MARKER,
  childProcesses,
  extensionPath,
  fixture,
  getApi,
  rememberServers,
  resultText,
  setServers,
  waitFor,
} from './helpers/mcpm';
import { ScriptedPrompter } from './helpers/scriptedPrompter';

const call = (serverName: string, toolName: string, args: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<CallToolResult | undefined>('mcpManager.callTool', { serverName, toolName, args });

function testModel(reply: string, seen: vscode.LanguageModelChatMessage[][]): vscode.LanguageModelChat {
  return {
    id: 'mcpm-test-model',
    name: 'Test Model',
    vendor: 'mcpm-test',
    family: 'test',
    version: '1',
    maxInputTokens: 1000,
    countTokens: async () => 1,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      seen.push(messages);
      // As VS Code's response: the text parts in `stream` (and the plain text in `text`).
      return {
        text: (async function* () {
          yield reply.slice(0, 3);
          yield reply.slice(3);
        })(),
        stream: (async function* () {
          yield new vscode.LanguageModelTextPart(reply.slice(0, 3));
          yield new vscode.LanguageModelTextPart(reply.slice(3));
        })(),
      };
    },
  } as unknown as vscode.LanguageModelChat;
}

describe('when the server asks (roots, elicitation, sampling)', function () {
  let saved: ReturnType<typeof rememberServers>;
  let prompter: ScriptedPrompter;
  let restorePrompter: () => void;
  const forms: OpenForm[] = [];
  let hooks: Awaited<ReturnType<typeof getApi>>['_test'];
  let originalOpenForm: typeof hooks.ask.openForm;
  /** vscode.lm's models (the tests below swap in their own): the test extension's Echo Model. */
  let editorModels: typeof hooks.ask.models;

  before(async () => {
    hooks = (await getApi())._test;
    saved = rememberServers();
    const era = (e: string) => ({ command: NODE, args: [fixture('eras', 'modern.mjs'), '--era', e, MARKER] });
    const everything = path.join(extensionPath(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    await setServers({
      modern: era('modern'),
      legacy: era('legacy'),
      denied: { ...era('modern'), sampling: 'deny' },
      // Task rows are remembered per workspace under their server's name: keep them off the names other suites use.
      'modern-tasks': era('modern'),
      'legacy-tasks': era('legacy'),
      everything: { command: NODE, args: [everything, 'stdio', MARKER] },
    });
    originalOpenForm = hooks.ask.openForm;
    editorModels = hooks.ask.models;
    hooks.ask.openForm = (req) => originalOpenForm({ ...req, ask: req.ask && { ...req.ask, onOpen: (f) => forms.push(f) } });
  });
  beforeEach(() => {
    prompter = new ScriptedPrompter();
    restorePrompter = hooks.prompter.use(prompter);
    forms.length = 0;
  });
  afterEach(async () => {
    restorePrompter();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    hooks.ask.openForm = originalOpenForm;
    await saved.restore();
    await waitFor('all fixture processes to exit', () => childProcesses().length === 0);
  });

  for (const server of ['modern', 'legacy']) {
    describe(`${server} era`, () => {
      it('roots: the workspace folder', async () => {
        const got = JSON.parse(resultText((await call(server, 'ask_roots'))!)) as { roots: { uri: string }[] };
        const folder = vscode.workspace.workspaceFolders![0]!.uri.toString();
        assert.deepEqual(
          got.roots.map((r) => r.uri.replace(/\/$/, '')),
          [folder.replace(/\/$/, '')],
        );
      });

      it('a form question opens the form naming the server, defaults filled; Accept sends the answer', async () => {
        const pending = call(server, 'ask_form');
        const form = await waitFor('the question form', () => forms[0]);
        assert.equal(form.panel.title, `${server} asks`);
        assert.equal(form.panel.viewType, 'mcpManager.elicitation');
        assert.match(form.panel.webview.html, /Tell us about you/);
        assert.match(form.panel.webview.html, /<button type="button" id="mcp-decline"/);
        // The titled choice shows its titles.
        assert.match(form.panel.webview.html, /"optionLabels":\["Small","Large"\]/);
        // An invalid email is refused by the form, then a valid answer goes through.
        form.receive({ type: 'submit', mode: 'json', json: JSON.stringify({ name: 'Ada', email: 'nope' }) });
        assert.equal(forms.length, 1);
        form.receive({ type: 'submit', mode: 'json', json: JSON.stringify({ name: 'Ada', email: 'ada@example.com', age: 40, size: 'l' }) });
        const result = JSON.parse(resultText((await pending)!)) as { action: string; content: Record<string, unknown> };
        assert.equal(result.action, 'accept');
        // Fields left out get the schema's defaults (the client declares applyDefaults).
        assert.deepEqual(result.content, { name: 'Ada', email: 'ada@example.com', age: 40, size: 'l', subscribe: true, tags: ['a'] });
      });

      it('a task that asks while it runs (input_required) opens the same form; the answer completes it', async () => {
        const pending = call(`${server}-tasks`, 'task_ask', { pollMs: 20 });
        const form = await waitFor('the question form of the task', () => forms[0]);
        assert.equal(form.panel.title, `${server}-tasks asks`);
        assert.match(form.panel.webview.html, /Which colour should the task use\?/);
        form.receive({ type: 'submit', mode: 'json', json: JSON.stringify({ colour: 'teal' }) });
        assert.equal(resultText((await pending)!), 'task_ask answered: accept {"colour":"teal"}');
        assert.equal(forms.length, 1, 'asked once');
      });

      it('Decline and closing the form (Cancel) reach the tool', async () => {
        const declined = call(server, 'ask_form');
        (await waitFor('the form', () => forms[0])).receive({ type: 'decline' });
        assert.deepEqual(JSON.parse(resultText((await declined)!)), { action: 'decline', content: null });
        const cancelled = call(server, 'ask_form');
        (await waitFor('the second form', () => forms[1])).panel.dispose();
        assert.deepEqual(JSON.parse(resultText((await cancelled)!)), { action: 'cancel', content: null });
      });

      it('URL mode: names the server and the domain, opens only after the user agrees', async () => {
        const opened: string[] = [];
        const original = hooks.ask.openExternal;
        hooks.ask.openExternal = async (uri) => (opened.push(uri.toString(true)), true);
        try {
          prompter.on('confirm', /asks you to open a page on example\.com/, 'Decline');
          assert.deepEqual(JSON.parse(resultText((await call(server, 'ask_url'))!)), { action: 'decline' });
          assert.deepEqual(opened, []);
          prompter.on('confirm', /asks you to open a page on example\.com/, 'Open example.com');
          assert.deepEqual(JSON.parse(resultText((await call(server, 'ask_url'))!)), { action: 'accept' });
          assert.deepEqual(opened, ['https://example.com/consent?x=1']);
          assert.match(prompter.asked[0]!.text, new RegExp(`^${server} asks you to open`));
          assert.match(prompter.asked[0]!.detail!, /Please agree to the terms\n\nhttps:\/\/example\.com\/consent\?x=1/);
        } finally {
          hooks.ask.openExternal = original;
        }
      });

      it('sampling: the request and the answer are shown for review, then the answer reaches the tool', async () => {
        const seen: vscode.LanguageModelChatMessage[][] = [];
        hooks.ask.models = async () => [testModel('Hello there', seen)];
        prompter.on('confirm', /asks a language model for a completion/, 'Send to Test Model');
        prompter.on('confirm', /Send Test Model's answer back/, 'Send Answer');
        const got = JSON.parse(resultText((await call(server, 'ask_sample', { prompt: 'Say hi' }))!)) as Record<string, string>;
        assert.deepEqual(got, { model: 'mcpm-test-model', role: 'assistant', text: 'Hello there' });
        assert.match(prompter.asked[0]!.detail!, /Max tokens: 50\n\n\[system\]\nBe brief\.\n\n\[user\]\nSay hi/);
        assert.equal(prompter.asked[1]!.detail, 'Hello there');
        assert.equal(seen.length, 1);
      });

      it('sampling refused, or no model: the server gets an error and the user a reason', async () => {
        hooks.ask.models = async () => [testModel('x', [])];
        prompter.on('confirm', /asks a language model/, undefined);
        const refused = await call(server, 'ask_sample', { prompt: 'x' });
        assert.ok(!refused || refused.isError, 'refusing does not produce a normal answer');
        hooks.ask.models = async () => [];
        await call(server, 'ask_sample', { prompt: 'x' });
        assert.ok(prompter.count('error', /asked a language model for a completion \(sampling\), but no language model is available/) >= 1);
      });
    });
  }

  it("server-everything's trigger-elicitation-request-async: the question runs as a client task, in the same form", async function () {
    this.timeout(60_000);
    // server-everything adds its capability-dependent tools after the handshake (list_changed).
    const api = await getApi();
    await waitFor('the async elicitation tool', async () =>
      (await api.listTools('everything')).some((t) => t.name === 'trigger-elicitation-request-async'),
    );
    const pending = call('everything', 'trigger-elicitation-request-async');
    const form = await waitFor('the question form of the client task', () => forms[0]);
    assert.equal(form.panel.title, 'everything asks');
    assert.match(form.panel.webview.html, /async task demo/);
    form.receive({ type: 'submit', mode: 'json', json: JSON.stringify({ name: 'Ada', favoriteColor: 'Blue' }) });
    const result = (await pending)!;
    assert.match(resultText(result), /\[COMPLETED\] User provided the requested information!/);
    assert.match(JSON.stringify(result.content), /- Name: Ada/);
  });

  it("sampling through vscode.lm: another extension's model answers, after review", async function () {
    if (typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider !== 'function') this.skip();
    hooks.ask.models = editorModels;
    const models = await waitFor('the test extension’s model', async () => (await vscode.lm.selectChatModels({ vendor: 'mcpm-test' }))[0]);
    assert.equal(models.name, 'Echo Model');
    prompter.on('confirm', /asks a language model for a completion/, 'Send to Echo Model');
    prompter.on('confirm', /Send Echo Model's answer back/, 'Send Answer');
    const got = JSON.parse(resultText((await call('modern', 'ask_sample', { prompt: 'Say hi' }))!)) as Record<string, string>;
    assert.equal(got.text, 'echo: Say hi');
    assert.equal(got.role, 'assistant');
    assert.match(prompter.asked[0]!.detail!, /^Model: Echo Model \(mcpm-test\)/);
  });

  for (const server of ['modern', 'legacy'])
    it(`sampling with a tool (${server} era): the model's tool call goes to the server, and its result back to the model`, async function () {
      if (typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider !== 'function')
        this.skip();
      hooks.ask.models = editorModels;
      prompter.on('confirm', /asks a language model for a completion/, 'Send to Echo Model', 2);
      prompter.on('confirm', /Send Echo Model's answer back/, 'Send Answer', 2);
      const got = JSON.parse(resultText((await call(server, 'ask_sample_tools', { prompt: 'Say hi' }))!)) as unknown;
      assert.deepEqual(got, { rounds: 2, calls: [{ name: 'lookup', input: { text: 'Say hi' } }], text: 'tool said: definition of Say hi' });
      // The review shows the tools offered and, the first time, the call the model wants made.
      assert.match(prompter.asked[0]!.detail!, /\[tools the model may call\]\nlookup/);
      assert.equal(prompter.asked[1]!.detail, '[calls the tool lookup with {"text":"Say hi"}]');
      assert.match(prompter.asked[2]!.detail!, /\[tool result\]\ndefinition of Say hi/);
      assert.equal(prompter.asked[3]!.detail, 'tool said: definition of Say hi');
    });

  it('"sampling": "deny" offers no sampling: the server is never given a model', async () => {
    const seen: vscode.LanguageModelChatMessage[][] = [];
    hooks.ask.models = async () => [testModel('x', seen)];
    await call('denied', 'ask_sample', { prompt: 'x' });
    assert.equal(seen.length, 0);
    assert.equal(prompter.count('confirm', /language model/), 0);
  });
});
