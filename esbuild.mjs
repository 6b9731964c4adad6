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
 * The SDK's Client falls back to `new DefaultJsonSchemaValidator()` when no `jsonSchemaValidator`
 * option is given; in Node that is its Ajv provider (`_shims` -> shimsNode.mjs -> ajvProvider-*.mjs:
 * Ajv, ajv-formats and fast-uri, ~150 KB minified), imported statically even when a validator is
 * passed, as we always do (src/core/connection.ts gives every Client one; validation uses
 * @cfworker/json-schema: src/core/toolOutput.ts, src/ui/toolCall/validator.ts). The provider module
 * resolves to a stub whose exports throw if ever used. Measured (--production, KB = 1024 bytes):
 * dist/extension.js 935.0 KB -> 784.3 KB, dist/cli.js 726.5 KB -> 576.0 KB. The build fails if
 * Ajv comes back (FORBIDDEN below), and fails to link if the provider's export names change.
 * @type {import('esbuild').Plugin}
 */
const noAjv = {
  name: 'no-ajv',
  setup(build) {
    build.onResolve({ filter: /[\\/]ajvProvider-[^\\/]*\.mjs$/ }, (args) =>
      /[\\/]@modelcontextprotocol[\\/]client[\\/]/.test(args.importer) ? { path: 'ajv-provider', namespace: 'no-ajv' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-ajv' }, () => ({
      // n: AjvJsonSchemaValidator, t: Ajv, r: addFormats (the chunk's minified export names).
      contents: [
        `const none = () => { throw new Error('this bundle has no Ajv: pass a jsonSchemaValidator'); };`,
        `export class n { constructor() { none(); } }`,
        `export class t { constructor() { none(); } }`,
        `export const r = none;`,
      ].join('\n'),
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
