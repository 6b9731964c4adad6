// `mcp-manager search` and `mcp-manager add` against the test registry on 127.0.0.1, run
// in-process through the CLI's own run() (argument parsing included), writing real files in a
// temporary workspace that the CLI's configuration loader then reads back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCli } from '../../src/cli/args';
import { run, type RunContext } from '../../src/cli/commands';
import { loadCliConfig } from '../../src/cli/config';
import { CliError } from '../../src/cli/errors';
import { add } from '../../src/cli/registry';
import { startTestRegistry, type TestRegistry } from '../fixtures/registry';

describe('CLI: search and add (MCP registries)', () => {
  let registry: TestRegistry;
  let dir: string;
  before(async () => (registry = await startTestRegistry()));
  after(async () => registry.close());
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-cli-reg-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function context(argv: string[]): RunContext & { stdout: () => string; stderr: () => string } {
    let out = '';
    let err = '';
    return {
      args: parseCli(argv),
      cwd: dir,
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      signal: new AbortController().signal,
      open: () => {
        throw new Error('search/add must not connect to servers');
      },
      readStdin: async () => '',
      stdout: () => out,
      stderr: () => err,
    };
  }

  async function cli(...argv: string[]) {
    const ctx = context(argv);
    let code: number;
    try {
      code = await run(ctx);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      return { code: e.exitCode, out: ctx.stdout(), err: e.message };
    }
    return { code, out: ctx.stdout(), err: ctx.stderr() };
  }

  it('search: one line per server (name, version, kind, description); deprecated marked, deleted left out', async () => {
    const r = await cli('search', '--registry', registry.url);
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 10);
    assert.match(
      lines.find((l) => l.startsWith('io.github.modelcontextprotocol/server-time'))!,
      /^io\.github\.modelcontextprotocol\/server-time +0\.6\.2 +package +MCP server providing tools for time queries/,
    );
    assert.match(
      lines.find((l) => l.startsWith('com.example/remote-secret'))!,
      / 2\.0\.0 +remote +Hand-made/,
    );
    assert.match(
      lines.find((l) => l.startsWith('com.example/deprecated-server'))!,
      /\(deprecated\) Hand-made/,
    );
    assert.ok(!r.out.includes('deleted-server'));
  });

  it('search TEXT filters server-side; --json gives the entries with their _meta', async () => {
    const r = await cli('search', 'everything', '--registry', registry.url, '--json');
    const list = JSON.parse(r.out) as { server: { name: string; version: string }; _meta: Record<string, { isLatest: boolean }> }[];
    assert.deepEqual(
      list.map((e) => [e.server.name, e.server.version, e._meta['io.modelcontextprotocol.registry/official']!.isLatest]),
      [['io.github.modelcontextprotocol/server-everything', '2.0.0', true]],
    );
    assert.match(registry.requests.at(-1)!, /search=everything/);
    const none = await cli('search', 'no-such-thing', '--registry', registry.url);
    assert.match(none.out, /^No servers matching "no-such-thing" in http:\/\/127\.0\.0\.1:\d+\.\n$/);
  });

  it('search: an unreachable registry exits 3 with a clear message; another registry still answers', async () => {
    const down = await startTestRegistry();
    await down.close();
    const r = await cli('search', 'time', '--registry', down.url);
    assert.equal(r.code, 3);
    assert.match(r.err, new RegExp(`Could not reach the MCP registry ${down.url.replace(/\./g, '\\.')}: ECONNREFUSED`));
    const both = await cli('search', 'time', '--registry', down.url, '--registry', registry.url);
    assert.equal(both.code, 0);
    assert.match(both.out, /server-time/);
    assert.match(both.err, /Could not reach/);
  });

  it('add: writes the entry and its password inputs into .vscode/mcp.json, keeping comments; the CLI then reads it', async () => {
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'mcp.json'), '{\n  // keep me\n  "servers": {}\n}\n');
    const r = await cli(
      'add',
      'com.example/remote-secret',
      '--registry',
      registry.url,
      '--set',
      'tenant=acme',
      '--set',
      'X-Region=eu-west-1',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Added "remote-secret" \(com\.example\/remote-secret 2\.0\.0, remote \(Streamable HTTP\) https:\/\/\{tenant\}\.mcp\.example\.com\/mcp\) to \.vscode\/mcp\.json:/,
    );
    assert.match(r.out, /\$\{input:remote-secret\.token\} +API token \(remote-secret\) \(CLI: set MCP_INPUT_REMOTE_SECRET_TOKEN\)/);
    const text = fs.readFileSync(path.join(dir, '.vscode', 'mcp.json'), 'utf8');
    assert.match(text, /\/\/ keep me/);
    const config = loadCliConfig({}, dir);
    const def = config.servers.find((s) => s.name === 'remote-secret');
    assert.ok(def && def.type === 'http');
    assert.equal(def.url, 'https://acme.mcp.example.com/mcp');
    assert.deepEqual(def.headers, { Authorization: 'Bearer ${input:remote-secret.token}', 'X-Region': 'eu-west-1' });
    assert.deepEqual(def.registry, { url: registry.url, name: 'com.example/remote-secret', version: '2.0.0' });
    assert.deepEqual(
      config.inputs.map((i) => [i.id, i.password, i.description]),
      [['remote-secret.token', true, 'API token (remote-secret)']],
    );
  });

  it('add --version --as --package --config: that version, that name, that package, that file', async () => {
    const file = path.join(dir, 'servers.json');
    const r = await cli(
      'add',
      'com.example/docker-tool',
      '--registry',
      registry.url,
      '--package',
      'oci',
      '--as',
      'dock',
      '--config',
      file,
      '--set',
      'source_path=/src',
    );
    assert.equal(r.code, 0, r.err);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { servers: Record<string, { args: string[] }> };
    assert.deepEqual(written.servers.dock!.args, [
      'run',
      '-i',
      '--rm',
      '--mount',
      'type=bind,src=/src,dst=/project',
      '-e',
      'TOOL_TOKEN',
      'docker.io/example/docker-tool:1.4.0',
    ]);
    const old = await cli('add', 'io.github.modelcontextprotocol/server-everything', '--version', '1.0.0', '--registry', registry.url);
    assert.equal(old.code, 0, old.err);
    assert.match(old.out, /@modelcontextprotocol\/server-everything@1\.0\.0/);
    assert.equal(registry.requests.at(-1), '/v0.1/servers/io.github.modelcontextprotocol%2Fserver-everything/versions/1.0.0');
  });

  it('add: missing values, unknown --set keys, secrets given as values, deprecated or unknown servers, name clashes: exit 2 with what to do', async () => {
    const missing = await cli('add', 'com.example/every-argument', '--registry', registry.url);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /needs a value for argument <workspace_dir> \(Folder to serve\)\. Give it with --set workspace_dir=VALUE\./);
    const unknown = await cli('add', 'com.example/dotnet-tool', '--registry', registry.url, '--set', 'NOPE=1');
    assert.match(unknown.err, /--set NOPE: com\.example\/dotnet-tool asks for no such value\. It takes: WEATHER_CHOICES\./);
    const secret = await cli(
      'add',
      'com.example/docker-tool',
      '--registry',
      registry.url,
      '--set',
      'source_path=/s',
      '--set',
      'TOOL_TOKEN=abc',
    );
    assert.match(secret.err, /TOOL_TOKEN: environment variable TOOL_TOKEN is secret and is never written to a file/);
    const deprecated = await cli('add', 'com.example/deprecated-server', '--registry', registry.url);
    assert.match(deprecated.err, /is deprecated in http:\/\/127\.0\.0\.1:\d+; it is not installed/);
    const nope = await cli('add', 'com.example/nope', '--registry', registry.url);
    assert.match(nope.err, /has no server "com\.example\/nope"\. "mcp-manager search WORD" finds names\./);
    const bundle = await cli('add', 'com.example/bundle', '--registry', registry.url);
    assert.match(bundle.err, /cannot be installed here: mcpb .*MCPB bundles are not supported yet/);
    assert.equal((await cli('add', 'io.github.microsoft/playwright-mcp', '--registry', registry.url)).code, 0);
    const clash = await cli('add', 'io.github.microsoft/playwright-mcp', '--registry', registry.url);
    assert.match(clash.err, /already has a server named "playwright"; use --as NAME/);
    assert.ok(!fs.readFileSync(path.join(dir, '.vscode', 'mcp.json'), 'utf8').includes('abc'), 'no secret written');
  });

  it('add: required values without --set are asked in a terminal (repeated ones until an empty answer)', async () => {
    const asked: string[] = [];
    const replies = ['/one', '/two', ''];
    const ctx = context(['add', 'io.github.modelcontextprotocol/server-filesystem', '--registry', registry.url]);
    const code = await add(ctx, { ask: async (q) => (asked.push(q), replies.shift()!) });
    assert.equal(code, 0);
    assert.match(asked[0]!, /^io\.github\.modelcontextprotocol\/server-filesystem: argument <allowed_directory> - An absolute path/);
    assert.match(asked[1]!, /another one, or Enter to finish/);
    const written = JSON.parse(fs.readFileSync(path.join(dir, '.vscode', 'mcp.json'), 'utf8')) as {
      servers: Record<string, { args: string[] }>;
    };
    assert.deepEqual(written.servers.filesystem!.args, ['-y', '@modelcontextprotocol/server-filesystem@0.6.3', '/one', '/two']);
  });

  it('parses the new options; they are refused where they do not apply', () => {
    assert.deepEqual(parseCli(['add', 'a/b', '--version', '1.2.3', '--as', 'x']).registryArgs, {
      registries: [],
      text: 'a/b',
      version: '1.2.3',
      localName: 'x',
      set: [],
      option: undefined,
    });
    assert.equal(parseCli(['--version']).version, true);
    assert.throws(() => parseCli(['add']), /missing registry name/);
    assert.throws(() => parseCli(['search', '--as', 'x']), /apply to "add"/);
    assert.throws(() => parseCli(['tools', 'srv', '--registry', 'http://x']), /--registry applies to "search" and "add" only/);
  });
});
