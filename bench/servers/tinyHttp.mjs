#!/usr/bin/env node
// A minimal Streamable HTTP MCP server for the benchmarks: JSON responses (no SSE), echo tool only,
// in one protocol era. It does as little work per request as an MCP server can, so that the client's
// cost dominates what is measured. The floor client (raw http.request) talks to this same server.
//
//   node bench/servers/tinyHttp.mjs [--era legacy|modern]     prints `LISTENING <url>` on stderr
//
//   legacy (default)  2025-11-25: `initialize`, one session id; `server/discover` gets -32601 (Method
//                     not found), which is how a 2025-era server answers the 2026 probe.
//   modern            2026-07-28: `server/discover`; results carry `resultType`, lists `ttlMs`, and every
//                     result the `_meta` serverInfo stamp. No sessions. `initialize` gets -32022.
import http from 'node:http';

const argv = process.argv.slice(2);
const eraArg = argv.indexOf('--era');
const era = eraArg >= 0 ? argv[eraArg + 1] : 'legacy';
if (era !== 'legacy' && era !== 'modern') {
  process.stderr.write(`tinyHttp: --era must be legacy or modern, not ${JSON.stringify(era)}\n`);
  process.exit(2);
}
const MODERN = '2026-07-28';
const SESSION = 'bench-session';
const SERVER_INFO = { name: 'tiny-http', version: '1.0.0' };
const ECHO_TOOL = { name: 'echo', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } };

function legacyResult(msg) {
  switch (msg.method) {
    case 'initialize':
      return { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: SERVER_INFO };
    case 'tools/call':
      return { content: [{ type: 'text', text: `Echo: ${msg.params.arguments?.message ?? ''}` }] };
    case 'tools/list':
      return { tools: [ECHO_TOOL] };
    case 'ping':
      return {};
  }
  return undefined;
}

function modernResult(msg) {
  const meta = { _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO } };
  switch (msg.method) {
    case 'server/discover':
      return { resultType: 'complete', supportedVersions: [MODERN], capabilities: { tools: {} }, ttlMs: 0, cacheScope: 'private', ...meta };
    case 'tools/call':
      return { resultType: 'complete', content: [{ type: 'text', text: `Echo: ${msg.params.arguments?.message ?? ''}` }], ...meta };
    case 'tools/list':
      return { resultType: 'complete', tools: [ECHO_TOOL], ttlMs: 0, cacheScope: 'private', ...meta };
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' || (era === 'modern' && req.method === 'DELETE')) {
    res.writeHead(405).end();
    return;
  }
  if (req.method === 'DELETE') {
    res.writeHead(200).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const headers = { 'content-type': 'application/json', ...(era === 'legacy' && { 'mcp-session-id': SESSION }) };
    const result = era === 'legacy' ? legacyResult(msg) : modernResult(msg);
    let body;
    if (result) body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
    else if (era === 'modern' && msg.method === 'initialize')
      body = JSON.stringify({
        jsonrpc: '2.0',
        id: msg.id,
        error: { code: -32022, message: 'Unsupported protocol version', data: { supported: [MODERN] } },
      });
    else body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
let connections = 0;
server.on('connection', () => connections++);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`LISTENING http://127.0.0.1:${server.address().port}/mcp\n`);
});
// `kill -USR2` prints how many TCP connections were accepted (keep-alive check).
process.on('SIGUSR2', () => process.stderr.write(`CONNECTIONS ${connections}\n`));
process.on('SIGTERM', () => process.exit(0));
