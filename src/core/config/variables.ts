// `${...}` substitution with VS Code's variable names. An unknown variable is an error rather
// than an empty string, because a silently empty path or token is much harder to debug.
// `${input:ID}` is left in place here and resolved at connect time (it may need a prompt).
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
}

export class VariableError extends Error {}

const VARIABLE = /\$\{([^}]*)\}/g;
export const INPUT_VARIABLE = /\$\{input:([^}]+)\}/g;

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
      default:
        throw new VariableError(`unknown variable ${whole}`);
    }
  });
}

/** Ids of `${input:ID}` references in a string. */
export function inputIds(value: string): string[] {
  return [...value.matchAll(INPUT_VARIABLE)].map((m) => m[1]!);
}
