// The pure half of core/ask: elicitation form fields (defaults, checks, typed answers), the
// sampling transcript, capabilities and the config keys roots / sampling / samplingModels.
import * as assert from 'node:assert/strict';
import { UrlCompletions } from '../../src/core/ask/urlCompletions';
import {
  askCapabilities,
  checkContent,
  defaultContent,
  elicitFields,
  fieldHint,
  parseServer,
  parseTyped,
  rootsOf,
  samplingTranscript,
  type AskHost,
} from '../../src/core';
import { definition } from './helpers';

const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Your name', minLength: 2 },
    email: { type: 'string', format: 'email' },
    when: { type: 'string', format: 'date' },
    age: { type: 'integer', minimum: 0, maximum: 150, default: 30 },
    ratio: { type: 'number', maximum: 1 },
    ok: { type: 'boolean', default: true },
    color: { type: 'string', enum: ['red', 'green'] },
    size: {
      type: 'string',
      oneOf: [
        { const: 's', title: 'Small' },
        { const: 'l', title: 'Large' },
      ],
      default: 's',
    },
    legacy: { type: 'string', enum: ['x', 'y'], enumNames: ['Ex', 'Why'] },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, maxItems: 2, default: ['a'] },
    titled: { type: 'array', items: { anyOf: [{ const: 'p', title: 'Pear' }] } },
    nested: { type: 'object' },
  },
  required: ['name', 'email'],
};

describe('core/ask', () => {
  describe('elicitation fields', () => {
    const fields = elicitFields(SCHEMA);
    const byName = (n: string) => fields.find((f) => f.name === n)!;

    it('reads every field kind the spec allows, and leaves others out', () => {
      assert.deepEqual(
        fields.map((f) => [f.name, f.kind]),
        [
          ['name', 'string'],
          ['email', 'string'],
          ['when', 'string'],
          ['age', 'integer'],
          ['ratio', 'number'],
          ['ok', 'boolean'],
          ['color', 'select'],
          ['size', 'select'],
          ['legacy', 'select'],
          ['tags', 'multiselect'],
          ['titled', 'multiselect'],
        ],
      );
      assert.equal(byName('name').label, 'Your name');
      assert.deepEqual(byName('size').options, [
        { value: 's', label: 'Small' },
        { value: 'l', label: 'Large' },
      ]);
      assert.deepEqual(byName('legacy').options?.[1], { value: 'y', label: 'Why' });
      assert.deepEqual(byName('titled').options, [{ value: 'p', label: 'Pear' }]);
    });

    it('starts from the schema defaults', () => {
      assert.deepEqual(defaultContent(fields), { age: 30, ok: true, size: 's', tags: ['a'] });
    });

    it('checks a whole answer field by field', () => {
      const errors = checkContent(fields, {
        name: 'A',
        email: 'nope',
        when: '2026-13-45',
        age: 200,
        ratio: 2,
        color: 'blue',
        tags: ['a', 'b', 'c'],
        extra: 1,
      });
      assert.deepEqual(Object.keys(errors).sort(), ['age', 'color', 'email', 'extra', 'name', 'ratio', 'tags', 'when']);
      assert.match(errors.name!, /at least 2 characters/);
      assert.match(errors.email!, /email address/);
      assert.match(errors.age!, /at most 150/);
      assert.match(errors.tags!, /at most 2/);
      assert.deepEqual(checkContent(fields, { name: 'Ada', email: 'ada@example.com', age: 3, tags: ['b'] }), {});
      assert.match(checkContent(fields, {}).name!, /required/);
    });

    it('parses typed answers: defaults on empty, choices by value, title or number', () => {
      assert.deepEqual(parseTyped(byName('age'), ''), { value: 30 });
      assert.deepEqual(parseTyped(byName('age'), '41'), { value: 41 });
      assert.match(parseTyped(byName('age'), '4.5').error!, /whole number/);
      assert.match(parseTyped(byName('name'), '').error!, /required/);
      assert.deepEqual(parseTyped(byName('ok'), 'no'), { value: false });
      assert.deepEqual(parseTyped(byName('size'), 'Large'), { value: 'l' });
      assert.deepEqual(parseTyped(byName('size'), '1'), { value: 's' });
      assert.deepEqual(parseTyped(byName('tags'), 'b, 3'), { value: ['b', 'c'] });
      assert.match(parseTyped(byName('color'), 'blue').error!, /choose one of 1\) red, 2\) green/);
      assert.equal(fieldHint(byName('age')), '(integer; 0 to 150; default 30)');
      assert.equal(fieldHint(byName('size')), '(1) Small [s], 2) Large [l]; default s)');
    });
  });

  it('renders a sampling request as a transcript', () => {
    const text = samplingTranscript({
      systemPrompt: 'Be brief.',
      maxTokens: 10,
      messages: [
        { role: 'user', content: { type: 'text', text: 'Hi' } },
        { role: 'assistant', content: { type: 'image', mimeType: 'image/png', data: 'AAAA' } },
      ],
    });
    assert.equal(text, '[system]\nBe brief.\n\n[user]\nHi\n\n[assistant]\n[image image/png, 3 bytes]\n');
  });

  it('renders the tools of a sampling request, the model’s calls and their results', () => {
    const text = samplingTranscript({
      maxTokens: 10,
      tools: [{ name: 'lookup', inputSchema: { type: 'object' } }],
      toolChoice: { mode: 'required' },
      messages: [
        { role: 'user', content: { type: 'text', text: 'Define hi' } },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'lookup', input: { text: 'hi' } }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'a greeting' }] }] },
      ],
    });
    assert.equal(
      text,
      '[tools the model may call, one at least]\nlookup\n\n[user]\nDefine hi\n\n[assistant]\n[calls the tool lookup with {"text":"hi"}]\n\n[user]\n[tool result]\na greeting\n',
    );
  });

  it('declares sampling with tools only for a host that passes them to its model', () => {
    const sample = async () => ({ role: 'assistant' as const, model: 'm', content: { type: 'text' as const, text: '' } });
    const def = definition('s', { command: 'x' });
    assert.deepEqual(askCapabilities(def, { sample }).sampling, {});
    assert.deepEqual(askCapabilities(def, { sample, samplingTools: true }).sampling, { tools: {} });
  });

  it('declares what the host can answer, per server', () => {
    const full: AskHost = {
      defaultRoots: () => [],
      elicit: async () => ({ action: 'decline' }),
      sample: async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } }),
    };
    const def = definition('s', { command: 'x' });
    assert.deepEqual(askCapabilities(def, full), {
      roots: { listChanged: true },
      elicitation: { form: { applyDefaults: true }, url: {} },
      sampling: {},
    });
    assert.deepEqual(askCapabilities(definition('s', { command: 'x', sampling: 'deny' }), full).sampling, undefined);
    assert.deepEqual(askCapabilities(def, undefined), {});
    assert.deepEqual(askCapabilities(definition('s', { command: 'x', roots: [] }), undefined), { roots: { listChanged: true } });
    assert.deepEqual(rootsOf(['/a/b', '/a/b', '/c']), [
      { uri: 'file:///a/b', name: 'b' },
      { uri: 'file:///c', name: 'c' },
    ]);
  });

  it('config: roots resolve against the workspace folder; sampling is validated', () => {
    const r = parseServer(
      's',
      { command: 'x', roots: ['${workspaceFolder}/src', 'docs', '/abs'], samplingModels: ['gpt-4o'] },
      { context: { workspaceFolder: '/ws' } },
    );
    assert.ok('definition' in r);
    assert.deepEqual(r.definition.roots, ['/ws/src', '/ws/docs', '/abs']);
    assert.equal(r.definition.sampling, 'ask');
    assert.deepEqual(r.definition.samplingModels, ['gpt-4o']);
    const bad = parseServer('s', { url: 'http://127.0.0.1:1/mcp', type: 'http', sampling: 'maybe', roots: ['rel'] });
    assert.ok('issues' in bad);
    assert.deepEqual(
      bad.issues.map((i) => [i.field, i.message]),
      [['sampling', 'must be "ask", "allow" or "deny"']],
    );
    const rel = parseServer('s', { command: 'x', roots: ['rel'] });
    assert.ok('issues' in rel && rel.issues[0]?.field === 'roots.0' && /needs a workspace folder/.test(rel.issues[0].message));
  });
});

describe('URL elicitation completions (-32042 retries wait for them)', () => {
  it('resolves a wait when the server says the elicitation is complete, before or after the wait begins', async () => {
    const c = new UrlCompletions();
    c.complete('early');
    await c.wait('early');
    const later = c.wait('later');
    let done = false;
    void later.then(() => (done = true));
    await Promise.resolve();
    assert.equal(done, false, 'not before the server says so');
    c.complete('later');
    await later;
    // Each completion is used once: a second wait for the same id waits again.
    const again = c.wait('early');
    c.complete('early');
    await again;
  });

  it('rejects with the signal’s reason when the wait is given up', async () => {
    const c = new UrlCompletions();
    const controller = new AbortController();
    const waiting = c.wait('x', controller.signal);
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(waiting, /cancelled by the user/);
    // Nothing is left waiting: a completion now is kept for the next wait.
    c.complete('x');
    await c.wait('x');
  });
});
