// `npm run package` (scripts/package.mjs) as a real child process: the README's images stay
// relative by default (VS Code's extension page shows them from the .vsix) and become absolute
// https URLs when MCPM_BASE_IMAGES_URL names where the repository is served (the Marketplace
// shows no other images). The .vsix is read back with zlib: what a user would download.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { NODE, REPO_ROOT } from '../fixtures/paths';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'package.mjs');

function runPackage(out: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [SCRIPT, '--out', out], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** One file of a zip, found through its central directory and inflated. */
function zipFile(file: string, name: string): string {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is not a zip`);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0, count = buf.readUInt16LE(eocd + 10); i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const next = p + 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (buf.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const local = buf.readUInt32LE(p + 42);
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    }
    p = next;
  }
  throw new Error(`${name} is not in ${file}`);
}

const images = (readme: string) => [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);

describe('npm run package: README images', function () {
  this.timeout(180_000); // two production builds and vsce runs on a busy machine
  let tmp: string;

  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-package-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('by default: relative images, the screenshot in the .vsix, and a note on what publishing needs', async () => {
    const out = path.join(tmp, 'plain.vsix');
    const { code, output } = await runPackage(out, { MCPM_BASE_IMAGES_URL: '' });
    assert.equal(code, 0, output);
    assert.match(output, /README images stay relative.*MCPM_BASE_IMAGES_URL=https:/);
    const readme = zipFile(out, 'extension/readme.md');
    assert.ok(images(readme).includes('docs/screenshot.png'), readme.slice(0, 400));
    assert.ok(zipFile(out, 'extension/docs/screenshot.png').length > 1000);
  });

  it('with MCPM_BASE_IMAGES_URL: every README image is an absolute https URL under it', async () => {
    const out = path.join(tmp, 'marketplace.vsix');
    const base = 'https://raw.githubusercontent.com/example-owner/mcp-manager/main/';
    const { code, output } = await runPackage(out, { MCPM_BASE_IMAGES_URL: base });
    assert.equal(code, 0, output);
    const found = images(zipFile(out, 'extension/readme.md'));
    assert.ok(found.length >= 1);
    assert.ok(found.includes(`${base}docs/screenshot.png`), found.join(', '));
    for (const src of found) assert.ok(src.startsWith(base), src);
  });

  it('refuses an image base that is not https, before building anything', async () => {
    const out = path.join(tmp, 'refused.vsix');
    const { code, output } = await runPackage(out, { MCPM_BASE_IMAGES_URL: 'http://127.0.0.1:9/' });
    assert.equal(code, 2);
    assert.match(output, /MCPM_BASE_IMAGES_URL must be an https URL/);
    assert.ok(!fs.existsSync(out));
  });
});
