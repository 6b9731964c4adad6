// What the launch-consent dialog says (src/vscode/consent.ts asks it). Pure, so it is unit-tested:
// the command line with paths normalised for reading (no `a/./b/../c`, `~` for the home folder),
// where it is configured, and how long each answer lasts.
import * as path from 'node:path';
import type { LaunchRequest, ServerDefinition } from '../../core';

export const ALLOW = 'Allow';
export const ALLOW_ALWAYS = 'Allow Always for This Workspace';

/** The button that answers for every workspace server that would be asked about: `count` of them. */
export function allowAllLabel(count: number): string {
  return `Allow All ${count} Workspace Servers`;
}

/** Something that reads as a filesystem path (not a flag, URL or plain word). */
function looksLikePath(s: string): boolean {
  if (/^-|:\/\/|=/.test(s)) return false; // a flag, a URL, a name=value
  return /^(\/|\.{1,2}\/|~\/)/.test(s) || /(^|\/)\.{1,2}(\/|$)/.test(s) || /^[A-Za-z]:[\\/]/.test(s);
}

/**
 * A path as a person reads it: normalised (`/a/./b/../c` -> `/a/c`), the home folder as `~`.
 * Display only: the command that runs is the one planned, unchanged.
 */
export function displayPath(p: string, home: string | undefined, pathApi: path.PlatformPath = path): string {
  if (!looksLikePath(p)) return p;
  let out = p.startsWith('~/') ? p : pathApi.normalize(p);
  if (out.length > 1 && /[\\/]$/.test(out) && !/[\\/]$/.test(p)) out = out.slice(0, -1);
  if (home && home.length > 1) {
    const h = pathApi.normalize(home).replace(/[\\/]+$/, '');
    if (out === h) return '~';
    if (out.startsWith(h + pathApi.sep)) return `~${out.slice(h.length)}`;
  }
  return out;
}

function quote(a: string): string {
  return /^[\w@%+=:,./~-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export interface LaunchTextOptions {
  readonly home?: string;
  /** The other workspace servers "Allow All" would also allow (names). */
  readonly others?: readonly string[];
}

/** The dialog's detail: the command line (secrets masked by the core), where it comes from, what each answer means. */
export function describeLaunch(def: ServerDefinition, launch: LaunchRequest, options: LaunchTextOptions = {}): string {
  const show = (p: string) => displayPath(p, options.home);
  const lines = [`Command line:\n${[launch.command, ...launch.args].map((a) => quote(show(a))).join(' ')}`];
  if (launch.cwd) lines.push(`Working directory: ${show(launch.cwd)}`);
  if (def.type === 'stdio') {
    const env = Object.keys(def.env);
    if (env.length) lines.push(`Environment: ${env.join(', ')}`);
    if (def.envFile) lines.push(`Environment file: ${show(def.envFile)}`);
    if (def.inheritEnv) lines.push('Inherits the editor’s whole environment (inheritEnv).');
    if (def.inputs.length) lines.push(`Asks for ${def.inputs.map((id) => `\${input:${id}}`).join(', ')} after you allow it.`);
  }
  if (def.source) lines.push(`Configured in: ${def.source.label}${def.source.file ? ` (${show(def.source.file)})` : ''}`);
  const answers = [
    `${ALLOW}: this server, until this window is closed or reloaded.`,
    `${ALLOW_ALWAYS}: this server, in this workspace, until its command line changes.`,
  ];
  const others = options.others ?? [];
  if (others.length) answers.push(`${allowAllLabel(others.length + 1)}: like ${ALLOW_ALWAYS}, for this one and ${others.join(', ')}.`);
  lines.push(answers.join('\n'));
  lines.push('Only allow commands you trust: a repository can name any program here.');
  return lines.join('\n\n');
}
