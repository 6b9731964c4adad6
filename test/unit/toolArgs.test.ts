// Unit tests of the pure (vscode-free) half of the tool-call feature in src/vscode/toolCall:
// schema -> argument plan and form values (toolArgs), JSON Schema validation (validator), the cancellable
// call runner, the call history, the result layout and the webview HTML.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServerError } from '../../src/core/errors';
import { runToolCall, type ToolCaller } from '../../src/ui/toolCall/callRunner';
import { CallHistory, HISTORY_KEY, HISTORY_MAX, summarizeArgs, formatDuration, type MementoLike } from '../../src/ui/toolCall/history';
import { errorText, extensionFor } from '../../src/ui/toolCall/resultFormat';
import { argsToForm, defaultArgs, fieldAt, fieldPathLabel, formToArgs, issuesByField, namedIssues } from '../../src/ui/toolCall/formValues';
import { MAX_PROMPT_FIELDS, isSecretField, planArguments, type ArgumentPlan, type FieldSpec } from '../../src/ui/toolCall/toolArgs';
import {
  SKIP_LABEL,
  checkFieldText,
  fieldChoices,
  fieldPlaceholder,
  fieldPrompt,
  fieldTitle,
  initialText,
  validateFieldText,
} from '../../src/ui/toolCall/fieldText';
import { formatIssues, schemaProblem, validateValue } from '../../src/ui/toolCall/validator';
import { FORM_SCRIPT, renderFormHtml, renderMediaHtml, scriptJson, toWebFields, type FormState } from '../../src/ui/toolCall/webviewHtml';

// Input schemas exactly as test/fixtures/server.mjs lists them (zod -> JSON Schema draft-07).
const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const ECHO = {
  type: 'object',
  properties: { message: { type: 'string', description: 'Text to echo' } },
  required: ['message'],
  $schema: DRAFT7,
};
const SLEEP = {
  type: 'object',
  properties: { ms: { type: 'integer', minimum: 0, maximum: 9007199254740991 }, progress: { type: 'boolean' } },
  required: ['ms'],
  $schema: DRAFT7,
};
const FORM = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, description: 'A non-empty name' },
    count: { default: 3, description: 'How many (1-10)', type: 'integer', minimum: 1, maximum: 10 },
    mode: { type: 'string', enum: ['fast', 'slow'], description: 'Speed' },
    verbose: { default: false, type: 'boolean' },
    tags: { description: 'Free-form tags', type: 'array', items: { type: 'string' } },
    options: {
      description: 'Nested options',
      type: 'object',
      properties: { depth: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }, label: { type: 'string' } },
      required: ['depth', 'label'],
    },
  },
  required: ['name', 'mode'],
  $schema: DRAFT7,
};

function fieldsOf(plan: ArgumentPlan): readonly FieldSpec[] {
  assert.ok(plan.kind === 'prompts' || plan.kind === 'form', `expected fields, got ${plan.kind}`);
  return plan.fields;
}
function field(plan: ArgumentPlan, name: string): FieldSpec {
  const f = fieldsOf(plan).find((x) => x.name === name);
  assert.ok(f, `no field ${name}`);
  return f;
}

describe('toolCall: argument plan (schema -> prompts / form / JSON)', () => {
  it('uses a JSON editor for a schema the core had to repair', () => {
    const plan = planArguments({
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-mcp-manager-problem': 'inputSchema has no "type"',
    });
    assert.equal(plan.kind, 'json');
    assert.match((plan as { reason: string }).reason, /invalid \(inputSchema has no "type"\)/);
  });

  it('asks for a few simple fields one by one, with stable titles', () => {
    const plan = planArguments(ECHO);
    assert.equal(plan.kind, 'prompts');
    const message = field(plan, 'message');
    assert.equal(message.kind, 'string');
    assert.equal(message.required, true);
    assert.equal(fieldTitle('echo', message), 'echo: message (string, required)');
    assert.equal(fieldPrompt(message), 'Text to echo');

    const sleep = planArguments(SLEEP);
    assert.equal(sleep.kind, 'prompts');
    assert.equal(fieldTitle('sleep', field(sleep, 'ms')), 'sleep: ms (integer, required)');
    assert.equal(fieldTitle('sleep', field(sleep, 'progress')), 'sleep: progress (boolean, optional)');
    // zod's ±MAX_SAFE_INTEGER bounds are noise, not constraints worth showing.
    assert.deepEqual(field(sleep, 'ms').constraints, ['≥ 0']);
  });

  it('takes no arguments for empty or missing schemas', () => {
    assert.deepEqual(planArguments(undefined), { kind: 'none' });
    assert.deepEqual(planArguments({ type: 'object', properties: {} }), { kind: 'none' });
    assert.deepEqual(planArguments({ type: 'object' }), { kind: 'none' });
  });

  it('opens a form for nested objects, arrays of objects, $ref/oneOf fields and many fields', () => {
    const form = planArguments(FORM);
    assert.equal(form.kind, 'form');
    assert.ok(form.kind === 'form' && form.reasons.includes('nested object'));
    const options = field(form, 'options');
    assert.equal(options.control, 'group');
    assert.deepEqual(
      options.children?.map((c) => [c.key, c.kind, c.required]),
      [
        ['/options/depth', 'integer', true],
        ['/options/label', 'string', true],
      ],
    );
    assert.equal(field(form, 'tags').control, 'list'); // a real list in the form (the prompt chain reads JSON)
    assert.equal(field(form, 'tags').kind, 'json');
    assert.equal(field(form, 'tags').items?.control, 'text');
    assert.equal(field(form, 'mode').control, 'select');
    assert.equal(field(form, 'verbose').control, 'checkbox'); // has a default
    assert.deepEqual(field(form, 'count').constraints, ['1 to 10']);

    const arrayOfObjects = planArguments({
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } },
    });
    assert.equal(arrayOfObjects.kind, 'form');
    assert.ok(arrayOfObjects.kind === 'form' && arrayOfObjects.reasons.includes('array of objects'));

    const withRef = planArguments({
      type: 'object',
      properties: { p: { $ref: '#/$defs/P' } },
      $defs: { P: { type: 'string', enum: ['a', 'b'] } },
    });
    assert.equal(withRef.kind, 'form');
    assert.deepEqual(field(withRef, 'p').enumValues, ['a', 'b']); // resolved, so still a real control

    const oneOf = planArguments({ type: 'object', properties: { v: { oneOf: [{ type: 'string' }, { type: 'number' }] } } });
    assert.equal(oneOf.kind, 'form');
    assert.equal(field(oneOf, 'v').control, 'json');

    const props: Record<string, unknown> = {};
    for (let i = 0; i <= MAX_PROMPT_FIELDS; i++) props[`f${i}`] = { type: 'string' };
    const many = planArguments({ type: 'object', properties: props });
    assert.equal(many.kind, 'form');
    assert.ok(many.kind === 'form' && many.reasons[0] === `${MAX_PROMPT_FIELDS + 1} fields`);
    delete props.f0;
    assert.equal(planArguments({ type: 'object', properties: props }).kind, 'prompts');
  });

  it('keeps arrays of primitives and free-form maps in the prompt chain as JSON inputs', () => {
    const plan = planArguments({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        meta: { type: 'object', additionalProperties: { type: 'string' } },
      },
    });
    assert.equal(plan.kind, 'prompts');
    assert.equal(field(plan, 'tags').typeLabel, 'JSON array');
    assert.equal(field(plan, 'meta').typeLabel, 'JSON object');
    assert.match(fieldPlaceholder(field(plan, 'tags')), /JSON array/);
  });

  it("treats pydantic's Optional[X] (anyOf with null) as X", () => {
    const plan = planArguments({
      type: 'object',
      properties: { q: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Query' } },
    });
    assert.equal(plan.kind, 'prompts');
    assert.equal(field(plan, 'q').kind, 'string');
    assert.equal(field(plan, 'q').label, 'Query');
  });

  it('degrades odd and invalid schemas to the JSON editor, never throwing', () => {
    const cases: [unknown, RegExp][] = [
      ['not a schema', /not an object/],
      [{ $ref: '#/$defs/Missing' }, /cannot be resolved/],
      [{ type: 'array', items: { type: 'string' } }, /type is "array"/],
      [{ oneOf: [{ type: 'object' }, { type: 'object' }] }, /oneOf/],
      [{ type: 'object', properties: 'nope' }, /properties/],
      [{ type: 'object', required: ['a'] }, /required/],
      [{ type: 'object', additionalProperties: { type: 'number' } }, /free-form/],
    ];
    for (const [schema, reason] of cases) {
      const plan = planArguments(schema);
      assert.equal(plan.kind, 'json', JSON.stringify(schema));
      assert.ok(plan.kind === 'json' && reason.test(plan.reason), `${plan.kind === 'json' ? plan.reason : ''} !~ ${reason}`);
    }
    // Thousands of properties.
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) props[`p${i}`] = { type: 'string' };
    const big = planArguments({ type: 'object', properties: props });
    assert.ok(big.kind === 'json' && /more than 200 properties/.test(big.reason));
    // Very deep nesting.
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) deep = { type: 'object', properties: { x: deep } };
    const d = planArguments(deep);
    assert.ok(d.kind === 'json' && /nested more than/.test(d.reason));
    // A nullable root is still an object.
    assert.equal(planArguments({ type: ['object', 'null'], properties: { a: { type: 'number' } } }).kind, 'prompts');
    // A root $ref that resolves is followed.
    const viaRef = planArguments({ $ref: '#/$defs/Args', $defs: { Args: ECHO } });
    assert.equal(viaRef.kind, 'prompts');
  });

  it('copes with junk in field schemas (missing type, true, cycles through $ref)', () => {
    const plan = planArguments({
      type: 'object',
      properties: {
        any: {},
        yes: true,
        num: 5,
        loop: { $ref: '#/properties/loop' },
        mystery: { description: 'no type' },
        multi: { type: ['string', 'number'] },
      },
    });
    assert.equal(plan.kind, 'form'); // loop is a $ref (unresolvable cycle) -> form with JSON fields
    for (const n of ['any', 'yes', 'num', 'loop', 'mystery', 'multi']) assert.equal(field(plan, n).control, 'json', n);
    const random = [
      null,
      0,
      [],
      { properties: { a: null } },
      { type: 'object', properties: { a: { type: 'object', properties: null } } },
      { type: 'object', properties: { a: { enum: [] } } },
    ];
    for (const s of random) assert.doesNotThrow(() => planArguments(s));
  });

  it('nested objects beyond the group depth become JSON fields inside the form', () => {
    const plan = planArguments({
      type: 'object',
      properties: {
        a: {
          type: 'object',
          properties: { b: { type: 'object', properties: { c: { type: 'object', properties: { d: { type: 'string' } } } } } },
        },
      },
    });
    assert.equal(plan.kind, 'form');
    const b = field(plan, 'a').children?.[0];
    assert.equal(b?.control, 'group');
    assert.equal(b?.children?.[0].control, 'json');
  });
});

describe('toolCall: typed input (validated as you type)', () => {
  const form = planArguments(FORM);
  const sleep = planArguments(SLEEP);

  it('parses and checks numbers and integers with their bounds', () => {
    const count = field(form, 'count');
    assert.deepEqual(checkFieldText(count, '4'), { ok: true, value: 4 });
    assert.equal(validateFieldText(count, '1.5'), 'Must be an integer.');
    assert.match(validateFieldText(count, '11') ?? '', /<= 10/);
    assert.match(validateFieldText(count, '0') ?? '', />= 1/);
    assert.match(validateFieldText(count, 'abc') ?? '', /Not a number/);
    assert.equal(validateFieldText(count, ''), undefined, 'optional: empty skips');
    assert.deepEqual(checkFieldText(count, ' '), { ok: true, skip: true });
    assert.equal(validateFieldText(field(sleep, 'ms'), ''), 'A value is required.');
    assert.deepEqual(checkFieldText(field(sleep, 'ms'), '1e3'), { ok: true, value: 1000 });
    assert.match(validateFieldText(field(sleep, 'ms'), '-1') ?? '', />= 0/);
  });

  it('checks strings: required, minLength, pattern, format', () => {
    const name = field(form, 'name');
    assert.equal(validateFieldText(name, ''), 'A value is required.');
    assert.equal(validateFieldText(name, ' '), undefined, 'whitespace is a value');
    const plan = planArguments({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}$' },
        url: { type: 'string', format: 'uri' },
        mail: { type: 'string', format: 'email' },
        short: { type: 'string', maxLength: 3 },
      },
    });
    assert.match(validateFieldText(field(plan, 'code'), 'abc') ?? '', /pattern/);
    assert.equal(validateFieldText(field(plan, 'code'), 'ABC'), undefined);
    assert.match(validateFieldText(field(plan, 'url'), 'not a uri') ?? '', /format "uri"/);
    assert.equal(validateFieldText(field(plan, 'url'), 'https://example.com/x'), undefined);
    assert.match(validateFieldText(field(plan, 'mail'), 'nope') ?? '', /format "email"/);
    assert.match(validateFieldText(field(plan, 'short'), 'abcd') ?? '', /more than 3/);
    assert.deepEqual(field(plan, 'code').constraints, ['pattern ^[A-Z]{3}$']);
  });

  it('checks JSON fields against their schema', () => {
    const tags = field(form, 'tags');
    assert.deepEqual(checkFieldText(tags, '["a","b"]'), { ok: true, value: ['a', 'b'] });
    assert.match(validateFieldText(tags, '["a",') ?? '', /Invalid JSON/);
    assert.match(validateFieldText(tags, '[1]') ?? '', /0: Must be string|must be string/i);
  });

  it('offers booleans and enums as picks with (skip), default and previous value preselected', () => {
    const progress = field(sleep, 'progress');
    assert.deepEqual(
      fieldChoices(progress).map((c) => [c.label, !!c.active]),
      [
        ['true', false],
        ['false', false],
        [SKIP_LABEL, true],
      ],
    );
    assert.equal(fieldChoices(progress, { value: false }).find((c) => c.active)?.label, 'false');
    const mode = field(form, 'mode');
    assert.deepEqual(
      fieldChoices(mode).map((c) => c.label),
      ['fast', 'slow'],
      'required: no skip',
    );
    const verbose = field(form, 'verbose');
    const choices = fieldChoices(verbose);
    assert.equal(choices.find((c) => c.active)?.label, 'false');
    assert.equal(choices.find((c) => c.label === 'false')?.description, 'default');
  });

  it('hides typing for secret-looking fields only', () => {
    for (const n of ['password', 'apiKey', 'api_key', 'access_token', 'clientSecret', 'PRIVATE_KEY'])
      assert.equal(isSecretField(n), true, n);
    for (const n of ['max_tokens', 'key', 'tokenizer', 'secretary', 'message']) assert.equal(isSecretField(n), false, n);
    const plan = planArguments({
      type: 'object',
      properties: { pin: { type: 'string', format: 'password' }, token: { type: 'string' }, q: { type: 'string' } },
    });
    assert.deepEqual(
      fieldsOf(plan).map((f) => f.secret),
      [true, true, false],
    );
  });

  it('prefills defaults, or the previous value when editing a past call', () => {
    assert.equal(initialText(field(form, 'count')), '3');
    assert.equal(initialText(field(form, 'count'), { value: 7 }), '7');
    assert.equal(initialText(field(form, 'name')), '');
    assert.equal(initialText(field(form, 'name'), { value: 'x' }), 'x');
    assert.equal(initialText(field(form, 'tags'), { value: ['a'] }), '["a"]');
  });
});

describe('toolCall: form values <-> arguments', () => {
  const plan = planArguments(FORM);
  const fields = fieldsOf(plan);

  it('builds arguments from form values, omitting unset optional fields and empty optional groups', () => {
    const { args, errors } = formToArgs(fields, {
      '/name': 'n',
      '/count': '5',
      '/mode': '1',
      '/verbose': true,
      '/tags': '',
      '/options/depth': '',
      '/options/label': '',
    });
    assert.deepEqual(errors, {});
    assert.deepEqual(args, { name: 'n', count: 5, mode: 'slow', verbose: true });
    assert.deepEqual(validateValue(FORM, args), []);
  });

  it('reports parse errors per field and schema errors on the field they concern', () => {
    const { args, errors } = formToArgs(fields, {
      '/name': '',
      '/count': 'x',
      '/mode': '',
      '/verbose': false,
      '/tags': '0',
      '/options/depth': '2',
      '/options/label': '',
    });
    assert.match(errors['/count'], /Not a number/);
    const byField = issuesByField(fields, validateValue(FORM, args));
    assert.equal(byField['/name'], 'A value is required.');
    assert.equal(byField['/mode'], 'A value is required.');
    assert.equal(byField['/options/label'], 'A value is required.');
    assert.equal(byField[''], undefined);
  });

  it('maps errors below a JSON field to that field, and unknown properties to the form', () => {
    const issues = validateValue({ ...FORM, additionalProperties: false }, { name: 'n', mode: 'fast', tags: ['ok', 3], extra: 1 });
    const byField = issuesByField(fields, issues);
    assert.match(byField['/tags/1'], /^Must be string/, 'on the list item itself');
    assert.match(byField[''], /Unknown property "extra"/);
  });

  it('round-trips arguments through the form and reports what it cannot show', () => {
    const args = { name: 'n', count: 2, mode: 'fast', verbose: false, tags: ['a'], options: { depth: 1, label: 'l' } };
    const { raw, unrepresented } = argsToForm(fields, args);
    assert.deepEqual(unrepresented, []);
    assert.equal(raw['/tags'], '1');
    assert.equal(raw['/tags/0'], 'a');
    assert.deepEqual(formToArgs(fields, raw).args, args);
    assert.deepEqual(argsToForm(fields, { name: 5, mode: 'other', extra: true, tags: 'x' }).unrepresented.sort(), [
      '/extra',
      '/mode',
      '/name',
      '/tags',
    ]);
    assert.deepEqual(argsToForm(fields, []).unrepresented, ['/']);
  });

  it('starts from the defaults', () => {
    assert.deepEqual(defaultArgs(fields), { count: 3, verbose: false });
  });

  // @modelcontextprotocol/server-memory's create_entities, as the fixture (FIXTURE_RICH=1) lists it.
  const ENTITIES = {
    type: 'object',
    properties: {
      entities: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'The name of the entity' },
            entityType: { type: 'string', enum: ['person', 'place'] },
            observations: { type: 'array', items: { type: 'string' }, minItems: 1 },
          },
          required: ['name', 'entityType', 'observations'],
        },
      },
    },
    required: ['entities'],
    $schema: DRAFT7,
  };

  it('gives arrays of objects a list of item forms: nested fields, enums as selects, lists inside items', () => {
    const plan = planArguments(ENTITIES);
    assert.equal(plan.kind, 'form');
    const entities = field(plan, 'entities');
    assert.equal(entities.control, 'list');
    assert.equal(entities.items?.control, 'group');
    assert.deepEqual(
      entities.items?.children?.map((c) => [c.name, c.control]),
      [
        ['name', 'text'],
        ['entityType', 'select'],
        ['observations', 'list'],
      ],
    );
    assert.equal(entities.items?.children?.[2].items?.control, 'text');
    const web = toWebFields(fieldsOf(plan));
    assert.equal(web[0].meta, 'list of objects');
    assert.equal(web[0].item?.children?.[2].meta, 'list of string · at least 1 item');
    assert.doesNotMatch(JSON.stringify(web), /\["a", "b"\]/, 'no JSON placeholder for a list');
  });

  it('builds nested arrays from item values, round-trips them, and starts a required list with one item', () => {
    const fs2 = fieldsOf(planArguments(ENTITIES));
    const raw = {
      '/entities': '2',
      '/entities/0/name': 'Ada',
      '/entities/0/entityType': '0',
      '/entities/0/observations': '2',
      '/entities/0/observations/0': 'wrote programs',
      '/entities/0/observations/1': 'liked maths',
      '/entities/1/name': 'London',
      '/entities/1/entityType': '1',
      '/entities/1/observations': '1',
      '/entities/1/observations/0': 'rainy',
    };
    const { args, errors } = formToArgs(fs2, raw);
    assert.deepEqual(errors, {});
    const expected = {
      entities: [
        { name: 'Ada', entityType: 'person', observations: ['wrote programs', 'liked maths'] },
        { name: 'London', entityType: 'place', observations: ['rainy'] },
      ],
    };
    assert.deepEqual(args, expected);
    assert.deepEqual(validateValue(ENTITIES, args), []);
    const back = argsToForm(fs2, expected);
    assert.deepEqual(back.unrepresented, []);
    assert.deepEqual(back.raw, raw);
    assert.deepEqual(argsToForm(fs2, {}).raw, { '/entities': '1' }, 'a required list starts with one item');
  });

  it('names errors by field, items counted from 1: "entities › 2 › observations"', () => {
    const fs2 = fieldsOf(planArguments(ENTITIES));
    const { args } = formToArgs(fs2, {
      '/entities': '2',
      '/entities/0/name': 'Ada',
      '/entities/0/entityType': '0',
      '/entities/0/observations': '1',
      '/entities/0/observations/0': 'x',
      '/entities/1/name': '',
      '/entities/1/entityType': '',
      '/entities/1/observations': '0',
    });
    const issues = validateValue(ENTITIES, args);
    const byField = issuesByField(fs2, issues);
    assert.equal(byField['/entities/1/name'], 'A value is required.');
    assert.equal(byField['/entities/1/entityType'], 'A value is required.');
    assert.equal(byField['/entities/1/observations'], 'Must NOT have fewer than 1 item');
    assert.equal(
      namedIssues(fs2, issues),
      'entities › 2 › name: Is required\nentities › 2 › entityType: Is required\nentities › 2 › observations: Must NOT have fewer than 1 item',
    );
    assert.equal(fieldPathLabel(fs2, '/entities/0/observations/3'), 'entities › 1 › observations › 4');
    assert.deepEqual(fieldAt(fs2, '/entities/0/observations/3').key, '/entities/0/observations/3');
  });
});

describe('toolCall: validator', () => {
  it('accepts 2020-12 schemas and reports readable issues', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { a: { type: 'integer' } },
      required: ['a'],
    };
    assert.deepEqual(validateValue(schema, { a: 1 }), []);
    const issues = validateValue(schema, {});
    assert.deepEqual(issues, [{ path: '/a', message: 'is required', keyword: 'required' }]);
    assert.equal(formatIssues(validateValue(schema, { a: 'x' })), '/a: must be integer');
  });

  it('does not enforce a schema it cannot compile, and says why', () => {
    const bad = { type: 'object', properties: { a: { $ref: '#/nowhere' } } };
    assert.deepEqual(validateValue(bad, { a: 1 }), []);
    assert.match(schemaProblem(bad) ?? '', /resolve|nowhere/i);
    assert.equal(schemaProblem(ECHO), undefined);
  });

  it('does not compile huge or extremely deep schemas (seconds of blocking, or a stack overflow)', () => {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) props[`p${i}`] = { type: 'string', description: `property ${i}` };
    const wide = { type: 'object', properties: props };
    // Built as text like test/fixtures/bad/odd-schemas.mjs: too deep for JSON.stringify.
    const levels = 20000;
    const veryDeep = JSON.parse(
      '{"type":"object","properties":{"child":'.repeat(levels) + '{"type":"string"}' + '}}'.repeat(levels),
    ) as object;
    for (const schema of [wide, veryDeep]) {
      assert.deepEqual(validateValue(schema, { p0: 1 }), []);
      assert.match(schemaProblem(schema) ?? '', /too large to check before sending/);
      assert.equal(planArguments(schema).kind, 'json');
      assert.doesNotThrow(() =>
        renderFormHtml({
          nonce: 'n',
          schema,
          state: { tool: 't', server: 's', mode: 'json', jsonOnly: true, fields: [], raw: {}, json: '{}' },
        }),
      );
    }
    // No wall-clock budget (the machine may be busy): the "too large" answer above proves the
    // guard ran instead of a compile, and a stack overflow would have thrown.
  });

  it('reports one readable issue per problem, not the subschema wrappers (@cfworker/json-schema)', () => {
    const check = (schema: object, value: unknown) => formatIssues(validateValue(schema, value)).split('\n');
    assert.deepEqual(
      check(
        {
          type: 'object',
          properties: { o: { $ref: '#/$defs/O' } },
          $defs: { O: { type: 'object', properties: { 'a/b': { type: 'integer', minimum: 1 } }, required: ['c'] } },
        },
        { o: { 'a/b': 0 } },
      ),
      ['/o/c: is required', '/o/a~1b: must be >= 1'],
    );
    assert.deepEqual(check({ type: 'array', prefixItems: [{ type: 'string' }], items: false, uniqueItems: true }, ['a', 'a']), [
      'must NOT have more than 1 item',
      'must NOT have duplicate items (items 0 and 1 are identical)',
    ]);
    assert.deepEqual(check({ type: 'array', contains: { type: 'number' } }, ['x', 'y']), ['must contain at least 1 valid item']);
    assert.deepEqual(check({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, { ok: 1, BAD: 2 }), [
      'property name "BAD" is invalid',
    ]);
    assert.deepEqual(
      check(
        { type: 'object', properties: { e: { enum: ['a', 1] }, c: { const: 'k' }, u: { type: ['string', 'null'] } } },
        { e: 'z', c: 'q', u: 1 },
      ),
      ['/e: must be one of "a", 1', '/c: must be equal to "k"', '/u: must be string or null'],
    );
    // The draft comes from $schema: draft-04's boolean exclusiveMinimum.
    assert.deepEqual(check({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'number', minimum: 1, exclusiveMinimum: true }, 1), [
      'must be > 1',
    ]);
    for (const [schema, problem] of [
      [{ type: 'string', pattern: '(' }, /invalid pattern/],
      [{ type: 'object', properties: { a: { type: 'strin' } } }, /unknown type "strin"/],
      [{ properties: { a: { type: 'string', required: true } } }, /"required" is not an array/],
    ] as const) {
      assert.match(schemaProblem(schema) ?? '', problem);
      assert.deepEqual(validateValue(schema, { a: 1 }), []);
    }
  });

  it('leaves the schema it is given untouched', () => {
    const schema = { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string' } } };
    const before = JSON.stringify(schema);
    assert.equal(validateValue(schema, { a: 1 }).length, 1);
    assert.equal(JSON.stringify(schema), before);
    assert.deepEqual(Object.getOwnPropertyNames(schema.properties.a), ['$ref'], "no cfworker annotations on the caller's objects");
  });

  it('compiles schemas sharing an $id independently', () => {
    const a = { $id: 'https://example.com/same.json', type: 'object', properties: { x: { type: 'string' } } };
    const b = { $id: 'https://example.com/same.json', type: 'object', properties: { x: { type: 'number' } } };
    assert.equal(validateValue(a, { x: 1 }).length, 1);
    assert.equal(validateValue(b, { x: 1 }).length, 0);
  });
});

describe('toolCall: call runner', () => {
  const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
  const caller = (impl: ToolCaller['callTool']): ToolCaller => ({ name: 'srv', callTool: impl });

  it('classifies ok, isError and failures', async () => {
    assert.equal(
      (
        await runToolCall(
          caller(async () => text('hi')),
          't',
          {},
        )
      ).status,
      'ok',
    );
    assert.equal(
      (
        await runToolCall(
          caller(async () => ({ ...text('bad'), isError: true })),
          't',
          {},
        )
      ).status,
      'isError',
    );
    const failed = await runToolCall(
      caller(async () => {
        throw new ServerError('srv', 'crash', 'exited');
      }),
      't',
      {},
    );
    assert.equal(failed.status, 'error');
    assert.ok(failed.error instanceof ServerError);
  });

  it('stops waiting as soon as the signal aborts, and passes the signal to the core', async () => {
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = runToolCall(
      caller((_n, _a, o) => {
        seen = o?.signal;
        return new Promise(() => {}); // a server that never answers
      }),
      'sleep',
      { ms: 10_000 },
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 20);
    // The server never answers: only the abort can settle the call.
    const outcome = await pending;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(seen, ac.signal);
  });

  it('treats a core "cancelled" error and an already aborted signal as cancelled', async () => {
    const r = await runToolCall(
      caller(async () => {
        throw new ServerError('srv', 'cancelled', 'cancelled');
      }),
      't',
      {},
    );
    assert.equal(r.status, 'cancelled');
    const ac = new AbortController();
    ac.abort();
    let called = false;
    const r2 = await runToolCall(
      caller(async () => {
        called = true;
        return text('x');
      }),
      't',
      {},
      { signal: ac.signal },
    );
    assert.equal(r2.status, 'cancelled');
    assert.equal(called, false);
  });
});

describe('toolCall: history', () => {
  const memento = (initial?: unknown): MementoLike & { data: Map<string, unknown>; writes: number } => {
    const data = new Map<string, unknown>(initial === undefined ? [] : [[HISTORY_KEY, initial]]);
    const m = {
      data,
      writes: 0,
      get: <T>(k: string) => data.get(k) as T | undefined,
      update: (k: string, v: unknown) => {
        m.writes++;
        data.set(k, v);
        return Promise.resolve();
      },
    };
    return m;
  };
  const entry = (i: number, args: Record<string, unknown> = { i }) => ({
    id: `id${i}`,
    server: 's',
    tool: 't',
    args,
    startedAt: i,
    durationMs: 5,
    status: 'ok' as const,
  });

  it('keeps the newest calls first, at most HISTORY_MAX, persisted', async () => {
    const m = memento();
    const h = new CallHistory(m);
    for (let i = 0; i < HISTORY_MAX + 5; i++) await h.add(entry(i));
    assert.equal(h.list().length, HISTORY_MAX);
    assert.equal(h.last()?.id, `id${HISTORY_MAX + 4}`);
    const reloaded = new CallHistory(m);
    assert.deepEqual(reloaded.list(), h.list());
    assert.deepEqual(reloaded.get('id10')?.args, { i: 10 });
  });

  it('does not keep very large arguments, and tolerates a corrupted state', async () => {
    const h = new CallHistory(memento([{ nonsense: true }, 5, entry(1)]));
    assert.equal(h.list().length, 1);
    const stored = await h.add(entry(2, { blob: 'x'.repeat(100_000) }));
    assert.equal(stored.args, undefined);
    assert.equal(stored.argsOmitted, true);
    await h.clear();
    assert.equal(h.list().length, 0);
  });

  it('summarises arguments and durations', () => {
    assert.equal(summarizeArgs({ message: 'hi', n: 3 }), 'message: "hi", n: 3');
    assert.ok(summarizeArgs({ s: 'x'.repeat(500) }).length <= 120);
    assert.equal(formatDuration(12), '12 ms');
    assert.equal(formatDuration(1500), '1.50 s');
  });
});

describe('toolCall: result helpers', () => {
  // The result view's layout is tested in resultView.test.ts.
  it('gives error text and file extensions', () => {
    assert.equal(errorText({ content: [{ type: 'text', text: ' failed\non purpose ' }], isError: true }), 'failed on purpose');
    assert.equal(errorText({ content: [], isError: true }), 'the tool reported an error (no text)');
    assert.equal(extensionFor('application/json'), 'json');
    assert.equal(extensionFor('application/vnd.x+json'), 'json');
    assert.equal(extensionFor(undefined, 'file:///a/b.py'), 'py');
    assert.equal(extensionFor('application/octet-stream', 'x://y'), 'txt');
  });
});

describe('toolCall: webview HTML', () => {
  const plan = planArguments(FORM);
  const state: FormState = {
    tool: 'form',
    server: 'fixture',
    mode: 'form',
    jsonOnly: false,
    fields: toWebFields(fieldsOf(plan)),
    raw: {},
    json: '{}',
  };

  it('has a strict CSP with a nonce, and no external resources', () => {
    const html = renderFormHtml({ nonce: 'N0NCE', state, schema: FORM });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';">/,
    );
    assert.doesNotMatch(html, /\b(src|href)=["']?(https?:)?\/\//i);
    assert.equal((html.match(/<script nonce="N0NCE">/g) ?? []).length, 1);
    assert.match(html, /var\(--vscode-input-background\)/);
  });

  it('cannot be broken out of by server-provided text', () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(1)>';
    const html = renderFormHtml({
      nonce: 'n',
      state: { ...state, tool: evil, server: evil },
      schema: { description: evil },
      description: evil,
    });
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'only the state block and the nonce script');
    assert.ok(!html.includes('<img'));
    assert.equal(scriptJson('</script>'), '"\\u003c/script>"');
  });

  it('ships a form script that compiles', () => {
    assert.doesNotThrow(() => new vm.Script(FORM_SCRIPT));
  });

  it('embeds only clean base64 media of image/audio types', () => {
    const html = renderMediaHtml({
      nonce: 'n',
      title: 't',
      items: [
        { kind: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=', label: 'ok' },
        { kind: 'image', mimeType: 'text/html', data: 'PGI+', label: 'wrong type' },
        { kind: 'audio', mimeType: 'audio/wav', data: '"><script>', label: 'bad data' },
      ],
    });
    assert.match(html, /default-src 'none'; img-src data:; media-src data:;/);
    assert.equal((html.match(/<img /g) ?? []).length, 1);
    assert.ok(!html.includes('<script'));
    assert.match(html, /Not shown: the data is not a valid base64 audio/);
  });
});

describe('toolCall: layering', () => {
  it('keeps the pure modules free of the vscode API (so this file runs under plain mocha)', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'ui', 'toolCall');
    for (const f of [
      'toolArgs.ts',
      'formValues.ts',
      'validator.ts',
      'callRunner.ts',
      'history.ts',
      'resultFormat.ts',
      'resultHtml.ts',
      'resultScript.ts',
      'markdown.ts',
      'webviewHtml.ts',
      'formScript.ts',
      'types.ts',
    ]) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(src, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, f);
    }
  });
});
