// `mcp-manager test [FILE|DIR ...]`: runs MCP test collections (*.mcptest.json) with the same core
// runner as the editor's Testing view. One line per test, then exactly `N passed, M failed`
// (`, K skipped` when some were). Exit 0 all passed, 1 any failed, 2 an invalid file or usage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  findCollections,
  formatFailure,
  formatIssue,
  junitXml,
  parseCollection,
  runCollections,
  summaryText,
  type Collection,
  type CollectionIssue,
  type TestConnection,
  type TestResult,
} from '../core/tests';
import { displayPath, loadCliConfig, resolveTarget } from './config';
import { CliError, EXIT, usageError } from './errors';
import { json } from './output';
import type { RunContext } from './context';

export async function runTests(ctx: RunContext): Promise<number> {
  const { args, cwd } = ctx;
  const config = loadCliConfig(args, cwd);
  const names = config.servers.map((s) => s.name);
  const root = path.resolve(cwd, args.workspace ?? '.');
  const targets = args.paths?.length ? args.paths : [root];
  let files: string[];
  try {
    files = findCollections(targets, cwd);
  } catch (e) {
    throw usageError(`${(e as Error).message}. Give collection files (*.mcptest.json) or directories holding them.`);
  }
  if (!files.length)
    throw usageError(
      `no test collections (*.mcptest.json) under ${targets.map((t) => displayPath(path.resolve(cwd, t), cwd)).join(', ')}.`,
    );

  // Every file is checked before anything runs: an invalid file is exit 2 and runs nothing.
  const collections: Collection[] = [];
  const issues: CollectionIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      issues.push({ file, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    const parsed = parseCollection(text, file, { servers: names });
    if (parsed.collection) collections.push(parsed.collection);
    issues.push(...parsed.issues);
  }
  if (issues.length) {
    for (const i of issues) ctx.err(`mcp-manager: ${formatIssue({ ...i, file: displayPath(i.file, cwd) })}\n`);
    throw new CliError(EXIT.usage, `${issues.length} problem${issues.length > 1 ? 's' : ''} in test collections; nothing was run.`);
  }

  const filter = args.filter?.toLowerCase();
  const select = (t: { name: string }) => !filter || t.name.toLowerCase().includes(filter);
  // The servers the selected tests use, resolved up front: a server whose entry is invalid is a usage error.
  const connections = new Map<string, TestConnection>();
  for (const c of collections) {
    for (const t of c.tests) {
      if (!select(t) || t.skip || connections.has(t.server)) continue;
      connections.set(t.server, ctx.open(resolveTarget({ ...args, command: 'test', server: t.server }, cwd)));
    }
  }
  if (filter && !collections.some((c) => c.tests.some(select)))
    throw usageError(`--filter "${args.filter}" matches no test in ${files.length} collection${files.length > 1 ? 's' : ''}.`);

  const rel = (f: string) => displayPath(f, cwd);
  const summary = await runCollections(collections, {
    connectionFor: (name) => connections.get(name),
    serverNames: () => names,
    signal: ctx.signal,
    updateSnapshots: args.updateSnapshots,
    select,
    onDidRun: (r) => {
      if (!args.jsonOutput) ctx.out(formatResult(r, rel));
    },
  });
  if (args.junit) {
    const out = path.resolve(cwd, args.junit);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, junitXml(summary.results, rel));
  }
  if (args.jsonOutput) {
    ctx.out(
      json({
        passed: summary.passed,
        failed: summary.failed,
        skipped: summary.skipped,
        snapshotsWritten: summary.snapshotsWritten.map(rel),
        tests: summary.results.map((r) => ({
          file: rel(r.file),
          name: r.test.name,
          line: r.test.line + 1,
          server: r.test.server,
          [r.test.kind]: r.test.target,
          status: r.status,
          durationMs: Math.round(r.durationMs),
          failures: r.failures,
          notes: r.notes,
        })),
      }),
    );
  } else {
    for (const f of summary.snapshotsWritten) ctx.out(`snapshots written: ${rel(f)}\n`);
    ctx.out(`${summaryText(summary)}\n`);
  }
  return summary.failed ? EXIT.toolError : EXIT.ok;
}

const LABEL = { passed: 'PASS', failed: 'FAIL', errored: 'FAIL', skipped: 'SKIP' } as const;

/** `PASS file › name (12 ms)`, and for a failure its reasons and a short diff, indented. */
export function formatResult(r: TestResult, rel: (file: string) => string = (f) => f): string {
  const extra = [r.status === 'skipped' ? undefined : `${Math.round(r.durationMs)} ms`, ...r.notes].filter(Boolean).join(', ');
  const lines = [`${LABEL[r.status]} ${rel(r.file)} › ${r.test.name}${extra ? ` (${extra})` : ''}`];
  for (const f of r.failures) for (const l of formatFailure(f, { maxLines: 12 })) lines.push(`    ${l}`);
  return `${lines.join('\n')}\n`;
}
