// Shared helpers for the extension's integration tests (bundled into each *.test.ts that imports
// it). They run inside the real extension host: process.pid is the extension host itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi, TestHooks } from '../../../src/extension';

export const EXTENSION_ID = 'mcp-manager.mcp-manager';

export async function getApi(): Promise<ExtensionApi & { _test: TestHooks }> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} not found`);
  const api = await ext.activate();
  assert.ok(api._test, 'test hooks missing (is the extension running in production mode?)');
  return api as ExtensionApi & { _test: TestHooks };
}

export function extensionPath(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return ext.extensionPath;
}

export const fixture = (...parts: string[]) => path.join(extensionPath(), 'test', 'fixtures', ...parts);
export const FIXTURE = () => fixture('server.mjs');
/** The extension host's own node: a `command` that does not depend on PATH. */
export const NODE = process.execPath;

/**
 * An extra argument on every server these tests start (the fixtures ignore it), so process counts
 * see only our servers, not processes other suites in the same extension host may have started.
 */
export const MARKER = '--mcpm-integration';

/** A stdio entry running the fixture server (extra fields merged in). */
export function fixtureServer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: NODE, args: [FIXTURE(), MARKER], ...extra };
}

/** A stdio entry running one of the misbehaving fixtures in test/fixtures/bad. */
export function badServer(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: NODE, args: [fixture('bad', file), MARKER], ...extra };
}

/** Live (non-zombie) child processes of the extension host started by these tests. */
export function childProcesses(needle = MARKER): { pid: number; cmdline: string }[] {
  const pids = new Set<number>();
  for (const task of fs.readdirSync(`/proc/${process.pid}/task`)) {
    let children = '';
    try {
      children = fs.readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const p of children.split(/\s+/).filter(Boolean)) pids.add(Number(p));
  }
  const out: { pid: number; cmdline: string }[] = [];
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (cmdline.includes(needle)) out.push({ pid, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const config = () => vscode.workspace.getConfiguration('mcpManager');

/**
 * Writes `mcpManager.servers` at a scope and waits until the extension has applied it. Returns a
 * function restoring the previous value (call it in afterEach/after).
 */
export async function setServers(
  servers: Record<string, unknown> | undefined,
  target = vscode.ConfigurationTarget.Workspace,
): Promise<void> {
  await config().update('servers', servers, target);
  const api = await getApi();
  await api._test.reloadConfig();
}

/** Remembers the current values of both scopes; `restore()` writes them back and applies them. */
export function rememberServers(): { restore(): Promise<void> } {
  const inspected = config().inspect('servers');
  const workspace = inspected?.workspaceValue;
  const global = inspected?.globalValue;
  return {
    async restore() {
      const now = config().inspect('servers');
      if (JSON.stringify(now?.workspaceValue) !== JSON.stringify(workspace))
        await config().update('servers', workspace, vscode.ConfigurationTarget.Workspace);
      if (JSON.stringify(now?.globalValue) !== JSON.stringify(global))
        await config().update('servers', global, vscode.ConfigurationTarget.Global);
      await (await getApi())._test.reloadConfig();
    },
  };
}

/** Text of the first text content of a tool result. */
export function resultText(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.find((c) => c.type === 'text')?.text ?? '';
}
