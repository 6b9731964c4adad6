// When the server asks (core/ask): roots, elicitation and sampling answered by a host, through
// ServerConnection, against real servers: our SDK v2 fixture in both eras (2026-07-28
// `input_required` results and 2025 server-to-client requests, over stdio and HTTP) and
// server-everything, whose capability-dependent tools appear only when the client declares them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ServerConnection,
  ServerError,
  defaultContent,
  elicitFields,
  type AskHost,
  type ElicitRequest,
  type SamplingRequest,
} from '../../src/core';
import { ERAS, EVERYTHING_SERVER, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf, waitFor } from '../unit/helpers';

/** A host that answers from a script and records what it was asked. */
function scriptedHost(answers: Partial<AskHost> = {}, roots: string[] = ['/tmp']) {
  const asked: { elicit: ElicitRequest[]; sample: SamplingRequest[]; eras: string[] } = { elicit: [], sample: [], eras: [] };
  const host: AskHost = {
    defaultRoots: () => roots,
    elicit: async (req, ctx) => {
      asked.elicit.push(req);
      asked.eras.push(ctx.era);
      return answers.elicit ? answers.elicit(req, ctx) : { action: 'decline' };
    },
    sample: async (req, ctx) => {
      asked.sample.push(req);
      asked.eras.push(ctx.era);
      if (answers.sample) return answers.sample(req, ctx);
      return {
        role: 'assistant',
        model: 'test-model',
        content: { type: 'text', text: `reply to ${JSON.stringify(req.messages[0]?.content)}` },
      };
    },
  };
  return { host, asked };
}

describe('when the server asks: roots, elicitation, sampling', function () {
  this.timeout(60_000);
  const open: ServerConnection[] = [];
  const servers: StartedServer[] = [];
  const connect = (entry: Record<string, unknown>, host: AskHost | undefined) => {
    const logger = recordingLogger();
    const c = new ServerConnection(definition('asker', entry), {
      timing: { ...fastTiming, stdioProbeTimeoutMs: 10_000 },
      logger,
      ask: host,
    });
    open.push(c);
    return Object.assign(c, { logged: logger.lines });
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  const FORM_ANSWER = { name: 'Ada', email: 'ada@example.com', age: 36, subscribe: false, color: 'green', size: 'l', tags: ['b', 'c'] };

  const transports: [string, (era: string) => Promise<Record<string, unknown>>][] = [
    ['stdio', async (era) => ({ command: NODE, args: [ERAS.modern, '--era', era] })],
    [
      'HTTP',
      async (era) => {
        const s = await startHttpFixture(['--http', '--era', era], { script: ERAS.modern });
        servers.push(s);
        return { type: 'http', url: s.url };
      },
    ],
  ];
  for (const [transport, entryFor] of transports) {
    for (const [era, wire] of [
      ['modern', 'modern'],
      ['legacy', 'legacy'],
    ] as const) {
      describe(`the v2 fixture, ${era} era, ${transport}`, () => {
        it('answers a form with every field type; the answer reaches the tool', async () => {
          const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept', content: FORM_ANSWER }) });
          const c = connect(await entryFor(era), host);
          const result = JSON.parse(textOf(await c.callTool('ask_form', {}))) as { action: string; content: unknown };
          assert.deepEqual(result, { action: 'accept', content: FORM_ANSWER });
          assert.equal(asked.elicit.length, 1);
          const req = asked.elicit[0]!;
          assert.equal(req.message, 'Tell us about you');
          assert.ok(req.mode !== 'url' && Object.keys(req.requestedSchema.properties).length === 7);
          assert.deepEqual(asked.eras, [wire], 'the question came the way its era sends it');
        });

        it('passes decline and cancel on', async () => {
          for (const action of ['decline', 'cancel'] as const) {
            const { host } = scriptedHost({ elicit: async () => ({ action }) });
            const c = connect(await entryFor(era), host);
            assert.deepEqual(JSON.parse(textOf(await c.callTool('ask_form', {}))), { action, content: null });
          }
        });

        it('URL mode: the host sees the URL and its answer reaches the tool', async () => {
          const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept' }) });
          const c = connect(await entryFor(era), host);
          assert.deepEqual(JSON.parse(textOf(await c.callTool('ask_url', {}))), { action: 'accept' });
          const req = asked.elicit[0]!;
          assert.equal(req.mode, 'url');
          assert.equal(req.mode === 'url' && req.url, 'https://example.com/consent?x=1');
        });

        it('a tool that needs a visit first: the host is asked about the URL, and the call then succeeds', async () => {
          // 2025 era: the server refuses with -32042 and says when the visit is complete; 2026-07-28: input_required.
          const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept' }) });
          const c = connect(await entryFor(era), host);
          assert.equal(textOf(await c.callTool('url_required', {})), 'signed up');
          assert.equal(asked.elicit.length, 1);
          const req = asked.elicit[0]!;
          assert.equal(req.mode === 'url' && req.url, 'https://example.com/signup');
          assert.equal(req.message, 'Please sign up first');
          if (era === 'legacy')
            assert.ok(
              c.logged.some((l) => /asks for 1 URL visit\(s\) first \(-32042\)/.test(l)),
              c.logged.join('\n'),
            );
        });

        it('a visit the user declines: the call fails saying which site and why', async () => {
          const { host } = scriptedHost({ elicit: async () => ({ action: 'decline' }) });
          const c = connect(await entryFor(era), host);
          if (era === 'modern') {
            assert.equal(textOf(await c.callTool('url_required', {})), 'not signed up (decline)');
            return;
          }
          await assert.rejects(c.callTool('url_required', {}), (e: Error) => {
            assert.match(e.message, /^asker: tools\/call "url_required" needs you to visit a page on example\.com first; you declined$/);
            return true;
          });
        });

        it('sampling: the host gets the system prompt and messages; its reply reaches the tool', async () => {
          const { host, asked } = scriptedHost();
          const c = connect(await entryFor(era), host);
          const result = JSON.parse(textOf(await c.callTool('ask_sample', { prompt: 'Say hi' }))) as Record<string, string>;
          assert.deepEqual(result, { model: 'test-model', role: 'assistant', text: 'reply to {"type":"text","text":"Say hi"}' });
          assert.equal(asked.sample[0]?.systemPrompt, 'Be brief.');
          assert.equal(asked.sample[0]?.maxTokens, 50);
        });

        it('sampling refused by the host: the call fails with the host’s words, naming the server', async () => {
          const { host } = scriptedHost({
            sample: async () => {
              throw new Error('no language model is available');
            },
          });
          const c = connect(await entryFor(era), host);
          const result = await c.callTool('ask_sample', { prompt: 'x' }).then(
            (r) => textOf(r),
            (e: unknown) => e,
          );
          // 2025: the server gets the error and reports it in its result; 2026: the call fails here.
          const text = result instanceof Error ? result.message : String(result);
          assert.match(text, /no language model is available/);
          if (result instanceof ServerError) assert.equal(result.server, 'asker');
        });

        it('roots: the workspace folders by default, the entry’s roots when set', async () => {
          const { host } = scriptedHost({}, [os.tmpdir()]);
          const c = connect(await entryFor(era), host);
          const got = JSON.parse(textOf(await c.callTool('ask_roots', {}))) as { roots: { uri: string; name: string }[] };
          assert.deepEqual(got.roots, [{ uri: pathToFileURL(os.tmpdir()).href, name: path.basename(os.tmpdir()) }]);
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roots-'));
          const own = connect({ ...(await entryFor(era)), roots: [dir] }, host);
          const mine = JSON.parse(textOf(await own.callTool('ask_roots', {}))) as { roots: { uri: string }[] };
          assert.deepEqual(
            mine.roots.map((r) => r.uri),
            [pathToFileURL(dir).href],
          );
        });

        it('two rounds: answers go to their own round and requestState comes back unchanged', async () => {
          let n = 0;
          const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept', content: { value: `answer${++n}` } }) });
          const c = connect(await entryFor(era), host);
          const got = JSON.parse(textOf(await c.callTool('ask_twice', {}))) as {
            first: string;
            second: string;
            states: (string | null)[];
            leakedFirst: boolean;
          };
          assert.equal(got.first, 'answer1');
          assert.equal(got.second, 'answer2');
          assert.equal(got.leakedFirst, false, 'the first answer is not sent again with the second');
          assert.equal(got.states[0], null, 'no requestState is sent when the server gave none');
          assert.equal(got.states[1], `round2:${JSON.stringify({ first: 'answer1', states: [null] })}`, 'echoed byte for byte');
          assert.deepEqual(
            asked.elicit.map((r) => r.message),
            ['First?', 'Second?'],
          );
          // A later, unrelated call starts from scratch.
          const again = JSON.parse(textOf(await c.callTool('ask_twice', {}))) as { first: string; states: (string | null)[] };
          assert.equal(again.first, 'answer3');
          assert.equal(again.states[0], null);
        });

        it('a server that asks without end is stopped after a bounded number of rounds', async () => {
          const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept', content: { value: 'x' } }) });
          const c = connect(await entryFor(era), host);
          const outcome = await c.callTool('ask_forever', {}).then(
            (r) => ({ text: textOf(r), isError: r.isError }),
            (e: unknown) => e,
          );
          if (era === 'modern') {
            assert.ok(outcome instanceof ServerError, `expected a ServerError, got ${JSON.stringify(outcome)}`);
            assert.match(outcome.message, /asker: tools\/call "ask_forever" was stopped: the server still asked for input after 10 rounds/);
            assert.equal(asked.elicit.length, 10);
          } else {
            // 2025: the server's own shim bounds its rounds and reports an error result.
            assert.equal((outcome as { isError?: boolean }).isError, true);
          }
        });
      });
    }
  }

  describe('capabilities', () => {
    it('without a host nothing is declared: a server that asks gets an error, the call a clear one', async () => {
      const c = connect({ command: NODE, args: [ERAS.modern, '--era', 'modern'] }, undefined);
      await assert.rejects(c.callTool('ask_form', {}), (e: unknown) => e instanceof ServerError && /asker: /.test(e.message));
    });

    it('"sampling": "deny" offers no sampling to that server', async () => {
      const { host, asked } = scriptedHost();
      const c = connect({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'], sampling: 'deny' }, host);
      const names = (await c.listTools()).map((t) => t.name);
      assert.ok(!names.includes('trigger-sampling-request'));
      assert.ok(names.includes('trigger-elicitation-request'));
      assert.equal(asked.sample.length, 0);
    });

    it('"roots": [] offers roots, none of them', async () => {
      const { host } = scriptedHost({}, ['/somewhere']);
      const c = connect({ command: NODE, args: [ERAS.modern, '--era', 'legacy'], roots: [] }, host);
      assert.deepEqual(JSON.parse(textOf(await c.callTool('ask_roots', {}))), { roots: [] });
    });
  });

  describe('server-everything', () => {
    const everything = (host: AskHost) => connect({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }, host);

    it('lists its capability-dependent tools once they are declared', async () => {
      const without = connect({ command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }, undefined);
      const before = (await without.listTools()).map((t) => t.name);
      const c = everything(scriptedHost().host);
      const names = (await c.listTools()).map((t) => t.name);
      for (const tool of ['get-roots-list', 'trigger-elicitation-request', 'trigger-url-elicitation', 'trigger-sampling-request'])
        assert.ok(names.includes(tool) && !before.includes(tool), `${tool} appears only with the capabilities`);
    });

    it('get-roots-list shows our roots', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everything-roots-'));
      const c = everything(scriptedHost({}, [dir]).host);
      await waitFor(async () => (await c.listTools()).some((t) => t.name === 'get-roots-list'));
      const text = textOf(await c.callTool('get-roots-list', {}));
      assert.ok(text.includes(pathToFileURL(dir).href), text);
    });

    it('trigger-elicitation-request: an accepted form reaches the tool', async () => {
      const { host, asked } = scriptedHost({
        elicit: async (req) => {
          assert.ok(req.mode !== 'url');
          // Fill what the form asks for, from its own schema: a real form would show these fields.
          const fields = elicitFields(req.requestedSchema);
          const content: Record<string, unknown> = { ...defaultContent(fields) };
          for (const f of fields)
            if (content[f.name] === undefined && f.required)
              content[f.name] =
                f.kind === 'string'
                  ? f.format === 'email'
                    ? 'a@b.co'
                    : 'Ada'
                  : f.kind === 'boolean'
                    ? true
                    : f.kind === 'select'
                      ? f.options![0]!.value
                      : 1;
          return { action: 'accept', content: content as Record<string, string> };
        },
      });
      const c = everything(host);
      const text = textOf(await c.callTool('trigger-elicitation-request', {}));
      assert.equal(asked.elicit.length, 1);
      assert.match(text, /accept/i);
    });

    it('trigger-url-elicitation: the host sees the URL and its id; accept reaches the tool', async () => {
      const { host, asked } = scriptedHost({ elicit: async () => ({ action: 'accept' }) });
      const c = everything(host);
      const text = textOf(await c.callTool('trigger-url-elicitation', { url: 'https://example.com/login' }));
      const req = asked.elicit[0]!;
      assert.ok(req.mode === 'url' && req.url === 'https://example.com/login' && typeof req.elicitationId === 'string');
      assert.match(text, /completed the URL elicitation/);
    });

    it('trigger-sampling-request: the reply reaches the tool', async () => {
      const { host } = scriptedHost({
        sample: async () => ({ role: 'assistant', model: 'scripted', content: { type: 'text', text: 'forty-two' } }),
      });
      const c = everything(host);
      const text = textOf(await c.callTool('trigger-sampling-request', { prompt: 'What is the answer?' }));
      assert.match(text, /forty-two/);
    });

    it('trigger-elicitation-request-async: the question runs as a client task the server polls', async () => {
      let seen: ElicitRequest | undefined;
      const { host } = scriptedHost({
        elicit: async (req) => ((seen = req), { action: 'accept', content: { name: 'Ada', favoriteColor: 'Blue', agreeToTerms: true } }),
      });
      const c = everything(host);
      await waitFor(async () => (await c.listTools()).some((t) => t.name === 'trigger-elicitation-request-async'));
      const text = textOf(await c.callTool('trigger-elicitation-request-async', {}));
      assert.match(text, /\[COMPLETED\] User provided the requested information!/);
      assert.match(text, /- Name: Ada/);
      assert.match(text, /Task created: mcpm-client-task-1/);
      assert.match(seen?.message ?? '', /async task demo/);
      assert.ok(c.logged.some((l) => /the server asks for elicitation\/create as a task: client task mcpm-client-task-1/.test(l)));
      assert.ok(c.logged.some((l) => /client task mcpm-client-task-1 \(elicitation\/create\) completed/.test(l)));
    });

    it('trigger-sampling-request-async: the completion runs as a client task', async () => {
      const { host } = scriptedHost({
        sample: async () => ({ role: 'assistant', model: 'scripted', content: { type: 'text', text: 'forty-two, later' } }),
      });
      const c = everything(host);
      await waitFor(async () => (await c.listTools()).some((t) => t.name === 'trigger-sampling-request-async'));
      const text = textOf(await c.callTool('trigger-sampling-request-async', { prompt: 'What is the answer?' }));
      assert.match(text, /forty-two, later/);
    });

    it('tells the server when the default roots change (roots/list_changed), and it asks again', async () => {
      let roots = [os.tmpdir()];
      const host: AskHost = { ...scriptedHost().host, defaultRoots: () => roots };
      const c = everything(host);
      await c.listTools();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changed-roots-'));
      roots = [dir];
      await c.notifyRootsChanged();
      await waitFor(async () => textOf(await c.callTool('get-roots-list', {})).includes(pathToFileURL(dir).href));
      assert.ok(c.logged.some((l) => /roots changed/.test(l)));
    });
  });
});
