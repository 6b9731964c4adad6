#!/usr/bin/env node
// The benchmarks' MCP server, built on SDK v2 (`@modelcontextprotocol/server` 2.x, McpServer), serving
// one protocol era the way the SDK documents it, so each case runs against a 2025-11-25 server and a
// 2026-07-28 server of the same code:
//
//   node bench/servers/v2Server.mjs --era legacy|modern            stdio
//   node bench/servers/v2Server.mjs --era legacy|modern --http     Streamable HTTP at /mcp, 127.0.0.1, random port
//
//   legacy  2025-11-25 only. stdio: McpServer on StdioServerTransport (`server/discover` gets -32601).
//           HTTP: one sessionful NodeStreamableHTTPServerTransport per `initialize` (Mcp-Session-Id).
//   modern  2026-07-28 only. stdio: serveStdio(factory, { legacy: 'reject' }). HTTP: createMcpHandler
//           (factory, { legacy: 'reject' }), which builds a server per request, as the SDK does.
//
// Prints `bench server started pid=<pid> era=<era>` on stderr, and for HTTP then `LISTENING <url>`.
//
// Tools: echo {message} -> "Echo: <message>"; pid -> the process id; big {bytes} -> one text content of
// exactly `bytes` "x" characters; with BENCH_TOOL_COUNT=N also t0..t{N-1} {value?} ("t<i>: <value>"),
// each with an outputSchema {index, value} and structuredContent when BENCH_OUTPUT_SCHEMA=1.
// tools/list is rendered once and the result reused (one page): rendering thousands of schemas per
// list would otherwise be most of what a list benchmark measures.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod/v4';

const argv = process.argv.slice(2);
const eraArg = argv.indexOf('--era');
const era = eraArg >= 0 ? argv[eraArg + 1] : undefined;
if (era !== 'legacy' && era !== 'modern') {
  process.stderr.write(`bench server: --era legacy|modern is required (got ${JSON.stringify(era)})\n`);
  process.exit(2);
}
const mode = argv.includes('--http') ? 'http' : 'stdio';
const toolCount = Number(process.env.BENCH_TOOL_COUNT ?? 0) || 0;
const outputSchema = process.env.BENCH_OUTPUT_SCHEMA === '1';

const text = (t) => ({ content: [{ type: 'text', text: String(t) }] });

function build() {
  const mcp = new McpServer({ name: 'bench-v2-server', version: '1.0.0' }, { capabilities: {} });
  mcp.registerTool(
    'echo',
    { description: 'Echoes the message back as "Echo: <message>".', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => text(`Echo: ${message}`),
  );
  mcp.registerTool('pid', { description: 'The process id of the server.' }, async () => text(process.pid));
  mcp.registerTool(
    'big',
    { description: 'One text content of exactly `bytes` "x" characters.', inputSchema: z.object({ bytes: z.number().int().min(0) }) },
    async ({ bytes }) => text('x'.repeat(bytes)),
  );
  const input = z.object({ value: z.string().optional() });
  const output = z.object({ index: z.number(), value: z.string() });
  for (let i = 0; i < toolCount; i++) {
    mcp.registerTool(
      `t${i}`,
      { description: `Extra tool number ${i}.`, inputSchema: input, ...(outputSchema ? { outputSchema: output } : {}) },
      async ({ value }) => ({
        ...text(`t${i}: ${value ?? ''}`),
        ...(outputSchema ? { structuredContent: { index: i, value: value ?? '' } } : {}),
      }),
    );
  }
  if (toolCount > 0) {
    // McpServer keeps its handlers in the Protocol's private `_requestHandlers` map (as in SDK 1.x).
    const handlers = mcp.server._requestHandlers;
    const original = handlers instanceof Map ? handlers.get('tools/list') : undefined;
    if (!original) throw new Error('bench server: SDK internals changed, no tools/list handler to cache');
    let rendered;
    handlers.set('tools/list', async (request, ctx) => (rendered ??= await original(request, ctx)));
  }
  return mcp;
}

process.stderr.write(`bench server started pid=${process.pid} era=${era}\n`);

if (mode === 'stdio') {
  if (era === 'legacy') await build().connect(new StdioServerTransport());
  else serveStdio(() => build(), { legacy: 'reject' });
  process.stdin.on('end', () => process.exit(0));
} else {
  const sessions = new Map();
  const modern = era === 'modern' ? toNodeHandler(createMcpHandler(() => build(), { legacy: 'reject' })) : undefined;
  const jsonError = (res, status, code, message) =>
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));

  async function legacy(req, res) {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const transport = sessions.get(sid);
      if (!transport) return jsonError(res, 404, -32001, 'Session not found');
      return transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return jsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body?.method !== 'initialize') return jsonError(res, 400, -32000, 'Bad Request: Server not initialized (no valid session ID)');
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await build().connect(transport);
    return transport.handleRequest(req, res, body);
  }

  const server = http.createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') return jsonError(res, 404, -32000, 'Not found');
    (modern ? modern(req, res) : legacy(req, res)).catch((err) => {
      process.stderr.write(`request error: ${err?.stack ?? err}\n`);
      if (!res.headersSent) jsonError(res, 500, -32603, String(err?.message ?? err));
      else res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stderr.write(`LISTENING http://127.0.0.1:${server.address().port}/mcp\n`));
  process.on('SIGTERM', () => {
    server.closeAllConnections?.();
    process.exit(0);
  });
}
