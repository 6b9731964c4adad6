// Where the CLI's servers come from: the workspace (default: the current directory), one
// --config file, or an ad-hoc --stdio / --url server built from the command line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigFileError,
  type ConfigFileResult,
  type ConfigIssue,
  type ConfigSource,
  guessUrlType,
  isConfigNote,
  loadConfigFile,
  loadWorkspaceConfig,
  type McpInput,
  parseServer,
  type ServerDefinition,
  suggest,
  type VariableContext,
} from '../core';
import { splitCommandLine, type AdHoc, type CliArgs } from './args';
import { usageError } from './errors';

export interface LoadedConfig extends ConfigFileResult {
  /** Where we looked, for messages: "/path/.vscode/settings.json or .vscode/mcp.json" or the file. */
  readonly where: string;
}

export function loadCliConfig(args: Pick<CliArgs, 'workspace' | 'config'>, cwd = process.cwd()): LoadedConfig {
  if (args.config !== undefined) {
    const file = path.resolve(cwd, args.config);
    // A settings.json or mcp.json inside .vscode belongs to the folder above it; any other file
    // (.mcp.json, a Claude Desktop config) is taken relative to where the CLI runs.
    const folder = path.basename(path.dirname(file)) === '.vscode' ? path.dirname(path.dirname(file)) : cwd;
    try {
      return { ...loadConfigFile(file, context(folder)), where: displayPath(file, cwd) };
    } catch (e) {
      if (e instanceof ConfigFileError) throw usageError(e.message);
      throw e;
    }
  }
  const dir = path.resolve(cwd, args.workspace ?? '.');
  if (args.workspace !== undefined && !isDirectory(dir)) throw usageError(`--workspace ${args.workspace}: not a directory.`);
  return { ...loadWorkspaceConfig(dir, context(dir)), where: `${dir} (.vscode/settings.json "mcpManager.servers" and .vscode/mcp.json)` };
}

export interface Target {
  readonly definition: ServerDefinition;
  readonly inputs: readonly McpInput[];
}

/** The server a command runs against, with --timeout applied. Unknown or invalid: a usage error (exit 2). */
export function resolveTarget(args: CliArgs, cwd = process.cwd()): Target {
  return withTimeout(args.adHoc ? adHocTarget(args.adHoc, args, cwd) : configuredTarget(args, cwd), args);
}

/** --timeout applied to a target: the handshake and every request. */
export function withTimeout(target: Target, args: Pick<CliArgs, 'timeoutMs'>): Target {
  if (args.timeoutMs === undefined) return target;
  const def = target.definition;
  return {
    ...target,
    definition: {
      ...def,
      startupTimeoutMs: args.timeoutMs,
      requestTimeoutMs: args.timeoutMs,
      maxTotalTimeoutMs: Math.max(def.maxTotalTimeoutMs, args.timeoutMs),
    },
  };
}

function configuredTarget(args: CliArgs, cwd: string): Target {
  const name = args.server!;
  const config = loadCliConfig(args, cwd);
  const def = config.servers.find((s) => s.name === name);
  if (def) return { definition: def, inputs: config.inputs };
  const own = config.issues.filter((i) => i.server === name && !isConfigNote(i));
  if (own.length) {
    const first = own[0]!;
    const more = own.length > 1 ? ` (and ${own.length - 1} more problem${own.length > 2 ? 's' : ''})` : '';
    throw usageError(
      `invalid configuration in ${sourceLabel(first.source)}: ${describeIssue(first)}${more}. Fix the entry; "mcp-manager servers" lists all problems.`,
      name,
    );
  }
  const fileProblems = config.issues.filter((i) => i.server === undefined && !isConfigNote(i)).map((i) => i.message);
  const names = config.servers.map((s) => s.name);
  const hint = suggest(name, names);
  const known = names.length
    ? `Configured: ${names.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}.`
    : 'No servers are configured there.';
  const problems = fileProblems.length ? ` Also: ${fileProblems.join('; ')}.` : '';
  const next =
    args.config === undefined && args.workspace === undefined
      ? ' Use --workspace DIR or --config FILE to read another configuration, or --stdio / --url for an ad-hoc server.'
      : '';
  throw usageError(`no server named "${name}" in ${config.where}. ${known}${problems}${next}`, name);
}

function adHocTarget(adHoc: AdHoc, args: CliArgs, cwd: string): Target {
  const folder = path.resolve(cwd, args.workspace ?? '.');
  const source: ConfigSource = { kind: 'cli', label: 'command line' };
  let name: string;
  let entry: Record<string, unknown>;
  if (adHoc.kind === 'stdio') {
    const [command, ...rest] = splitCommandLine(adHoc.commandLine);
    if (!command) throw usageError('--stdio needs a command line.');
    // Labelled with the whole command line: "node" alone would not say which server failed.
    name = adHoc.commandLine.trim().replace(/\s+/g, ' ');
    const env: Record<string, string> = {};
    const passEnv: string[] = [];
    for (const item of adHoc.env) {
      const eq = item.indexOf('=');
      const key = eq === -1 ? item : item.slice(0, eq);
      if (!key) throw usageError(`--env "${item}": expected NAME=VALUE, or NAME to pass it from this shell.`, name);
      if (eq === -1) passEnv.push(key);
      else env[key] = item.slice(eq + 1);
    }
    entry = { command, args: rest, env, passEnv, ...(adHoc.cwd !== undefined ? { cwd: path.resolve(cwd, adHoc.cwd) } : {}) };
    if (adHoc.cwd !== undefined && !isDirectory(path.resolve(cwd, adHoc.cwd)))
      throw usageError(`--cwd ${adHoc.cwd}: not a directory.`, name);
  } else {
    let url: URL;
    try {
      url = new URL(adHoc.url);
    } catch {
      throw usageError(`--url "${adHoc.url}" is not a valid URL; expected e.g. http://127.0.0.1:3001/mcp.`);
    }
    name = url.host || 'url';
    const headers: Record<string, string> = {};
    for (const item of adHoc.headers) {
      const colon = item.indexOf(':');
      const key = colon === -1 ? '' : item.slice(0, colon).trim();
      if (!key) throw usageError(`--header "${item}": expected "Name: value".`, name);
      headers[key] = item.slice(colon + 1).trim();
    }
    entry = { type: adHoc.transport ?? guessUrlType(adHoc.url), url: adHoc.url, headers };
  }
  const result = parseServer(name, entry, { context: context(folder), source });
  if (!('definition' in result)) throw usageError(`invalid ad-hoc server: ${result.issues.map(describeIssue).join('; ')}.`, name);
  return { definition: result.definition, inputs: [] };
}

function context(folder: string): VariableContext {
  return { workspaceFolder: folder, userHome: os.homedir(), env: process.env };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function describeIssue(issue: ConfigIssue): string {
  return issue.field ? `${issue.field}: ${issue.message}` : issue.message;
}

/** A short label for a source: the file relative to the workspace where that reads better. */
export function sourceLabel(source: ConfigSource | undefined): string {
  if (!source) return 'the configuration';
  if (source.kind === 'workspace') return '.vscode/settings.json';
  if (source.kind === 'mcp.json') return '.vscode/mcp.json';
  return source.file ? displayPath(source.file) : source.label;
}

/** A path relative to the current directory when it is inside it, else absolute. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
