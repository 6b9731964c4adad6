// Bundles the extension and the CLI. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change. `vscode` is provided by the editor at run time.
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--analyze` prints what each bundle is made of (for keeping the bundle small).
const analyze = process.argv.includes('--analyze');

/**
 * zod re-exports every locale (`z.locales`, ~258 KB minified) although only English is used:
 * resolve its locale index to a module exporting just `en`. Measured: 798 KB -> 541 KB.
 * @type {import('esbuild').Plugin}
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'zod-locales', pluginData: path.join(args.resolveDir, path.dirname(args.path)) }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from './en.js';`,
      resolveDir: args.pluginData,
    }));
  },
};

/**
 * The SDK's Client (and Server) fall back to `new AjvJsonSchemaValidator()` when no
 * `jsonSchemaValidator` option is given, which bundles ajv + ajv-formats + fast-uri (~133 KB
 * minified). We validate with @cfworker/json-schema (~23 KB; src/core/toolOutput.ts,
 * src/vscode/toolCall/validator.ts) and give every Client a validator (src/core/connection.ts), so
 * the SDK's Ajv provider resolves to a stub that throws if a Client is ever created without one.
 * Measured (--production, esbuild's KB = 1024 bytes): dist/extension.js 579.7 KB with Ajv -> 478.1 KB
 * with cfworker and this stub; dist/cli.js 496.1 KB -> 388.3 KB. The stub alone saves ~132 KB
 * (cfworker without it: 608.5 KB). The build fails if ajv comes back (FORBIDDEN below).
 * @type {import('esbuild').Plugin}
 */
const noAjv = {
  name: 'no-ajv',
  setup(build) {
    build.onResolve({ filter: /(^|[\\/])ajv-provider(\.js)?$|^@modelcontextprotocol\/sdk\/validation\/ajv$/ }, (args) =>
      /[\\/]@modelcontextprotocol[\\/]sdk[\\/]/.test(args.importer) || args.path.startsWith('@modelcontextprotocol/sdk/')
        ? { path: 'ajv-provider', namespace: 'no-ajv' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-ajv' }, () => ({
      contents: `export class AjvJsonSchemaValidator { constructor() { throw new Error('this bundle has no Ajv: pass a jsonSchemaValidator'); } }`,
      loader: 'js',
    }));
  },
};

/**
 * zod's classic namespace re-exports `fromJSONSchema` (JSON Schema -> zod schema), which neither
 * the SDK nor this code calls; the `z` namespace import keeps it (and what only it uses) from being
 * tree-shaken. It resolves to a stub that throws if ever called. Measured (--production), with the
 * resources/prompts browsing added: dist/extension.js 510.4 KB -> 495.3 KB, dist/cli.js 390.8 KB ->
 * 375.7 KB.
 * @type {import('esbuild').Plugin}
 */
const zodNoFromJsonSchema = {
  name: 'zod-no-from-json-schema',
  setup(build) {
    build.onResolve({ filter: /[\\/]from-json-schema\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-from-json-schema', namespace: 'zod-no-from-json-schema' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-no-from-json-schema' }, () => ({
      contents: `export function fromJSONSchema() { throw new Error('this bundle has no z.fromJSONSchema'); }`,
      loader: 'js',
    }));
  },
};

/** Packages that must not end up in a bundle (see noAjv): the build fails if one does. */
const FORBIDDEN = /(^|[\\/])node_modules[\\/](ajv|ajv-formats|fast-uri|fast-deep-equal|json-schema-traverse)[\\/]/;

/** @type {import('esbuild').BuildOptions} */
const common = {
  plugins: [zodEnglishOnly, zodNoFromJsonSchema, noAjv],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
  metafile: true,
  // Prefer ESM entries: some packages' UMD builds (jsonc-parser) break when bundled.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (analyze) for (const r of results) console.log(await esbuild.analyzeMetafile(r.metafile));
  const forbidden = results.flatMap((r) => Object.keys(r.metafile.inputs).filter((f) => FORBIDDEN.test(f)));
  if (forbidden.length) {
    console.error(`Bundled modules that should not be (see noAjv in esbuild.mjs):\n  ${[...new Set(forbidden)].join('\n  ')}`);
    process.exit(1);
  }
}
