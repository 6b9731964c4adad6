// The CLI against servers of both protocol eras: every browsing verb against the SDK v2 fixture
// serving only 2026-07-28 (stateless) over stdio and Streamable HTTP, and `servers --probe`, which
// reports each configured server's negotiated protocol version.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BAD, ERAS, EVERYTHING_SERVER, FIXTURE_SERVER, NODE, startHttpFixture, type StartedServer } from '../fixtures/paths';
import { buildCli, runCli, startCli } from './runCli';
import { waitFor } from '../unit/helpers';

describe('cli against both protocol eras', function () {
  this.timeout(180_000);
  let tmp: string;
  let http: StartedServer;

  before(async function () {
    this.timeout(120_000);
    buildCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-cli-eras-'));
    http = await startHttpFixture(['--http', '--era', 'modern'], { script: ERAS.modern });
  });

  after(async () => {
    await http?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const transports: Array<[string, () => string[]]> = [
    ['stdio', () => ['--stdio', `${JSON.stringify(NODE)} ${JSON.stringify(ERAS.modern)} --era modern`]],
    ['Streamable HTTP', () => ['--url', http.url]],
  ];

  for (const [label, target] of transports) {
    it(`tools, call, resources, read, prompts, prompt and ping work against a 2026-07-28-only server over ${label}`, async () => {
      const t = target();
      const [ping, tools, call, resources, read, prompts, prompt] = await Promise.all([
        runCli(['ping', ...t, '--json']),
        runCli(['tools', ...t, '--json']),
        runCli(['call', ...t, 'echo', '{"message":"hi"}']),
        runCli(['resources', ...t]),
        runCli(['read', ...t, 'eras://hello']),
        runCli(['prompts', ...t]),
        runCli(['prompt', ...t, 'greet', '{"name":"Ada"}']),
      ]);
      for (const r of [ping, tools, call, resources, read, prompts, prompt]) assert.equal(r.code, 0, r.stderr);
      const pinged = JSON.parse(ping.stdout) as { protocolVersion: string };
      assert.equal(pinged.protocolVersion, '2026-07-28');
      const names = (JSON.parse(tools.stdout) as Array<{ name: string }>).map((x) => x.name);
      assert.ok(names.includes('echo') && names.includes('add'), names.join(', '));
      assert.equal(call.stdout.trim(), 'Echo: hi');
      assert.match(resources.stdout, /eras:\/\/hello/);
      assert.match(resources.stdout, /eras:\/\/item\/\{id\}/);
      assert.match(read.stdout, /^Hello from eras \(v\d+\)/);
      assert.match(prompts.stdout, /greet/);
      assert.match(prompt.stdout, /Hello, Ada!/);
    });
  }

  for (const era of ['modern', 'legacy'] as const) {
    it(`read --watch prints each new version until interrupted (${era === 'modern' ? '2026-07-28' : '2025-11-25'} over HTTP)`, async () => {
      const server = era === 'modern' ? http : await startHttpFixture(['--http', '--era', 'legacy'], { script: ERAS.modern });
      try {
        const watching = startCli(['read', '--url', server.url, 'eras://hello', '--watch', '--json']);
        const versions = () =>
          watching
            .stdout()
            .split('\n')
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { contents: Array<{ text: string }> }).contents[0]!.text);
        await waitFor(() => versions().length === 1, 30_000, 'the first version');
        const first = versions()[0]!;
        const touched = await runCli(['call', '--url', server.url, 'touch']);
        assert.equal(touched.code, 0, touched.stderr);
        await waitFor(() => versions().length === 2, 30_000, `a second version after touch\n${watching.stderr()}`);
        assert.notEqual(versions()[1], first);
        assert.match(versions()[1]!, /^Hello from eras \(v\d+\)$/);
        watching.child.kill('SIGINT');
        const done = await watching.exited;
        assert.equal(done.code, 130, done.stderr);
      } finally {
        if (server !== http) await server.stop();
      }
    });
  }

  it('read --watch says why a resource cannot be followed', async () => {
    const r = await runCli(['read', '--stdio', `${JSON.stringify(NODE)} ${JSON.stringify(FIXTURE_SERVER)}`, 'fixture://readme', '--watch']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot follow fixture:\/\/readme: the server does not announce resource updates/);
  });

  it('complete suggests prompt arguments and template variables, in both eras, with --context', async () => {
    const modern = ['--url', http.url];
    const everything = ['--stdio', `${JSON.stringify(NODE)} ${JSON.stringify(EVERYTHING_SERVER)}`];
    const [names, ids, all, departments, team, asJson, unknown] = await Promise.all([
      runCli(['complete', ...modern, 'prompt', 'greet', 'name', 'a']),
      runCli(['complete', ...modern, 'resource', 'eras://item/{id}', 'id', '4']),
      runCli(['complete', ...modern, 'prompt', 'greet', 'name']),
      runCli(['complete', ...everything, 'prompt', 'completable-prompt', 'department', 'S']),
      runCli(['complete', ...everything, 'prompt', 'completable-prompt', 'name', '', '--context', '{"department":"Sales"}']),
      runCli(['complete', ...modern, 'prompt', 'greet', 'name', 'G', '--json']),
      runCli(['complete', ...modern, 'prompt', 'greet', 'nmae', 'a']),
    ]);
    for (const r of [names, ids, all, departments, team, asJson]) assert.equal(r.code, 0, r.stderr);
    assert.equal(names.stdout, 'Ada\nAlan\n');
    assert.equal(ids.stdout, '42\n420\n');
    assert.equal(all.stdout, 'Ada\nAlan\nGrace\nLinus\n');
    assert.equal(departments.stdout, 'Sales\nSupport\n');
    assert.equal(team.stdout, 'David\nEve\nFrank\n', 'the other argument narrows the values');
    assert.deepEqual((JSON.parse(asJson.stdout) as { values: string[] }).values, ['Grace']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /prompt "greet" has no argument "nmae"; its arguments: name/);
    const usage = await runCli(['complete', ...modern, 'tool', 'x', 'y']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /complete needs "prompt" or "resource" after the server, got "tool"/);
  });

  it('servers --probe shows each server’s protocol version and era, and exits 3 when one fails', async () => {
    const config = path.join(tmp, 'probe.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        mcpServers: {
          modern: { command: NODE, args: [ERAS.modern, '--era', 'modern'] },
          legacy: { command: NODE, args: [FIXTURE_SERVER] },
          remote: { type: 'http', url: http.url },
          broken: { command: NODE, args: [BAD.exitNow] },
          off: { command: NODE, args: [FIXTURE_SERVER], disabled: true },
        },
      }),
    );
    const [asJson, asText, plain] = await Promise.all([
      runCli(['servers', '--config', config, '--probe', '--json']),
      runCli(['servers', '--config', config, '--probe']),
      runCli(['servers', '--config', config, '--json']),
    ]);
    assert.equal(asJson.code, 3, asJson.stderr);
    const servers = (JSON.parse(asJson.stdout) as { servers: Array<{ name: string; probe?: Record<string, unknown> }> }).servers;
    const probe = (name: string) => servers.find((s) => s.name === name)?.probe;
    assert.deepEqual(
      { ...probe('modern'), serverInfo: undefined },
      { ok: true, protocolVersion: '2026-07-28', era: 'modern', serverInfo: undefined },
    );
    assert.equal(probe('legacy')?.protocolVersion, '2025-11-25');
    assert.equal(probe('legacy')?.era, 'legacy');
    assert.equal(probe('remote')?.protocolVersion, '2026-07-28');
    assert.equal(probe('broken')?.ok, false);
    assert.match(String(probe('broken')?.error), /exited|closed|crash/i);
    assert.equal(probe('off'), undefined, 'a disabled server is not probed');

    assert.equal(asText.code, 3);
    assert.match(asText.stdout, /^NAME\s+TRANSPORT\s+SOURCE\s+TARGET\s+PROTOCOL$/m);
    assert.match(asText.stdout, /^modern\s.*2026-07-28 \(stateless\)$/m);
    assert.match(asText.stdout, /^legacy\s.*2025-11-25$/m);
    assert.match(asText.stdout, /^broken\s.*FAILED: /m);
    assert.match(asText.stdout, /^off \(disabled\)\s.*\(disabled: not probed\)$/m);

    // Without --probe nothing is started, and nothing is said about protocols.
    assert.equal(plain.code, 0, plain.stderr);
    const listed = (JSON.parse(plain.stdout) as { servers: Array<Record<string, unknown>> }).servers;
    assert.deepEqual(
      listed.filter((s) => 'probe' in s),
      [],
    );
  });
});
