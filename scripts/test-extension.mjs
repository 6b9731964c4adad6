// The tests' companion extension (test/fixtures/lm-extension: a language model provider and the
// "Test Account" authentication provider), packaged as a .vsix once per run with vsce, for
// scripts/run-integration.mjs and scripts/run-e2e.mjs to install beside MCP Manager.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './setup-vscode.mjs';

let packaged;

/** The .vsix's path (in a temp folder removed when the process exits). */
export async function testExtensionVsix() {
  if (packaged) return packaged;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpm-lm-')), 'mcpm-test-models.vsix');
  process.on('exit', () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
  const { createVSIX } = createRequire(import.meta.url)('@vscode/vsce');
  await createVSIX({
    cwd: path.join(ROOT, 'test', 'fixtures', 'lm-extension'),
    packagePath: out,
    allowMissingRepository: true,
    skipLicense: true,
    dependencies: false,
  });
  return (packaged = out);
}
