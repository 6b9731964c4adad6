// From `server.json` to a server entry of our configuration (the shape of VS Code's mcp.json):
// one install option per package or remote, the questions the user must answer for it, and the
// entry built from the answers. Pure: no I/O, no prompts. Secret values never land in the entry:
// each becomes `${input:ID}` with a password input declared beside the server.
//
// Packages: npm -> `npx -y name@version` (or its runtimeHint), PyPI -> `uvx name==version`,
// OCI -> `docker run -i --rm … image:tag`, NuGet -> `dnx name@version --yes -- …`. MCPB bundles and
// packages that serve HTTP themselves are listed with the reason they cannot be installed here.
import type { McpInput } from '../config/files';
import type { KeyValueInput, RegistryArgument, RegistryInput, RegistryPackage, RegistryRemote, ServerJson } from './types';

export interface InstallOption {
  /** `package:0`, `remote:1`: the index in server.json. */
  readonly key: string;
  readonly kind: 'package' | 'remote';
  /** e.g. "npm @scope/name@1.2.0", "remote (Streamable HTTP) https://…". */
  readonly label: string;
  /** The command line or URL it leads to, for display. */
  readonly detail: string;
  readonly supported: boolean;
  /** Why it cannot be installed, when not supported. */
  readonly reason?: string;
}

/** A value the user supplies at install time. */
export interface Question {
  /** Key in the answers (and `--set ID=VALUE`): the variable, header, flag (without dashes) or value hint. */
  readonly id: string;
  /** "environment variable GITHUB_TOKEN", "argument --port", "header X-API-Key". */
  readonly label: string;
  readonly description?: string;
  readonly default?: string;
  readonly placeholder?: string;
  readonly choices?: readonly string[];
  readonly required: boolean;
  /** Stored as a password input, never written to the file. */
  readonly secret: boolean;
  /** Several values may be given (a repeated argument). */
  readonly repeated: boolean;
  readonly format?: string;
}

/** Answers by question id; an array for repeated arguments. For a secret, the value to store (may be empty). */
export type Answers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Where an installed entry came from; written as the entry's `registry` key. */
export interface RegistryOrigin {
  readonly url: string;
  readonly name: string;
  readonly version?: string;
}

export interface BuildOptions {
  /** The local server name (input ids are derived from it). */
  readonly localName: string;
  readonly origin: RegistryOrigin;
  /** Input ids already declared where the entry goes (a new id never reuses one). */
  readonly takenInputIds?: ReadonlySet<string>;
}

export interface BuiltEntry {
  readonly entry: Record<string, unknown>;
  /** Password inputs for the secret values, to declare beside the server. */
  readonly inputs: McpInput[];
  /** Secret values given in the answers, by input id: for secret storage, never for a file. */
  readonly secretValues: Readonly<Record<string, string>>;
}

export class InstallError extends Error {
  constructor(
    message: string,
    /** The question that lacks a value, when that is the problem. */
    readonly question?: Question,
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

// ------------------------------------------------------------------------------------- options

export function installOptions(server: ServerJson): InstallOption[] {
  const out: InstallOption[] = [];
  (server.packages ?? []).forEach((pkg, i) => {
    const reason = unsupportedPackage(pkg);
    const spec = packageSpec(pkg);
    let detail = spec;
    if (!reason) {
      try {
        const built = render(server, { kind: 'package', index: i }, sampleResolver);
        detail = commandLine(built.entry);
      } catch {
        /* shown without the command line */
      }
    }
    out.push({
      key: `package:${i}`,
      kind: 'package',
      label: `${pkg.registryType} ${spec}${transportNote(pkg)}`,
      detail,
      supported: !reason,
      reason,
    });
  });
  (server.remotes ?? []).forEach((remote, i) => {
    const reason = remoteType(remote.type)
      ? undefined
      : `remote transport "${remote.type}" is not supported (use "streamable-http" or "sse")`;
    out.push({
      key: `remote:${i}`,
      kind: 'remote',
      label: `remote (${remote.type === 'sse' ? 'SSE' : 'Streamable HTTP'}) ${remote.url}`,
      detail: remote.url,
      supported: !reason,
      reason,
    });
  });
  return out;
}

/** The questions an option asks, in the order they are asked. */
export function questionsFor(server: ServerJson, optionKey: string): Question[] {
  const questions: Question[] = [];
  render(server, parseKey(server, optionKey), (q) => {
    questions.push(q);
    return q.secret ? [''] : q.default !== undefined ? [q.default] : [`<${q.id}>`];
  });
  return questions;
}

/** The entry (and its password inputs) for an option, from the answers. */
export function buildEntry(server: ServerJson, optionKey: string, answers: Answers, options: BuildOptions): BuiltEntry {
  const taken = new Set(options.takenInputIds ?? []);
  const inputs: McpInput[] = [];
  const secretValues: Record<string, string> = {};
  const resolver: Resolver = (q) => {
    const given = answers[q.id];
    const values = given === undefined ? undefined : (typeof given === 'string' ? [given] : [...given]).filter((v) => q.secret || v !== '');
    if (q.secret) {
      // A required secret is always referenced; an optional one only when asked for (an answer, even empty).
      if (given === undefined && !q.required) return undefined;
      const id = uniqueId(inputIdFor(options.localName, q.id), taken);
      taken.add(id);
      inputs.push({
        type: 'promptString',
        id,
        description: q.description ? `${q.description} (${options.localName})` : `${q.label} for ${options.localName}`,
        password: true,
      });
      const value = values?.[0];
      if (value) secretValues[id] = value;
      return [`\${input:${id}}`];
    }
    if (values?.length) {
      if (q.choices?.length)
        for (const v of values)
          if (!q.choices.includes(v)) throw new InstallError(`${q.label}: "${v}" is not one of ${q.choices.join(', ')}.`, q);
      return q.repeated ? values : [values[0]!];
    }
    if (q.required) {
      if (q.default !== undefined) return [q.default];
      throw new InstallError(`${server.name} needs a value for ${q.label}${q.description ? ` (${q.description})` : ''}.`, q);
    }
    return undefined;
  };
  const built = render(server, parseKey(server, optionKey), resolver);
  const version = options.origin.version ?? server.version;
  return {
    entry: { ...built.entry, registry: { url: options.origin.url, name: options.origin.name, ...(version ? { version } : {}) } },
    inputs,
    secretValues,
  };
}

/** A short local name: the part after the namespace, without "mcp-server-"/"server-"/"-mcp". */
export function suggestLocalName(server: ServerJson): string {
  const last = server.name.split('/').pop() ?? server.name;
  const short = last
    .replace(/^(mcp-server-|server-|mcp-)/i, '')
    .replace(/[-_.]mcp(-server)?$/i, '')
    .replace(/[^\w.-]+/g, '-');
  return short || last || 'server';
}

/** A one-line view of an entry: the command line or the URL. */
export function commandLine(entry: Record<string, unknown>): string {
  if (typeof entry.url === 'string') return entry.url;
  const args = Array.isArray(entry.args) ? entry.args.map(String) : [];
  return [String(entry.command ?? ''), ...args].map((a) => (/^[\w@%+=:,./${}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

// ------------------------------------------------------------------------------------ rendering

type Resolver = (q: Question) => string[] | undefined;
type Choice = { kind: 'package' | 'remote'; index: number };

function parseKey(server: ServerJson, key: string): Choice {
  const m = /^(package|remote):(\d+)$/.exec(key);
  const kind = m?.[1] as Choice['kind'] | undefined;
  const index = Number(m?.[2]);
  const list = kind === 'package' ? server.packages : server.remotes;
  if (!kind || !list?.[index]) throw new InstallError(`${server.name} has no install option "${key}".`);
  if (kind === 'package') {
    const reason = unsupportedPackage(list[index] as RegistryPackage);
    if (reason) throw new InstallError(`${server.name}: ${reason}.`);
  } else if (!remoteType((list[index] as RegistryRemote).type)) {
    throw new InstallError(`${server.name}: remote transport "${(list[index] as RegistryRemote).type}" is not supported.`);
  }
  return { kind, index };
}

function render(server: ServerJson, choice: Choice, resolve: Resolver): { entry: Record<string, unknown> } {
  const ids = new Set<string>();
  const ask = (q: Omit<Question, 'id'> & { id: string }): string[] | undefined => {
    // Two inputs with the same key (an env var and a flag both called "port") get distinct ids.
    const id = uniqueId(q.id, ids);
    ids.add(id);
    return resolve({ ...q, id });
  };
  if (choice.kind === 'remote') {
    const remote = server.remotes![choice.index]!;
    const url = substitute(remote.url, remote.variables ?? {}, 'URL variable', ask);
    if (url === undefined) throw new InstallError(`${server.name}: the remote URL needs values for its variables.`);
    const headers = keyValues(remote.headers ?? [], 'header', ask);
    return { entry: { type: remoteType(remote.type)!, url, ...(Object.keys(headers).length ? { headers } : {}) } };
  }
  const pkg = server.packages![choice.index]!;
  const runtimeArgs = argumentsOf(pkg.runtimeArguments ?? [], 'runtime argument', ask);
  const packageArgs = argumentsOf(pkg.packageArguments ?? [], 'argument', ask);
  const env = keyValues(pkg.environmentVariables ?? [], 'environment variable', ask);
  const { command, args } = launch(pkg, runtimeArgs, packageArgs, Object.keys(env));
  return { entry: { command, args, ...(Object.keys(env).length ? { env } : {}) } };
}

function launch(
  pkg: RegistryPackage,
  runtimeArgs: string[],
  packageArgs: string[],
  envNames: string[],
): { command: string; args: string[] } {
  const hint = pkg.runtimeHint?.trim();
  const spec = packageSpec(pkg);
  switch (pkg.registryType) {
    case 'npm': {
      const command = hint || 'npx';
      const yes = command === 'npx' && !runtimeArgs.some((a) => a === '-y' || a === '--yes') ? ['-y'] : [];
      return { command, args: [...yes, ...runtimeArgs, spec, ...packageArgs] };
    }
    case 'pypi': {
      const command = hint || 'uvx';
      const run = command === 'pipx' ? ['run'] : command === 'uv' ? ['tool', 'run'] : [];
      return { command, args: [...run, ...runtimeArgs, spec, ...packageArgs] };
    }
    case 'oci': {
      // The container sees only the variables passed with -e; docker reads their values from its own env.
      const passEnv = envNames.flatMap((n) => ['-e', n]);
      return { command: hint || 'docker', args: ['run', '-i', '--rm', ...runtimeArgs, ...passEnv, spec, ...packageArgs] };
    }
    case 'nuget':
      return { command: hint || 'dnx', args: [...runtimeArgs, spec, '--yes', ...(packageArgs.length ? ['--', ...packageArgs] : [])] };
    default:
      throw new InstallError(`package type "${pkg.registryType}" is not supported`);
  }
}

function argumentsOf(list: readonly RegistryArgument[], what: string, ask: (q: Question) => string[] | undefined): string[] {
  const out: string[] = [];
  list.forEach((arg, i) => {
    const named = arg.type === 'named';
    const key = named
      ? arg.name.replace(/^-+|=$/g, '') || `arg${i + 1}`
      : arg.valueHint || `${what === 'argument' ? 'arg' : 'runtime-arg'}${i + 1}`;
    const label = named ? `${what} ${arg.name}` : `${what} <${arg.valueHint ?? i + 1}>`;
    const repeated = !!arg.isRepeated;
    const values = valueOf(arg, key, label, repeated, ask);
    if (!values) return;
    for (const v of values) {
      if (!named) out.push(v);
      else if (arg.format === 'boolean' && (v === 'true' || v === 'false')) {
        if (v === 'true') out.push(arg.name);
      } else if (arg.name.endsWith('=')) out.push(arg.name + v);
      else out.push(arg.name, v);
    }
  });
  return out;
}

function keyValues(list: readonly KeyValueInput[], what: string, ask: (q: Question) => string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    if (!kv.name) continue;
    const values = valueOf(kv, kv.name, `${what} ${kv.name}`, false, ask);
    if (values?.[0] !== undefined) out[kv.name] = values[0];
  }
  return out;
}

/** A fixed value (with its `{variables}` filled in) or the user's answer; undefined = leave out. */
function valueOf(
  input: RegistryInput,
  key: string,
  label: string,
  repeated: boolean,
  ask: (q: Question) => string[] | undefined,
): string[] | undefined {
  if (input.value !== undefined) {
    const v = substitute(input.value, input.variables ?? {}, `${label}: variable`, ask);
    return v === undefined ? undefined : [v];
  }
  return ask(question(input, key, label, repeated));
}

function question(input: RegistryInput, id: string, label: string, repeated: boolean): Question {
  const choices = input.choices?.length ? input.choices : input.format === 'boolean' ? ['true', 'false'] : undefined;
  return {
    id,
    label,
    description: input.description,
    default: input.isSecret ? undefined : input.default,
    placeholder: input.placeholder,
    choices,
    required: !!input.isRequired,
    secret: !!input.isSecret,
    repeated,
    format: input.format,
  };
}

/** Replaces `{name}` with the variables' values; an unknown `{name}` stays as it is (per the spec). */
function substitute(
  template: string,
  variables: Readonly<Record<string, RegistryInput>>,
  what: string,
  ask: (q: Question) => string[] | undefined,
): string | undefined {
  let missing = false;
  const out = template.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    if (!variable) return whole;
    const values = valueOf(variable, name, `${what} {${name}}`, false, ask);
    if (values?.[0] === undefined) {
      missing = true;
      return whole;
    }
    return values[0];
  });
  return missing ? undefined : out;
}

// --------------------------------------------------------------------------------------- helpers

function packageSpec(pkg: RegistryPackage): string {
  const v = pkg.version;
  switch (pkg.registryType) {
    case 'npm':
    case 'nuget':
      return v ? `${pkg.identifier}@${v}` : pkg.identifier;
    case 'pypi':
      return v ? `${pkg.identifier}==${v}` : pkg.identifier;
    case 'oci': {
      // Since server.json 2025-09-29 the identifier carries the tag; older entries give `version`.
      const lastSegment = pkg.identifier.split('/').pop() ?? '';
      return lastSegment.includes(':') || pkg.identifier.includes('@') || !v ? pkg.identifier : `${pkg.identifier}:${v}`;
    }
    default:
      return v ? `${pkg.identifier} ${v}` : pkg.identifier;
  }
}

function unsupportedPackage(pkg: RegistryPackage): string | undefined {
  if (pkg.registryType === 'mcpb')
    return `MCPB bundles are not supported yet: download ${pkg.identifier} (SHA-256 ${pkg.fileSha256 ?? 'not given'}) and install it with an MCPB-capable client`;
  if (!['npm', 'pypi', 'oci', 'nuget'].includes(pkg.registryType)) return `package type "${pkg.registryType}" is not supported`;
  const t = pkg.transport?.type ?? 'stdio';
  if (t !== 'stdio')
    return `this package serves ${t === 'sse' ? 'SSE' : 'Streamable HTTP'} itself${pkg.transport?.url ? ` at ${pkg.transport.url}` : ''}: start it yourself and add its URL as an HTTP server`;
  return undefined;
}

function transportNote(pkg: RegistryPackage): string {
  const t = pkg.transport?.type;
  return t && t !== 'stdio' ? ` (${t})` : '';
}

function remoteType(type: string): 'http' | 'sse' | undefined {
  if (type === 'sse') return 'sse';
  if (type === 'streamable-http' || type === 'streamableHttp' || type === 'http') return 'http';
  return undefined;
}

function inputIdFor(localName: string, key: string): string {
  return `${localName}.${key}`.replace(/[^\w.-]+/g, '_');
}

function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/** For option details: a plausible command line without asking anything. */
const sampleResolver: Resolver = (q) =>
  q.secret ? ['***'] : q.default !== undefined ? [q.default] : q.required ? [`<${q.id}>`] : undefined;
