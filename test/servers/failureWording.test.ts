// Issue 11 point 4 (core and CLI): failures say what happened. Each case against a real server: a
// stdio script, the fixture server, and small hand-written HTTP servers on 127.0.0.1 (a plain web
// server like `python3 -m http.server`, servers answering 401 with and without OAuth metadata).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ServerConnection, ServerError, type ConnectionState } from '../../src/core';
import { failureText } from '../../src/core/catalog';
import { BAD, FIXTURE_SERVER, NODE, REPO_ROOT } from '../fixtures/paths';
import { definition, fastTiming } from '../unit/helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** Generous: the fixture's "hello" must be written before the handshake gives up, even on a busy machine. */
const HELLO_TIMEOUT_MS = 5000;

interface Web {
  readonly url: string;
  close(): Promise<void>;
}

function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, origin: string) => void): Promise<Web> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res, `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** What `python3 -m http.server` answers (its exact pages): a listing for GET, 501 for POST, 404 for a missing file. */
function pythonLikeServer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const page = (code: number, message: string) =>
    `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: ${code}</p>\n        <p>Message: ${message}.</p>\n    </body>\n</html>\n`;
  res.setHeader('Server', 'SimpleHTTP/0.6 Python/3.11.2');
  if (req.method === 'GET' && req.url === '/') {
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end('<!DOCTYPE HTML><html><head><title>Directory listing for /</title></head><body><h1>Directory listing for /</h1></body></html>');
  } else if (req.method === 'GET') {
    res.writeHead(404, { 'Content-Type': 'text/html;charset=utf-8' }).end(page(404, 'File not found'));
  } else {
    res.writeHead(501, { 'Content-Type': 'text/html;charset=utf-8' }).end(page(501, `Unsupported method ('${req.method}')`));
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<RunResult> {
  const child = spawn(NODE, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI's one error line. */
function errorLine(r: RunResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  return lines[0]!;
}

async function failure(p: Promise<unknown>): Promise<ServerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ServerError, String(e));
    return e;
  }
  assert.fail('expected a failure');
}

describe('failures say what happened (issue 11 point 4)', function () {
  this.timeout(30_000);
  const open: ServerConnection[] = [];
  const webs: Web[] = [];
  const conn = (name: string, entry: Record<string, unknown>) => {
    const c = new ServerConnection(definition(name, entry), { timing: fastTiming });
    open.push(c);
    return c;
  };

  before(function () {
    this.timeout(60_000);
    if (!fs.existsSync(CLI) || fs.statSync(CLI).mtimeMs < Date.now() - 10 * 60_000)
      execFileSync(NODE, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 50_000 });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
    await Promise.all(webs.splice(0).map((w) => w.close()));
  });
  const web = async (handler: Parameters<typeof serve>[0]) => {
    const w = await serve(handler);
    webs.push(w);
    return w;
  };

  it('a stdio server writing text on stdout: shown while starting, and named in the handshake error', async () => {
    const c = conn('hello', { command: NODE, args: [BAD.stdoutHello], startupTimeoutMs: HELLO_TIMEOUT_MS });
    const seen: ConnectionState[] = [];
    const problem = new Promise<string>((resolve) => {
      c.onDidChangeState((s) => {
        seen.push(s);
        if (s.kind === 'starting' && s.problem) resolve(s.problem);
      });
    });
    const started = failure(c.start());
    assert.equal(
      await problem,
      "the server wrote text that is not JSON-RPC to stdout: 'hello'; a stdio server may only write protocol messages there",
    );
    const e = await started;
    assert.equal(e.kind, 'handshake');
    assert.match(
      e.message,
      /^hello: did not complete the MCP handshake within 5000 ms: the server wrote text that is not JSON-RPC to stdout: 'hello'; a stdio server may only write protocol messages there/,
    );
    assert.doesNotMatch(e.message, /startupTimeoutMs/);
    assert.equal(c.state.kind, 'error');

    const r = await cli(['ping', '--stdio', `${NODE} ${BAD.stdoutHello}`, '--timeout', String(HELLO_TIMEOUT_MS)]);
    assert.equal(r.code, 3);
    assert.match(errorLine(r), /not JSON-RPC to stdout: 'hello'; a stdio server may only write protocol messages there/);
    assert.doesNotMatch(r.stderr, /startupTimeoutMs/);
  });

  it("a JSON-RPC error reads once, with the server's message and code", async () => {
    const c = conn('fx', { command: NODE, args: [FIXTURE_SERVER] });
    const e = await failure(c.callTool('throw', {}));
    assert.equal(e.kind, 'protocol');
    assert.equal(e.code, -32603);
    assert.equal(e.message, 'fx: tools/call "throw" failed: thrown on purpose (MCP error -32603)');

    // The editor's browse rows and documents show it without the request prefix.
    const read = await failure(c.readResource('fixture://broken'));
    assert.equal(failureText(read.message, 'fx'), 'the disk is on fire (MCP error -32603)');

    const r = await cli(['call', '--stdio', `${NODE} ${FIXTURE_SERVER}`, 'throw']);
    assert.equal(r.code, 1);
    assert.equal(errorLine(r), `mcp-manager: ${NODE} ${FIXTURE_SERVER}: tools/call "throw" failed: thrown on purpose (MCP error -32603)`);
  });

  it('HTTP 401: sign-in when the server advertises OAuth metadata; credentials otherwise; --header for --url', async () => {
    // Advertised in the WWW-Authenticate header (RFC 9728 section 5.1).
    const challenged = await web((_req, res, origin) => {
      res
        .writeHead(401, {
          'WWW-Authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
          'Content-Type': 'application/json',
        })
        .end('{"error":"invalid_token"}');
    });
    // Not in the header, but served at the well-known URL.
    const wellKnown = await web((req, res, origin) => {
      if (req.method === 'GET' && req.url === '/.well-known/oauth-protected-resource') {
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ resource: `${origin}/mcp`, authorization_servers: [`${origin}/auth`] }));
      } else res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('Unauthorized');
    });
    const plain = await web((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end('Unauthorized'));

    const [a, b, p] = await Promise.all([
      failure(conn('a', { type: 'http', url: `${challenged.url}/mcp` }).start()),
      failure(conn('b', { type: 'http', url: `${wellKnown.url}/mcp` }).start()),
      failure(conn('p', { type: 'http', url: `${plain.url}/mcp` }).start()),
    ]);
    assert.match(
      a.message,
      new RegExp(
        `^a: ${challenged.url}/mcp needs sign-in: HTTP 401 .*advertises OAuth sign-in \\(${challenged.url}/\\.well-known/oauth-protected-resource/mcp\\).*"headers" as "Authorization: Bearer <token>"`,
      ),
    );
    assert.match(b.message, new RegExp(`needs sign-in: .*\\(${wellKnown.url}/\\.well-known/oauth-protected-resource\\)`));
    assert.match(p.message, /refused access: HTTP 401 \(Unauthorized\)\. Check the credentials in its "headers"/);
    assert.doesNotMatch(p.message, /sign-in/);

    const [ca, cp] = await Promise.all([cli(['ping', '--url', `${challenged.url}/mcp`]), cli(['ping', '--url', `${plain.url}/mcp`])]);
    assert.equal(ca.code, 3);
    assert.match(errorLine(ca), /needs sign-in: .* pass it with --header "Authorization: Bearer <token>"\.$/);
    assert.match(
      errorLine(cp),
      /refused access: HTTP 401 \(Unauthorized\)\. Pass credentials with --header, e\.g\. --header "Authorization: Bearer <token>"/,
    );
    for (const r of [ca, cp]) assert.doesNotMatch(r.stderr, /"headers"/);
  });

  it('a plain web server that is not MCP: "this URL does not serve MCP", not "up but failing"', async () => {
    const w = await web(pythonLikeServer);
    const [root, file, sse] = await Promise.all([
      failure(conn('root', { type: 'http', url: `${w.url}/` }).start()),
      failure(conn('file', { type: 'http', url: `${w.url}/mcp` }).start()),
      failure(conn('sse', { type: 'sse', url: `${w.url}/sse` }).start()),
    ]);
    for (const e of [root, file, sse]) {
      assert.equal(e.kind, 'handshake');
      assert.match(e.message, /this URL does not serve MCP/, e.message);
      assert.doesNotMatch(e.message, /up but failing/);
    }
    assert.match(
      root.message,
      /answered HTTP 501 with a web page \(Error response Error response Error code: 501 Message: Unsupported method \('POST'\)\.\)/,
    );
    assert.match(sse.message, /answered HTTP 404 with a web page/);

    const r = await cli(['ping', '--url', `${w.url}/mcp`]);
    assert.equal(r.code, 3);
    assert.match(errorLine(r), /this URL does not serve MCP: .* answered HTTP 501 with a web page/);
  });

  it('a 404 on a URL ending in /sse with transport http suggests sse (--transport sse in the CLI)', async () => {
    const w = await web((_req, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found'));
    const e = await failure(conn('s', { type: 'http', url: `${w.url}/sse` }).start());
    assert.match(
      e.message,
      /HTTP 404 from .*\/sse(?: \(Not Found\))?: nothing serves MCP there\..* A URL ending in \/sse is usually an SSE endpoint: set "type": "sse"\./,
    );

    const r = await cli(['ping', '--url', `${w.url}/sse`, '--transport', 'http']);
    assert.equal(r.code, 3);
    assert.match(errorLine(r), /A URL ending in \/sse is usually an SSE endpoint: pass --transport sse\.$/);
  });

  it('ad-hoc --stdio: labelled with the whole command, no "configuration" or "log"', async () => {
    const r = await cli(['ping', '--stdio', `${NODE} ${BAD.exitNow}`]);
    assert.equal(r.code, 3);
    const line = errorLine(r);
    assert.ok(line.startsWith(`mcp-manager: ${NODE} ${BAD.exitNow}: exited with code 2 during startup: fatal: missing API_KEY. `), line);
    assert.match(line, /Check the --stdio command line and its --env values \(run with --verbose to see its output\)/);
    assert.doesNotMatch(line, /configuration|its log/);

    // A configured server keeps its configuration's wording.
    const e = await failure(conn('cfg', { command: NODE, args: [BAD.exitNow] }).start());
    assert.match(e.message, /Check the command, args and env in its configuration \(its log has the full output\)/);
  });
});
