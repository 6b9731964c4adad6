#!/usr/bin/env node
// Bundles the integration tests for the extension host: test/integration/index.ts and every
// test/integration/**/*.test.ts become CommonJS files in out/integration/ (same relative paths).
// `vscode` is provided by the extension host and `mocha` is loaded from node_modules at run time
// (mocha 12 is ESM-only, so it must not be bundled into CommonJS).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'test', 'integration');
export const OUT = path.join(ROOT, 'out', 'integration');

function tests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('workspace') ? [] : tests(p); // fixture workspaces
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

export async function buildTests() {
  fs.rmSync(OUT, { recursive: true, force: true }); // a deleted test must not keep running
  const entryPoints = [path.join(SRC, 'index.ts'), ...tests(SRC)];
  await esbuild.build({
    entryPoints,
    outbase: SRC,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false, // the extension host's own Error.prepareStackTrace ignores source maps; the bundle stays readable (not minified)
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return entryPoints.length - 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = await buildTests();
  console.log(`[build-tests] ${n} integration test file(s) -> ${path.relative(ROOT, OUT)}`);
}
