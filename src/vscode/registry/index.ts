// MCP registries in the editor: "MCP: Browse Registry..." and the servers tree's Update action.
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core';
import { RegistryClient } from '../../core/mcpRegistry';
import { serverNameOf } from '../commands';
import type { ConfigWriter } from '../configWriter';
import type { InputService } from '../inputs';
import { reportFailure } from '../notify';
import type { Prompter } from '../prompts';
import type { ServerLogs } from '../serverLogs';
import { RegistryBrowser } from './browseRegistry';
import { RegistryUpdates } from './updates';

export { RegistryBrowser } from './browseRegistry';
export { RegistryUpdates } from './updates';

export interface RegistryDeps {
  readonly registry: ServerRegistry;
  readonly prompter: Prompter;
  readonly inputs: InputService;
  readonly logs: ServerLogs;
  readonly reload: () => Promise<void>;
  readonly version: string;
  /** Writes installed entries into settings (the one ConfigWriter of the window). */
  readonly writer: ConfigWriter;
}

export interface RegistryFeature extends vscode.Disposable {
  readonly browser: RegistryBrowser;
  readonly updates: RegistryUpdates;
}

export function createRegistryFeature(deps: RegistryDeps): RegistryFeature {
  const client = new RegistryClient({ userAgent: `mcp-manager/${deps.version}` });
  const browser = new RegistryBrowser({
    registry: deps.registry,
    prompter: deps.prompter,
    inputs: deps.inputs,
    reload: deps.reload,
    client,
    writer: deps.writer,
  });
  const updates = new RegistryUpdates(deps.registry, client);
  const reg = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        reportFailure(e, { server: serverNameOf(args[0]), action: `run ${id}`, logs: deps.logs });
        return undefined;
      }
    });
  const commands = vscode.Disposable.from(
    reg('mcpManager.browseRegistry', (text) => browser.browse(typeof text === 'string' ? text : undefined)),
    reg('mcpManager.updateServer', async (arg) => {
      const name = serverNameOf(arg);
      if (!name) throw new Error('Update Server needs a server from the tree.');
      await updates.check();
      const latest = updates.updateFor(name);
      if (!latest) {
        void deps.prompter.notify(`"${name}" is up to date with its registry.`);
        return undefined;
      }
      const done = await browser.update(name, latest);
      if (done) await updates.check();
      return done;
    }),
  );
  return {
    browser,
    updates,
    dispose: () => {
      commands.dispose();
      updates.dispose();
    },
  };
}
