// Consent before running a command the workspace configured. Opening a repository must never run
// a program just because its .vscode/mcp.json or settings name one: the first time such a stdio
// server starts, the exact command line is shown and the user decides. User-level servers are
// never asked about (the user wrote them); HTTP servers run nothing locally.
// Wired into the core as ConnectionOptions.beforeLaunch, so the tree, the palette and the API all
// pass through it.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { LaunchRequest, ServerDefinition } from '../core';
import { isLayerSource } from '../core/config/layers';
import { SECTION } from './configSource';
import type { Prompter } from './prompts';

const ALWAYS_KEY = 'mcpManager.allowedLaunches';
/** Application-scoped (user settings only), so a workspace cannot turn its own confirmation off. */
export const CONFIRM_SETTING = 'confirmWorkspaceServers';
export const ALLOW = 'Allow';
export const ALLOW_ALWAYS = 'Allow Always for This Workspace';

export class LaunchConsent {
  /** "Allow": this window only. */
  private readonly allowedNow = new Set<string>();
  /** Cancelled: not asked again (tree expansion, API calls) until the user starts it explicitly. */
  private readonly denied = new Map<string, string>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    /** workspaceState: "Allow Always" holds for this workspace only. */
    private readonly state: vscode.Memento,
    private readonly prompter: Prompter,
  ) {}

  /** ConnectionOptions.beforeLaunch. */
  readonly beforeLaunch = async (def: ServerDefinition, launch: LaunchRequest): Promise<boolean> => {
    if (def.type !== 'stdio' || !isLayerSource(def.source) || !def.source.workspaceDefined) return true;
    if (!vscode.workspace.getConfiguration(SECTION).get<boolean>(CONFIRM_SETTING, true)) return true;
    const key = launchKey(def);
    if (this.allowedNow.has(key) || this.always().includes(key)) return true;
    if (this.denied.get(def.name) === key) return false;
    let p = this.pending.get(key);
    if (!p) {
      p = this.ask(def, launch, key).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  };

  /** The user wrote this entry just now (Add Server): no need to ask them about it in this window. */
  allowNow(def: ServerDefinition): void {
    this.allowedNow.add(launchKey(def));
  }

  /** An explicit Start or Restart asks again after a Cancel. */
  forgetDenial(server: string): void {
    this.denied.delete(server);
  }

  /** "Reset Workspace Server Permissions": every workspace-defined command is asked about again. */
  async reset(): Promise<void> {
    this.allowedNow.clear();
    this.denied.clear();
    await this.state.update(ALWAYS_KEY, undefined);
  }

  private async ask(def: ServerDefinition, launch: LaunchRequest, key: string): Promise<boolean> {
    const answer = await this.prompter.confirm(`Run the MCP server "${def.name}" configured by this workspace?`, describeLaunch(def, launch), ALLOW, ALLOW_ALWAYS);
    if (answer === ALLOW_ALWAYS) {
      await this.state.update(ALWAYS_KEY, [...this.always().filter((k) => k !== key), key]);
      return true;
    }
    if (answer === ALLOW) {
      this.allowedNow.add(key);
      return true;
    }
    this.denied.set(def.name, key);
    return false;
  }

  private always(): string[] {
    return this.state.get<string[]>(ALWAYS_KEY, []);
  }
}

/**
 * What is agreed to: everything that decides what runs (command, args, cwd, environment), as
 * configured. A change to any of it (say, after a `git pull`) asks again. Input values are not
 * part of it, so re-entering a token does not.
 */
export function launchKey(def: ServerDefinition): string {
  if (def.type !== 'stdio') return '';
  const what = { source: def.source?.file ?? def.source?.kind, name: def.name, command: def.command, args: def.args, cwd: def.cwd, env: def.env, envFile: def.envFile, passEnv: def.passEnv, inheritEnv: def.inheritEnv };
  return crypto.createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** The dialog's detail: the exact command line (secrets masked by the core), where it comes from. */
export function describeLaunch(def: ServerDefinition, launch: LaunchRequest): string {
  const lines = [`Command line:\n${[launch.command, ...launch.args].map(quote).join(' ')}`];
  if (launch.cwd) lines.push(`Working directory: ${launch.cwd}`);
  if (def.type === 'stdio') {
    const env = Object.keys(def.env);
    if (env.length) lines.push(`Environment: ${env.join(', ')}`);
    if (def.envFile) lines.push(`Environment file: ${def.envFile}`);
    if (def.inheritEnv) lines.push('Inherits the editor’s whole environment (inheritEnv).');
  }
  if (def.source) lines.push(`Configured in: ${def.source.label}${def.source.file ? ` (${def.source.file})` : ''}`);
  lines.push('Only allow commands you trust: a repository can name any program here.');
  return lines.join('\n\n');
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
