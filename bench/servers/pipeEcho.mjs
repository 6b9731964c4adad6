#!/usr/bin/env node
// The floor for a stdio round trip: newline-delimited JSON-RPC in, an echo result out, with the
// least work a server can do (parse the line, stringify the answer). No SDK.
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf('\n')) !== -1) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    if (!line) continue;
    const msg = JSON.parse(line);
    if (msg.id === undefined) continue;
    const text = `Echo: ${msg.params?.arguments?.message ?? ''}`;
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text }] } }) + '\n');
  }
});
