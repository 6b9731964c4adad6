// Odd and invalid tool schemas: listing never fails because of one bad tool, every tool with a name
// stays callable, and assessSchema tells the argument UI when to fall back to a JSON editor.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { assessSchema, schemaText } from '../../src/core/toolSchema';
import { NODE } from '../fixtures/paths';
import { textOf } from '../unit/helpers';
import { BAD } from './fixtures';
import { Bench } from './harness';

describe('reliability: odd tool schemas', function () {
  this.timeout(30_000);
  let bench: Bench;
  before(async () => (bench = await new Bench('Odd tool schemas').start()));
  after(() => bench?.dispose());

  it('lists every named tool despite invalid schemas, and assesses each for the argument UI', () =>
    bench.run(
      'odd or invalid tool schemas',
      'list succeeds; invalid tools kept (repaired) or reported; UI falls back to a JSON editor',
      async (t) => {
        const c = await t.server('odd', { command: NODE, args: [BAD.oddSchemas] });
        const t0 = performance.now();
        const tools = await c.listTools();
        t.mark(performance.now() - t0);
        const names = tools.map((x) => x.name);
        assert.deepEqual(names, [
          'plain',
          'enum_simple',
          'no_type',
          'no_schema',
          'root_string',
          'type_union',
          'bool_props',
          'bad_required',
          'with_ref',
          'deep',
          'wide',
          'bad_output',
          'very_deep',
        ]);
        const log = t.log('odd');
        assert.ok(log.has(/warn .*tools\/list: skipped tools\[12\]: it has no name/), 'a tool without a name is reported');
        assert.ok(log.has(/warn .*tools\/list: skipped tools\[13\]: it is null, not an object/));
        assert.ok(log.has(/warn .*tools\/list: skipped tools\[14\]: its name is number 42, not a string/));
        assert.ok(log.has(/warn .*tools\/list: tool "no_type": inputSchema has no "type"/), 'a repaired tool is reported');
        assert.ok(log.has(/warn .*tools\/list: tool "bad_output": outputSchema .*ignored/));
        const by = new Map(tools.map((x) => [x.name, x]));
        // Every tool (including the repaired ones) has an object inputSchema the UI can read safely.
        for (const tool of tools) assert.equal(tool.inputSchema.type, 'object', tool.name);
        assert.equal(by.get('bad_output')!.outputSchema, undefined);

        const kinds: Record<string, string> = {};
        let worst = 0;
        for (const tool of tools) {
          const a0 = performance.now();
          const a = assessSchema(tool.inputSchema);
          worst = Math.max(worst, performance.now() - a0);
          kinds[tool.name] = a.kind;
          if (a.kind === 'json') assert.ok(a.reason && a.reason.length > 10, `${tool.name} has a reason`);
        }
        assert.deepEqual(kinds, {
          plain: 'simple',
          enum_simple: 'simple',
          no_type: 'json',
          no_schema: 'json',
          root_string: 'json',
          type_union: 'json',
          bool_props: 'json',
          bad_required: 'json',
          with_ref: 'json',
          deep: 'json',
          wide: 'json',
          bad_output: 'simple',
          very_deep: 'json',
        });
        assert.match(assessSchema(by.get('no_type')!.inputSchema).reason!, /no "type"/);
        assert.match(assessSchema(by.get('with_ref')!.inputSchema).reason!, /\$ref/);
        assert.match(assessSchema(by.get('very_deep')!.inputSchema).reason!, /nested more than \d+ levels/);
        assert.match(assessSchema(by.get('wide')!.inputSchema).reason!, /5000 properties/);
        assert.ok(worst < 200, `assessSchema took ${worst.toFixed(1)} ms on the worst schema`);
        // The JSON editor can show any of them (JSON.stringify overflows the stack on very_deep).
        assert.throws(() => JSON.stringify(by.get('very_deep')!.inputSchema), RangeError);
        const text = schemaText(by.get('very_deep')!.inputSchema);
        assert.ok(text.length < 200_000 && text.includes('…'), 'schemaText truncates deep nesting');
        // Tools with repaired schemas stay callable with whatever arguments the user writes.
        assert.equal(textOf(await c.callTool('no_type', { a: 'x' })), 'called no_type with {"a":"x"}');
        assert.equal(textOf(await c.callTool('very_deep', {})), 'called very_deep with {}');
        return `13 of 16 entries listed in ${Math.round(t.timeToErrorMs!)} ms (3 without a usable name reported); 9 fall back to JSON`;
      },
    ));

  // Pure: what assessSchema answers for the shapes servers commonly send.
  it('assessSchema: simple, form and json for common shapes, and never throws', () => {
    const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
    assert.deepEqual(assessSchema(obj({})), { kind: 'simple' });
    assert.deepEqual(assessSchema({ type: 'object' }), { kind: 'simple' });
    assert.equal(
      assessSchema(obj({ q: { type: 'string' }, n: { type: 'integer', minimum: 1 }, on: { type: 'boolean' }, mode: { enum: ['a', 'b'] } }))
        .kind,
      'simple',
    );
    // pydantic's Optional[str] and JSON Schema's nullable type arrays stay simple.
    assert.equal(
      assessSchema(obj({ a: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null }, b: { type: ['number', 'null'] } })).kind,
      'simple',
    );
    const form = assessSchema(obj({ tags: { type: 'array', items: { type: 'string' } }, opts: obj({ depth: { type: 'integer' } }) }));
    assert.equal(form.kind, 'form');
    assert.match(form.reason!, /"(tags|opts)" is an (array|object)/);
    assert.equal(assessSchema(obj(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, { type: 'string' }])))).kind, 'form');
    const json = (schema: unknown, re: RegExp) => {
      const a = assessSchema(schema);
      assert.equal(a.kind, 'json', String(JSON.stringify(schema)).slice(0, 100));
      assert.match(a.reason!, re);
    };
    json(undefined, /not an object schema/);
    json(null, /null/);
    json('string', /not an object schema/);
    json({ properties: {} }, /no "type"/);
    json({ type: 'array' }, /type "array"/);
    json({ type: 'object', oneOf: [obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } })] }, /oneOf at the top level/);
    json(obj({ a: { oneOf: [obj({}), { type: 'string' }] } }), /combines oneOf/);
    json(obj({ a: { $ref: '#/$defs/A' } }), /\$ref/);
    json(obj({ a: true }), /boolean schema/);
    json(obj({ m: { type: 'object', additionalProperties: { type: 'string' } } }), /free-form keys/);
    json(obj({ a: obj({ b: obj({ c: obj({}) }) }) }), /nested more than 3 levels/);
    json(obj({ a: { if: {}, then: {} } }), /uses if/);
    json({ type: 'object', properties: {}, 'x-mcp-manager-problem': 'inputSchema has no "type"' }, /server's input schema is invalid/);
    // schemaText is plain pretty JSON for ordinary schemas.
    assert.equal(schemaText(obj({ a: { type: 'string' } })), JSON.stringify(obj({ a: { type: 'string' } }), null, 2));
  });
});
