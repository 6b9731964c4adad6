// Add Server's plain logic (src/ui/config/serverEntry.ts): the default name, KEY=VALUE pairs and
// which values are offered as `${input:}` secrets.
import assert from 'node:assert/strict';
import { entryFor, envToInputs, looksLikeToken, parseEnvPairs, secretEnvKeys, suggestName } from '../../src/ui/config/serverEntry';

describe('Add Server entries', () => {
  it("names a server after its package, its script, or the script's folder", () => {
    const cases: [string, string][] = [
      ['node /home/u/node_modules/@modelcontextprotocol/server-memory/dist/index.js', 'server-memory'],
      ['node ./build/index.js', 'build'],
      ["node 'C:\\work\\weather-server\\build\\main.js'", 'weather-server'],
      ['node /srv/tools/github.mjs --stdio', 'github'],
      ['npx -y @modelcontextprotocol/server-everything@2025.1.1 stdio', 'server-everything'],
      ['npx -y @playwright/mcp@latest', 'playwright'],
      ['uvx mcp-server-time --local-timezone=UTC', 'time'],
      ['uvx mcp-server-fetch==2025.1', 'fetch'],
      ['python3 -m weather_mcp', 'weather'],
      ['docker run -i --rm ghcr.io/github/github-mcp-server', 'github-mcp-server'],
      ['/usr/local/bin/my-server', 'my-server'],
      ['node "${workspaceFolder}/packages/notes/dist/index.js"', 'notes'],
    ];
    for (const [line, name] of cases) assert.equal(suggestName('stdio', line), name, line);
    assert.equal(suggestName('http', 'https://www.example.com:8443/mcp'), 'example-com-8443');
    assert.equal(suggestName('stdio', '"unterminated'), 'server');
  });

  it('builds entries for each kind', () => {
    assert.deepEqual(entryFor('npm', '@modelcontextprotocol/server-memory', '--x "a b"'), {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory', '--x', 'a b'],
    });
    assert.deepEqual(entryFor('stdio', 'uvx mcp-server-time'), { command: 'uvx', args: ['mcp-server-time'] });
    assert.deepEqual(entryFor('http', ' http://127.0.0.1:1/mcp '), { type: 'http', url: 'http://127.0.0.1:1/mcp' });
  });

  it('reads KEY=VALUE pairs, quoted values with spaces, and says which pair is wrong', () => {
    assert.deepEqual(parseEnvPairs(''), {});
    assert.deepEqual(parseEnvPairs('MEMORY_FILE_PATH=${workspaceFolder}/m.json NAME="a b" EMPTY='), {
      MEMORY_FILE_PATH: '${workspaceFolder}/m.json',
      NAME: 'a b',
      EMPTY: '',
    });
    assert.throws(() => parseEnvPairs('A=1 oops'), /"oops" is not KEY=VALUE/);
    assert.throws(() => parseEnvPairs('1A=x'), /"1A" is not a valid variable name/);
  });

  it('offers secret-looking values (by name or by shape) as inputs', () => {
    const env = {
      GITHUB_TOKEN: 'abc',
      API_KEY: 'x',
      LOG: 'debug',
      PATHY: '/a/b/c',
      OTHER: 'ghp_1234567890abcdefghij',
      REF: '${input:x}',
      PASSWORD: '',
    };
    assert.deepEqual(secretEnvKeys(env), ['GITHUB_TOKEN', 'API_KEY', 'OTHER']);
    assert.equal(looksLikeToken('3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'), true);
    assert.equal(looksLikeToken('hello-world'), false);
    const moved = envToInputs('gh', { GITHUB_TOKEN: 's3cret', LOG: 'debug' }, ['GITHUB_TOKEN'], new Set(['gh-GITHUB_TOKEN']));
    assert.deepEqual(moved.env, { GITHUB_TOKEN: '${input:gh-GITHUB_TOKEN-2}', LOG: 'debug' });
    assert.deepEqual(moved.values, { 'gh-GITHUB_TOKEN-2': 's3cret' });
    assert.deepEqual(moved.inputs, [{ type: 'promptString', id: 'gh-GITHUB_TOKEN-2', description: 'GITHUB_TOKEN for gh', password: true }]);
  });
});
