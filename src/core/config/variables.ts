// `${...}` substitution with VS Code's variable names. An unknown variable is an error rather
// than an empty string, because a silently empty path or token is much harder to debug.
// `${input:ID}` is left in place here and resolved at connect time (it may need a prompt), and so
// is `${command:ID}` where a host can run commands (the editor; `commands` in the context).
import * as os from 'node:os';
import * as path from 'node:path';

export interface WorkspaceFolderRef {
  readonly name: string;
  readonly path: string;
}

export interface VariableContext {
  /** The folder this configuration belongs to (resolves `${workspaceFolder}`), if any. */
  readonly workspaceFolder?: string;
  /** All folders, for `${workspaceFolder:Name}`. */
  readonly workspaceFolders?: readonly WorkspaceFolderRef[];
  readonly userHome?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly pathSeparator?: string;
  /** `${execPath}`: the host's executable (default: process.execPath). */
  readonly execPath?: string;
  /** `${cwd}` (default: the workspace folder, else process.cwd(), as VS Code resolves it). */
  readonly cwd?: string;
  /** `${config:section.key}`: a setting's value; absent where there are no settings (the CLI). */
  readonly config?: (key: string) => unknown;
  /** The host can run `${command:ID}` at connect time (the editor). */
  readonly commands?: boolean;
}

export class VariableError extends Error {}

const VARIABLE = /\$\{([^}]*)\}/g;
export const INPUT_VARIABLE = /\$\{input:([^}]+)\}/g;
/** Variables resolved at connect time: `${input:ID}` and `${command:ID}`. */
export const DEFERRED_VARIABLE = /\$\{(input|command):([^}]+)\}/g;

/** The key a deferred variable's value has in an InputResolver's answer: the input id, or `command:ID`. */
export function deferredKey(kind: string, id: string): string {
  return kind === 'command' ? `command:${id}` : id;
}

export function substituteVariables(value: string, ctx: VariableContext): string {
  if (!value.includes('${')) return value;
  return value.replace(VARIABLE, (whole, body: string) => {
    const [name, ...rest] = body.split(':');
    const arg = rest.join(':');
    switch (name) {
      case 'workspaceFolder':
        if (arg) {
          const folder = ctx.workspaceFolders?.find((f) => f.name === arg);
          if (!folder) throw new VariableError(`unknown workspace folder "${arg}" in ${whole}`);
          return folder.path;
        }
        if (!ctx.workspaceFolder) throw new VariableError(`${whole} used but no workspace folder is open`);
        return ctx.workspaceFolder;
      case 'workspaceFolderBasename':
        if (!ctx.workspaceFolder) throw new VariableError(`${whole} used but no workspace folder is open`);
        return path.basename(ctx.workspaceFolder);
      case 'userHome':
        return ctx.userHome ?? os.homedir();
      case 'pathSeparator':
      case '/':
        return ctx.pathSeparator ?? path.sep;
      case 'env': {
        if (!arg) throw new VariableError(`${whole} needs a variable name, e.g. \${env:HOME}`);
        // VS Code resolves a missing variable to ''; we follow it, since an unset optional
        // variable is common and the name itself is clearly intended.
        return (ctx.env ?? process.env)[arg] ?? '';
      }
      case 'input':
        if (!arg) throw new VariableError(`${whole} needs an input id, e.g. \${input:apiKey}`);
        return whole;
      case 'command':
        if (!arg) throw new VariableError(`${whole} needs a command id, e.g. \${command:myExtension.getToken}`);
        if (!ctx.commands)
          throw new VariableError(`${whole} runs a VS Code command, which only the editor can do; use \${input:…} or \${env:…} here`);
        return whole;
      case 'execPath':
        return ctx.execPath ?? process.execPath;
      case 'cwd':
        return ctx.cwd ?? ctx.workspaceFolder ?? process.cwd();
      case 'config': {
        if (!arg) throw new VariableError(`${whole} needs a setting name, e.g. \${config:editor.fontSize}`);
        if (!ctx.config) throw new VariableError(`${whole} reads a VS Code setting, which only the editor can do; use \${env:…} here`);
        const v = ctx.config(arg);
        if (v === undefined || v === null) throw new VariableError(`${whole}: there is no setting "${arg}"`);
        if (typeof v === 'object') throw new VariableError(`${whole}: the setting "${arg}" is a structured value, not a string`);
        return String(v);
      }
      default:
        throw new VariableError(`unknown variable ${whole}`);
    }
  });
}

/** Ids of `${input:ID}` references in a string, and `command:ID` for each `${command:ID}`. */
export function inputIds(value: string): string[] {
  return [...value.matchAll(DEFERRED_VARIABLE)].map((m) => deferredKey(m[1]!, m[2]!));
}

/** `~` or `~/…` at the start of a path is the user's home, as VS Code resolves it for command, cwd and envFile. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}
