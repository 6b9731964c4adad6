// The pure 2026-07-28 helpers: x-mcp-header rules and encoding, list freshness.
import * as assert from 'node:assert/strict';
import type { Tool } from '@modelcontextprotocol/client';
import { MAX_TTL_MS, encodeMcpParam, freshUntil, mcpParamHeaders, scanMcpParams } from '../../src/core/modern';

const tool = (properties: Record<string, unknown>): Tool => ({ name: 't', inputSchema: { type: 'object', properties } }) as Tool;

describe('2026-07-28 helpers', () => {
  it('finds x-mcp-header declarations through nested properties', () => {
    const scan = scanMcpParams({
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        opts: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } },
      },
    });
    assert.deepEqual(scan, {
      valid: true,
      declarations: [
        { path: ['opts', 'n'], header: 'N' },
        { path: ['region'], header: 'Region' },
      ],
    });
  });

  it('rejects names that are not tokens, non-primitive properties, duplicates and unreachable places', () => {
    const bad = (schema: unknown, why: RegExp) => {
      const scan = scanMcpParams(schema);
      assert.equal(scan.valid, false);
      assert.match(scan.valid ? '' : scan.reason, why);
    };
    bad({ type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Bad Name' } } }, /not a valid header name/);
    bad({ type: 'object', properties: { a: { type: 'object', 'x-mcp-header': 'A' } } }, /object property/);
    bad({ type: 'object', properties: { a: { type: 'string', 'x-mcp-header': '' } } }, /non-empty string/);
    bad(
      { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'X' }, b: { type: 'string', 'x-mcp-header': 'x' } } },
      /declared twice/,
    );
    bad({ type: 'object', properties: { a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'I' } } } }, /"properties" only/);
    bad({ type: 'object', anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }, /"properties" only/);
  });

  it('encodes values as the spec says', () => {
    assert.equal(encodeMcpParam('eu-west 1'), 'eu-west 1');
    assert.equal(encodeMcpParam('Zürich'), `=?base64?${Buffer.from('Zürich').toString('base64')}?=`);
    assert.equal(encodeMcpParam(''), '=?base64??=');
    assert.equal(encodeMcpParam(' padded'), `=?base64?${Buffer.from(' padded').toString('base64')}?=`);
    assert.equal(encodeMcpParam('=?base64?abc?='), `=?base64?${Buffer.from('=?base64?abc?=').toString('base64')}?=`);
  });

  it('builds the headers of a call from its arguments, skipping absent and non-primitive values', () => {
    const t = tool({
      region: { type: 'string', 'x-mcp-header': 'Region' },
      n: { type: 'integer', 'x-mcp-header': 'N' },
      on: { type: 'boolean', 'x-mcp-header': 'On' },
    });
    assert.deepEqual(mcpParamHeaders(t, { region: 'us', n: 3, on: false }), {
      'Mcp-Param-Region': 'us',
      'Mcp-Param-N': '3',
      'Mcp-Param-On': 'false',
    });
    assert.deepEqual(mcpParamHeaders(t, { region: { nested: true } }), undefined);
    assert.equal(mcpParamHeaders(undefined, { region: 'us' }), undefined);
  });

  it('reads list freshness from ttlMs, capped, stale at once without it', () => {
    assert.equal(freshUntil({ ttlMs: 5000 }, 1000), 6000);
    assert.equal(freshUntil({}, 1000), 1000);
    assert.equal(freshUntil({ ttlMs: -1 }, 1000), 1000);
    assert.equal(freshUntil({ ttlMs: 10 * MAX_TTL_MS }, 0), MAX_TTL_MS);
  });
});
