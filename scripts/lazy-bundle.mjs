// Splits the extension into the bundle that loads at activation (dist/extension.js) and a second one
// that loads on first use (dist/protocol.js: the MCP SDK and what only it needs), for esbuild.mjs.
//
// How (CommonJS output, no code splitting, which esbuild offers only for ESM):
//  - In the extension bundle every import of a LAZY module resolves to a small proxy module: a
//    CommonJS object with one getter per export name. esbuild turns a named import of a CommonJS
//    module into a property access at each use site (`import_client.Client`), so nothing is loaded
//    until code really uses a value; the first getter require()s dist/protocol.js.
//  - dist/protocol.js bundles the LAZY modules. Every module it imports that the extension bundle
//    already holds (zod) is not bundled again but taken from the extension bundle's instance, so
//    there is one zod (one copy in the package, and the SDK's schemas and ours compose). For that
//    protocol.js is `module.exports = function (shared) { ... }` and the extension bundle calls it
//    with the namespaces of those modules, keyed by their path.
//  - A value of a LAZY module touched at module top level in the extension bundle (a class that
//    extends an SDK class, a schema built at load time) would load protocol.js at activation:
//    test/servers/bundle.test.ts loads the built bundle, activates it and fails if protocol.js got
//    loaded.
// Builds, in order: the export names of each LAZY module and a first pass of the extension bundle
// (to know which modules it holds); protocol.js (recording which of those it takes from the
// extension bundle); the extension bundle again, with the loader handing exactly those over. The
// first pass also checks that the proxies will have every name the sources import.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** The parameter of protocol.js's wrapper function: the extension bundle's shared modules by path. */
const SHARED = '__mcpmShared';
const LOADER = 'mcpm:protocol-loader';

/** A path relative to the project (as esbuild's metafile names inputs), with forward slashes. */
const key = (cwd, p) => path.relative(cwd, p).split(path.sep).join('/');

/**
 * @param {object} o
 * @param {string[]} o.lazy module specifiers (imported from src/) that go to protocol.js
 * @param {import('esbuild').BuildOptions} o.options the extension bundle's options (entryPoints, outdir, plugins...)
 * @param {string} o.protocolName output name of the lazy bundle, beside the extension bundle ('protocol')
 * @param {RegExp} [o.unshared] modules protocol.js bundles itself even when the extension bundle
 *   holds them too (a tree-shaken part of them: sharing would keep all of it in the extension bundle)
 * @returns {Promise<import('esbuild').BuildResult[]>} [extension, protocol]
 */
export async function buildSplit({ lazy, options, protocolName, unshared }) {
  const cwd = options.absWorkingDir ?? process.cwd();
  const spec = new RegExp(`^(${lazy.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  const fromSource = (importer) => !/[\\/]node_modules[\\/]/.test(importer);
  /** Our own LAZY files: their project-relative path -> their LAZY entry. */
  const files = new Map(lazy.filter((s) => s.startsWith('./')).map((s) => [key(cwd, path.resolve(cwd, s)), s]));

  /** The extension bundle's side: proxies for the LAZY modules and the loader of protocol.js. */
  const proxies = (names, shared, check = false) => ({
    name: 'lazy-proxies',
    setup(build) {
      build.onResolve({ filter: spec }, (args) =>
        args.namespace === 'file' && fromSource(args.importer) ? { path: args.path, namespace: 'lazy-proxy' } : undefined,
      );
      // Our own LAZY files ('./src/...'), however a source file spells the relative path.
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (!files.size || args.pluginData?.lazyResolving || args.namespace !== 'file' || !fromSource(args.importer)) return undefined;
        const r = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { lazyResolving: true },
        });
        if (r.errors.length || r.namespace !== 'file') return undefined;
        const own = files.get(key(cwd, r.path));
        return own ? { path: own, namespace: 'lazy-proxy' } : { path: r.path, sideEffects: r.sideEffects, pluginData: r.pluginData };
      });
      // check: an ESM stand-in with the same names, so that esbuild fails on an import of a name
      // the proxy would not have (the CommonJS proxy would give `undefined` at run time).
      build.onLoad({ filter: /.*/, namespace: 'lazy-proxy' }, (args) => ({
        loader: 'js',
        resolveDir: cwd,
        contents:
          check && names.get(args.path)
            ? names
                .get(args.path)
                .map((k) => (k === 'default' ? 'export default 0;' : `export const ${k} = 0;`))
                .join('\n')
            : [
                `var load = require(${JSON.stringify(LOADER)}).load, m = ${JSON.stringify(`m${lazy.indexOf(args.path)}`)};`,
                `Object.defineProperty(exports, '__esModule', { value: true });`,
                `${JSON.stringify(names.get(args.path) ?? [])}.forEach(function (k) {`,
                `  Object.defineProperty(exports, k, { enumerable: true, get: function () { return load()[m][k]; } });`,
                `});`,
              ].join('\n'),
      }));
      build.onResolve({ filter: new RegExp(`^${LOADER}$`) }, () => ({ path: LOADER, namespace: 'lazy-loader' }));
      build.onResolve({ filter: /^\.\/.*\.js$/ }, (args) =>
        args.namespace === 'lazy-loader' ? { path: args.path, external: true } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-loader' }, () => ({
        loader: 'js',
        resolveDir: cwd,
        contents: [
          ...[...shared].map((k, i) => `import * as s${i} from ${JSON.stringify(path.join(cwd, k))};`),
          // As esbuild's own __toCommonJS: protocol.js imports these as CommonJS modules.
          `function cjs(ns) { var m = Object.defineProperty({}, '__esModule', { value: true });`,
          `  Object.keys(ns).forEach(function (k) { Object.defineProperty(m, k, { enumerable: true, get: function () { return ns[k]; } }); });`,
          `  return m; }`,
          `var protocol;`,
          `export function load() {`,
          `  if (!protocol) protocol = require(${JSON.stringify(`./${protocolName}.js`)})({`,
          ...[...shared].map((k, i) => `    ${JSON.stringify(k)}: cjs(s${i}),`),
          `  });`,
          `  return protocol;`,
          `}`,
        ].join('\n'),
      }));
    },
  });

  // 1. The export names of each LAZY module (an ESM build lists them) and which modules the
  //    extension bundle holds without the LAZY ones.
  const root = {
    name: 'lazy-roots',
    setup(build) {
      build.onResolve({ filter: /^lazy-root:/ }, (args) => ({ path: args.path, namespace: 'lazy-root' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-root' }, (args) => ({
        contents: `export * from ${JSON.stringify(lazy[Number(args.path.slice('lazy-root:'.length))])};`,
        resolveDir: cwd,
      }));
    },
  };
  const imports = scanImports(cwd, lazy, path.join(cwd, 'src'));
  const [namesPass, firstPass] = await Promise.all([
    esbuild.build({
      ...options,
      entryPoints: Object.fromEntries(lazy.map((_, i) => [`m${i}`, `lazy-root:${i}`])),
      plugins: [root, ...(options.plugins ?? [])],
      format: 'esm',
      write: false,
      minify: false,
      sourcemap: false,
      logLevel: 'error',
      banner: undefined,
    }),
    // Also the check that every name the sources import from a LAZY package is one its proxy will
    // have: an ESM stand-in with those names, so that esbuild fails on any other (the CommonJS
    // proxy would give `undefined` at run time). Names only used as types are dropped by esbuild.
    esbuild.build({
      ...options,
      plugins: [...(options.plugins ?? []), proxies(new Map([...lazy].map((sp) => [sp, importedNames(imports, sp)])), new Set(), true)],
      write: false,
      logLevel: 'error',
    }),
  ]);
  const names = new Map();
  for (const out of Object.values(namesPass.metafile.outputs)) {
    const m = /^lazy-root:lazy-root:(\d+)$/.exec(out.entryPoint ?? '');
    if (m) names.set(lazy[Number(m[1])], out.exports);
  }
  const eager = new Set(Object.keys(firstPass.metafile.inputs));
  // The names protocol.js exports: those the extension bundle's own sources import, at run time.
  const inExtension = new Map([...imports].filter(([file]) => eager.has(file)));
  const used = new Map(
    lazy.map((sp) => {
      const wanted = importedNames(inExtension, sp);
      return [sp, wanted ? names.get(sp).filter((n) => wanted.includes(n)) : names.get(sp)];
    }),
  );

  // 2. protocol.js: the LAZY modules; what the extension bundle holds is taken from it.
  const shared = new Set();
  const share = {
    name: 'share-with-extension',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.shareResolving || args.namespace !== 'file' || args.kind === 'entry-point') return undefined;
        const r = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { shareResolving: true },
        });
        if (r.errors.length || r.external || r.namespace !== 'file') return r.errors.length ? { errors: r.errors } : undefined;
        const k = key(cwd, r.path);
        if (!eager.has(k) || unshared?.test(k)) return { path: r.path, sideEffects: r.sideEffects, pluginData: r.pluginData };
        shared.add(k);
        return { path: k, namespace: 'shared' };
      });
      build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        loader: 'js',
        contents: `module.exports = ${SHARED}[${JSON.stringify(args.path)}];`,
      }));
    },
  };
  const protocol = await esbuild.build({
    ...options,
    entryPoints: { [protocolName]: 'lazy-entry' },
    plugins: [
      {
        name: 'lazy-entry',
        setup(build) {
          build.onResolve({ filter: /^lazy-entry$/ }, () => ({ path: 'lazy-entry', namespace: 'lazy-entry' }));
          build.onLoad({ filter: /.*/, namespace: 'lazy-entry' }, () => ({
            contents: lazy.map((_, i) => `export * as m${i} from 'lazy-part:${i}';`).join('\n'),
            resolveDir: cwd,
          }));
          // Only the names the extension uses, so that the rest of the SDK is tree-shaken.
          build.onResolve({ filter: /^lazy-part:/ }, (args) => ({ path: args.path, namespace: 'lazy-part' }));
          build.onLoad({ filter: /.*/, namespace: 'lazy-part' }, (args) => {
            const s = lazy[Number(args.path.slice('lazy-part:'.length))];
            return { contents: `export { ${used.get(s).join(', ')} } from ${JSON.stringify(s)};`, resolveDir: cwd };
          });
        },
      },
      share,
      ...(options.plugins ?? []),
    ],
    banner: { js: `module.exports = function (${SHARED}) {\nvar module = { exports: {} }, exports = module.exports;` },
    footer: { js: 'return module.exports;\n};' },
  });

  // 3. The extension bundle, its loader handing protocol.js the modules it shares.
  const extension = await esbuild.build({
    ...options,
    plugins: [...(options.plugins ?? []), proxies(used, new Set([...shared].sort()))],
  });
  return [extension, protocol];
}

/**
 * What each source file under `dir` imports from each LAZY package, by file (project-relative):
 * spec -> the names of `import { a, b as c, type T } from 'x'` and `export { a } from 'x'` (type-only
 * ones left out; a name without `type` may still be a type), or null when the file imports it in
 * another form too (`import * as`): then every name. Our own LAZY files are imported by relative
 * paths of every spelling, so they always export every name (they are not scanned).
 */
function scanImports(cwd, lazy, dir) {
  const packages = lazy.filter((s) => !s.startsWith('./'));
  const result = new Map();
  for (const entry of fs.readdirSync(dir, { recursive: true })) {
    if (!/\.ts$/.test(entry)) continue;
    const file = path.join(dir, entry);
    const text = fs.readFileSync(file, 'utf8');
    const found = new Map();
    for (const s of packages) {
      const quoted = `'${s}'`;
      const mentions = text.split(quoted).length - 1;
      if (!mentions) continue;
      const named = new RegExp(
        `(?:import|export)\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*${quoted.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`,
        'g',
      );
      const names = new Set();
      let statements = 0;
      for (const m of text.matchAll(named)) {
        statements++;
        if (m[1]) continue;
        for (const item of m[2].split(',')) {
          const name = item
            .trim()
            .split(/\s+as\s+/)[0]
            .trim();
          if (name && !name.startsWith('type ')) names.add(name);
        }
      }
      found.set(s, statements < mentions ? null : names);
    }
    if (found.size) result.set(key(cwd, file), found);
  }
  return result;
}

/** The names the files of `imports` import from `spec`, or null for every name (see scanImports). */
function importedNames(imports, spec) {
  if (spec.startsWith('./')) return null;
  const names = new Set();
  for (const found of imports.values()) {
    if (!found.has(spec)) continue;
    const n = found.get(spec);
    if (n === null) return null;
    for (const x of n) names.add(x);
  }
  return [...names];
}
