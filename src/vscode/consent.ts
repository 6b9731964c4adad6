// Consent before running a command the workspace configured. Opening a repository must never run
// a program just because its .vscode/mcp.json or settings name one: the first time such a stdio
// server starts, the exact command line is shown and the user decides. User-level servers are
// never asked about (the user wrote them); HTTP servers run nothing locally.
// Wired into the core as ConnectionOptions.beforeLaunch, so the tree, the palette and the API all
// pass through it.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { isLayerSource, type LaunchRequest, type ServerDefinition } from '../core';
import { ALLOW, ALLOW_ALWAYS, allowAllLabel, describeLaunch } from '../ui/consent/launchText';
import { SECTION } from './configSource';
import type { Prompter } from './prompts';

export { ALLOW, ALLOW_ALWAYS, allowAllLabel, describeLaunch } from '../ui/consent/launchText';

const ALWAYS_KEY = 'mcpManager.allowedLaunches';
/** Application-scoped (user settings only), so a workspace cannot turn its own confirmation off. */
export const CONFIRM_SETTING = 'confirmWorkspaceServers';

/** A stdio server the workspace (not the user) configured: the ones asked about. */
function needsConsent(def: ServerDefinition): boolean {
  return def.type === 'stdio' && isLayerSource(def.source) && def.source.workspaceDefined;
}

export class LaunchConsent {
  /** "Allow": this window only. */
  private readonly allowedNow = new Set<string>();
  /** Cancelled: not asked again (tree expansion, API calls) until the user starts it explicitly. */
  private readonly denied = new Map<string, string>();
  private readonly pending = new Map<string, Promise<boolean>>();
  /** One dialog at a time: servers starting together queue, and "Allow All" answers the queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** workspaceState: "Allow Always" holds for this workspace only. */
    private readonly state: vscode.Memento,
    private readonly prompter: Prompter,
    /** Every configured server now, for "Allow All Workspace Servers". */
    private readonly servers: () => readonly ServerDefinition[] = () => [],
  ) {}

  /** ConnectionOptions.beforeLaunch. */
  readonly beforeLaunch = async (def: ServerDefinition, launch: LaunchRequest): Promise<boolean> => {
    if (!needsConsent(def)) return true;
    if (!vscode.workspace.getConfiguration(SECTION).get<boolean>(CONFIRM_SETTING, true)) return true;
    const key = launchKey(def);
    if (this.isAllowed(key)) return true;
    if (this.denied.get(def.name) === key) return false;
    let p = this.pending.get(key);
    if (!p) {
      const asked = this.queue.then(() => (this.isAllowed(key) ? true : this.ask(def, launch, key)));
      p = asked.finally(() => this.pending.delete(key));
      this.queue = asked.catch(() => undefined);
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

  private isAllowed(key: string): boolean {
    return this.allowedNow.has(key) || this.always().includes(key);
  }

  private async ask(def: ServerDefinition, launch: LaunchRequest, key: string): Promise<boolean> {
    // The other workspace servers that would be asked about too: one decision can cover them all.
    const others = this.servers().filter((d) => d.name !== def.name && !d.disabled && needsConsent(d) && !this.isAllowed(launchKey(d)));
    const all = others.length ? allowAllLabel(others.length + 1) : undefined;
    const detail = describeLaunch(def, launch, { home: os.homedir(), others: others.map((d) => d.name) });
    const actions = all ? [ALLOW, ALLOW_ALWAYS, all] : [ALLOW, ALLOW_ALWAYS];
    const answer = await this.prompter.confirm(`Run the MCP server "${def.name}" configured by this workspace?`, detail, ...actions);
    if (answer === all && all) {
      const keys = [key, ...others.map(launchKey)];
      await this.state.update(ALWAYS_KEY, [...this.always().filter((k) => !keys.includes(k)), ...keys]);
      for (const d of others) this.denied.delete(d.name);
      return true;
    }
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
  const what = {
    source: def.source?.file ?? def.source?.kind,
    name: def.name,
    command: def.command,
    args: def.args,
    cwd: def.cwd,
    env: def.env,
    envFile: def.envFile,
    passEnv: def.passEnv,
    inheritEnv: def.inheritEnv,
  };
  return crypto.createHash('sha256').update(JSON.stringify(what)).digest('hex');
}
