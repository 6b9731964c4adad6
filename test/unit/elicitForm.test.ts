// An elicitation as a Call Tool form (src/ui/ask/elicitForm.ts) and the form page in "asks" mode.
import * as assert from 'node:assert/strict';
import { elicitationForm, formatErrors } from '../../src/ui/ask/elicitForm';
import { renderFormHtml, toWebFields } from '../../src/ui/toolCall/webviewHtml';

const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Your name' },
    email: { type: 'string', format: 'email' },
    size: {
      type: 'string',
      oneOf: [
        { const: 's', title: 'Small' },
        { const: 'l', title: 'Large' },
      ],
      default: 's',
    },
    tags: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'a', title: 'Apple' },
          { const: 'b', title: 'Banana' },
        ],
      },
    },
    ok: { type: 'boolean', default: true },
  },
  required: ['name'],
};

describe('elicitation form', () => {
  const form = elicitationForm(SCHEMA);

  it('turns titled choices into enums whose options show their titles', () => {
    assert.deepEqual(form.schema.properties, {
      name: { type: 'string', title: 'Your name' },
      email: { type: 'string', format: 'email' },
      size: { type: 'string', enum: ['s', 'l'], default: 's' },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, uniqueItems: true },
      ok: { type: 'boolean', default: true },
    });
    const web = toWebFields(form.fields);
    assert.deepEqual(web.find((f) => f.key === '/size')?.optionLabels, ['Small', 'Large']);
    assert.equal(web.find((f) => f.key === '/tags')?.control, 'list');
    assert.deepEqual(web.find((f) => f.key === '/tags')?.item?.optionLabels, ['Apple', 'Banana']);
    assert.deepEqual(form.prefill, { size: 's', ok: true });
  });

  it('checks formats the schema check leaves out, keyed by field', () => {
    assert.deepEqual(formatErrors(form, { name: 'A', email: 'nope' }), { '/email': 'Must be an email address, e.g. name@example.com' });
    assert.deepEqual(formatErrors(form, { name: 'A', email: 'a@b.co' }), {});
  });

  it('the page names the server, shows its message escaped, and offers Accept, Decline, Cancel', () => {
    const html = renderFormHtml({
      nonce: 'n',
      schema: form.schema,
      state: {
        tool: 'elicitation',
        server: 'demo',
        mode: 'form',
        jsonOnly: false,
        fields: toWebFields(form.fields),
        raw: {},
        json: '{}',
        ask: { message: 'Pick <one>' },
      },
    });
    assert.match(html, /<h1><span class="mono">demo<\/span> asks<\/h1>/);
    assert.match(html, /Pick &lt;one&gt;/);
    assert.match(html, />Accept<\/button>/);
    assert.match(html, /id="mcp-decline" class="secondary">Decline<\/button>/);
    assert.match(html, /Escape or closing this tab cancels/);
  });
});
