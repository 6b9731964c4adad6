// "Add Server…": a short guided input (command line, npm package or URL; for a command its env, cwd
// and envFile; name, where to save), validated with the same parser the configuration goes through,
// then written to the chosen settings scope or mcp.json, changing only the new entry (ConfigWriter).
// Questions go through the Prompter, so the integration tests can answer them.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseServer, splitCommandLine, type ServerRegistry } from '../core';
import { inputForSettings } from '../ui/config/importPlan';
import {
  entryFor,
  envToInputs,
  NPM_PACKAGE,
  parseEnvPairs,
  secretEnvKeys,
  suggestName,
  type EntryKind as Kind,
} from '../ui/config/serverEntry';
import { mcpJsonScope, writableScopes } from './configSource';
import type { ConfigWriter, WriteTarget } from './configWriter';
import type { InputService } from './inputs';
import type { Prompter } from './prompts';

const TITLE = 'Add MCP Server';
export const STORE_SECRET = 'Store in Secret Storage';
export const WRITE_AS_IS = 'Write As Is';

function firstProblem(name: string, entry: Record<string, unknown>): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const result = parseServer(name, entry, {
    context: { workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, userHome: os.homedir() },
  });
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
  readonly scope: WriteTarget;
}

export interface AddServerDeps {
  readonly registry: ServerRegistry;
  readonly reload: () => Promise<void>;
  readonly prompter: Prompter;
  readonly writer: ConfigWriter;
  readonly inputs: InputService;
}

function optionalPath(field: string, kind: Kind) {
  return (v: string): string | undefined => {
    if (!v.trim()) return undefined;
    try {
      return firstProblem('server', { ...entryFor(kind === 'npm' ? 'stdio' : kind, 'node'), [field]: v.trim() });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
}

/** Where a new server can be saved: settings scopes, and each folder's .vscode/mcp.json. */
function destinations(): WriteTarget[] {
  // An untrusted workspace's settings are not loaded: offer only the user scope there.
  if (!vscode.workspace.isTrusted) return writableScopes().slice(0, 1);
  const mcpJson = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => mcpJsonScope(f, f.uri.fsPath));
  return [...writableScopes(), ...mcpJson];
}

/** Runs the guided input; the new server once written and applied, or undefined if cancelled. */
export async function addServer(deps: AddServerDeps): Promise<AddedServer | undefined> {
  const { registry, prompter, writer } = deps;
  const kinds: (vscode.QuickPickItem & { how: Kind })[] = [
    { how: 'stdio', label: '$(terminal) Command (stdio)', detail: 'Runs a local program, e.g. node build/index.js or uvx mcp-server-time' },
    {
      how: 'npm',
      label: '$(package) npm package (stdio)',
      detail: 'Runs a package with npx, e.g. @modelcontextprotocol/server-everything',
    },
    {
      how: 'http',
      label: '$(globe) HTTP (Streamable HTTP)',
      detail: 'Connects to a URL, e.g. http://127.0.0.1:3001/mcp (falls back to SSE for older servers)',
    },
    { how: 'sse', label: '$(radio-tower) SSE (legacy HTTP+SSE)', detail: 'Connects to an SSE endpoint, e.g. http://127.0.0.1:3001/sse' },
  ];
  const picked = await prompter.pick(kinds, { title: `${TITLE}: how does it run?`, placeHolder: 'How does the server run?' });
  if (!picked) return undefined;
  const kind = picked.how;
  const stdio = kind === 'stdio' || kind === 'npm';
  const total = stdio ? 7 : 4;
  const title = (n: number, what: string) => `${TITLE} (${n}/${total}): ${what}`;

  const prompts: Record<Kind, { prompt: string; placeHolder: string }> = {
    stdio: { prompt: 'Command line that starts the server', placeHolder: 'node /path/to/server.js --stdio' },
    npm: { prompt: 'npm package (run with npx -y)', placeHolder: '@modelcontextprotocol/server-everything' },
    http: { prompt: 'Server URL', placeHolder: 'http://127.0.0.1:3001/mcp' },
    sse: { prompt: 'SSE endpoint URL', placeHolder: 'http://127.0.0.1:3001/sse' },
  };
  const value = await prompter.input({
    title: title(2, stdio ? 'command' : 'URL'),
    ...prompts[kind],
    ignoreFocusOut: true,
    validateInput: (v) => validate(kind, v),
  });
  if (value === undefined) return undefined;
  let extraArgs = '';
  if (kind === 'npm') {
    const args = await prompter.input({
      title: title(2, 'arguments'),
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

  let env: Record<string, string> = {};
  if (stdio) {
    const envText = await prompter.input({
      title: title(3, 'environment'),
      prompt:
        'Environment variables as KEY=VALUE, separated by spaces (optional; Enter to skip). Secret-looking values can go to secret storage.',
      placeHolder: 'MEMORY_FILE_PATH=${workspaceFolder}/memory.json API_KEY=...',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseEnvPairs(v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (envText === undefined) return undefined;
    env = parseEnvPairs(envText);
    if (Object.keys(env).length) entry.env = env;
    const cwd = await prompter.input({
      title: title(4, 'working directory'),
      prompt: 'Working directory (optional; Enter for the workspace folder). ${workspaceFolder} and ~ work.',
      placeHolder: '${workspaceFolder}',
      ignoreFocusOut: true,
      validateInput: optionalPath('cwd', kind),
    });
    if (cwd === undefined) return undefined;
    if (cwd.trim()) entry.cwd = cwd.trim();
    const envFile = await prompter.input({
      title: title(5, 'env file'),
      prompt: 'A .env file with more variables (optional; Enter to skip)',
      placeHolder: '${workspaceFolder}/.env',
      ignoreFocusOut: true,
      validateInput: optionalPath('envFile', kind),
    });
    if (envFile === undefined) return undefined;
    if (envFile.trim()) entry.envFile = envFile.trim();
  }

  const base = suggestName(kind === 'npm' ? 'stdio' : kind, kind === 'npm' ? `npx -y ${value}` : value);
  let suggestion = base;
  for (let i = 2; registry.get(suggestion); i++) suggestion = `${base}-${i}`;
  const name = await prompter.input({
    title: title(total - 1, 'name'),
    prompt: 'Name of the server (shown in the tree and used in commands)',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (!v.trim()) return 'Required';
      if (registry.get(v.trim()))
        return {
          message: `A server named "${v.trim()}" already exists; an entry in a more specific scope replaces it.`,
          severity: vscode.InputBoxValidationSeverity.Warning,
        };
      return undefined;
    },
  });
  if (name === undefined) return undefined;
  const serverName = name.trim();
  const problem = firstProblem(serverName, entry);
  if (problem) throw new Error(`the entry is not valid: ${problem}`);

  const scopes = destinations();
  const details: Record<string, string> = {
    user: 'Available in every workspace',
    workspace: 'Only in this workspace (shared with whoever opens it)',
  };
  const detailOf = (s: WriteTarget) =>
    details[s.kind] ??
    (s.kind.startsWith('mcp.json')
      ? "VS Code's own MCP file for this folder (VS Code's built-in MCP support reads it too)"
      : 'Only in this folder');
  const scope =
    scopes.length === 1
      ? scopes[0]
      : (
          await prompter.pick(
            // Says which side it writes: our setting (VS Code's built-in MCP support does not read it) or mcp.json (both read it).
            scopes.map((s) => ({
              label: s.label,
              description: s.kind.startsWith('mcp.json') ? '.vscode/mcp.json' : 'mcpManager.servers',
              detail: detailOf(s),
              scope: s,
            })),
            {
              title: title(total, 'where to save'),
              placeHolder:
                "Where should MCP Manager save it? (mcpManager.servers is read by MCP Manager only; .vscode/mcp.json by VS Code's own MCP support too)",
            },
          )
        )?.scope;
  if (!scope) return undefined;

  const current = await writer.servers(scope);
  if (Object.prototype.hasOwnProperty.call(current, serverName)) {
    const answer = await prompter.confirm(
      `"${serverName}" already exists in ${scope.label}. Replace it?`,
      'The existing entry is overwritten.',
      'Replace',
    );
    if (answer !== 'Replace') return undefined;
  }

  // Secrets: settings files and mcp.json are plain text, often committed or synced.
  const secretKeys = secretEnvKeys(env);
  const newInputs: Record<string, unknown>[] = [];
  if (secretKeys.length) {
    const many = secretKeys.length > 1;
    const answer = await prompter.confirm(
      `${secretKeys.join(', ')} look${many ? '' : 's'} like ${many ? 'secrets' : 'a secret'}. Keep ${many ? 'them' : 'it'} out of ${scope.label}?`,
      `"${STORE_SECRET}" saves each value in VS Code's secret storage and writes an \${input:…} reference, declared beside the server, instead.`,
      STORE_SECRET,
      WRITE_AS_IS,
    );
    if (answer === undefined) return undefined;
    if (answer === STORE_SECRET) {
      const taken = new Set((await writer.inputs(scope)).map((d) => String((d as { id?: unknown } | null)?.id)));
      const moved = envToInputs(serverName, env, secretKeys, taken);
      entry.env = moved.env;
      newInputs.push(...moved.inputs.map(inputForSettings));
      for (const [id, v] of Object.entries(moved.values)) await deps.inputs.store(scope.secretScope, scope.label, id, v);
    }
  }
  await writer.apply(scope, [
    ...(newInputs.length ? [{ op: 'addInputs' as const, inputs: newInputs }] : []),
    { op: 'set', name: serverName, entry },
  ]);
  await deps.reload();
  return { name: serverName, scope };
}
