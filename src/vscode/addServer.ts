// "Add Server…": a short guided input (command line, npm package or URL, name, scope), validated
// with the same parser the configuration goes through, then written to the chosen settings scope.
// Questions go through the Prompter, so the integration tests can answer them.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseServer, splitCommandLine, type ServerRegistry } from '../core';
import { KEY, scopeValue, updateScope, writableScopes, type SettingsScope } from './configSource';
import type { Prompter } from './prompts';

type Transport = 'stdio' | 'http' | 'sse';
type Kind = Transport | 'npm';
const TITLE = 'Add MCP Server';


/** A short name from the command line or URL: the package or script name, or the host. */
export function suggestName(transport: Transport, value: string): string {
  if (transport !== 'stdio') {
    try {
      const u = new URL(value);
      return u.hostname.replace(/^www\./, '').replace(/[^\w-]+/g, '-') + (u.port ? `-${u.port}` : '');
    } catch {
      return 'server';
    }
  }
  let words: string[];
  try {
    words = splitCommandLine(value).filter((w) => !w.startsWith('-'));
  } catch {
    return 'server';
  }
  // The first word that looks like a package or script; else what a runner (npx, uvx, …) runs.
  const runner = /^(npx|pnpx|bunx|uvx|pipx|node|deno|bun|python3?|uv|docker|run|dlx|exec)$/;
  const candidate = words.find((w, i) => i > 0 && /[@/\\]|\.(m?js|cjs|py|ts)$/.test(w)) ?? words.find((w) => !runner.test(w.split(/[/\\]/).pop() ?? w)) ?? words[0] ?? 'server';
  const base = candidate.replace(/@[^@/]*$/, '').split(/[/\\]/).pop() ?? candidate;
  return base.replace(/\.(m?js|cjs|py|ts)$/, '').replace(/^(mcp-server-|server-)/, '').replace(/-mcp$/, '') || 'server';
}

/** An npm package name, optionally with a version or tag (`@scope/name@1.2`). */
export const NPM_PACKAGE = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9~][\w.~-]*(@[^\s]+)?$/i;

export function entryFor(kind: Kind, value: string, extraArgs = ''): Record<string, unknown> {
  if (kind === 'http' || kind === 'sse') return { type: kind, url: value.trim() };
  if (kind === 'npm') return { command: 'npx', args: ['-y', value.trim(), ...splitCommandLine(extraArgs)] };
  const [command = '', ...args] = splitCommandLine(value);
  return args.length ? { command, args } : { command };
}

function firstProblem(name: string, entry: Record<string, unknown>): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const result = parseServer(name, entry, { context: { workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, userHome: os.homedir() } });
  if ('definition' in result) return undefined;
  const issue = result.issues[0];
  return issue ? `${issue.field ? `${issue.field}: ` : ''}${issue.message}` : undefined;
}

function validate(kind: Kind, v: string): string | undefined {
  if (!v.trim()) return 'Required';
  if (kind === 'npm' && !NPM_PACKAGE.test(v.trim())) return 'Not an npm package name, e.g. @modelcontextprotocol/server-everything';
  try {
    return firstProblem('server', entryFor(kind, v));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export interface AddedServer {
  readonly name: string;
  readonly scope: SettingsScope;
}

/** Runs the guided input; the new server once written and applied, or undefined if cancelled. */
export async function addServer(registry: ServerRegistry, reload: () => Promise<void>, prompter: Prompter): Promise<AddedServer | undefined> {
  const kinds: (vscode.QuickPickItem & { how: Kind })[] = [
    { how: 'stdio', label: '$(terminal) Command (stdio)', detail: 'Runs a local program, e.g. node build/index.js or uvx mcp-server-time' },
    { how: 'npm', label: '$(package) npm package (stdio)', detail: 'Runs a package with npx, e.g. @modelcontextprotocol/server-everything' },
    { how: 'http', label: '$(globe) HTTP (Streamable HTTP)', detail: 'Connects to a URL, e.g. http://127.0.0.1:3001/mcp' },
    { how: 'sse', label: '$(radio-tower) SSE (legacy HTTP+SSE)', detail: 'Connects to an SSE endpoint, e.g. http://127.0.0.1:3001/sse' },
  ];
  const picked = await prompter.pick(kinds, { title: `${TITLE} (1/4)`, placeHolder: 'How does the server run?' });
  if (!picked) return undefined;
  const kind = picked.how;

  const prompts: Record<Kind, { prompt: string; placeHolder: string }> = {
    stdio: { prompt: 'Command line that starts the server', placeHolder: 'node /path/to/server.js --stdio' },
    npm: { prompt: 'npm package (run with npx -y)', placeHolder: '@modelcontextprotocol/server-everything' },
    http: { prompt: 'Server URL', placeHolder: 'http://127.0.0.1:3001/mcp' },
    sse: { prompt: 'SSE endpoint URL', placeHolder: 'http://127.0.0.1:3001/sse' },
  };
  const value = await prompter.input({ title: `${TITLE} (2/4)`, ...prompts[kind], ignoreFocusOut: true, validateInput: (v) => validate(kind, v) });
  if (value === undefined) return undefined;
  let extraArgs = '';
  if (kind === 'npm') {
    const args = await prompter.input({
      title: `${TITLE} (2/4)`,
      prompt: 'Arguments for the package (optional)',
      placeHolder: 'e.g. a directory for server-filesystem',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          splitCommandLine(v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (args === undefined) return undefined;
    extraArgs = args;
  }
  const entry = entryFor(kind, value, extraArgs);

  const base = suggestName(kind === 'npm' ? 'stdio' : kind, kind === 'npm' ? `npx -y ${value}` : value);
  let suggestion = base;
  for (let i = 2; registry.get(suggestion); i++) suggestion = `${base}-${i}`;
  const name = await prompter.input({
    title: `${TITLE} (3/4)`,
    prompt: 'Name of the server (shown in the tree and used in commands)',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (!v.trim()) return 'Required';
      if (registry.get(v.trim())) return { message: `A server named "${v.trim()}" already exists; an entry in a more specific scope replaces it.`, severity: vscode.InputBoxValidationSeverity.Warning };
      return undefined;
    },
  });
  if (name === undefined) return undefined;
  const serverName = name.trim();
  const problem = firstProblem(serverName, entry);
  if (problem) throw new Error(`the entry is not valid: ${problem}`);

  // An untrusted workspace's settings are not loaded: offer only the user scope there.
  const scopes = vscode.workspace.isTrusted ? writableScopes() : writableScopes().slice(0, 1);
  const details: Record<string, string> = { user: 'Available in every workspace', workspace: 'Only in this workspace (shared with whoever opens it)' };
  const scope =
    scopes.length === 1
      ? scopes[0]
      : (await prompter.pick(
          // Says which side it writes: our setting, which VS Code's built-in MCP support does not read.
          scopes.map((s) => ({ label: s.label, description: 'mcpManager.servers', detail: details[s.kind] ?? 'Only in this folder', scope: s })),
          { title: `${TITLE} (4/4)`, placeHolder: "Where should MCP Manager save it? (the mcpManager.servers setting, read by MCP Manager; VS Code's own MCP reads .vscode/mcp.json)" },
        ))?.scope;
  if (!scope) return undefined;

  const current = scopeValue<Record<string, unknown>>(scope, KEY) ?? {};
  if (Object.prototype.hasOwnProperty.call(current, serverName)) {
    const answer = await prompter.confirm(`"${serverName}" already exists in ${scope.label}. Replace it?`, 'The existing entry is overwritten.', 'Replace');
    if (answer !== 'Replace') return undefined;
  }
  await updateScope(scope, KEY, { ...current, [serverName]: entry });
  await reload();
  return { name: serverName, scope };
}
