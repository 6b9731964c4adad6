// `mcp-manager search [TEXT]` and `mcp-manager add <registry-name>`: the CLI face of
// core/mcpRegistry. `add` writes into the workspace's .vscode/mcp.json (or --config FILE) with
// jsonc-parser edits, so comments survive; secret values are never written: they become password
// inputs, asked for when the server starts (VS Code keeps them in its secret storage; the CLI reads
// MCP_INPUT_<ID> or asks in a terminal).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {
  buildEntry,
  DEFAULT_REGISTRY,
  entryKind,
  installOptions,
  InstallError,
  isInstallable,
  questionsFor,
  readServersFile,
  RegistryClient,
  RegistryError,
  suggestLocalName,
  writeServerEntry,
  type Answers,
  type Question,
  type RegistryEntry,
} from '../core/mcpRegistry';
import { version as ownVersion } from '../../package.json';
import type { RegistryArgs } from './args';
import type { RunContext } from './context';
import { displayPath } from './config';
import { CliError, EXIT, usageError } from './errors';
import { inputEnvName } from './inputs';
import { json } from './output';

export interface RegistryDeps {
  readonly client?: RegistryClient;
  /** Asks one question in the terminal; undefined when there is no terminal. */
  readonly ask?: (question: string) => Promise<string>;
}

function client(deps: RegistryDeps): RegistryClient {
  return deps.client ?? new RegistryClient({ userAgent: `mcp-manager-cli/${ownVersion}` });
}

function registriesOf(args: RegistryArgs): string[] {
  return args.registries.length ? [...args.registries] : [DEFAULT_REGISTRY];
}

export async function search(ctx: RunContext, deps: RegistryDeps = {}): Promise<number> {
  const args = ctx.args.registryArgs!;
  const c = client(deps);
  const found: RegistryEntry[] = [];
  let failures = 0;
  const registries = registriesOf(args);
  for (const registry of registries) {
    try {
      const page = await c.searchAll(registry, { search: args.text, limit: 100 }, 500, ctx.signal);
      if (page.stale)
        ctx.err(`mcp-manager: ${page.stale.reason} Showing the answer from ${new Date(page.stale.fetchedAt).toISOString()}.\n`);
      if (page.nextCursor) ctx.err(`mcp-manager: ${registry}: more than ${page.entries.length} results; narrow the search.\n`);
      found.push(...page.entries.filter((e) => e.meta.status !== 'deleted'));
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      failures++;
      ctx.err(`mcp-manager: ${e.message}\n`);
    }
  }
  if (failures === registries.length) return EXIT.connection;
  if (ctx.args.jsonOutput) {
    ctx.out(
      json(found.map((e) => ({ server: e.server, _meta: { 'io.modelcontextprotocol.registry/official': e.meta }, registry: e.registry }))),
    );
    return EXIT.ok;
  }
  if (!found.length) {
    ctx.out(`No servers${args.text ? ` matching "${args.text}"` : ''} in ${registries.join(', ')}.\n`);
    return EXIT.ok;
  }
  const rows = found.map((e) => [
    e.server.name,
    e.server.version ?? '',
    entryKind(e.server),
    `${e.meta.status === 'deprecated' ? '(deprecated) ' : ''}${oneLine(e.server.description ?? e.server.title ?? '')}`,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => {
    const line = r
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd();
    return ctx.columns && line.length > ctx.columns ? `${line.slice(0, ctx.columns - 1)}…` : line;
  });
  ctx.out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function add(ctx: RunContext, deps: RegistryDeps = {}): Promise<number> {
  const args = ctx.args.registryArgs!;
  const name = args.text!;
  const c = client(deps);
  let entry: RegistryEntry | undefined;
  const misses: string[] = [];
  for (const registry of registriesOf(args)) {
    try {
      entry = (await c.getEntry(registry, name, args.version ?? 'latest', ctx.signal)).entry;
      break;
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      misses.push(e.message);
      if (e.kind !== 'not-found' && registriesOf(args).length === 1) throw new CliError(EXIT.connection, e.message, name);
    }
  }
  if (!entry) throw usageError(`${misses.join(' ')} "mcp-manager search WORD" finds names.`, name);
  if (!isInstallable(entry))
    throw usageError(
      `${entry.server.name} ${entry.server.version ?? ''} is ${entry.meta.status} in ${entry.registry}; it is not installed.${entry.meta.status === 'deprecated' ? ' Its description may name a replacement.' : ''}`,
      name,
    );

  const options = installOptions(entry.server);
  const supported = options.filter((o) => o.supported);
  if (!supported.length) {
    const why = options.map((o) => `${o.label}: ${o.reason}`).join('; ') || 'it lists no packages or remotes';
    throw usageError(`${entry.server.name} cannot be installed here: ${why}.`, name);
  }
  const option = chooseOption(entry, args.option);
  const localName = args.localName ?? suggestLocalName(entry.server);

  const { file, serversKey, inputsKey } = target(ctx);
  const existing = readServersFile(file, serversKey, inputsKey);
  if (Object.prototype.hasOwnProperty.call(existing.servers, localName)) {
    throw usageError(
      `${displayPath(file, ctx.cwd)} already has a server named "${localName}"; use --as NAME to add it under another name.`,
      name,
    );
  }

  const questions = questionsFor(entry.server, option.key);
  const answers = await answer(questions, args.set, deps.ask, entry.server.name);
  let built;
  try {
    built = buildEntry(entry.server, option.key, answers, {
      localName,
      origin: { url: entry.registry, name: entry.server.name, version: entry.server.version },
      takenInputIds: existing.inputIds,
    });
  } catch (e) {
    if (e instanceof InstallError)
      throw usageError(
        `${e.message.replace(`${entry.server.name} needs`, 'needs')}${e.question ? ` Give it with --set ${e.question.id}=VALUE.` : ''}`,
        name,
      );
    throw e;
  }
  const written = writeServerEntry(file, localName, built.entry, built.inputs, serversKey, inputsKey);
  const where = displayPath(written.file, ctx.cwd);
  if (ctx.args.jsonOutput) {
    ctx.out(json({ file: written.file, name: localName, entry: built.entry, inputs: built.inputs }));
    return EXIT.ok;
  }
  const lines = [
    `Added "${localName}" (${entry.server.name} ${entry.server.version ?? ''}, ${option.label}) to ${where}${written.created ? ' (new file)' : ''}:`,
    indent(JSON.stringify({ [localName]: built.entry }, null, 2)),
  ];
  if (built.inputs.length) {
    lines.push(
      'Secret values are not written to the file; they are asked for when the server starts (VS Code keeps them in its secret storage):',
    );
    for (const i of built.inputs) lines.push(`  \${input:${i.id}}  ${i.description ?? ''} (CLI: set ${inputEnvName(i.id)})`);
  }
  lines.push(`Try it: mcp-manager tools ${localName}${ctx.args.config ? ` --config ${ctx.args.config}` : ''}`);
  ctx.out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** Writes go to --config FILE, else <workspace>/.vscode/mcp.json; settings.json and mcpServers files keep their own keys. */
function target(ctx: RunContext): { file: string; serversKey: string; inputsKey: string } {
  const file =
    ctx.args.config !== undefined
      ? path.resolve(ctx.cwd, ctx.args.config)
      : path.join(path.resolve(ctx.cwd, ctx.args.workspace ?? '.'), '.vscode', 'mcp.json');
  if (ctx.args.workspace !== undefined && !fs.existsSync(path.resolve(ctx.cwd, ctx.args.workspace)))
    throw usageError(`--workspace ${ctx.args.workspace}: not a directory.`);
  if (path.basename(file) === 'settings.json') return { file, serversKey: 'mcpManager.servers', inputsKey: 'mcpManager.inputs' };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    /* a new file */
  }
  return { file, serversKey: /"mcpServers"\s*:/.test(text) && !/"servers"\s*:/.test(text) ? 'mcpServers' : 'servers', inputsKey: 'inputs' };
}

function chooseOption(entry: RegistryEntry, wanted: string | undefined) {
  const options = installOptions(entry.server);
  const supported = options.filter((o) => o.supported);
  if (wanted === undefined) return supported[0]!;
  const byKind = options.filter(
    (o) =>
      o.key === wanted ||
      (wanted === 'remote'
        ? o.kind === 'remote'
        : o.kind === 'package' && entry.server.packages![Number(o.key.split(':')[1])]!.registryType === wanted),
  );
  const ok = byKind.find((o) => o.supported);
  if (ok) return ok;
  const list = options.map((o) => `${o.key} (${o.label}${o.supported ? '' : ', not installable'})`).join(', ');
  throw usageError(
    `--package ${wanted}: ${byKind.length ? byKind[0]!.reason : 'no such package'}. ${entry.server.name} offers: ${list}.`,
    entry.server.name,
  );
}

async function answer(questions: readonly Question[], set: readonly string[], ask: RegistryDeps['ask'], server: string): Promise<Answers> {
  const given = new Map<string, string[]>();
  for (const item of set) {
    const eq = item.indexOf('=');
    const key = eq === -1 ? item : item.slice(0, eq);
    const value = eq === -1 ? '' : item.slice(eq + 1);
    if (!questions.some((q) => q.id === key)) {
      const known = questions.map((q) => q.id).join(', ');
      throw usageError(`--set ${key}: ${server} asks for no such value.${known ? ` It takes: ${known}.` : ''}`, server);
    }
    given.set(key, [...(given.get(key) ?? []), value]);
  }
  const answers: Record<string, string | string[]> = {};
  const missing: Question[] = [];
  for (const q of questions) {
    const values = given.get(q.id);
    if (q.secret) {
      if (values?.some((v) => v !== ''))
        throw usageError(
          `--set ${q.id}: ${q.label} is secret and is never written to a file; give --set ${q.id} (no value) to include it, and its value when the server starts.`,
          server,
        );
      if (values) answers[q.id] = '';
      continue;
    }
    if (values) answers[q.id] = q.repeated ? values : values[0]!;
    else if (q.required && q.default === undefined) missing.push(q);
  }
  if (missing.length && ask) {
    for (const q of missing) {
      const choices = q.choices?.length ? ` [${q.choices.join(' | ')}]` : '';
      const hint = q.placeholder ? ` (e.g. ${q.placeholder})` : '';
      const values: string[] = [];
      for (;;) {
        const v = (
          await ask(
            `${server}: ${q.label}${q.description ? ` - ${q.description}` : ''}${choices}${hint}${values.length ? ' (another one, or Enter to finish)' : ''}: `,
          )
        ).trim();
        if (!v) break;
        values.push(v);
        if (!q.repeated) break;
      }
      if (values.length) answers[q.id] = q.repeated ? values : values[0]!;
    }
  }
  return answers;
}

/** A terminal question on stderr, or undefined when stdin/stderr are not terminals. */
export function terminalAsk(): RegistryDeps['ask'] {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      rl.on('SIGINT', () => {
        rl.close();
        reject(new CliError(EXIT.interrupted, 'cancelled'));
      });
      rl.question(question, (a) => {
        rl.close();
        resolve(a);
      });
    });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
