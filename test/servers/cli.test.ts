// The CLI end to end: `node dist/cli.js ...` as a real child process, against real servers (the
// fixture over stdio, Streamable HTTP and SSE, and @modelcontextprotocol/server-everything), in
// temporary workspaces. Plus the CLI's pure parts (argument parsing, splitting, formatting).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseCli, splitCommandLine } from '../../src/cli/args';
import { formatResourceContents, parsePromptArguments } from '../../src/cli/browse';
import { parseToolArguments } from '../../src/cli/commands';
import { CliError, exitCodeFor, formatError } from '../../src/cli/errors';
import { formatCallResult, formatTools } from '../../src/cli/output';
import { ServerError } from '../../src/core/errors';
import { MASK } from '../../src/core/secrets';
import {
  BAD,
  EVERYTHING_SERVER,
  FIXTURE_SERVER,
  NODE,
  REPO_ROOT,
  isProcessAlive,
  startHttpFixture,
  type StartedServer,
} from '../fixtures/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** Marks every server process this file starts, so the leak check can find survivors. */
const TAG = `--cli-test-${randomUUID()}`;
const FIXTURE_ARGS = [FIXTURE_SERVER, TAG];
const FIXTURE_TOOLS = 13;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Called with each stderr chunk (and the child), e.g. to send SIGINT at the right moment. */
  onStderr?: (all: string, child: ReturnType<typeof spawn>) => void;
}

/** Runs the built CLI; rejects (after killing it) if it does not exit within timeoutMs (a hang guard, generous for a busy machine). */
function cli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(NODE, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    options.onStderr?.(stderr, child);
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `mcp-manager ${args.join(' ')} did not exit within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The one error line the CLI prints on failure. */
function assertOneErrorLine(r: RunResult, pattern: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^mcp-manager: /);
  assert.match(lines[0]!, pattern);
}

/** Long-running servers this file starts on purpose (the HTTP fixtures). */
const expected = new Set<number>();

/** Server processes started by this file that are still alive (zombies excluded), except `expected`. */
function taggedProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const pid = Number(entry);
      if (!expected.has(pid) && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(TAG) && isProcessAlive(pid)) pids.push(pid);
    } catch {
      // exited while scanning
    }
  }
  return pids;
}

async function noTaggedProcesses(timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (taggedProcesses().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(taggedProcesses(), [], 'server processes left behind');
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

describe('cli (dist/cli.js)', function () {
  // A hang guard: several tests run six CLI processes (and their servers) at once.
  this.timeout(120_000);
  let tmp: string;
  let ws: string; // a clean workspace
  let wsBad: string; // one with configuration errors
  let httpServer: StartedServer;
  let sseServer: StartedServer;

  before(async function () {
    this.timeout(60_000);
    execFileSync(NODE, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 50_000 });
    assert.ok(fs.existsSync(CLI), 'dist/cli.js was not built');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-cli-test-'));
    [httpServer, sseServer] = await Promise.all([startHttpFixture(['--http', TAG]), startHttpFixture(['--sse', TAG])]);
    expected.add(httpServer.pid).add(sseServer.pid);

    ws = path.join(tmp, 'ws');
    writeJson(path.join(ws, '.vscode', 'mcp.json'), {
      servers: {
        fixture: { command: NODE, args: FIXTURE_ARGS, env: { API_KEY: 'sekrit123', PLAIN_VALUE: 'visible-value' } },
        everything: { command: NODE, args: [EVERYTHING_SERVER, 'stdio', TAG] },
        missing: { command: 'mcp-cli-test-no-such-command' },
        hang: { command: NODE, args: [BAD.noInitialize, TAG], startupTimeoutMs: 400 },
        off: { command: NODE, args: FIXTURE_ARGS, disabled: true },
        web: { type: 'http', url: httpServer.url },
      },
    });
    wsBad = path.join(tmp, 'ws-bad');
    fs.mkdirSync(path.join(wsBad, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(wsBad, '.vscode', 'settings.json'),
      `{\n  // JSONC\n  "mcpManager.servers": {\n    "fixture": { "command": ${JSON.stringify(NODE)}, "args": ${JSON.stringify(FIXTURE_ARGS)} },\n    "broken": { "command": "node", "args": [{}] },\n  },\n}\n`,
    );
    writeJson(path.join(wsBad, '.vscode', 'mcp.json'), { servers: { fixture: { command: 'other' }, typo: { command: 'node', argz: [] } } });
  });

  after(async () => {
    await Promise.all([httpServer?.stop(), sseServer?.stop()]);
    expected.clear();
    await noTaggedProcesses();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(async () => noTaggedProcesses());

  describe('basics', () => {
    it('--help, --version, and usage errors exit 2 with one line', async () => {
      const [help, version, none, unknownOption, unknownCommand, badTimeout] = await Promise.all([
        cli(['--help']),
        cli(['--version']),
        cli([]),
        cli(['tools', 'x', '--frobnicate']),
        cli(['list']),
        cli(['ping', 'x', '--timeout', 'soon']),
      ]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: mcp-manager <command>/);
      assert.match(help.stdout, /doctor <server>/);
      assert.equal(version.code, 0);
      assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
      for (const r of [none, unknownOption, unknownCommand, badTimeout]) assert.equal(r.code, 2, r.stderr);
      assertOneErrorLine(none, /missing command/);
      assertOneErrorLine(unknownOption, /unknown option --frobnicate/);
      assertOneErrorLine(unknownCommand, /unknown command "list"/);
      assertOneErrorLine(badTimeout, /--timeout must be a whole number/);
    });
  });

  describe('servers', () => {
    it('lists name, transport, source and target', async () => {
      const r = await cli(['servers'], { cwd: ws });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^NAME\s+TRANSPORT\s+SOURCE\s+TARGET$/);
      assert.match(r.stdout, new RegExp(`^fixture\\s+stdio\\s+\\.vscode/mcp\\.json\\s+${NODE}\\s+${FIXTURE_SERVER}`, 'm'));
      assert.match(r.stdout, new RegExp(`^web\\s+http\\s+\\.vscode/mcp\\.json\\s+${httpServer.url}$`, 'm'));
      assert.match(r.stdout, /^off \(disabled\)\s+stdio/m);
    });

    it('shows configuration errors with server and field, notes, and exits 2; --json too', async () => {
      const [text, json] = await Promise.all([cli(['servers'], { cwd: wsBad }), cli(['servers', '--json', '--workspace', wsBad])]);
      assert.equal(text.code, 2);
      assert.match(
        text.stdout,
        /Configuration errors:\n\s+broken\s+args\.0: expected a string, got an object\s+\[\.vscode\/settings\.json\]/,
      );
      assert.match(text.stdout, /typo\s+argz: unknown key "argz" \(did you mean "args"\?\)\s+\[\.vscode\/mcp\.json\]/);
      assert.match(text.stdout, /Notes:\n\s+fixture\s+also defined in \.vscode\/mcp\.json; the entry from .*settings\.json\) is used/);
      assert.equal(json.code, 2);
      const parsed = JSON.parse(json.stdout) as {
        servers: { name: string; type: string }[];
        issues: { severity: string; server: string; field?: string }[];
      };
      assert.deepEqual(
        parsed.servers.map((s) => [s.name, s.type]),
        [['fixture', 'stdio']],
      );
      assert.deepEqual(
        parsed.issues.map((i) => [i.severity, i.server, i.field]),
        [
          ['error', 'broken', 'args.0'],
          ['warning', 'fixture', undefined],
          ['error', 'typo', 'argz'],
        ],
      );
    });

    it('--config reads an mcpServers file (Claude Desktop dialect)', async () => {
      const file = path.join(tmp, 'claude_desktop_config.json');
      writeJson(file, { globalShortcut: '', mcpServers: { fix: { command: NODE, args: FIXTURE_ARGS, autoApprove: ['echo'] } } });
      const [list, call] = await Promise.all([
        cli(['servers', '--config', file]),
        cli(['--config', file, 'call', 'fix', 'echo', '{"message":"from config"}']),
      ]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^fix\s+stdio/m);
      assert.equal(call.code, 0, call.stderr);
      assert.equal(call.stdout, 'Echo: from config\n');
    });

    it('--config with a file that has no servers: exit 2 naming the keys it looked for', async () => {
      const file = path.join(tmp, 'other.json');
      writeJson(file, { editor: {} });
      const r = await cli(['servers', '--config', file]);
      assert.equal(r.code, 2);
      assertOneErrorLine(r, /other\.json: no MCP servers found: expected "mcpManager\.servers".*"mcpServers"/);
    });
  });

  describe('tools, call, ping', () => {
    it('tools: aligned names and descriptions; --json gives input schemas (options anywhere)', async () => {
      const [text, json] = await Promise.all([
        cli(['tools', 'fixture'], { cwd: ws }),
        cli(['--json', 'tools', '--workspace', ws, 'fixture']),
      ]);
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.trimEnd().split('\n');
      assert.equal(lines.length, FIXTURE_TOOLS);
      assert.match(text.stdout, /^echo {6}Echoes the message back as "Echo: <message>"\.$/m);
      const column = lines.map((l) => /^\S+\s+/.exec(l)![0].length);
      assert.equal(new Set(column).size, 1, 'descriptions start in one column');
      assert.equal(json.code, 0, json.stderr);
      const tools = JSON.parse(json.stdout) as { name: string; inputSchema: { properties?: Record<string, unknown> } }[];
      assert.equal(tools.length, FIXTURE_TOOLS);
      assert.ok(tools.find((t) => t.name === 'echo')?.inputSchema.properties?.message);
    });

    it('call prints text content as is; --json prints the raw result', async () => {
      const [text, json] = await Promise.all([
        cli(['call', 'fixture', 'echo', '{"message":"hi there"}'], { cwd: ws }),
        cli(['call', 'fixture', 'add', '--json', '{"a":2,"b":3}', '--workspace', ws]),
      ]);
      assert.equal(text.code, 0, text.stderr);
      assert.equal(text.stdout, 'Echo: hi there\n');
      assert.equal(text.stderr, '');
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), { content: [{ type: 'text', text: '5' }], structuredContent: { sum: 5 } });
    });

    it('call prints embedded text and text blobs decoded, and structuredContent when there is no text', async () => {
      const stdio = ['--stdio', `${NODE} ${FIXTURE_SERVER}`, '--env', 'FIXTURE_RICH=1'];
      const [rich, structured, blob] = await Promise.all([
        cli(['call', ...stdio, 'rich', '{}']),
        cli(['call', ...stdio, 'structured', '{}']),
        // server-everything's blob template sends text/plain as base64.
        cli(['read', '--stdio', `${NODE} ${EVERYTHING_SERVER} stdio`, 'demo://resource/dynamic/blob/1'], { timeoutMs: 30_000 }),
      ]);
      assert.equal(blob.code, 0, blob.stderr);
      assert.match(blob.stdout, /^Resource 1: This is a base64 blob created at .+\n$/);
      assert.equal(rich.code, 0, rich.stderr);
      assert.match(rich.stdout, /^\[resource\] fixture:\/\/embedded\/notes\.txt \(text\/plain, 15 B\)\nEmbedded notes\.$/m);
      assert.match(rich.stdout, /^\[resource\] fixture:\/\/embedded\/blob\.txt \(text\/plain, 20 B\)\nText sent as a blob\.$/m);
      assert.doesNotMatch(rich.stdout, /\[blob|use --json/);
      assert.equal(structured.code, 0, structured.stderr);
      assert.equal(structured.stdout, '{\n  "total": 2,\n  "names": [\n    "a",\n    "b"\n  ]\n}\n');
    });

    it('call reports progress on stderr, and progress keeps a call alive past requestTimeoutMs', async () => {
      // requestTimeoutMs 1000 (the handshake keeps its own 30 s startupTimeoutMs: --timeout would
      // bound both, and a busy machine's slow start would fail the test) with a 2500 ms tool that
      // reports progress every ~100 ms, so only a stall of a whole second could make it time out.
      const config = path.join(tmp, 'progress.mcp.json');
      writeJson(config, { servers: { slow: { command: NODE, args: FIXTURE_ARGS, requestTimeoutMs: 1000 } } });
      const [withProgress, without] = await Promise.all([
        cli(['call', 'slow', '--config', config, 'sleep', '{"ms":2500,"progress":true}']),
        cli(['call', 'slow', '--config', config, 'sleep', '{"ms":2500}']),
      ]);
      assert.equal(withProgress.code, 0, withProgress.stderr);
      assert.equal(withProgress.stdout, 'slept 2500\n');
      const lines = withProgress.stderr.trimEnd().split('\n');
      assert.ok(lines.length >= 2 && lines.length <= 6, `throttled to one line per 500 ms:\n${withProgress.stderr}`);
      for (const l of lines) assert.match(l, /^mcp-manager: slow: sleep: progress \d+% \(\d+\/2500\) sleeping$/);
      // Without progress the same call is cut off by requestTimeoutMs, not by the handshake's budget.
      assert.equal(without.code, 3, without.stderr);
      assert.match(without.stderr, /tools\/call "sleep" timed out .*\(requestTimeoutMs\)/);
    });

    it('call: images as a one-line note; arguments from stdin with "-"', async () => {
      const [image, stdin] = await Promise.all([
        cli(['call', 'fixture', 'image'], { cwd: ws }),
        cli(['call', 'fixture', 'echo', '-'], { cwd: ws, input: '{"message":"piped"}' }),
      ]);
      assert.equal(image.code, 0, image.stderr);
      assert.equal(image.stdout, '[image: image/png, 70 B]\na 1x1 PNG\n');
      assert.equal(stdin.stdout, 'Echo: piped\n');
    });

    it('resources, read, prompts and prompt: text as is, binary as notes, --json raw; mistakes exit 2 with a hint', async () => {
      const [list, text, several, raw, prompts, prompt] = await Promise.all([
        cli(['resources', 'fixture'], { cwd: ws }),
        cli(['read', 'fixture', 'fixture://readme'], { cwd: ws }),
        cli(['read', 'fixture', 'fixture://bundle'], { cwd: ws }),
        cli(['read', 'fixture', 'fixture://data.json', '--json'], { cwd: ws }),
        cli(['prompts', 'fixture'], { cwd: ws }),
        cli(['prompt', 'fixture', 'greet', '-'], { cwd: ws, input: '{"name":"Ada"}' }),
      ]);
      for (const r of [list, text, several, raw, prompts, prompt]) assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        list.stdout
          .trimEnd()
          .split('\n')
          .map((l) => l.split(/\s+/)[0]),
        ['fixture://readme', 'fixture://data.json', 'fixture://bundle', 'fixture://broken', 'fixture://item/{id}'],
      );
      assert.match(list.stdout, /fixture:\/\/item\/\{id\}\s+Item \(template\)\s+application\/json/);
      assert.equal(text.stdout, 'Fixture server readme.\n');
      assert.match(several.stdout, /^--- fixture:\/\/bundle\/notes.md \(text\/markdown\)\n# Notes\n/);
      assert.match(several.stdout, /\[blob: image\/png, 70 B; use --json for its base64\]/);
      assert.deepEqual(JSON.parse(raw.stdout).contents[0].uri, 'fixture://data.json');
      assert.match(prompts.stdout, /^greet\s+name\s+Greets someone by name\.\nreview\s+topic \[tone\]\s+/);
      assert.equal(prompt.stdout, 'user:\nHello, Ada!\n');

      const [typo, missing, unknown, toolsOnly] = await Promise.all([
        cli(['prompt', 'fixture', 'gret'], { cwd: ws }),
        cli(['prompt', 'fixture', 'greet'], { cwd: ws }),
        cli(['read', 'fixture', 'fixture://nope'], { cwd: ws }),
        cli(['resources', '--stdio', `${NODE} ${FIXTURE_SERVER}`, '--env', 'FIXTURE_TOOLS_ONLY=1']),
      ]);
      assert.equal(typo.code, 2);
      assert.equal(typo.stderr, 'mcp-manager: fixture: no prompt named "gret". Did you mean "greet"? It has 2: greet, review.\n');
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /missing required argument "name" for prompt "greet"/);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^mcp-manager: fixture: .*Resource fixture:\/\/nope not found/);
      assert.equal(toolsOnly.code, 2);
      assert.match(toolsOnly.stderr, /the server offers no resources/);
    });

    it('a tool result with isError exits 1; a JSON-RPC error exits 1', async () => {
      const [fail, thrown] = await Promise.all([
        cli(['call', 'fixture', 'fail', '{"message":"nope"}'], { cwd: ws }),
        cli(['call', 'fixture', 'throw'], { cwd: ws }),
      ]);
      assert.equal(fail.code, 1);
      assert.equal(fail.stdout, 'nope\n');
      assertOneErrorLine(fail, /^mcp-manager: fixture: tool "fail" reported an error \(isError\)\.$/);
      assert.equal(thrown.code, 1);
      assertOneErrorLine(thrown, /fixture: tools\/call "throw" failed: thrown on purpose/);
    });

    it('invalid JSON arguments exit 2 before anything is started', async () => {
      const [bad, array] = await Promise.all([
        cli(['call', 'fixture', 'echo', '{message: hi}'], { cwd: ws }),
        cli(['call', 'fixture', 'echo', '[1]'], { cwd: ws }),
      ]);
      assert.equal(bad.code, 2);
      assertOneErrorLine(bad, /^mcp-manager: fixture: invalid JSON arguments for "echo": .*Pass one JSON object/);
      assert.equal(array.code, 2);
      assertOneErrorLine(array, /must be a JSON object, got an array/);
    });

    it('unknown server, unknown tool, missing required argument: exit 2', async () => {
      const [server, tool, missing] = await Promise.all([
        cli(['ping', 'fixtur'], { cwd: ws }),
        cli(['call', 'fixture', 'ecko', '{}'], { cwd: ws }),
        cli(['call', 'fixture', 'add', '{"a":1}'], { cwd: ws }),
      ]);
      assert.equal(missing.code, 2);
      assertOneErrorLine(
        missing,
        /^mcp-manager: fixture: missing required argument "b" for "add"\. Run "mcp-manager tools fixture --json"/,
      );
      assert.equal(server.code, 2);
      assertOneErrorLine(
        server,
        /^mcp-manager: fixtur: no server named "fixtur" in .*Configured: fixture, everything, .*\(did you mean "fixture"\?\)/,
      );
      assert.equal(tool.code, 2);
      assertOneErrorLine(tool, /^mcp-manager: fixture: no tool named "ecko"\. Did you mean "echo"\? Run "mcp-manager tools fixture"/);
    });

    it('an invalid or disabled entry exits 2 and says why', async () => {
      const [broken, off] = await Promise.all([cli(['ping', 'broken'], { cwd: wsBad }), cli(['ping', 'off'], { cwd: ws })]);
      assert.equal(broken.code, 2);
      assertOneErrorLine(broken, /^mcp-manager: broken: invalid configuration in \.vscode\/settings\.json: args\.0: expected a string/);
      assert.equal(off.code, 2);
      assertOneErrorLine(off, /off: the server is disabled/);
    });

    it('ping: 0 with timing; over Streamable HTTP too', async () => {
      const [stdio, web] = await Promise.all([cli(['ping', 'fixture'], { cwd: ws }), cli(['ping', 'web', '--json'], { cwd: ws })]);
      assert.equal(stdio.code, 0, stdio.stderr);
      assert.match(stdio.stdout, /^fixture: ok, ping \d+ ms \(connected in \d+ ms to fixture-server 1\.0\.0, protocol 2025-11-25\)\n$/);
      assert.equal(web.code, 0, web.stderr);
      assert.equal(JSON.parse(web.stdout).ok, true);
    });

    it('server-everything over stdio, configured and ad-hoc', async () => {
      const [configured, adHoc] = await Promise.all([
        cli(['call', 'everything', 'get-sum', '{"a":2,"b":40}'], { cwd: ws }),
        cli(['--stdio', `${NODE} ${EVERYTHING_SERVER} stdio ${TAG}`, 'call', 'echo', '{"message":"hi"}']),
      ]);
      assert.equal(configured.code, 0, configured.stderr);
      assert.match(configured.stdout, /42/);
      assert.equal(adHoc.code, 0, adHoc.stderr);
      assert.equal(adHoc.stdout, 'Echo: hi\n');
    });
  });

  describe('failures exit 3', () => {
    it('a missing command: "command not found"', async () => {
      const r = await cli(['call', 'missing', 'echo', '{}'], { cwd: ws });
      assert.equal(r.code, 3);
      assertOneErrorLine(r, /^mcp-manager: missing: command not found: mcp-cli-test-no-such-command \(PATH searched: /);
    });

    it('a handshake that never completes: startupTimeoutMs, or --timeout', async () => {
      const adHoc = `${NODE} ${BAD.noInitialize} ${TAG}`;
      const [configured, flag] = await Promise.all([
        cli(['ping', 'hang'], { cwd: ws }),
        cli(['ping', '--stdio', adHoc, '--timeout', '300']),
      ]);
      for (const r of [configured, flag]) {
        assert.equal(r.code, 3, r.stderr);
        assertOneErrorLine(r, /did not complete the MCP handshake within \d+ ms/);
        // No elapsed-time check (a busy machine may be slow): the helper's hang guard is the bound.
      }
      assert.match(flag.stderr, /within 300 ms/);
    });

    it('a server that dies during the call', async () => {
      const r = await cli(['call', 'fixture', 'crash'], { cwd: ws });
      assert.equal(r.code, 3);
      assertOneErrorLine(r, /fixture: exited with code 3 during tools\/call "crash" \(last stderr line: "crashing"\)/);
    });

    it('nothing listening at --url', async () => {
      const r = await cli(['ping', '--url', 'http://127.0.0.1:9/mcp', '--timeout', '2000']);
      assert.equal(r.code, 3);
      assertOneErrorLine(r, /127\.0\.0\.1:9: cannot connect to http:\/\/127\.0\.0\.1:9\/mcp/);
    });
  });

  describe('doctor', () => {
    it('shows the resolved launch with secrets masked, then connects', async () => {
      const r = await cli(['doctor', 'fixture'], { cwd: ws, env: { API_KEY: 'sekrit123' } });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes('sekrit123') && !r.stderr.includes('sekrit123'), r.stdout);
      assert.match(r.stdout, /^Transport\s+stdio$/m);
      assert.match(r.stdout, new RegExp(`^Command\\s+${NODE}  ->  ${NODE}$`, 'm'));
      assert.match(r.stdout, new RegExp(`^Directory\\s+${ws}$`, 'm'));
      assert.ok(r.stdout.includes(`API_KEY=${MASK}`));
      assert.match(r.stdout, /^\s+PLAIN_VALUE=visible-value$/m);
      assert.match(r.stdout, /^\s+PATH=/m);
      assert.match(r.stdout, /^Connect\s+ok in \d+ ms: fixture-server 1\.0\.0, pid \d+, protocol 2025-11-25, 13 tools$/m);
    });

    it('a missing command: NOT FOUND, exit 3', async () => {
      const r = await cli(['doctor', 'missing'], { cwd: ws });
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^Command\s+mcp-cli-test-no-such-command  ->  NOT FOUND$/m);
      assertOneErrorLine(r, /command not found/);
    });

    it('ad-hoc: masks a secret given with --env and headers of --url', async () => {
      const [stdio, url] = await Promise.all([
        cli(['doctor', '--stdio', `${NODE} ${FIXTURE_SERVER} ${TAG}`, '--env', 'API_KEY=sekrit123', '--env', 'OTHER=plain']),
        cli(['doctor', '--url', httpServer.url, '--header', 'Authorization: Bearer sekrit123', '--header', 'X-Trace: on']),
      ]);
      for (const r of [stdio, url]) {
        assert.equal(r.code, 0, r.stderr);
        assert.ok(!(r.stdout + r.stderr).includes('sekrit123'), r.stdout);
      }
      assert.match(stdio.stdout, /^\s+OTHER=plain$/m);
      assert.match(url.stdout, new RegExp(`^Headers\\s+Authorization: ${MASK}, X-Trace: on$`, 'm'));
      assert.match(url.stdout, /^Connect\s+ok in \d+ ms: fixture-server 1\.0\.0, protocol 2025-11-25, 13 tools$/m);
    });
  });

  describe('ad-hoc servers', () => {
    it('--stdio: only --env variables and the allow-list reach the server', async () => {
      const r = await cli(
        ['call', 'env', '--json', '--stdio', `${NODE} ${FIXTURE_SERVER} ${TAG}`, '--env', 'FOO=bar=baz', '--env', 'MCP_CLI_TEST_PASS'],
        {
          env: { MCP_CLI_TEST_LEAK: 'leaky', MCP_CLI_TEST_PASS: 'passed' },
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as CallToolResult;
      const env = JSON.parse((result.content[0] as { text: string }).text) as Record<string, string>;
      assert.equal(env.FOO, 'bar=baz');
      assert.equal(env.MCP_CLI_TEST_PASS, 'passed');
      assert.equal(env.MCP_CLI_TEST_LEAK, undefined);
      assert.ok(env.PATH);
    });

    it('--stdio with --cwd, quoted arguments and options after the tool', async () => {
      const dir = path.join(tmp, 'dir with space');
      fs.mkdirSync(dir, { recursive: true });
      const r = await cli(['call', 'cwd', '--stdio', `"${NODE}" '${FIXTURE_SERVER}' ${TAG}`, '--cwd', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${dir}\n`);
    });

    it('--url: Streamable HTTP with headers, SSE by --transport and by path', async () => {
      const [http, sseFlag, ssePath] = await Promise.all([
        cli(['--url', httpServer.url, '--header', 'X-Test: 1', 'call', 'echo', '{"message":"over http"}']),
        cli(['--url', sseServer.url, '--transport', 'sse', 'ping']),
        cli(['tools', '--url', sseServer.url]),
      ]);
      assert.equal(http.code, 0, http.stderr);
      assert.equal(http.stdout, 'Echo: over http\n');
      assert.equal(sseFlag.code, 0, sseFlag.stderr);
      assert.equal(ssePath.code, 0, ssePath.stderr);
      assert.match(sseServer.url, /\/sse$/);
      assert.equal(ssePath.stdout.trimEnd().split('\n').length, FIXTURE_TOOLS);
    });

    it('rejects conflicting or misplaced options', async () => {
      const [both, envWithoutStdio, headerWithoutUrl] = await Promise.all([
        cli(['ping', '--stdio', 'x', '--url', 'http://h/mcp']),
        cli(['ping', 'fixture', '--env', 'A=1'], { cwd: ws }),
        cli(['ping', '--stdio', 'x', '--header', 'A: 1']),
      ]);
      for (const r of [both, envWithoutStdio, headerWithoutUrl]) assert.equal(r.code, 2, r.stderr);
      assertOneErrorLine(both, /--stdio and --url cannot be combined/);
      assertOneErrorLine(envWithoutStdio, /--env and --cwd apply to an ad-hoc --stdio server/);
      assertOneErrorLine(headerWithoutUrl, /--header and --transport apply to an ad-hoc --url server/);
    });
  });

  describe('logging and interruption', () => {
    it("the server's stderr reaches the CLI's stderr only with --verbose; --trace shows JSON-RPC", async () => {
      const [quiet, verbose, trace] = await Promise.all([
        cli(['ping', 'fixture'], { cwd: ws }),
        cli(['ping', 'fixture', '-v'], { cwd: ws }),
        cli(['ping', 'fixture', '--trace'], { cwd: ws }),
      ]);
      assert.equal(quiet.stderr, '');
      assert.match(verbose.stderr, /^\[fixture\] \[stderr\] fixture server started pid=\d+$/m);
      assert.doesNotMatch(verbose.stderr, /→/);
      assert.match(trace.stderr, /\[fixture\] trace: → \{"method":"initialize"/);
      assert.ok(!verbose.stderr.includes('sekrit123') && !trace.stderr.includes('sekrit123'));
    });

    it('Ctrl+C during a call cancels it, stops the server and exits 130', async () => {
      let sent = false;
      let serverPid = 0;
      // Longer than the helper's hang guard: only the cancellation can end it in time.
      const r = await cli(['call', 'fixture', 'sleep', '{"ms":120000}', '-v'], {
        cwd: ws,
        onStderr: (all, child) => {
          serverPid ||= Number(/fixture server started pid=(\d+)/.exec(all)?.[1] ?? 0);
          // The call is in flight once the session runs (tools/list then tools/call follow at once).
          if (!sent && /\] running \(pid/.test(all)) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        },
      });
      assert.ok(sent, r.stderr);
      assert.equal(r.code, 130, r.stderr);
      // The fixture logs "cancelled" when notifications/cancelled arrives.
      assert.match(r.stderr, /\[stderr\] cancelled/);
      assert.match(r.stderr, /^mcp-manager: fixture: tools\/call "sleep" was cancelled/m);
      assert.ok(serverPid > 0);
      assert.equal(isProcessAlive(serverPid), false);
    });
  });
});

describe('cli parts', () => {
  it('parseCli: options anywhere, repeatable options, verbosity', () => {
    const a = parseCli(['--env', 'A=1', 'call', '-v', '--stdio', 'node s.js', 'echo', '--env', 'B=2', '{"x":1}', '-v', '--timeout', '500']);
    assert.equal(a.command, 'call');
    assert.equal(a.server, undefined);
    assert.equal(a.tool, 'echo');
    assert.equal(a.json, '{"x":1}');
    assert.deepEqual(a.adHoc, { kind: 'stdio', commandLine: 'node s.js', env: ['A=1', 'B=2'], cwd: undefined });
    assert.equal(a.timeoutMs, 500);
    assert.equal(a.verbosity, 2);
    const b = parseCli(['tools', 'srv', '--json', '--workspace', '/w']);
    assert.deepEqual([b.command, b.server, b.jsonOutput, b.workspace, b.verbosity], ['tools', 'srv', true, '/w', 0]);
    assert.throws(
      () => parseCli(['call', 'srv']),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && /missing tool name/.test(e.message),
    );
    assert.throws(() => parseCli(['ping', 'a', 'b']), /unexpected argument "b"/);
    assert.throws(() => parseCli(['servers', '--url', 'http://h']), /takes no --stdio or --url/);
  });

  it('splitCommandLine: quotes and escapes like a shell, nothing expanded', () => {
    assert.deepEqual(splitCommandLine('npx -y  @scope/pkg'), ['npx', '-y', '@scope/pkg']);
    assert.deepEqual(splitCommandLine(`node "my server.js" 'it''s' a\\ b ""`), ['node', 'my server.js', 'its', 'a b', '']);
    assert.deepEqual(splitCommandLine(`sh -c 'echo $HOME "x"' "say \\"hi\\" \\$HOME"`), ['sh', '-c', 'echo $HOME "x"', 'say "hi" $HOME']);
    assert.deepEqual(splitCommandLine(String.raw`C:\tools\server.exe --dir "C:\My Files"`, 'win32'), [
      String.raw`C:\tools\server.exe`,
      '--dir',
      String.raw`C:\My Files`,
    ]);
    assert.throws(() => splitCommandLine('node "unterminated'), /unterminated double quote/);
  });

  it('formatCallResult: text as is, binary as notes, resources as uri lines, structured content when no text', () => {
    const result: CallToolResult = {
      content: [
        { type: 'text', text: 'line 1\nline 2' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource_link', uri: 'file:///a.txt', name: 'a.txt', mimeType: 'text/plain' },
        { type: 'resource', resource: { uri: 'mem://x', mimeType: 'application/json', text: '{"a":1}' } },
      ],
    };
    assert.equal(
      formatCallResult(result),
      'line 1\nline 2\n[audio: audio/wav, 3 B]\n[resource link] file:///a.txt (text/plain, a.txt)\n[resource] mem://x (application/json, 7 B)\n{"a":1}\n',
    );
    const blob = (mimeType: string, data: string): CallToolResult => ({
      content: [{ type: 'resource', resource: { uri: 'mem://b', mimeType, blob: Buffer.from(data).toString('base64') } }],
    });
    assert.equal(formatCallResult(blob('text/plain', 'plain words\n')), '[resource] mem://b (text/plain, 12 B)\nplain words\n');
    assert.equal(formatCallResult(blob('application/xml', '<a/>')), '[resource] mem://b (application/xml, 4 B)\n<a/>\n');
    assert.equal(formatCallResult(blob('application/octet-stream', 'xx')), '[resource] mem://b (application/octet-stream, 2 B)\n');
    // Binary only: structuredContent is what there is to read.
    assert.equal(
      formatCallResult({ ...blob('image/png', 'x'), structuredContent: { ok: true } }),
      '[resource] mem://b (image/png, 1 B)\n{\n  "ok": true\n}\n',
    );
    assert.equal(formatCallResult({ content: [], structuredContent: { sum: 3 } }), '{\n  "sum": 3\n}\n');
    assert.equal(formatCallResult({ content: [{ type: 'text', text: '3' }], structuredContent: { sum: 3 } }), '3\n');
    assert.equal(formatCallResult({ content: [] }), '');
  });

  it('formatResourceContents: text blobs (text/*, JSON, XML) decoded and printed, other blobs as a note', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    assert.equal(
      formatResourceContents({ contents: [{ uri: 'x://a', mimeType: 'text/plain', blob: b64('Resource 1: text') }] }),
      'Resource 1: text\n',
    );
    assert.equal(
      formatResourceContents({ contents: [{ uri: 'x://a', mimeType: 'application/json', blob: b64('{"a":1}\n') }] }),
      '{"a":1}\n',
    );
    assert.equal(
      formatResourceContents({ contents: [{ uri: 'x://a', mimeType: 'application/octet-stream', blob: b64('xyz') }] }),
      '[blob: application/octet-stream, 3 B; use --json for its base64]\n',
    );
  });

  it('formatTools: first line of the description, cut to the terminal width', () => {
    const tools = [
      { name: 'a', description: 'First line.\nSecond line.', inputSchema: { type: 'object' as const } },
      { name: 'longer', description: 'x'.repeat(100), inputSchema: { type: 'object' as const } },
    ];
    assert.equal(formatTools(tools), `a       First line.\nlonger  ${'x'.repeat(100)}\n`);
    assert.equal(formatTools(tools, 20).split('\n')[1], `longer  ${'x'.repeat(11)}…`);
  });

  it('parsePromptArguments: strings, numbers and booleans as strings; anything else is a usage error', () => {
    assert.deepEqual(parsePromptArguments('{"a":"x","n":2,"b":true}', 'p', 's'), { a: 'x', n: '2', b: 'true' });
    assert.deepEqual(parsePromptArguments(undefined, 'p', 's'), {});
    assert.throws(() => parsePromptArguments('{"a":{"b":1}}', 'p', 's'), /argument "a" of prompt "p" must be a string/);
    assert.throws(() => parsePromptArguments('[1]', 'p', 's'), /must be a JSON object of strings/);
    assert.throws(() => parsePromptArguments('{', 'p', 's'), /invalid JSON arguments for prompt "p"/);
  });

  it('parseToolArguments and exit codes', () => {
    assert.deepEqual(parseToolArguments(undefined, 't', 's'), {});
    assert.deepEqual(parseToolArguments(' {"a": [1]} ', 't', 's'), { a: [1] });
    assert.throws(() => parseToolArguments('"x"', 't', 's'), /got string/);
    assert.equal(exitCodeFor(new ServerError('s', 'launch', 'x')), 3);
    assert.equal(exitCodeFor(new ServerError('s', 'timeout', 'x')), 3);
    assert.equal(exitCodeFor(new ServerError('s', 'config', 'x')), 2);
    assert.equal(exitCodeFor(new ServerError('s', 'protocol', 'x', { code: -32602 })), 2);
    assert.equal(exitCodeFor(new ServerError('s', 'protocol', 'x', { code: -32603 })), 1);
    assert.equal(exitCodeFor(new ServerError('s', 'cancelled', 'x')), 130);
    assert.equal(
      formatError(new ServerError('s', 'handshake', 'a\nb', { stderrTail: [] })),
      'mcp-manager: s: a b. Run the same command with --verbose to see what the server printed.',
    );
  });
});
