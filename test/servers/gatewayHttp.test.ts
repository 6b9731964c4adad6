// The gateway over Streamable HTTP: `mcp-manager serve --http 127.0.0.1:0 --token-file FILE` as a
// real child process, real SDK v2 clients (2025-era sessions and 2026-07-28), raw HTTP for the
// token, Host and Origin checks.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ERAS, FIXTURE_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';
import { buildCli, CLI } from './runCli';
import { descendants, waitFor } from './gatewayHelpers';

const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** One raw POST, with exactly the headers given (Host included), so the checks see what a browser could send. */
function post(
  port: number,
  headers: Record<string, string>,
  body = INITIALIZE,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('gateway: mcp-manager serve --http', function () {
  this.timeout(120_000);
  let tmp: string;
  let child: ChildProcess;
  let stderr = '';
  let url: string;
  let port: number;
  let token: string;
  let tokenFile: string;
  const clients: Client[] = [];

  async function connect(modern = false, options: ConstructorParameters<typeof Client>[1] = {}): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    const client = new Client(
      { name: modern ? 'modern-client' : 'legacy-client', version: '1.0.0' },
      { ...options, ...(modern ? ({ versionNegotiation: { mode: 'auto' } } as never) : {}) },
    );
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  /** Starts `mcp-manager serve --http` on this test's configuration (and remembered lists, in its XDG folder). */
  async function startGateway(): Promise<void> {
    child = spawn(
      NODE,
      [CLI, 'serve', '--config', path.join(tmp, 'mcp.json'), '--http', '127.0.0.1:0', '--token-file', tokenFile, '--json', '-v'],
      {
        env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    await waitFor(() => stdout.includes('\n'), 'the gateway to print its URL');
    url = (JSON.parse(stdout.split('\n')[0]!) as { url: string }).url;
    port = Number(new URL(url).port);
    token = fs.readFileSync(tokenFile, 'utf8').trim();
  }

  async function stopGateway(): Promise<void> {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }

  before(async function () {
    buildCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-gateway-http-'));
    const config = path.join(tmp, 'mcp.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        servers: {
          fixture: { command: NODE, args: [FIXTURE_SERVER] },
          modern: { command: NODE, args: [ERAS.modern] },
          everything: { command: NODE, args: [EVERYTHING, 'stdio'] },
        },
      }),
    );
    tokenFile = path.join(tmp, 'token');
    await startGateway();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  });
  after(async () => {
    await stopGateway();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and writes a token of at least 128 bits readable only by the user', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 bits');
  });

  it('refuses requests without the token, or with a Host or Origin that is not local', async () => {
    const host = `127.0.0.1:${port}`;
    const none = await post(port, { host });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal((await post(port, { host, authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await post(port, { host: `evil.example:${port}`, authorization: `Bearer ${token}` })).status, 403);
    assert.equal((await post(port, { host, origin: 'http://evil.example', authorization: `Bearer ${token}` })).status, 403);
    assert.equal((await post(port, { host, origin: `http://localhost:${port}`, authorization: `Bearer ${token}` })).status, 200);
    assert.ok(!stderr.includes(token), 'the token never reaches the log');
  });

  it('lets two clients (a 2025-era session and a 2026-07-28 client) share one server process', async () => {
    const a = await connect(false);
    const b = await connect(true);
    const pidA = await a.callTool({ name: 'fixture_pid', arguments: {} });
    const pidB = await b.callTool({ name: 'fixture_pid', arguments: {} });
    assert.deepEqual(pidA.content, pidB.content);
    const servers = descendants(child.pid!).filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('server.mjs'));
    assert.equal(servers.length, 1, 'one fixture process for both clients');
  });

  for (const era of ['2025-era', '2026-07-28'] as const)
    it(`cancels the call of a ${era} client that disconnects mid-call, and keeps serving the others`, async () => {
      const leaving = await connect(era === '2026-07-28');
      const staying = await connect(true);
      let progressed = false;
      const call = leaving.callTool(
        { name: 'fixture_sleep', arguments: { ms: 60_000, progress: true } },
        { onprogress: () => (progressed = true) },
      );
      call.catch(() => undefined);
      await waitFor(() => progressed, 'progress from the call');
      const before = (stderr.match(/\[fixture\].*cancelled/g) ?? []).length;
      await leaving.close();
      await waitFor(() => (stderr.match(/\[fixture\].*cancelled/g) ?? []).length > before, 'the server saw the call cancelled');
      const r = await staying.callTool({ name: 'fixture_echo', arguments: { message: 'still serving' } });
      assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: still serving' }]);
    });

  it("asks the client whose call caused a server's question, not the one whose call started that server", async () => {
    const asked = { first: 0, second: 0 };
    const client = async (who: keyof typeof asked) => {
      const c = await connect(false, { capabilities: { elicitation: {} } });
      c.setRequestHandler('elicitation/create', () => {
        asked[who]++;
        return { action: 'decline' };
      });
      return c;
    };
    // Remembered lists (from the gateway before this one): the first client's call, not a listing,
    // starts the server, so its process and the pipes its questions come through begin in that call.
    const lister = await connect();
    assert.ok((await lister.listTools()).tools.some((t) => t.name === 'everything_trigger-elicitation-request'));
    await stopGateway();
    await startGateway();
    const first = await client('first');
    const second = await client('second');
    assert.deepEqual(descendants(child.pid!), [], 'no server runs before the first call');
    await first.callTool({ name: 'everything_echo', arguments: { message: 'start' } });
    const r = await second.callTool({ name: 'everything_trigger-elicitation-request', arguments: {} });
    assert.match(JSON.stringify(r.content), /decline/i);
    assert.deepEqual(asked, { first: 0, second: 1 });
  });
});
