// Entry point VS Code loads in its extension host (`extensionTestsPath`): runs the bundled
// `*.test.js` files with mocha and reports failures through the returned promise.
// scripts/build-tests.mjs bundles each test/integration/**/*.test.ts into out/integration/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// mocha 12 is ESM-only; `require('mocha')` (Node >= 20.19 require(esm)) yields its namespace,
// so take `.default` when present.
const MochaCtor: typeof Mocha = (Mocha as unknown as { default?: typeof Mocha }).default ?? Mocha;

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

export async function run(): Promise<void> {
  // scripts/vscode-shim.mjs shows the output from this line on (before it: workbench chatter).
  console.log('[mcpm-tests] running on VS Code %s (%s)', vscode.version, vscode.env.appHost);
  const mocha = new MochaCtor({
    ui: 'bdd',
    reporter: 'spec',
    color: process.env.MCPM_TEST_COLOR === '1',
    timeout: 60000,
    slow: 2000,
    grep: process.env.MCPM_TEST_GREP || undefined,
  });
  // scripts/run-integration.mjs passes the files of the suite this window is for; default: all.
  const files = process.env.MCPM_TEST_FILES ? process.env.MCPM_TEST_FILES.split(path.delimiter) : findTests(__dirname);
  for (const file of files.sort()) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failed: string[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('fail', (test, err: unknown) => {
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failed.push(`${test.fullTitle()}\n${text.split('\n').slice(0, 12).join('\n')}`);
    });
  });
  // The runner repeats these in its summary, so a log cut to its tail still names the failures.
  if (failed.length && process.env.MCPM_TEST_FAILURES) fs.writeFileSync(process.env.MCPM_TEST_FAILURES, failed.join('\n\n'));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
