// Command-line parsing: node:util parseArgs (options anywhere on the line, repeatable options),
// then the command's positionals, checked here so commands get a typed, validated request.
import { parseArgs } from 'node:util';
import { splitCommandLine as splitWords } from '../core';
import { usageError } from './errors';
import { parseElicitOption, type ElicitAnswer } from './ask';
import { COMMANDS, USAGE_LINES, type Command } from './usage';

export { COMMANDS, USAGE, type Command } from './usage';

export type AdHoc =
  | { readonly kind: 'stdio'; readonly commandLine: string; readonly env: readonly string[]; readonly cwd?: string }
  | { readonly kind: 'url'; readonly url: string; readonly headers: readonly string[]; readonly transport?: 'http' | 'sse' };

export interface CliArgs {
  readonly command?: Command;
  readonly help: boolean;
  readonly version: boolean;
  /** Server name (undefined with an ad-hoc server or for `servers`). */
  readonly server?: string;
  readonly tool?: string;
  /** The raw JSON argument of `call` and `prompt` (`-` = read stdin). */
  readonly json?: string;
  /** The resource URI of `read`, the prompt name of `prompt`. */
  readonly target?: string;
  readonly workspace?: string;
  readonly config?: string;
  readonly adHoc?: AdHoc;
  readonly timeoutMs?: number;
  readonly jsonOutput: boolean;
  /** 0 quiet, 1 --verbose (server stderr, connection log), 2 -vv / --trace (JSON-RPC messages). */
  readonly verbosity: number;
  /** `test`: the collection files and directories given (empty: the workspace). */
  readonly paths?: readonly string[];
  /** `test --junit FILE` */
  readonly junit?: string;
  /** `test --update-snapshots` */
  readonly updateSnapshots?: boolean;
  /** `test --filter TEXT`: only tests whose name contains TEXT. */
  readonly filter?: string;
  /** `complete`: what to complete (see src/cli/complete.ts). */
  readonly completion?: CompletionArgs;
  /** `read --watch`: print the resource again each time the server says it changed. */
  readonly watch?: boolean;
  /** `call --detach`: print the task's id once it exists and exit; `call --task`: the call is long (useTasks auto). */
  readonly detach?: boolean;
  readonly longTask?: boolean;
  /** `task <server> <id>`: show its status (default), `--result` wait for and print its result, `--cancel`. */
  readonly taskAction?: 'status' | 'result' | 'cancel';
  /** `servers --probe`: connect to each enabled server and report its protocol version. */
  readonly probe?: boolean;
  /** `search` and `add`: see src/cli/registry.ts. */
  readonly registryArgs?: RegistryArgs;
  /** `serve`: see src/cli/serve.ts. */
  readonly serveArgs?: ServeArgs;
  /** `--root DIR` (repeatable): the roots every server gets, instead of the workspace or its entry's. */
  readonly roots?: readonly string[];
  /** `--elicit`: the answer to every elicitation of the run. */
  readonly elicit?: ElicitAnswer;
  /** `--sample-with "COMMAND"`: answers sampling requests. */
  readonly sampleWith?: string;
}

export interface ServeArgs {
  /** The servers to offer (empty: every configured, enabled one). */
  readonly servers: readonly string[];
  /** `--http 127.0.0.1:PORT` (PORT 0: a free one). */
  readonly httpPort?: number;
  readonly tokenFile?: string;
  readonly printConfig?: 'claude' | 'cursor' | 'vscode';
}

export interface CompletionArgs {
  readonly kind: 'prompt' | 'resource';
  /** The prompt name, or the resource template (`uriTemplate`). */
  readonly target: string;
  /** The prompt argument or template variable being completed. */
  readonly argument: string;
  readonly prefix: string;
  /** `--context JSON`: the other arguments already entered. */
  readonly context?: string;
}

export interface RegistryArgs {
  /** `--registry URL` (repeatable); empty = the official registry. */
  readonly registries: readonly string[];
  /** The search text, or the registry name to add. */
  readonly text?: string;
  /** `add --version V`. */
  readonly version?: string;
  /** `add --as NAME`. */
  readonly localName?: string;
  /** `add --set KEY=VALUE` (repeatable). */
  readonly set: readonly string[];
  /** `add --package npm|pypi|oci|nuget|remote|package:N|remote:N`. */
  readonly option?: string;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  workspace: { type: 'string' },
  config: { type: 'string' },
  stdio: { type: 'string' },
  env: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  transport: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  trace: { type: 'boolean' },
  junit: { type: 'string' },
  'update-snapshots': { type: 'boolean' },
  filter: { type: 'string' },
  registry: { type: 'string', multiple: true },
  'pin-version': { type: 'string' },
  as: { type: 'string' },
  set: { type: 'string', multiple: true },
  package: { type: 'string' },
  probe: { type: 'boolean' },
  http: { type: 'string' },
  'token-file': { type: 'string' },
  'print-config': { type: 'string' },
  watch: { type: 'boolean' },
  context: { type: 'string' },
  root: { type: 'string', multiple: true },
  elicit: { type: 'string' },
  'sample-with': { type: 'string' },
  detach: { type: 'boolean' },
  task: { type: 'boolean' },
  result: { type: 'boolean' },
  cancel: { type: 'boolean' },
} as const;

/** `add NAME --version V`: --version takes a value there (elsewhere it prints ours). */
function renameAddVersion(argv: readonly string[]): string[] {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first !== 'add') return [...argv];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--version' && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) out.push('--pin-version', argv[++i]!);
    else if (a.startsWith('--version=')) out.push(`--pin-version=${a.slice('--version='.length)}`);
    else out.push(a);
  }
  return out;
}

export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: renameAddVersion(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(`${describeParseArgsError(e)} Run "mcp-manager --help" for usage.`);
  }
  const { values: v, positionals } = parsed;
  const verbosity = v.trace ? 2 : Math.min(v.verbose?.length ?? 0, 2);
  const base = { help: !!v.help, version: !!v.version, jsonOutput: !!v.json, verbosity };
  if (v.help || v.version) return base;

  const [commandName, ...rest] = positionals;
  if (!commandName)
    throw usageError('missing command: use one of servers, tools, call, ping, doctor, test. Run "mcp-manager --help" for usage.');
  if (!(COMMANDS as readonly string[]).includes(commandName)) {
    throw usageError(`unknown command "${commandName}": use one of ${COMMANDS.join(', ')}. Run "mcp-manager --help" for usage.`);
  }
  const command = commandName as Command;
  if (command === 'search' || command === 'add')
    return { ...base, command, registryArgs: registryArgs(command, rest, v), workspace: v.workspace, config: v.config };
  if (command === 'serve') return { ...base, command, serveArgs: serveArgs(rest, v), workspace: v.workspace, config: v.config };
  if (v.http !== undefined || v['token-file'] !== undefined || v['print-config'] !== undefined)
    throw usageError('--http, --token-file and --print-config apply to "serve" only.');
  for (const [flag, given] of [
    ['--registry', v.registry?.length],
    ['--as', v.as],
    ['--set', v.set?.length],
    ['--package', v.package],
  ] as const) {
    if (given) throw usageError(`${flag} applies to "search" and "add" only. Run "mcp-manager --help" for usage.`);
  }

  if (v.stdio !== undefined && v.url !== undefined) throw usageError('--stdio and --url cannot be combined: give one ad-hoc server.');
  if (v.stdio === undefined && (v.env?.length || v.cwd !== undefined))
    throw usageError("--env and --cwd apply to an ad-hoc --stdio server; configure them in the server's entry otherwise.");
  if (v.url === undefined && (v.header?.length || v.transport !== undefined))
    throw usageError("--header and --transport apply to an ad-hoc --url server; configure them in the server's entry otherwise.");
  if (v.transport !== undefined && v.transport !== 'http' && v.transport !== 'sse')
    throw usageError(`--transport must be "http" or "sse", got "${v.transport}".`);
  if (v.workspace !== undefined && v.config !== undefined)
    throw usageError('--workspace and --config cannot be combined: give one source of configuration.');

  let adHoc: AdHoc | undefined;
  if (v.stdio !== undefined) {
    if (!v.stdio.trim()) throw usageError('--stdio needs a command line, e.g. --stdio "npx -y @modelcontextprotocol/server-everything".');
    adHoc = { kind: 'stdio', commandLine: v.stdio, env: v.env ?? [], cwd: v.cwd };
  } else if (v.url !== undefined) {
    adHoc = { kind: 'url', url: v.url, headers: v.header ?? [], transport: v.transport as 'http' | 'sse' | undefined };
  }
  if (adHoc && v.config !== undefined)
    throw usageError(`--config cannot be combined with --${adHoc.kind}: the ad-hoc server is not read from the file.`);
  if (adHoc && command === 'servers') throw usageError('"servers" lists configured servers; it takes no --stdio or --url.');
  if (adHoc && command === 'test')
    throw usageError('"test" runs the servers its collections name from the configuration; it takes no --stdio or --url.');
  if (command !== 'servers' && v.probe) throw usageError('--probe applies to "servers" only.');
  if (command !== 'read' && v.watch) throw usageError('--watch applies to "read" only.');
  if (command !== 'complete' && v.context !== undefined) throw usageError('--context applies to "complete" only.');
  if (command !== 'call' && (v.detach || v.task)) throw usageError('--detach and --task apply to "call" only.');
  if (command !== 'task' && (v.result || v.cancel)) throw usageError('--result and --cancel apply to "task" only.');
  if (v.result && v.cancel) throw usageError('--result and --cancel cannot be combined: wait for a task or cancel it.');
  if (command !== 'test' && (v.junit !== undefined || v['update-snapshots'] || v.filter !== undefined))
    throw usageError('--junit, --update-snapshots and --filter apply to "test" only.');

  const asking = askArgs(v);
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    timeoutMs = Number(v.timeout);
    if (!/^\d+$/.test(v.timeout.trim()) || timeoutMs < 1)
      throw usageError(`--timeout must be a whole number of milliseconds, got "${v.timeout}".`);
  }

  if (command === 'test') {
    if (v.junit !== undefined && !v.junit.trim()) throw usageError('--junit needs a file name, e.g. --junit test-results/mcp.xml.');
    return {
      ...base,
      command,
      paths: rest,
      junit: v.junit,
      updateSnapshots: !!v['update-snapshots'],
      filter: v.filter,
      workspace: v.workspace,
      config: v.config,
      timeoutMs,
      ...asking,
    };
  }

  // Positionals after the command: the server unless ad-hoc, then the command's own.
  const needsServer = command !== 'servers' && !adHoc;
  const args = [...rest];
  const server = needsServer ? args.shift() : undefined;
  const usage = USAGE_LINES[command]
    .replace('<server>', adHoc ? '' : '<server>')
    .replace(/\s+/g, ' ')
    .trim();
  if (needsServer && !server) throw usageError(`missing server name. Usage: mcp-manager ${usage} (or use --stdio / --url).`);
  let tool: string | undefined;
  let json: string | undefined;
  let target: string | undefined;
  let completion: CompletionArgs | undefined;
  if (command === 'call') {
    tool = args.shift();
    if (!tool) throw usageError(`missing tool name. Usage: mcp-manager ${usage}`, server);
    json = args.shift();
  } else if (command === 'complete') {
    const [kind, name, argument, prefix] = args.splice(0, 4);
    if (kind !== 'prompt' && kind !== 'resource')
      throw usageError(
        `complete needs "prompt" or "resource" after the server, got ${kind === undefined ? 'nothing' : `"${kind}"`}. Usage: mcp-manager ${usage}`,
        server,
      );
    if (!name || !argument)
      throw usageError(
        `missing ${!name ? (kind === 'prompt' ? 'prompt name' : 'resource template') : kind === 'prompt' ? 'argument name' : 'variable name'}. Usage: mcp-manager ${usage}`,
        server,
      );
    completion = { kind, target: name, argument, prefix: prefix ?? '', context: v.context };
  } else if (command === 'task') {
    target = args.shift();
    if (!target) throw usageError(`missing task id. Usage: mcp-manager ${usage}`, server);
  } else if (command === 'read' || command === 'prompt') {
    target = args.shift();
    if (!target) throw usageError(`missing ${command === 'read' ? 'resource URI' : 'prompt name'}. Usage: mcp-manager ${usage}`, server);
    if (command === 'prompt') json = args.shift();
  }
  if (args.length)
    throw usageError(
      `unexpected argument${args.length > 1 ? 's' : ''} ${args.map((a) => JSON.stringify(a)).join(' ')}. Usage: mcp-manager ${usage}`,
      server,
    );

  return {
    ...base,
    command,
    server,
    tool,
    json,
    target,
    workspace: v.workspace,
    config: v.config,
    adHoc,
    timeoutMs,
    probe: command === 'servers' ? !!v.probe : undefined,
    watch: command === 'read' ? !!v.watch : undefined,
    completion,
    ...asking,
    ...(command === 'call' && { detach: !!v.detach, longTask: !!v.task }),
    ...(command === 'task' && { taskAction: v.result ? 'result' : v.cancel ? 'cancel' : 'status' }),
  };
}

/** --root, --elicit and --sample-with, checked. */
function askArgs(v: { root?: string[]; elicit?: string; 'sample-with'?: string }): Pick<CliArgs, 'roots' | 'elicit' | 'sampleWith'> {
  if (v.root?.some((r) => !r.trim())) throw usageError('--root needs a directory, e.g. --root ./src.');
  let elicit: ElicitAnswer | undefined;
  if (v.elicit !== undefined) {
    const parsed = parseElicitOption(v.elicit);
    if (typeof parsed === 'string') throw usageError(parsed);
    elicit = parsed;
  }
  const sampleWith = v['sample-with'];
  if (sampleWith !== undefined && !sampleWith.trim())
    throw usageError('--sample-with needs a command, e.g. --sample-with "llm -m gpt-4o".');
  return { ...(v.root?.length && { roots: v.root }), ...(elicit && { elicit }), ...(sampleWith !== undefined && { sampleWith }) };
}

function registryArgs(
  command: 'search' | 'add',
  rest: string[],
  v: {
    registry?: string[];
    'pin-version'?: string;
    as?: string;
    set?: string[];
    package?: string;
    stdio?: string;
    url?: string;
    workspace?: string;
    config?: string;
  },
): RegistryArgs {
  if (v.stdio !== undefined || v.url !== undefined) throw usageError(`"${command}" takes no --stdio or --url.`);
  if (v.workspace !== undefined && v.config !== undefined)
    throw usageError('--workspace and --config cannot be combined: give one place to write to.');
  const registries = v.registry ?? [];
  if (command === 'search') {
    if (v['pin-version'] !== undefined || v.as !== undefined || v.set?.length || v.package !== undefined)
      throw usageError('--version, --as, --set and --package apply to "add". Usage: mcp-manager search [TEXT] [--registry URL] [--json]');
    if (rest.length > 1) throw usageError(`search takes one TEXT (quote words: "${rest.join(' ')}").`);
    return { registries, text: rest[0], set: [] };
  }
  const [name, ...extra] = rest;
  if (!name)
    throw usageError(
      'missing registry name. Usage: mcp-manager add <registry-name> [--version V] [--as NAME] [--set KEY=VALUE]; "mcp-manager search TEXT" finds names.',
    );
  if (extra.length)
    throw usageError(
      `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => JSON.stringify(a)).join(' ')}. Usage: mcp-manager add <registry-name> [--version V] [--as NAME] [--set KEY=VALUE]`,
    );
  for (const item of v.set ?? [])
    if (!/^[^=]+=/.test(item) && !/^[^=]+$/.test(item)) throw usageError(`--set "${item}": expected KEY=VALUE.`);
  if (v.as !== undefined && !v.as.trim()) throw usageError('--as needs a server name.');
  return { registries, text: name, version: v['pin-version'], localName: v.as?.trim(), set: v.set ?? [], option: v.package };
}

function serveArgs(
  servers: string[],
  v: { http?: string; 'token-file'?: string; 'print-config'?: string; stdio?: string; url?: string },
): ServeArgs {
  if (v.stdio !== undefined || v.url !== undefined) throw usageError('"serve" offers configured servers; it takes no --stdio or --url.');
  let httpPort: number | undefined;
  if (v.http !== undefined) {
    const m = /^(127\.0\.0\.1|localhost):(\d{1,5})$/.exec(v.http.trim());
    if (!m || Number(m[2]) > 65535)
      throw usageError(`--http must be 127.0.0.1:PORT (the gateway listens on this machine only), got "${v.http}".`);
    httpPort = Number(m[2]);
  }
  const kind = v['print-config'];
  if (kind !== undefined && kind !== 'claude' && kind !== 'cursor' && kind !== 'vscode')
    throw usageError(`--print-config must be claude, cursor or vscode, got "${kind}".`);
  if (kind && httpPort === 0) throw usageError('--print-config with --http needs a fixed port, e.g. --http 127.0.0.1:7777.');
  if (v['token-file'] !== undefined && httpPort === undefined) throw usageError('--token-file applies to --http.');
  return { servers, httpPort, tokenFile: v['token-file'], printConfig: kind };
}

function describeParseArgsError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /'([^']+)'/.exec(msg)?.[1];
    return `unknown option ${name ?? msg}.`;
  }
  // Node's own messages are clear for missing or ambiguous option values; keep the first sentence.
  return `${msg.split('. ')[0]!.replace(/\.$/, '')}.`;
}

/** The core's shell-like splitter (src/core/text.ts), with the CLI's usage error. */
export function splitCommandLine(line: string, platform: NodeJS.Platform = process.platform): string[] {
  try {
    return splitWords(line, platform);
  } catch (e) {
    throw usageError(`${(e as Error).message} in --stdio ${JSON.stringify(line)}.`);
  }
}
