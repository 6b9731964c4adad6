// server.json -> server entry, for every case of the format: each package type and runtime hint,
// runtime and package arguments (positional, named, fixed values with variables, defaults,
// choices, repeated, booleans, secrets), environment variables, remotes with headers and URL
// variables, and what cannot be installed. Entries come from test/fixtures/registry/data.json
// (real server.json files and hand-made edge cases); every built entry must pass our own parser.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseServer } from '../../src/core/config/schema';
import {
  buildEntry,
  commandLine,
  describeEntry,
  entryChanges,
  installOptions,
  InstallError,
  questionsFor,
  readServersFile,
  suggestLocalName,
  writeServerEntry,
  type ServerJson,
} from '../../src/core/mcpRegistry';
import { REGISTRY_DATA } from '../fixtures/registry';

const data = JSON.parse(fs.readFileSync(REGISTRY_DATA, 'utf8')) as {
  server: ServerJson;
  _meta: Record<string, { status: string; isLatest: boolean }>;
}[];
function server(name: string, version?: string): ServerJson {
  const found = data.find(
    (e) =>
      e.server.name === name &&
      (version === undefined ? e._meta['io.modelcontextprotocol.registry/official']?.isLatest !== false : e.server.version === version),
  );
  assert.ok(found, name);
  return found.server;
}
const origin = (s: ServerJson) => ({ url: 'http://127.0.0.1:1', name: s.name, version: s.version });

function build(s: ServerJson, key: string, answers: Record<string, string | string[]>, localName = 'x') {
  const built = buildEntry(s, key, answers, { localName, origin: origin(s) });
  const parsed = parseServer(localName, built.entry, { context: { workspaceFolder: '/w' } });
  assert.ok('definition' in parsed, `our parser accepts the entry: ${JSON.stringify('issues' in parsed ? parsed.issues : '')}`);
  return built;
}

describe('server.json to server entry', () => {
  it('npm with runtimeHint npx: npx -y name@version, with the registry origin', () => {
    const s = server('io.github.microsoft/playwright-mcp');
    assert.deepEqual(questionsFor(s, 'package:0'), []);
    const { entry, inputs } = build(s, 'package:0', {});
    assert.deepEqual(entry, {
      command: 'npx',
      args: ['-y', '@playwright/mcp@0.1.0'],
      registry: { url: 'http://127.0.0.1:1', name: 'io.github.microsoft/playwright-mcp', version: '0.1.0' },
    });
    assert.deepEqual(inputs, []);
  });

  it('PyPI: uvx name==version; pipx and uv runtime hints', () => {
    const s = server('io.github.modelcontextprotocol/server-time');
    assert.deepEqual(build(s, 'package:0', {}).entry.args, ['mcp-server-time==0.6.2']);
    assert.equal(build(s, 'package:0', {}).entry.command, 'uvx');
    const pkg = s.packages![0]!;
    const pipx: ServerJson = { ...s, packages: [{ ...pkg, runtimeHint: 'pipx' }] };
    assert.deepEqual(
      [build(pipx, 'package:0', {}).entry.command, build(pipx, 'package:0', {}).entry.args],
      ['pipx', ['run', 'mcp-server-time==0.6.2']],
    );
    const uv: ServerJson = { ...s, packages: [{ ...pkg, runtimeHint: 'uv' }] };
    assert.deepEqual(build(uv, 'package:0', {}).entry.args, ['tool', 'run', 'mcp-server-time==0.6.2']);
  });

  it('a repeated, required positional path: asked for, one argument per value', () => {
    const s = server('io.github.modelcontextprotocol/server-filesystem');
    const [q] = questionsFor(s, 'package:0');
    assert.deepEqual(q, {
      id: 'allowed_directory',
      label: 'argument <allowed_directory>',
      description: 'An absolute path the server is allowed to access. Pass one or more.',
      default: undefined,
      placeholder: undefined,
      choices: undefined,
      required: true,
      secret: false,
      repeated: true,
      format: 'filepath',
    });
    assert.deepEqual(build(s, 'package:0', { allowed_directory: ['/a', '/b c'] }).entry.args, [
      '-y',
      '@modelcontextprotocol/server-filesystem@0.6.3',
      '/a',
      '/b c',
    ]);
    assert.throws(
      () => buildEntry(s, 'package:0', {}, { localName: 'fs', origin: origin(s) }),
      (e: unknown) =>
        e instanceof InstallError &&
        /needs a value for argument <allowed_directory> \(An absolute path/.test(e.message) &&
        e.question?.id === 'allowed_directory',
    );
  });

  it('several packages: the stdio one installs, the one serving HTTP itself is listed with the reason', () => {
    const s = server('io.github.modelcontextprotocol/server-everything');
    const options = installOptions(s);
    assert.deepEqual(
      options.map((o) => [o.key, o.supported]),
      [
        ['package:0', true],
        ['package:1', false],
      ],
    );
    assert.equal(options[0]!.detail, 'npx -y @modelcontextprotocol/server-everything@2.0.0 stdio');
    assert.match(options[1]!.reason!, /serves Streamable HTTP itself at http:\/\/localhost:\{PORT\}\/mcp/);
    assert.deepEqual(build(s, 'package:0', {}).entry.args, ['-y', '@modelcontextprotocol/server-everything@2.0.0', 'stdio']);
    assert.throws(() => questionsFor(s, 'package:1'), /serves Streamable HTTP itself/);
    assert.throws(() => questionsFor(s, 'package:7'), /has no install option "package:7"/);
  });

  describe('every argument kind (hand-made)', () => {
    const s = server('com.example/every-argument');
    const answers = {
      workspace_dir: '/w/project',
      port: '9000',
      mode: 'cached',
      include: ['src/**', 'test/**'],
      verbose: 'true',
      db_user: 'me',
      API_URL: 'https://api.example.com',
      level: 'debug',
    };

    it('asks, in order, with descriptions, defaults, choices and placeholders', () => {
      const qs = questionsFor(s, 'package:0');
      assert.deepEqual(
        qs.map((q) => [q.id, q.required, q.secret, q.repeated, q.default ?? null, q.choices?.join('|') ?? null]),
        [
          ['workspace_dir', true, false, false, null, null],
          ['port', true, false, false, '8080', null],
          ['mode', false, false, false, 'local', 'local|cached|proxy'],
          ['include', false, false, true, null, null],
          ['verbose', false, false, false, null, 'true|false'],
          ['db_user', true, false, false, null, null],
          ['db_host', true, false, false, 'localhost', null],
          ['token', true, true, false, null, null],
          ['level', false, false, false, null, 'debug|info'],
          ['API_URL', true, false, false, null, null],
          ['API_KEY', true, true, false, null, null],
          ['LOG_LEVEL', false, false, false, 'info', null],
          ['OPTIONAL_SECRET', false, true, false, null, null],
          ['region', true, false, false, 'eu', 'eu|us'],
        ],
      );
      assert.equal(qs.find((q) => q.id === 'API_URL')!.placeholder, 'https://api.example.com');
      assert.equal(qs.find((q) => q.id === 'db_user')!.label, 'argument --db: variable {db_user}');
    });

    it('builds runtime args, fixed and asked package args, booleans, repeats, templates, "--flag=" and env', () => {
      const { entry, inputs, secretValues } = build(s, 'package:0', { ...answers, token: 's3cret', API_KEY: '' }, 'every');
      assert.deepEqual(entry.args, [
        '-y',
        '--prefer-offline',
        '@example/every-argument@3.1.0',
        'serve',
        '/w/project',
        '--port',
        '9000',
        '--mode',
        'cached',
        '--include',
        'src/**',
        '--include',
        'test/**',
        '--verbose',
        '--db',
        'postgres://me@localhost/app',
        '--token',
        '${input:every.token}',
        '--level=debug',
      ]);
      assert.deepEqual(entry.env, {
        API_URL: 'https://api.example.com',
        API_KEY: '${input:every.API_KEY}',
        REGION_URL: 'https://eu.example.com',
      });
      assert.deepEqual(inputs, [
        { type: 'promptString', id: 'every.token', description: 'Access token (every)', password: true },
        { type: 'promptString', id: 'every.API_KEY', description: 'Service API key (every)', password: true },
      ]);
      assert.deepEqual(secretValues, { 'every.token': 's3cret' }, 'an empty secret is asked for when the server starts');
      assert.ok(!JSON.stringify(entry).includes('s3cret'), 'no secret value in the entry');
    });

    it('defaults of required values apply; optional ones are left out; false booleans drop the flag', () => {
      const { entry } = build(s, 'package:0', { workspace_dir: '/w', db_user: 'u', API_URL: 'https://a', verbose: 'false' });
      assert.deepEqual(entry.args, [
        '-y',
        '--prefer-offline',
        '@example/every-argument@3.1.0',
        'serve',
        '/w',
        '--port',
        '8080',
        '--db',
        'postgres://u@localhost/app',
        '--token',
        '${input:x.token}',
      ]);
      assert.deepEqual(Object.keys(entry.env as object), ['API_URL', 'API_KEY', 'REGION_URL']);
    });

    it('an optional secret is referenced only when asked for; choices are enforced; input ids never clash', () => {
      const built = buildEntry(
        s,
        'package:0',
        { ...answers, OPTIONAL_SECRET: 'paid' },
        { localName: 'x', origin: origin(s), takenInputIds: new Set(['x.token']) },
      );
      assert.equal((built.entry.env as Record<string, string>).OPTIONAL_SECRET, '${input:x.OPTIONAL_SECRET}');
      assert.deepEqual(
        built.inputs.map((i) => i.id),
        ['x.token-2', 'x.API_KEY', 'x.OPTIONAL_SECRET'],
      );
      assert.throws(
        () => buildEntry(s, 'package:0', { ...answers, mode: 'turbo' }, { localName: 'x', origin: origin(s) }),
        /argument --mode: "turbo" is not one of local, cached, proxy/,
      );
    });
  });

  it('OCI: docker run -i --rm, runtime args with variables, -e for each variable, the tag from version or identifier', () => {
    const s = server('com.example/docker-tool');
    assert.deepEqual(
      questionsFor(s, 'package:0').map((q) => [q.id, q.secret]),
      [
        ['source_path', false],
        ['TOOL_TOKEN', true],
      ],
    );
    const { entry, inputs } = build(s, 'package:0', { source_path: '/home/me/src' }, 'tool');
    assert.deepEqual(entry, {
      command: 'docker',
      args: [
        'run',
        '-i',
        '--rm',
        '--mount',
        'type=bind,src=/home/me/src,dst=/project',
        '-e',
        'TOOL_TOKEN',
        'docker.io/example/docker-tool:1.4.0',
      ],
      env: { TOOL_TOKEN: '${input:tool.TOOL_TOKEN}' },
      registry: { url: 'http://127.0.0.1:1', name: 'com.example/docker-tool', version: '1.4.0' },
    });
    assert.equal(inputs[0]!.password, true);
    assert.deepEqual(build(s, 'package:1', {}).entry.args, ['run', '-i', '--rm', 'ghcr.io/example/docker-tool:1.4.0']);
  });

  it('NuGet: dnx name@version --yes -- package args', () => {
    const s = server('com.example/dotnet-tool');
    const { entry } = build(s, 'package:0', { WEATHER_CHOICES: 'sunny,rainy' });
    assert.deepEqual(
      [entry.command, entry.args, entry.env],
      ['dnx', ['Example.DotnetTool@0.5.0', '--yes', '--', 'mcp', 'start'], { WEATHER_CHOICES: 'sunny,rainy' }],
    );
    const bare: ServerJson = { ...s, packages: [{ ...s.packages![0]!, packageArguments: [], environmentVariables: [] }] };
    assert.deepEqual(build(bare, 'package:0', {}).entry.args, ['Example.DotnetTool@0.5.0', '--yes']);
  });

  it('remotes: Streamable HTTP with a URL variable and a secret header as an input; SSE with a secret key', () => {
    const s = server('com.example/remote-secret');
    assert.deepEqual(
      installOptions(s).map((o) => [o.key, o.label]),
      [
        ['remote:0', 'remote (Streamable HTTP) https://{tenant}.mcp.example.com/mcp'],
        ['remote:1', 'remote (SSE) https://mcp.example.com/sse'],
      ],
    );
    assert.deepEqual(
      questionsFor(s, 'remote:0').map((q) => [q.id, q.required, q.secret, q.default ?? null]),
      [
        ['tenant', true, false, null],
        ['token', true, true, null],
        ['X-Region', false, false, 'us-east-1'],
      ],
    );
    const http = build(s, 'remote:0', { tenant: 'acme', token: 'tok', 'X-Region': 'eu-west-1' }, 'remote');
    assert.deepEqual(http.entry, {
      type: 'http',
      url: 'https://acme.mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${input:remote.token}', 'X-Region': 'eu-west-1' },
      registry: { url: 'http://127.0.0.1:1', name: 'com.example/remote-secret', version: '2.0.0' },
    });
    assert.deepEqual(http.secretValues, { 'remote.token': 'tok' });
    const sse = build(s, 'remote:1', {}, 'remote');
    assert.deepEqual([sse.entry.type, sse.entry.headers], ['sse', { 'X-API-Key': '${input:remote.X-API-Key}' }]);
    assert.throws(
      () => buildEntry(s, 'remote:0', {}, { localName: 'r', origin: origin(s) }),
      /needs a value for URL variable \{tenant\} \(Your tenant\)/,
    );
  });

  it('MCPB bundles and unknown package types are listed, not installable', () => {
    const s = server('com.example/bundle');
    const [o] = installOptions(s);
    assert.equal(o!.supported, false);
    assert.match(
      o!.reason!,
      /MCPB bundles are not supported yet: download https:\/\/github\.com\/example\/bundle\/releases\/download\/v1\.0\.2\/bundle\.mcpb \(SHA-256 fe333e/,
    );
    const odd: ServerJson = { name: 'a/b', packages: [{ registryType: 'cargo', identifier: 'x', version: '1' }] };
    assert.match(installOptions(odd)[0]!.reason!, /package type "cargo" is not supported/);
  });

  it('other runtime hints are used as the command (bunx); -y is not doubled', () => {
    const base = server('io.github.microsoft/playwright-mcp');
    const bunx: ServerJson = { ...base, packages: [{ ...base.packages![0]!, runtimeHint: 'bunx' }] };
    assert.deepEqual(
      [build(bunx, 'package:0', {}).entry.command, build(bunx, 'package:0', {}).entry.args],
      ['bunx', ['@playwright/mcp@0.1.0']],
    );
    const withYes: ServerJson = {
      ...base,
      packages: [{ ...base.packages![0]!, runtimeArguments: [{ type: 'named', name: '--yes', value: 'true', format: 'boolean' }] }],
    };
    assert.deepEqual(build(withYes, 'package:0', {}).entry.args, ['--yes', '@playwright/mcp@0.1.0']);
  });

  it('suggests short local names; describes entries; lists what an update changes', () => {
    assert.equal(suggestLocalName(server('io.github.modelcontextprotocol/server-time')), 'time');
    assert.equal(suggestLocalName(server('io.github.microsoft/playwright-mcp')), 'playwright');
    assert.equal(suggestLocalName({ name: 'com.example/every-argument' }), 'every-argument');
    const d = describeEntry({
      server: server('com.example/remote-secret'),
      meta: { status: 'active', publishedAt: '2025-10-20T10:00:00Z' },
      registry: 'r',
    });
    assert.equal(d.kind, 'remote');
    assert.deepEqual(d.lines.slice(0, 3), [
      'Remote: remote (Streamable HTTP) https://{tenant}.mcp.example.com/mcp',
      '  Required: URL variable {tenant}, header Authorization: variable {token} (secret)',
      '  Optional: header X-Region',
    ]);
    const dep = describeEntry({ server: server('com.example/deprecated-server'), meta: { status: 'deprecated' }, registry: 'r' });
    assert.ok(dep.lines.includes('Status: deprecated (not offered for install)'));
    const before = build(server('io.github.modelcontextprotocol/server-everything', '1.0.0'), 'package:0', {}).entry;
    const after = build(server('io.github.modelcontextprotocol/server-everything'), 'package:0', {}).entry;
    assert.deepEqual(entryChanges(before, after), [
      'args: -y @modelcontextprotocol/server-everything@1.0.0 -> -y @modelcontextprotocol/server-everything@2.0.0 stdio',
      'registry: {"url":"http://127.0.0.1:1","name":"io.github.modelcontextprotocol/server-everything","version":"1.0.0"} -> {"url":"http://127.0.0.1:1","name":"io.github.modelcontextprotocol/server-everything","version":"2.0.0"}',
    ]);
    assert.equal(commandLine({ command: 'npx', args: ['-y', 'a b'] }), "npx -y 'a b'");
  });
});

describe('writing an installed entry into mcp.json', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-write-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the file, then adds entries and inputs keeping comments and other entries', () => {
    const file = path.join(dir, '.vscode', 'mcp.json');
    const first = writeServerEntry(file, 'a', { command: 'npx', args: ['-y', 'a@1'] });
    assert.deepEqual([first.created, first.replaced], [true, false]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{', '{\n  // my servers'));
    const second = writeServerEntry(file, 'b', { type: 'http', url: 'https://b', headers: { k: '${input:b.k}' } }, [
      { type: 'promptString', id: 'b.k', password: true },
    ]);
    assert.deepEqual([second.created, second.replaced], [false, false]);
    writeServerEntry(file, 'b', { type: 'http', url: 'https://b2' }, [
      { type: 'promptString', id: 'b.k', password: true },
      { type: 'promptString', id: 'b.j', description: 'J', password: true },
    ]);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/\/ my servers/);
    const { servers, inputIds } = readServersFile(file);
    assert.deepEqual(Object.keys(servers), ['a', 'b']);
    assert.equal((servers.b as { url: string }).url, 'https://b2');
    assert.deepEqual([...inputIds], ['b.k', 'b.j'], 'inputs appended once each');
  });

  it('refuses to edit a file that is not valid JSON, saying which', () => {
    const file = path.join(dir, 'mcp.json');
    fs.writeFileSync(file, '{ "servers": ');
    assert.throws(() => writeServerEntry(file, 'a', {}), new RegExp(`${file.replace(/[.\\/]/g, '\\$&')} is not valid JSON`));
  });
});
