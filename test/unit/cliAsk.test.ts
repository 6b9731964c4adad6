// The CLI's terminal questions (src/cli/ask.ts) driven by a scripted terminal: field by field,
// defaults on Enter, a wrong answer asked again, Ctrl+C as cancel; and --elicit parsing.
import * as assert from 'node:assert/strict';
import { askFields, cliAskHost, parseElicitOption } from '../../src/cli/ask';
import { definition } from './helpers';
import { elicitFields } from '../../src/core';

const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0, default: 30 },
    size: {
      type: 'string',
      oneOf: [
        { const: 's', title: 'Small' },
        { const: 'l', title: 'Large' },
      ],
    },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
  },
  required: ['name'],
};

function terminal(answers: (string | undefined)[]) {
  const questions: string[] = [];
  const errors: string[] = [];
  return {
    ask: async (q: string) => {
      questions.push(q);
      return answers.shift();
    },
    err: (t: string) => void errors.push(t),
    questions,
    errors,
  };
}

describe('CLI: terminal questions', () => {
  it('asks field by field, keeps defaults on Enter and asks again after a wrong answer', async () => {
    const t = terminal(['', 'Ada', 'old', '', 'Large', 'a,b']);
    const content = await askFields(elicitFields(SCHEMA), t.ask, t.err);
    assert.deepEqual(content, { name: 'Ada', age: 30, size: 'l', tags: ['a', 'b'] });
    assert.equal(t.questions.length, 6);
    assert.match(t.questions[0]!, /name \(string; at least 1 character; required\)/);
    assert.match(t.questions[2]!, /age \(integer; 0 to …; default 30\)/);
    assert.deepEqual(t.errors, ['  name is required\n', '  age must be a number\n']);
  });

  it('Ctrl+C is cancel; a host on a terminal declines on "n"', async () => {
    const t = terminal(['Ada', undefined]);
    assert.equal(await askFields(elicitFields(SCHEMA), t.ask, t.err), undefined);
    const host = cliAskHost({ roots: [], interactive: true, err: () => undefined, ask: terminal(['n']).ask });
    const ctx = {
      server: 's',
      definition: definition('s', { command: 'x' }),
      signal: new AbortController().signal,
      era: 'legacy' as const,
    };
    assert.deepEqual(await host.elicit!({ message: 'Q?', requestedSchema: SCHEMA as never }, ctx), { action: 'decline' });
    const url = cliAskHost({ roots: [], interactive: true, err: () => undefined, ask: terminal(['y']).ask });
    assert.deepEqual(await url.elicit!({ mode: 'url', message: 'Go', url: 'https://example.com/x', elicitationId: '1' }, ctx), {
      action: 'accept',
    });
  });

  it('parses --elicit', () => {
    assert.deepEqual(parseElicitOption('accept'), { action: 'accept', content: {} });
    assert.deepEqual(parseElicitOption('accept:{"a":1}'), { action: 'accept', content: { a: 1 } });
    assert.deepEqual(parseElicitOption('cancel'), { action: 'cancel' });
    assert.match(parseElicitOption('accept:[1]') as string, /must be an object/);
    assert.match(parseElicitOption('accept:{') as string, /invalid JSON/);
  });
});
