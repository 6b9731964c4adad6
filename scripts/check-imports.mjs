#!/usr/bin/env node
// `npm run lint` (after ESLint): the import rules of docs/architecture.md, made mechanical.
//   1. Layers point one way: extension.ts -> vscode/ -> ui/ -> core/; cli/ -> core/.
//      core/ imports no other layer; ui/ and cli/ import only core/ (and themselves).
//   2. Outside core/, code reaches core only through an index file: src/core/index.ts or an
//      area's index.ts (src/core/<area>/index.ts), never a file deeper inside.
//   3. No import cycles anywhere in src/ (type-only imports count too: a cycle of types is
//      still a knot a reader has to untie).
//   4. No source file over MAX_LINES lines (issue 12): a file that long holds more than one concern.
// Uses TypeScript's own pre-processor (no extra dependency) to list each file's imports.
// Prints every violation with file and import, exits 1 when there is one.
// --stats prints files, lines and imports per layer (for the changelog's before/after figures).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The longest a source file may be, in lines (as `wc -l` counts them). */
const MAX_LINES = 500;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Resolves a relative specifier the way node16 resolution does for our sources. */
function resolve(from, spec) {
  const exact = path.resolve(path.dirname(from), spec);
  if (/\.json$/.test(spec) && fs.existsSync(exact)) return exact;
  const base = path.resolve(path.dirname(from), spec.replace(/\.(js|mjs|cjs)$/, ''));
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** 'core' | 'ui' | 'vscode' | 'cli' | 'root' (src/*.ts). */
function layerOf(file) {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? 'root' : rel[0];
}

const ALLOWED = {
  core: new Set(['core']),
  ui: new Set(['ui', 'core']),
  cli: new Set(['cli', 'core']),
  vscode: new Set(['vscode', 'ui', 'core']),
  root: new Set(['root', 'vscode', 'ui', 'core', 'cli']),
};

/** An index file of core: src/core/index.ts or src/core/<area>/index.ts. */
function isCoreEntry(file) {
  const rel = path.relative(path.join(SRC, 'core'), file).split(path.sep);
  return rel[rel.length - 1] === 'index.ts' && rel.length <= 2;
}

const files = listFiles(SRC);
const graph = new Map();
const problems = [];
const stats = {};
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const layer = layerOf(file);
  const s = (stats[layer] ??= { files: 0, lines: 0, imports: 0, deep: 0 });
  s.files++;
  s.lines += text.split('\n').length;
  const lineCount = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lineCount > MAX_LINES)
    problems.push(
      `${path.relative(ROOT, file)}: ${lineCount} lines, over the limit of ${MAX_LINES}: split it by concern (CONTRIBUTING.md)`,
    );
  const edges = [];
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const target = resolve(file, ref.fileName);
    const where = `${path.relative(ROOT, file)}: import '${ref.fileName}'`;
    if (!target) {
      problems.push(`${where} does not resolve to a file under src/`);
      continue;
    }
    if (!target.startsWith(SRC + path.sep)) continue; // package.json and other data files
    edges.push(target);
    s.imports++;
    const to = layerOf(target);
    if (!ALLOWED[layer].has(to))
      problems.push(`${where}: ${layer}/ may not import ${to}/ (layers: extension.ts -> vscode/ -> ui/ -> core/; cli/ -> core/)`);
    if (layer !== 'core' && to === 'core' && !isCoreEntry(target)) {
      s.deep++;
      problems.push(`${where}: reach core through src/core/index.ts or an area's index.ts, not ${path.relative(ROOT, target)}`);
    }
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
  }
}
for (const file of files) if (!index.has(file)) connect(file);
for (const c of cycles)
  problems.push(
    `import cycle between ${c
      .map((f) => path.relative(ROOT, f))
      .sort()
      .join(', ')}`,
  );

if (process.argv.includes('--stats')) {
  console.log('layer    files  lines  imports  deep-into-core');
  for (const [layer, s] of Object.entries(stats).sort()) {
    console.log(
      `${layer.padEnd(8)} ${String(s.files).padStart(5)}  ${String(s.lines).padStart(5)}  ${String(s.imports).padStart(7)}  ${String(s.deep).padStart(14)}`,
    );
  }
  console.log(`cycles: ${cycles.length} (${cycles.reduce((n, c) => n + c.length, 0)} files)`);
}
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`\ncheck-imports: ${problems.length} problem(s). Rules: docs/architecture.md, "Layers and who may import what".`);
  process.exit(1);
}
if (!process.argv.includes('--stats')) console.log(`check-imports: ${files.length} files, layers, cycles and sizes OK`);
