// Managing a server's entry from the tree: Edit, Remove, Disable / Enable, Rename, Duplicate. Each
// acts on the file the entry comes from (user, workspace or folder settings, or a folder's
// mcp.json) through the ConfigWriter, which changes only that entry.
import * as vscode from 'vscode';
import type { ServerConnection, ServerRegistry } from '../core';
import { copyName, nameProblem, type ConfigChange } from '../ui/config/configEdits';
import { isWriteTarget, type ConfigWriter, type WriteTarget } from './configWriter';
import type { Prompter } from './prompts';
import { pickServer } from './serverPicker';
import { openSettingsJson } from './settingsEditor';

export const REMOVE = 'Remove';

export interface ServerActionDeps {
  readonly registry: ServerRegistry;
  readonly prompter: Prompter;
  readonly writer: ConfigWriter;
  readonly reload: () => Promise<void>;
}

type Verb = 'edit' | 'remove' | 'disable' | 'enable' | 'rename' | 'duplicate' | 'offer' | 'unoffer';

/** The server a command argument names: a tree node (`serverName`) or a plain name. */
function nameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const name = arg && typeof arg === 'object' ? (arg as { serverName?: unknown }).serverName : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** Which servers each verb's picker offers (all when absent). */
const pickFilter: Partial<Record<Verb, (c: ServerConnection) => boolean>> = {
  disable: (c) => !c.definition.disabled,
  enable: (c) => c.definition.disabled,
  offer: (c) => c.definition.expose === false,
  unoffer: (c) => c.definition.expose !== false,
};
const emptyMessages: Partial<Record<Verb, string>> = {
  enable: 'No MCP server is disabled.',
  offer: 'Every MCP server is offered to other clients already.',
  unoffer: 'No MCP server is offered to other clients.',
};

export class ServerActions {
  constructor(private readonly deps: ServerActionDeps) {}

  /** The command ids and what they run; registered by ServerCommands (its failure reporting). */
  commands(): [string, (arg?: unknown) => Promise<unknown>][] {
    return [
      ['mcpManager.editServer', (arg) => this.edit(arg)],
      ['mcpManager.removeServer', (arg) => this.remove(arg)],
      ['mcpManager.disableServer', (arg) => this.setDisabled(arg, true)],
      ['mcpManager.enableServer', (arg) => this.setDisabled(arg, false)],
      ['mcpManager.renameServer', (arg) => this.rename(arg)],
      ['mcpManager.duplicateServer', (arg) => this.duplicate(arg)],
      ['mcpManager.offerServer', (arg) => this.setExposed(arg, true)],
      ['mcpManager.unofferServer', (arg) => this.setExposed(arg, false)],
    ];
  }

  /** Opens the entry in its file, with its name selected. */
  async edit(arg?: unknown): Promise<void> {
    const found = await this.target(arg, 'edit');
    if (!found) return;
    if (!(await this.deps.writer.reveal(found.target, found.name))) await openSettingsJson({ source: found.target, server: found.name });
  }

  /** Removes the entry after a confirmation naming the server and the file. Resolves true when removed. */
  async remove(arg?: unknown): Promise<boolean> {
    const found = await this.target(arg, 'remove');
    if (!found) return false;
    const where = found.target.file ?? found.target.label;
    const answer = await this.deps.prompter.confirm(
      `Remove the MCP server "${found.name}" from ${found.target.label}?`,
      `Its entry is deleted from ${where}; the rest of the file is left as it is. Undo with Edit > Undo in that file.`,
      REMOVE,
    );
    if (answer !== REMOVE) return false;
    await this.write(found.target, [{ op: 'remove', name: found.name }]);
    return true;
  }

  async setDisabled(arg: unknown, disabled: boolean): Promise<void> {
    const found = await this.target(arg, disabled ? 'disable' : 'enable');
    if (!found) return;
    await this.write(found.target, [{ op: 'setFlag', name: found.name, flag: 'disabled', value: disabled }]);
  }

  /**
   * Whether the gateway offers the server to other clients (VS Code's chat, `mcp-manager serve`):
   * `"expose": false` in its entry, or no key. The tree's checkbox and two palette commands.
   * The running server is not restarted; the gateway's clients are told their lists changed.
   */
  async setExposed(arg: unknown, exposed: boolean): Promise<void> {
    const found = await this.target(arg, exposed ? 'offer' : 'unoffer');
    if (!found) return;
    await this.write(found.target, [{ op: 'setFlag', name: found.name, flag: 'expose', value: exposed }]);
  }

  /** Renames the entry in place. Resolves to the new name. */
  async rename(arg?: unknown): Promise<string | undefined> {
    const found = await this.target(arg, 'rename');
    if (!found) return undefined;
    const servers = await this.deps.writer.servers(found.target);
    const taken = (n: string) => Object.prototype.hasOwnProperty.call(servers, n) || !!this.deps.registry.get(n);
    const to = await this.deps.prompter.input({
      title: `Rename MCP Server "${found.name}"`,
      prompt: `New name (in ${found.target.label})`,
      value: found.name,
      valueSelection: [0, found.name.length],
      ignoreFocusOut: true,
      validateInput: (v) => nameProblem(v, taken, found.name),
    });
    const name = to?.trim();
    if (!name || name === found.name) return undefined;
    await this.write(found.target, [{ op: 'rename', name: found.name, to: name }]);
    return name;
  }

  /** Copies the entry as written (variables, inputs and comments' meaning kept) under a new name. */
  async duplicate(arg?: unknown): Promise<string | undefined> {
    const found = await this.target(arg, 'duplicate');
    if (!found) return undefined;
    const servers = await this.deps.writer.servers(found.target);
    const entry = servers[found.name];
    if (entry === undefined) throw new Error(`there is no server "${found.name}" in ${found.target.label}; refresh the view`);
    const taken = (n: string) => Object.prototype.hasOwnProperty.call(servers, n) || !!this.deps.registry.get(n);
    const suggestion = copyName(found.name, taken);
    const to = await this.deps.prompter.input({
      title: `Duplicate MCP Server "${found.name}"`,
      prompt: `Name of the copy (saved in ${found.target.label})`,
      value: suggestion,
      ignoreFocusOut: true,
      validateInput: (v) => nameProblem(v, taken),
    });
    const name = to?.trim();
    if (!name) return undefined;
    await this.write(found.target, [{ op: 'set', name, entry }]);
    return name;
  }

  private async write(target: WriteTarget, changes: ConfigChange[]): Promise<void> {
    await this.deps.writer.apply(target, changes);
    await this.deps.reload();
  }

  /** The server and the file its entry lives in; explains when there is none to change. */
  private async target(arg: unknown, verb: Verb): Promise<{ name: string; target: WriteTarget } | undefined> {
    const titles: Record<Verb, string> = {
      edit: 'Edit MCP Server',
      remove: 'Remove MCP Server',
      disable: 'Disable MCP Server',
      enable: 'Enable MCP Server',
      rename: 'Rename MCP Server',
      duplicate: 'Duplicate MCP Server',
      offer: 'Offer an MCP Server to Other Clients',
      unoffer: 'Stop Offering an MCP Server to Other Clients',
    };
    const name =
      nameOf(arg) ??
      (await pickServer(this.deps.registry, {
        title: titles[verb],
        filter: pickFilter[verb],
        emptyMessage: emptyMessages[verb],
      }));
    if (!name) return undefined;
    const conn = this.deps.registry.get(name);
    if (!conn) {
      void vscode.window.showWarningMessage(`There is no MCP server named "${name}" in the configuration.`);
      return undefined;
    }
    const source = conn.definition.source;
    if (!isWriteTarget(source))
      throw new Error(
        `"${name}" is not defined in a settings file or mcp.json (it comes from ${source?.label ?? 'code'}), so it cannot be changed here`,
      );
    return { name, target: source };
  }
}
