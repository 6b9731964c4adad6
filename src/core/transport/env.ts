// The explicit environment of a stdio server, and command resolution on PATH.
// Servers do not inherit the editor's environment: an editor started from a desktop launcher
// has a different PATH and set of secrets than a terminal, and leaking it is both surprising
// and unsafe. They get a small allow-list, then envFile, then `env`, plus `passEnv` names.
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { StdioDefinition } from '../config/types';

export const POSIX_ALLOWED_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'] as const;
export const WINDOWS_ALLOWED_ENV = [
  'APPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATH',
  'PATHEXT',
  'PROCESSOR_ARCHITECTURE',
  'PROGRAMFILES',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'COMSPEC',
] as const;

export class LaunchError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface EnvResult {
  readonly env: Record<string, string>;
  /** Values that came from envFile: treated as secrets for masking. */
  readonly envFileValues: string[];
}

export async function buildEnv(
  def: Pick<StdioDefinition, 'env' | 'envFile' | 'inheritEnv' | 'passEnv' | 'name'>,
  parentEnv: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<EnvResult> {
  const env: Record<string, string> = {};
  const get = (name: string): string | undefined => {
    if (platform !== 'win32') return parentEnv[name];
    const key = Object.keys(parentEnv).find((k) => k.toUpperCase() === name.toUpperCase());
    return key ? parentEnv[key] : undefined;
  };
  if (def.inheritEnv) {
    for (const [k, v] of Object.entries(parentEnv)) if (v !== undefined) env[k] = v;
  } else {
    for (const name of platform === 'win32' ? WINDOWS_ALLOWED_ENV : POSIX_ALLOWED_ENV) {
      const v = get(name);
      // Exported bash functions look like this and can break a child shell.
      if (v !== undefined && !v.startsWith('()')) env[name] = v;
    }
  }
  for (const name of def.passEnv) {
    const v = get(name);
    if (v !== undefined) env[name] = v;
  }
  let envFileValues: string[] = [];
  if (def.envFile) {
    let text: string;
    try {
      text = await fs.readFile(def.envFile, 'utf8');
    } catch (e) {
      throw new LaunchError(`envFile not readable: ${def.envFile} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'envFile');
    }
    const fromFile = parseDotenv(text);
    Object.assign(env, fromFile);
    envFileValues = Object.values(fromFile);
  }
  for (const [k, v] of Object.entries(def.env)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return { env, envFileValues };
}

export async function validateCwd(cwd: string | undefined): Promise<void> {
  if (!cwd) return;
  let stat;
  try {
    stat = await fs.stat(cwd);
  } catch {
    throw new LaunchError(`working directory does not exist: ${cwd}. Fix "cwd" in its configuration, or create the folder.`, 'cwd');
  }
  if (!stat.isDirectory()) throw new LaunchError(`working directory is not a directory: ${cwd}. Fix "cwd" in its configuration.`, 'cwd');
}

/**
 * Finds the executable the way a shell would, using the child's PATH, so a missing `npx` gives
 * "command not found: npx (PATH searched: ...)" instead of a bare ENOENT from spawn.
 */
export async function resolveCommand(
  command: string,
  env: Record<string, string>,
  cwd: string | undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<string> {
  const isWin = platform === 'win32';
  const exts = isWin ? ['', ...(env.PATHEXT ?? env.Pathext ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  const hasDir = command.includes('/') || (isWin && command.includes('\\'));
  if (hasDir) {
    const full = path.resolve(cwd ?? process.cwd(), command);
    for (const ext of exts) if (await isExecutable(full + ext, isWin)) return full + ext;
    throw new LaunchError(`command not found: ${full}${(await exists(full)) ? ' (exists but is not executable)' : ''}`, 'command');
  }
  const pathValue = (isWin ? Object.entries(env).find(([k]) => k.toUpperCase() === 'PATH')?.[1] : env.PATH) ?? '';
  const dirs = pathValue.split(isWin ? ';' : ':').filter(Boolean);
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (await isExecutable(candidate, isWin)) return candidate;
    }
  }
  throw new LaunchError(
    `command not found: ${command} (PATH searched: ${dirs.join(isWin ? ';' : ':') || '(empty)'}). ` +
      'Use an absolute path, or add its folder to PATH in the server\'s "env".',
    'command',
  );
}

async function isExecutable(file: string, isWin: boolean): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    if (isWin) return true;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
