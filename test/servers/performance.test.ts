// Behaviour behind the performance work (no timings here: `npm run bench` measures): lazy
// outputSchema validation that matches the SDK's Client.callTool, big results and multi-byte text
// across chunk boundaries, and 10,000 tools.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { ServerConnection, ServerError } from '../../src/core';
import { createValidatorProvider } from '../../src/core/toolOutput';
import { FIXTURE_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';
import { definition, fastTiming, recordingLogger, textOf } from '../unit/helpers';

// A low-level SDK Server (McpServer would validate its own output and never send bad content).
const OUTPUT_SCHEMA_SERVER = `
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
const input = { type: 'object', properties: {} };
const server = new Server({ name: 'schemas', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
let version = 0;
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [
  { name: 'good', inputSchema: input, outputSchema: schema },
  { name: 'bad', inputSchema: input, outputSchema: schema },
  { name: 'missing', inputSchema: input, outputSchema: schema },
  { name: 'failed', inputSchema: input, outputSchema: schema },
  { name: 'plain', inputSchema: input },
  // Its schema changes on every tools/list after 'bump'.
  { name: 'moving', inputSchema: input, outputSchema: { type: 'object', properties: { v: { const: version } }, required: ['v'] } },
] }));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const text = [{ type: 'text', text: req.params.name }];
  switch (req.params.name) {
    case 'good': return { content: text, structuredContent: { n: 1 } };
    case 'bad': return { content: text, structuredContent: { n: 'not a number' } };
    case 'missing': return { content: text };
    case 'failed': return { content: text, isError: true };
    case 'plain': return { content: text, structuredContent: { anything: true } };
    case 'moving': return { content: text, structuredContent: { v: 1 } };
    case 'bump': version = 1; return { content: text };
  }
  throw new Error('unknown tool');
});
await server.connect(new StdioServerTransport());
`;
const SCHEMA_SERVER_ARGS = ['--input-type=module', '-e', OUTPUT_SCHEMA_SERVER];

/** A validator provider that counts compiled schemas. */
function countingFactory(): { factory: () => jsonSchemaValidator; compiled: () => number } {
  let n = 0;
  return {
    factory: () => {
      const inner = createValidatorProvider();
      return { getValidator: (schema) => (n++, inner.getValidator(schema)) };
    },
    compiled: () => n,
  };
}

describe('performance behaviour', function () {
  this.timeout(60_000);
  const open: ServerConnection[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  const conn = (entry: Record<string, unknown>, options: { validatorFactory?: () => jsonSchemaValidator } = {}) => {
    const c = new ServerConnection(definition('perf', entry), { timing: fastTiming, logger: recordingLogger(), ...options });
    open.push(c);
    return c;
  };

  describe('lazy outputSchema validation', () => {
    /**
     * What the plain SDK client answers for each tool (listTools first, as it requires), with the
     * SDK's cfworker validator in its default configuration (ours; the SDK's own default is Ajv).
     */
    async function sdkOutcomes(names: string[]): Promise<Record<string, string>> {
      const client = new Client({ name: 'sdk', version: '1.0.0' }, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
      await client.connect(
        new StdioClientTransport({
          command: NODE,
          args: SCHEMA_SERVER_ARGS,
          cwd: REPO_ROOT,
          env: getDefaultEnvironment(),
          stderr: 'ignore',
        }),
      );
      try {
        await client.listTools();
        const out: Record<string, string> = {};
        for (const name of names) {
          out[name] = await client.callTool({ name, arguments: {} }).then(
            () => 'ok',
            (e: Error) => e.message.replace(/^MCP error -?\d+: /, ''),
          );
        }
        return out;
      } finally {
        await client.close();
      }
    }

    it('rejects invalid or missing structuredContent exactly as the SDK client does', async () => {
      const names = ['good', 'bad', 'missing', 'failed', 'plain'];
      const c = conn({ command: NODE, args: SCHEMA_SERVER_ARGS, cwd: REPO_ROOT });
      await c.listTools();
      const ours: Record<string, string> = {};
      for (const name of names) {
        ours[name] = await c.callTool(name, {}).then(
          () => 'ok',
          (e: ServerError) => {
            assert.ok(e instanceof ServerError && e.kind === 'protocol', `${name}: ${e.message}`);
            return e.message.replace(`perf: tools/call "${name}" failed: `, '');
          },
        );
      }
      // @cfworker/json-schema's wording, through the SDK's CfWorkerJsonSchemaValidator (was Ajv's "data/n must be number").
      assert.equal(
        ours.bad,
        `Structured content does not match the tool's output schema: #: Property "n" does not match schema.; #/n: Instance type "string" is invalid. Expected "number".`,
      );
      assert.equal(ours.missing, 'Tool missing has an output schema but did not return structured content');
      assert.equal(ours.good, 'ok');
      assert.equal(ours.failed, 'ok', 'an error result needs no structured content');
      assert.equal(ours.plain, 'ok', 'no outputSchema, no validation');
      assert.deepEqual(ours, await sdkOutcomes(names));
    });

    it('compiles a validator on the first call of a tool only, and again only when its schema changes', async () => {
      const counter = countingFactory();
      const c = conn({ command: NODE, args: SCHEMA_SERVER_ARGS, cwd: REPO_ROOT }, { validatorFactory: counter.factory });
      await c.listTools();
      assert.equal(counter.compiled(), 0, 'listing compiles nothing');
      for (let i = 0; i < 5; i++) await c.callTool('good', {});
      assert.equal(counter.compiled(), 1);
      for (let i = 0; i < 3; i++) await c.listTools({ refresh: true });
      await c.callTool('good', {});
      assert.equal(counter.compiled(), 1, 'a re-list with the same schema reuses the validator');
      await assert.rejects(c.callTool('bad', {}));
      assert.equal(counter.compiled(), 2);
      await assert.rejects(c.callTool('moving', {}), /output schema/);
      await c.callTool('bump', {});
      await c.listTools({ refresh: true });
      assert.equal(textOf(await c.callTool('moving', {})), 'moving');
      assert.equal(counter.compiled(), 4, 'a changed schema is compiled again');
    });

    it('does not validate before the tools were listed (as the SDK client)', async () => {
      const c = conn({ command: NODE, args: SCHEMA_SERVER_ARGS, cwd: REPO_ROOT });
      assert.equal(textOf(await c.callTool('bad', {})), 'bad');
    });
  });

  describe('big results over stdio', () => {
    const MiB = 1024 * 1024;

    for (const mib of [10, 50]) {
      it(`passes a ${mib} MiB result through ServerConnection`, async () => {
        const c = conn({ command: NODE, args: [FIXTURE_SERVER] });
        const result = await c.callTool('big', { bytes: mib * MiB });
        const text = textOf(result);
        assert.equal(text.length, mib * MiB);
        assert.ok(/^x+$/.test(text.slice(0, 1000)) && /^x+$/.test(text.slice(-1000)));
        assert.equal(textOf(await c.callTool('echo', { message: 'after' })), 'Echo: after');
      });
    }

    it('decodes multi-byte characters split across chunk boundaries', async () => {
      const c = conn({ command: NODE, args: [FIXTURE_SERVER] });
      // 2-, 3- and 4-byte UTF-8 sequences, ~3 MiB on the wire: many 64 KiB chunks, split anywhere.
      const message = 'é€😀a'.repeat(300_000);
      assert.equal(textOf(await c.callTool('echo', { message })), `Echo: ${message}`);
    });

    it('fails the one result over maxResultBytes that spans many chunks, and then reads the next', async () => {
      const c = conn({ command: NODE, args: [FIXTURE_SERVER], maxResultBytes: 1 * MiB });
      await assert.rejects(
        c.callTool('big', { bytes: 3 * MiB }),
        (e: ServerError) => e.kind === 'tooLarge' && /3\.0 MiB exceeds the limit of 1\.0 MiB/.test(e.message),
      );
      assert.equal(textOf(await c.callTool('big', { bytes: 900 * 1024 })).length, 900 * 1024);
    });
  });

  it("leaves no listener on a caller's signal reused for many calls, and still cancels with it", async () => {
    let warnings = 0;
    const onWarning = (w: Error) => {
      if (w.name === 'MaxListenersExceededWarning') warnings++;
    };
    process.on('warning', onWarning);
    try {
      const c = conn({ command: NODE, args: [FIXTURE_SERVER] });
      const shared = new AbortController();
      for (let i = 0; i < 500; i++) await c.callTool('echo', { message: String(i) }, { signal: shared.signal });
      await c.listTools({ signal: shared.signal });
      await c.ping({ signal: shared.signal });
      assert.equal(getEventListeners(shared.signal, 'abort').length, 0);
      assert.equal(warnings, 0);
      const slow = c.callTool('sleep', { ms: 5000 }, { signal: shared.signal });
      setTimeout(() => shared.abort(), 50);
      await assert.rejects(slow, (e: ServerError) => e.kind === 'cancelled');
      assert.equal(textOf(await c.callTool('echo', { message: 'still here' })), 'Echo: still here');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('lists 10,000 tools', async () => {
    const c = conn({ command: NODE, args: [FIXTURE_SERVER], env: { FIXTURE_TOOL_COUNT: '10000' } });
    const tools = await c.listTools();
    assert.equal(tools.length, 10_013);
    assert.equal(new Set(tools.map((t) => t.name)).size, 10_013);
    assert.equal(tools.at(-1)?.name, 't9999');
  });
});
