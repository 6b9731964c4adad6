// Unit tests of the vscode-free half of browsing resources and prompts (src/vscode/browse): the
// document layout of resources/read and prompts/get results, MIME type -> language, URI templates,
// prompt arguments, and the ServerCatalog the tree and the palette share. Results come from real
// servers (our fixture over stdio, server-everything, an in-memory SDK server), not from mocks.
import * as assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListResourcesRequestSchema, type Prompt } from '@modelcontextprotocol/sdk/types.js';
import { inMemoryServer, ServerConnection, ServerError, ServerRegistry, type ServerDefinition } from '../../src/core';
import { failureText, ServerCatalog, unique, withoutServer } from '../../src/core/catalog';
import { checkPromptValue, promptArguments, promptFieldText, promptFields, renderPrompt } from '../../src/ui/browse/promptFormat';
import {
  checkTemplateValue,
  documentName,
  documentType,
  expandTemplate,
  inlineCode,
  renderResource,
  templateFields,
} from '../../src/ui/browse/resourceFormat';
import { EVERYTHING_SERVER, FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, waitFor } from '../unit/helpers';

describe('browse: resources and prompts (pure layout, catalog)', function () {
  this.timeout(30_000);
  const open: (ServerConnection | ServerRegistry)[] = [];
  const connect = (def: ServerDefinition, logger = recordingLogger()) => {
    const c = new ServerConnection(def, { timing: fastTiming, logger });
    open.push(c);
    return c;
  };
  const fixture = (env: Record<string, string> = {}) => connect(definition('fx', { command: NODE, args: [FIXTURE_SERVER], env }));

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  describe('MIME type -> document', function () {
    it('picks the extension and language from the MIME type, else the URI, else plain text', function () {
      assert.deepEqual(documentType('application/json'), { extension: 'json', languageId: 'json' });
      assert.deepEqual(documentType('application/vnd.api+json; charset=utf-8'), { extension: 'json', languageId: 'json' });
      assert.deepEqual(documentType('text/markdown'), { extension: 'md', languageId: 'markdown' });
      assert.deepEqual(documentType('text/html'), { extension: 'html', languageId: 'html' });
      assert.deepEqual(documentType('text/plain', 'file:///x/readme'), { extension: 'txt', languageId: 'plaintext' });
      assert.deepEqual(documentType('text/plain', 'file:///x/main.py'), { extension: 'py', languageId: 'python' });
      assert.deepEqual(documentType(undefined, 'repo://src/app.ts?rev=1'), { extension: 'ts', languageId: 'typescript' });
      // Known to VS Code by extension only: it decides the language.
      assert.deepEqual(documentType('text/csv'), { extension: 'csv', languageId: undefined });
      assert.deepEqual(documentType(undefined), { extension: 'txt', languageId: 'plaintext' });
    });

    it('names documents readably and safely, one extension', function () {
      assert.equal(documentName('Readme', 'fixture', 'txt'), 'Readme (fixture).txt');
      assert.equal(documentName('architecture.md', 'everything', 'md'), 'architecture (everything).md');
      assert.equal(documentName('a/b:c\n d', 'my/server', 'json'), 'a_b_c d (my_server).json');
      assert.equal(documentName('', 's', 'txt'), 'resource (s).txt');
      assert.equal(inlineCode('a`b\nc'), "`a'b c`");
    });
  });

  describe('resources/read layout', function () {
    it('shows one text content as it is, JSON re-indented, in its language', async function () {
      const c = fixture();
      const readme = renderResource(await c.readResource('fixture://readme'), { server: 'fx', uri: 'fixture://readme', label: 'Readme' });
      assert.deepEqual(readme, {
        text: 'Fixture server readme.',
        type: { extension: 'txt', languageId: 'plaintext' },
        media: [],
        bytes: 22,
      });
      const data = renderResource(await c.readResource('fixture://data.json'), { server: 'fx', uri: 'fixture://data.json', label: 'data' });
      assert.equal(data.text, JSON.stringify({ name: 'fixture', items: [1, 2, 3] }, null, 2));
      assert.deepEqual(data.type, { extension: 'json', languageId: 'json' });
      const item = renderResource(await c.readResource(expandTemplate('fixture://item/{id}', { id: '9' })), {
        server: 'fx',
        uri: 'fixture://item/9',
        label: 'Item 9',
      });
      assert.equal(item.text, '{\n  "id": "9"\n}');
    });

    it('shows several contents in one Markdown document: fenced text, media for the panel, a note for binary data', async function () {
      const c = fixture();
      const r = renderResource(await c.readResource('fixture://bundle'), { server: 'fx', uri: 'fixture://bundle', label: 'Bundle' });
      assert.deepEqual(r.type, { extension: 'md', languageId: 'markdown' });
      assert.equal(r.bytes, 25 + 70 + 6);
      assert.equal(
        r.text,
        [
          '# Bundle',
          '',
          '`fixture://bundle` · from server `fx` · 3 contents · 101 B',
          '',
          '## 1. `fixture://bundle/notes.md`',
          '',
          'text/markdown · 25 B',
          '',
          '```markdown',
          '# Notes',
          '',
          'Some *Markdown*.',
          '```',
          '',
          '## 2. `fixture://bundle/pixel.png`',
          '',
          'image/png · 70 B · image, shown in the media panel beside this document',
          '',
          '## 3. `fixture://bundle/data.bin`',
          '',
          'application/octet-stream · 6 B · binary data, not shown as text',
          '',
        ].join('\n'),
      );
      assert.deepEqual(
        r.media.map((m) => [m.kind, m.mimeType, m.bytes, m.label]),
        [['image', 'image/png', 70, '2. fixture://bundle/pixel.png (image/png, 70 B)']],
      );
    });

    it('server-everything: its "blob" resource is text/plain, so it is decoded and shown as text; Markdown stays Markdown', async function () {
      const c = connect(definition('everything', { command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }));
      const blob = renderResource(await c.readResource('demo://resource/dynamic/blob/1'), {
        server: 'everything',
        uri: 'demo://resource/dynamic/blob/1',
        label: 'Dynamic Blob Resource 1',
      });
      assert.deepEqual(blob.type, { extension: 'txt', languageId: 'plaintext' });
      assert.match(blob.text, /^Resource 1: This is a base64 blob created at /);
      assert.deepEqual(blob.media, []);
      const [doc] = await c.listResources();
      const md = renderResource(await c.readResource(doc!.uri), { server: 'everything', uri: doc!.uri, label: doc!.name });
      assert.deepEqual(md.type, { extension: 'md', languageId: 'markdown' });
      assert.match(md.text, /^# Everything Server/);
    });

    it('a lone binary content is a Markdown note with its MIME type and size', function () {
      const r = renderResource(
        { contents: [{ uri: 'x://f.bin', mimeType: 'application/zip', blob: Buffer.alloc(2048).toString('base64') }] },
        { server: 's', uri: 'x://f.bin', label: 'f.bin' },
      );
      assert.deepEqual(r.type, { extension: 'md', languageId: 'markdown' });
      assert.match(
        r.text,
        /^# f\.bin\n\n`x:\/\/f\.bin` · from server `s` · 1 content · 2\.0 KiB\n\n## `x:\/\/f\.bin`\n\napplication\/zip · 2\.0 KiB · binary data, not shown as text\n$/,
      );
    });

    it('says so when there are no contents, and decodes text sent as a blob', function () {
      const empty = renderResource({ contents: [] }, { server: 's', uri: 'x://y', label: 'Y' });
      assert.match(empty.text, /The server returned no contents for this resource\./);
      const blobText = renderResource(
        { contents: [{ uri: 'x://a.json', mimeType: 'application/json', blob: Buffer.from('{"a":1}').toString('base64') }] },
        { server: 's', uri: 'x://a.json', label: 'a' },
      );
      assert.equal(blobText.text, '{\n  "a": 1\n}');
    });
  });

  describe('URI templates', function () {
    it('lists variables once, in order; query variables are optional unless also in the path', function () {
      assert.deepEqual(templateFields('fixture://item/{id}'), [{ name: 'id', optional: false }]);
      assert.deepEqual(templateFields('s://search{?q,page}'), [
        { name: 'q', optional: true },
        { name: 'page', optional: true },
      ]);
      assert.deepEqual(templateFields('s://{+path}/x{/id}{?id,v*}'), [
        { name: 'path', optional: false },
        { name: 'id', optional: false },
        { name: 'v', optional: true },
      ]);
      assert.deepEqual(templateFields('no://variables'), []);
      assert.throws(() => templateFields('bad://{unclosed'), /Unclosed template expression/);
    });

    it('expands with the SDK (percent-encoding values) and leaves empty optional values out', function () {
      assert.equal(expandTemplate('fixture://item/{id}', { id: 'a b/42' }), 'fixture://item/a%20b%2F42');
      assert.equal(expandTemplate('s://search{?q,page}', { q: 'x y', page: '' }), 's://search?q=x%20y');
      assert.equal(expandTemplate('s://{+path}', { path: 'a/b c' }), 's://a/b%20c');
    });

    it('refuses an empty required value and accepts an empty optional one', function () {
      assert.match(checkTemplateValue({ name: 'id', optional: false }, '  ') ?? '', /A value for \{id\} is required/);
      assert.equal(checkTemplateValue({ name: 'id', optional: false }, '1'), undefined);
      assert.equal(checkTemplateValue({ name: 'q', optional: true }, ''), undefined);
    });

    it('validates a variable against the type the description declares ("{id} must be an integer")', function () {
      assert.deepEqual(templateFields('x://{id}', 'Item fabricated from the {id} variable, which must be an integer.'), [
        { name: 'id', optional: false, type: 'integer' },
      ]);
      assert.deepEqual(templateFields('x://p{?page}', 'A listing. page (positive integer): the page to show.'), [
        { name: 'page', optional: true, type: 'integer', sign: 'positive' },
      ]);
      assert.deepEqual(templateFields('x://{lat}', 'Latitude; it should be a number.'), [{ name: 'lat', optional: false, type: 'number' }]);
      // A sentence about another variable says nothing about this one; no claim, no type.
      assert.deepEqual(templateFields('x://{a}/{b}', '{b} must be an integer.'), [
        { name: 'a', optional: false },
        { name: 'b', optional: false, type: 'integer' },
      ]);
      assert.deepEqual(templateFields('x://{name}', 'The name of the thing, e.g. a number plate.'), [{ name: 'name', optional: false }]);
      const id = { name: 'id', optional: false, type: 'integer' } as const;
      assert.equal(checkTemplateValue(id, 'abc'), `{id} must be an integer (as the template's description says); "abc" is not a number.`);
      assert.equal(
        checkTemplateValue(id, '1.5'),
        `{id} must be an integer (as the template's description says); 1.5 is not a whole number.`,
      );
      assert.equal(checkTemplateValue(id, '42'), undefined);
      const page = { name: 'page', optional: true, type: 'integer', sign: 'positive' } as const;
      assert.match(checkTemplateValue(page, '0') ?? '', /^\{page\} must be a positive integer .*0 is not greater than 0\.$/);
      assert.equal(checkTemplateValue(page, ''), undefined, 'optional: empty is fine');
      assert.match(
        checkTemplateValue({ name: 'x', optional: false, type: 'number', sign: 'non-negative' }, '-1') ?? '',
        /must be a non-negative number .*-1 is negative/,
      );
    });

    it("takes the declared type from a real server's template (server-everything: resourceId must be an integer)", async function () {
      const c = connect(definition('everything', { command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }));
      const templates = await c.listResourceTemplates();
      const text = templates.find((t) => t.uriTemplate.endsWith('/text/{resourceId}'));
      assert.ok(text, templates.map((t) => t.uriTemplate).join(', '));
      const [field] = templateFields(text.uriTemplate, text.description);
      assert.deepEqual(field, { name: 'resourceId', optional: false, type: 'integer' });
      assert.match(checkTemplateValue(field!, 'abc') ?? '', /^\{resourceId\} must be an integer/);
      assert.equal(checkTemplateValue(field!, '3'), undefined);
      const read = await c.readResource(expandTemplate(text.uriTemplate, { resourceId: '3' }));
      assert.match(JSON.stringify(read.contents), /Resource 3/);
    });
  });

  describe('prompts', function () {
    it('plans the arguments of a real prompt: required ones must be filled, optional ones may be skipped', async function () {
      const c = connect(definition('everything', { command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }));
      const prompt = (await c.listPrompts()).find((p) => p.name === 'args-prompt')!;
      const fields = promptFields(prompt);
      assert.deepEqual(fields, [
        { name: 'city', required: true, description: 'Name of the city' },
        { name: 'state', required: false, description: undefined },
      ]);
      assert.equal(promptFieldText(fields[0]!), 'city (required) — Name of the city');
      assert.equal(promptFieldText(fields[1]!), 'state (optional: leave empty to skip)');
      assert.match(checkPromptValue(fields[0]!, ' ') ?? '', /"city" is required/);
      assert.equal(checkPromptValue(fields[1]!, ''), undefined);
      assert.deepEqual(promptArguments(fields, { city: 'Paris', state: '' }), { city: 'Paris' });
      assert.deepEqual(promptArguments(fields, { city: 'Paris', state: 'IDF' }), { city: 'Paris', state: 'IDF' });
      const got = await c.getPrompt(prompt.name, promptArguments(fields, { city: 'Paris', state: '' }));
      const r = renderPrompt(got, { server: 'everything', prompt, args: { city: 'Paris' } });
      assert.match(
        r.text,
        /^# Arguments Prompt\n\nPrompt `args-prompt` from server `everything` · 1 message\n\nArguments:\n\n- `city`: `Paris`\n/,
      );
      assert.match(r.text, /\n## 1\. User\n\nWhat's weather in Paris\?\n$/);
      // Junk argument entries are skipped rather than asked for.
      assert.deepEqual(promptFields({ arguments: [{ name: '' }, { name: 'ok', required: true }] as Prompt['arguments'] }), [
        { name: 'ok', required: true, description: undefined },
      ]);
    });

    it('renders roles, text, embedded resources and images of a prompts/get result', async function () {
      const c = fixture();
      const prompt = (await c.listPrompts()).find((p) => p.name === 'review')!;
      const r = renderPrompt(await c.getPrompt('review', { topic: 'the tree', tone: 'kind' }), {
        server: 'fx',
        prompt,
        args: { topic: 'the tree', tone: 'kind' },
      });
      assert.equal(
        r.text,
        [
          '# Review',
          '',
          'Prompt `review` from server `fx` · 4 messages',
          '',
          'Arguments:',
          '',
          '- `topic`: `the tree`',
          '- `tone`: `kind`',
          '',
          '> Review of the tree',
          '',
          '## 1. User',
          '',
          'Please review the tree in a kind tone.',
          '',
          '## 2. Assistant',
          '',
          'Sure. Here is the readme:',
          '',
          '## 3. User',
          '',
          '_Embedded resource_ `fixture://readme` (text/plain, 22 B):',
          '',
          '```',
          'Fixture server readme.',
          '```',
          '',
          '## 4. User',
          '',
          '_Image (image/png, 70 B), shown in the media panel beside this document._',
          '',
        ].join('\n'),
      );
      assert.deepEqual(
        r.media.map((m) => [m.kind, m.label]),
        [['image', '4. User: image (image/png, 70 B)']],
      );
    });

    it('notes resource links and says when there are no messages', function () {
      const prompt = { name: 'p', description: 'Line one\nLine two' };
      const r = renderPrompt(
        {
          messages: [
            {
              role: 'assistant',
              content: { type: 'resource_link', uri: 'x://doc', name: 'doc', mimeType: 'text/plain', description: 'A doc' },
            },
          ],
        },
        { server: 's', prompt, args: {} },
      );
      assert.match(r.text, /> Line one\n> Line two\n/);
      assert.match(
        r.text,
        /## 1\. Assistant\n\n_Resource link_ `x:\/\/doc` \(doc, text\/plain\): A doc\. Read it with "MCP Manager: Read Resource\.\.\."\.\n/,
      );
      assert.match(renderPrompt({ messages: [] }, { server: 's', prompt, args: {} }).text, /The server returned no messages\./);
    });
  });

  describe('ServerCatalog', function () {
    async function registryWith(def: ServerDefinition, logger = recordingLogger()) {
      const registry = new ServerRegistry({ timing: fastTiming, loggerFor: () => logger });
      open.push(registry);
      await registry.update({ servers: [def], issues: [] });
      const catalog = new ServerCatalog(registry, () => logger);
      return { registry, catalog, conn: registry.get(def.name)!, logger };
    }

    it('knows what a kept-alive server declares once it ran; lists once for concurrent callers; forgets on restart', async function () {
      const { catalog, conn, logger } = await registryWith(
        definition('fx', { command: NODE, args: [FIXTURE_SERVER], env: { FIXTURE_LOG_REQUESTS: '1' } }),
      );
      assert.equal(catalog.offers(conn, 'resources'), undefined);
      await conn.start();
      assert.equal(catalog.offers(conn, 'resources'), true);
      assert.equal(catalog.offers(conn, 'prompts'), true);
      const changes: string[] = [];
      catalog.onDidChange((e) => changes.push(`${e.server}/${e.kind}`));
      const [a, b] = await Promise.all([catalog.list(conn, 'resources'), catalog.list(conn, 'resources')]);
      assert.equal(a, b);
      assert.deepEqual(
        a.resources.map((r) => r.uri),
        ['fixture://readme', 'fixture://data.json', 'fixture://bundle', 'fixture://broken'],
      );
      assert.deepEqual(
        a.templates.map((t) => t.uriTemplate),
        ['fixture://item/{id}'],
      );
      assert.equal(catalog.peek(conn, 'resources')?.value, a);
      assert.deepEqual(changes, ['fx/resources']);
      await waitFor(() => logger.lines.filter((l) => l.includes('request resources/list')).length === 1, 3000, 'the request in the log');
      assert.equal(logger.lines.filter((l) => l.includes('request resources/templates/list')).length, 1);
      // Kept across calls, forgotten with the session.
      assert.equal(await catalog.list(conn, 'resources'), a);
      await conn.restart();
      assert.equal(catalog.peek(conn, 'resources'), undefined);
      assert.notEqual(await catalog.list(conn, 'resources'), a);
      // Capabilities survive the server going idle (the tree keeps its folders); keepAlive false: unknown.
      await conn.stop();
      assert.equal(catalog.offers(conn, 'prompts'), true);
    });

    it('a server declaring only tools offers neither; a keepAlive: false server is known once it ran', async function () {
      const tools = await registryWith(definition('t', { command: NODE, args: [FIXTURE_SERVER], env: { FIXTURE_TOOLS_ONLY: '1' } }));
      await tools.conn.start();
      assert.equal(tools.catalog.offers(tools.conn, 'resources'), false);
      assert.equal(tools.catalog.offers(tools.conn, 'prompts'), false);
      const ephemeral = await registryWith(definition('e', { command: NODE, args: [FIXTURE_SERVER], keepAlive: false }));
      assert.equal(ephemeral.catalog.offers(ephemeral.conn, 'resources'), undefined);
      await ephemeral.conn.listTools();
      assert.equal(ephemeral.conn.state.kind, 'idle', 'no session left');
      assert.equal(ephemeral.catalog.offers(ephemeral.conn, 'resources'), true);
      // Listing still works (the palette tries servers whose capabilities are unknown).
      assert.equal((await ephemeral.catalog.list(ephemeral.conn, 'prompts')).length, 2);
    });

    it('forgets a list when the server says it changed (list_changed), and lists it anew', async function () {
      let server: McpServer | undefined;
      const create = () => {
        server = new McpServer({ name: 'changing', version: '1.0.0' });
        server.registerResource('first', 'mem://first', {}, () => ({ contents: [{ uri: 'mem://first', text: '1' }] }));
        server.registerPrompt('hello', {}, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] }));
        return server;
      };
      const { catalog, conn, logger } = await registryWith(inMemoryServer('mem', create));
      assert.deepEqual(
        (await catalog.list(conn, 'resources')).resources.map((r) => r.uri),
        ['mem://first'],
      );
      assert.deepEqual(
        (await catalog.list(conn, 'prompts')).map((p) => p.name),
        ['hello'],
      );
      const changes: string[] = [];
      catalog.onDidChange((e) => changes.push(e.kind));
      server!.registerResource('second', 'mem://second', {}, () => ({ contents: [{ uri: 'mem://second', text: '2' }] }));
      await waitFor(() => changes.includes('resources'), 2000, 'the resource list change');
      assert.equal(catalog.peek(conn, 'resources'), undefined);
      assert.ok(catalog.peek(conn, 'prompts')?.value, 'the other list is kept');
      assert.deepEqual(
        (await catalog.list(conn, 'resources')).resources.map((r) => r.uri),
        ['mem://first', 'mem://second'],
      );
      server!.registerPrompt('bye', {}, () => ({ messages: [] }));
      await waitFor(() => changes.includes('prompts'), 2000, 'the prompt list change');
      assert.deepEqual(
        (await catalog.list(conn, 'prompts')).map((p) => p.name),
        ['hello', 'bye'],
      );
      assert.ok(
        logger.lines.some((l) => l.includes('resource list changed')) && logger.lines.some((l) => l.includes('prompt list changed')),
      );
    });

    it('keeps a failed listing as a masked error without the server name; a later list tries again', async function () {
      const { catalog, conn } = await registryWith(
        definition('bad', { command: NODE, args: [FIXTURE_SERVER], env: { FIXTURE_FAIL_LISTS: '1' } }),
      );
      await assert.rejects(
        catalog.list(conn, 'prompts'),
        (e: Error) => e instanceof ServerError && /prompts\/list failed on purpose/.test(e.message),
      );
      assert.equal(catalog.peek(conn, 'prompts')?.error, 'prompts/list failed on purpose (MCP error -32603)');
      await assert.rejects(catalog.list(conn, 'prompts'));
    });

    it('a server without resources/templates/list still lists its resources (logged, no templates)', async function () {
      const create = () => {
        const server = new Server({ name: 'no-templates', version: '1.0.0' }, { capabilities: { resources: {} } });
        server.setRequestHandler(ListResourcesRequestSchema, () => ({
          resources: [
            { uri: 'mem://a', name: 'a' },
            { uri: 'mem://a', name: 'again' },
          ],
        }));
        return server;
      };
      const logger = recordingLogger();
      const { catalog, conn } = await registryWith(inMemoryServer('mem', create), logger);
      const list = await catalog.list(conn, 'resources');
      assert.deepEqual(
        list.resources.map((r) => r.name),
        ['a'],
        'a repeated URI is shown once',
      );
      assert.deepEqual(list.templates, []);
      assert.ok(
        logger.lines.some((l) => /^warn resources\/templates\/list failed, so no resource templates are shown: .*Method not found/.test(l)),
        logger.lines.join('\n'),
      );
    });

    it('stops waiting when the caller cancels, and the listing goes on for the others', async function () {
      const { catalog, conn } = await registryWith(
        inMemoryServer('slow', () => {
          const server = new McpServer({ name: 'slow', version: '1.0.0' });
          server.registerPrompt('p', {}, async () => ({ messages: [] }));
          return server;
        }),
      );
      const ac = new AbortController();
      const mine = catalog.list(conn, 'prompts', { signal: ac.signal });
      const others = catalog.list(conn, 'prompts');
      ac.abort();
      await assert.rejects(mine, (e: Error) => e instanceof ServerError && e.kind === 'cancelled');
      assert.deepEqual(
        (await others).map((p) => p.name),
        ['p'],
      );
    });

    it('helpers: failures for people, server name out of messages, first of each key', function () {
      assert.equal(
        failureText('fx: request failed: MCP error -32602: Resource nope://x not found', 'fx'),
        'Resource nope://x not found (MCP error -32602)',
      );
      assert.equal(failureText('fx: exited with code 3 during startup', 'fx'), 'exited with code 3 during startup');
      assert.equal(withoutServer('fx: request failed: x', 'fx'), 'request failed: x');
      assert.equal(withoutServer('other: x', 'fx'), 'other: x');
      assert.deepEqual(
        unique(
          [
            { k: 'a', n: 1 },
            { k: 'b', n: 2 },
            { k: 'a', n: 3 },
          ],
          (x) => x.k,
        ),
        [
          { k: 'a', n: 1 },
          { k: 'b', n: 2 },
        ],
      );
    });
  });
});
