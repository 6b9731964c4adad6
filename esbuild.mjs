// Bundles the extension and the CLI. `--production` minifies and drops sourcemaps;
// `--watch` rebuilds on change. `vscode` is provided by the editor at run time.
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { buildSplit } from './scripts/lazy-bundle.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--analyze` prints what each bundle is made of (for keeping the bundle small).
const analyze = process.argv.includes('--analyze');
// `--metafile=<file>` writes esbuild's metafile of all bundles (what docs/performance.md's table is made from).
const metafileOut = process.argv.find((a) => a.startsWith('--metafile='))?.slice('--metafile='.length);
// `--outdir=<dir>` writes the bundles elsewhere than dist/ (test/servers/bundle.test.ts, the bench).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

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
 * passed, as we always do (src/core/connection/handshake.ts gives every Client one; validation uses
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

/**
 * Modules that must not end up in a bundle (see noAjv): the build fails if one does. The v2 client
 * bundles Ajv into its own dist chunk (ajvProvider-*.mjs), so the packages alone are not enough.
 */
const FORBIDDEN =
  /(^|[\\/])node_modules[\\/](ajv|ajv-formats|fast-uri|fast-deep-equal|json-schema-traverse)[\\/]|[\\/]@modelcontextprotocol[\\/]client[\\/]dist[\\/]ajvProvider-/;

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

/**
 * What the extension loads on first use instead of at activation: dist/protocol.js
 * (scripts/lazy-bundle.mjs; the sources import these as usual). Activation needs none of it, and
 * each is first used by a connection or by what only follows one (a tool's form and result need its
 * tool list), so it loads with the first connection. docs/performance.md (Bundle size) has the sizes.
 * A module here must not be used at another module's top level (test/servers/bundle.test.ts).
 */
const LAZY = [
  // zod's chained API, for our schemas that compose with the SDK's (connection/operations.ts,
  // tasks/channel.ts): the SDK's own zod. What loads at activation uses zod/mini (src/core/zod.ts).
  'zod',
  // The MCP SDK (protocol, schemas of both protocol eras, HTTP/SSE transports, OAuth) and the JSON
  // Schema validator of tool outputs and argument forms.
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/core',
  '@modelcontextprotocol/client/validators/cf-worker',
  '@cfworker/json-schema',
  // Building transports (the SSE fallback class extends an SDK class at its top level).
  './src/core/transport/factory.ts',
  // The Call Tool argument form and result view: webview pages and scripts, argument plans, validation.
  './src/ui/toolCall/callRunner.ts',
  './src/ui/toolCall/formScript.ts',
  './src/ui/toolCall/formValues.ts',
  './src/ui/toolCall/markdown.ts',
  './src/ui/toolCall/resultFormat.ts',
  './src/ui/toolCall/resultHtml.ts',
  './src/ui/toolCall/resultScript.ts',
  './src/ui/toolCall/toolArgs.ts',
  './src/ui/toolCall/validator.ts',
  './src/ui/toolCall/webviewHtml.ts',
  // Answering a server's questions (roots, elicitation, sampling): installed by a handshake.
  './src/core/ask/install.ts',
  './src/core/ask/elicitFields.ts',
  './src/core/ask/samplingText.ts',
  // Checking a listed tool's schemas: after a tools/list.
  './src/core/toolSchema.ts',
  // Commands' own flows, run only when invoked: Add Server, Import, a server's question form,
  // suggestions while typing, mapping a registry entry to a server entry.
  './src/vscode/addServer.ts',
  './src/vscode/importServers.ts',
  './src/ui/ask/elicitForm.ts',
  './src/vscode/suggestInput.ts',
  './src/core/mcpRegistry/mapping.ts',
  // OAuth sign-in (discovery, registration, the loopback listener, the token-carrying fetch): a 401.
  './src/core/auth/serverAuth.ts',
  './src/core/auth/provider.ts',
  './src/core/auth/loopback.ts',
  './src/core/auth/authFetch.ts',
  // The gateway (and its MCP server side: the SDK's server and node packages): only once a client
  // starts one of its servers.
  './src/core/gateway/gateway.ts',
  './src/core/gateway/downstream.ts',
  './src/core/gateway/http.ts',
  './src/core/gateway/stdio.ts',
  // Running a test collection (matching, diffs, snapshots, JUnit): after a run starts; finding
  // and parsing the collections stays eager for the Testing view.
  './src/core/tests/runner.ts',
  './src/core/tests/match.ts',
  './src/core/tests/diff.ts',
  './src/core/tests/snapshot.ts',
  './src/core/tests/junit.ts',
];

/** @type {import('esbuild').BuildOptions} */
const extension = { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir, external: ['vscode'] };
// The CLI connects on nearly every command, so it stays one file (docs/performance.md, Bundle size).
const cli = { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } };

async function buildAll() {
  const [[ext, protocol], cliResult] = await Promise.all([
    // zod/mini in the extension bundle is the tree-shaken part of zod's core that its schemas use;
    // protocol.js has zod whole (the SDK's), so it bundles zod itself rather than share that part.
    buildSplit({ lazy: LAZY, options: extension, protocolName: 'protocol', unshared: /(^|\/)node_modules\/zod\// }),
    esbuild.build(cli),
  ]);
  const results = [ext, protocol, cliResult];
  if (analyze) for (const r of results) console.log(await esbuild.analyzeMetafile(r.metafile));
  const forbidden = results.flatMap((r) => Object.keys(r.metafile.inputs).filter((f) => FORBIDDEN.test(f)));
  if (forbidden.length)
    throw new Error(`Bundled modules that should not be (see noAjv in esbuild.mjs):\n  ${[...new Set(forbidden)].join('\n  ')}`);
  const eager = Object.keys(ext.metafile.inputs).filter((f) => LAZY_PACKAGES.test(f));
  if (eager.length) throw new Error(`dist/extension.js holds modules meant for dist/protocol.js:\n  ${eager.join('\n  ')}`);
  if (metafileOut) {
    const merged = (k) => Object.assign({}, ...results.map((r) => r.metafile[k]));
    fs.writeFileSync(metafileOut, JSON.stringify({ inputs: merged('inputs'), outputs: merged('outputs') }));
  }
}
/** Packages whose modules must be only in dist/protocol.js. */
const LAZY_PACKAGES = /(^|[\\/])node_modules[\\/](@modelcontextprotocol|@cfworker|eventsource|eventsource-parser|pkce-challenge)[\\/]/;

if (watch) {
  // Three builds depend on each other (scripts/lazy-bundle.mjs), so watch the sources and rebuild all.
  let timer,
    running = Promise.resolve();
  const rebuild = () => (running = running.then(() => buildAll().catch((e) => console.error(e.message))));
  await rebuild();
  fs.watch('src', { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 100);
  });
} else {
  try {
    await buildAll();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
