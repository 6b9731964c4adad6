#!/usr/bin/env node
// A minimal Streamable HTTP MCP server for the benchmarks: JSON responses (no SSE), one session,
// echo tool only. It does as little work per request as an MCP server can, so that the client's
// cost dominates what is measured. The floor client (raw http.request) talks to this same server.
//
//   node bench/servers/tinyHttp.mjs        prints `LISTENING <url>` on stderr
import http from 'node:http';

const SESSION = 'bench-session';
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
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
    let result;
    if (msg.method === 'initialize') {
      result = { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'tiny-http', version: '1.0.0' } };
    } else if (msg.method === 'tools/call') {
      result = { content: [{ type: 'text', text: `Echo: ${msg.params.arguments?.message ?? ''}` }] };
    } else if (msg.method === 'tools/list') {
      result = { tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } }] };
    } else if (msg.method === 'ping') {
      result = {};
    } else {
      const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION }).end(body);
      return;
    }
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'mcp-session-id': SESSION });
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
