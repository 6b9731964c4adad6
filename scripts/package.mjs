#!/usr/bin/env node
// `npm run package`: production bundles, then `vsce package` into dist/mcp-manager.vsix
// (`--out <file>` elsewhere).
//
// README images: VS Code's extension page shows them from the installed extension, so by default
// they stay relative (`--no-rewrite-relative-links`) and docs/screenshot.png ships in the .vsix.
// The Marketplace shows only https images, and vsce would take their base from package.json's
// `repository`; this project has no public URL yet, so none is written there (and
// `--allow-missing-repository` says so). To package for the Marketplace, name where the
// repository's files are served: MCPM_BASE_IMAGES_URL=https://<host>/<path to the repository root>/
// (e.g. a GitHub repository's https://raw.githubusercontent.com/<owner>/<repo>/<branch>/), and
// vsce prefixes every relative README image with it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? path.resolve(process.argv[outAt + 1] ?? '') : path.join(ROOT, 'dist', 'mcp-manager.vsix');
const base = process.env.MCPM_BASE_IMAGES_URL?.trim();

if (base && !/^https:\/\/[^/\s]+/.test(base)) {
  console.error(
    `[package] MCPM_BASE_IMAGES_URL must be an https URL (the Marketplace shows no other images), got "${base}".\n` +
      '  Set it to where the repository root is served, e.g. https://raw.githubusercontent.com/<owner>/<repo>/main/',
  );
  process.exit(2);
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['esbuild.mjs', '--production']) !== 0) process.exit(1);

const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const args = ['package', '--no-dependencies', '--allow-missing-repository', '--out', out];
if (base) {
  args.push('--baseImagesUrl', base);
  console.log(`[package] README images: ${base} + their relative path (for the Marketplace)`);
} else {
  args.push('--no-rewrite-relative-links');
  console.log(
    "[package] README images stay relative: shown on VS Code's extension page, not on the Marketplace. " +
      'To publish, set MCPM_BASE_IMAGES_URL=https://<where the repository root is served>/ (see README, Development).',
  );
}
process.exit(run(process.execPath, [vsce, ...args]));
