// Helpers for the configuration integration tests (config*.test.ts): real files on disk, real
// settings writes, and the scripted Prompter installed for each test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../../src/core';
import { getApi, waitFor } from './mcpm';
import { ScriptedPrompter } from './scriptedPrompter';

export const section = (scope?: vscode.Uri) => vscode.workspace.getConfiguration('mcpManager', scope);

export function folderPath(index = 0): string {
  const folder = vscode.workspace.workspaceFolders?.[index];
  assert.ok(folder, `no workspace folder ${index}`);
  return folder.uri.fsPath;
}

export function mcpJsonPath(index = 0): string {
  return path.join(folderPath(index), '.vscode', 'mcp.json');
}

/** Writes a folder's .vscode/mcp.json on disk (the extension must notice it by itself). */
export function writeMcpJson(content: unknown, index = 0): void {
  fs.mkdirSync(path.dirname(mcpJsonPath(index)), { recursive: true });
  fs.writeFileSync(mcpJsonPath(index), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

export function removeMcpJson(index = 0): void {
  fs.rmSync(mcpJsonPath(index), { force: true });
}

/** Waits until the registry satisfies `probe` without forcing a reload (watchers and events only). */
export async function waitForConfig<T>(
  what: string,
  probe: (registry: ServerRegistry) => T | undefined | false,
  timeoutMs = 30_000,
): Promise<{ value: T; ms: number }> {
  const registry = (await getApi())._test.registry;
  const t0 = performance.now();
  const value = await waitFor(what, () => probe(registry), timeoutMs);
  return { value, ms: performance.now() - t0 };
}

/** Installs a fresh ScriptedPrompter; `done()` restores the real dialogs. */
export async function scriptedUi(): Promise<{ ui: ScriptedPrompter; done: () => void }> {
  const ui = new ScriptedPrompter();
  const done = (await getApi())._test.prompter.use(ui);
  return { ui, done };
}

/** A JS file that prints the given variables (and its first argument) to stderr, then becomes the fixture server (or exits when `exitCode` is given). */
export function writeEchoServer(dir: string, fixture: string, vars: string[], exitCode?: number): string {
  const file = path.join(dir, exitCode === undefined ? 'echo-env.mjs' : 'echo-env-exit.mjs');
  const echo = `process.stderr.write(${JSON.stringify(vars)}.map((v) => v + '=' + process.env[v]).join(' ') + ' arg=' + process.argv[2] + '\\n');`;
  const then =
    exitCode === undefined ? `await import(${JSON.stringify(new URL(`file://${fixture}`).href)});` : `process.exit(${exitCode});`;
  fs.writeFileSync(file, `${echo}\n${then}\n`);
  return file;
}

/** The text of a server's log channel file (LogOutputChannels write `<logDir>/<name>.log`). */
export async function logText(channel: string): Promise<string> {
  const dir = (await getApi())._test.logDir;
  const file = path.join(dir, `${channel.replace(/[\\/:*?"<>|]/g, '')}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** Restores every setting this suite touches at user, workspace (and folder) scope. */
export function rememberSettings(keys = ['servers', 'inputs', 'readMcpJson', 'confirmWorkspaceServers']): { restore(): Promise<void> } {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const saved = keys.map((key) => ({
    key,
    global: section().inspect(key)?.globalValue,
    workspace: section().inspect(key)?.workspaceValue,
    folders: vscode.workspace.workspaceFile ? folders.map((f) => section(f.uri).inspect(key)?.workspaceFolderValue) : [],
  }));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    async restore() {
      for (const s of saved) {
        if (!same(section().inspect(s.key)?.globalValue, s.global))
          await section().update(s.key, s.global, vscode.ConfigurationTarget.Global);
        if (!same(section().inspect(s.key)?.workspaceValue, s.workspace))
          await section().update(s.key, s.workspace, vscode.ConfigurationTarget.Workspace);
        for (const [i, value] of s.folders.entries()) {
          const uri = folders[i]!.uri;
          if (!same(section(uri).inspect(s.key)?.workspaceFolderValue, value))
            await section(uri).update(s.key, value, vscode.ConfigurationTarget.WorkspaceFolder);
        }
      }
    },
  };
}
