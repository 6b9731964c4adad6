// Values for `${input:ID}`: asked for the first time a server needs them (as VS Code's mcp.json
// does, from the `inputs` declared next to the server), kept in SecretStorage, reused afterwards.
// The values never reach settings, logs or messages: the core masks them in everything it logs,
// and the definition the tree shows keeps the `${input:ID}` placeholder.
import * as vscode from 'vscode';
import { type ConfigSource, type InputResolver, isLayerSource, type McpInput, ServerError } from '../core';
import type { Prompter } from './prompts';

const KEY_PREFIX = 'mcpManager.input/';
/** globalState key of the list of stored keys: SecretStorage cannot list its own keys in 1.100. */
const INDEX_KEY = 'mcpManager.storedInputs';

/** What the resolver needs to know about the configuration. */
export interface InputLookup {
  /** The source of the server named (where its inputs are declared). */
  sourceOf(server: string): ConfigSource | undefined;
  /** Inputs declared by a source (mcp.json `inputs`, `mcpManager.inputs` at that scope). */
  inputsFor(sourceKind: string): readonly McpInput[];
}

/** One stored value, as listed by "Clear Stored Inputs" (never the value itself). */
export interface StoredInput {
  readonly key: string;
  readonly id: string;
  /** The secret scope (see LayerSource.secretScope). */
  readonly scope: string;
  /** Where it was first needed, e.g. "User settings". */
  readonly label: string;
}

/** `${command:ID}` reaches the resolver as `command:ID` (see core's deferredKey). */
const COMMAND_KEY = 'command:';

/**
 * `${command:ID}`, as VS Code resolves it in mcp.json: runs the command when the server starts and
 * uses the text it returns. Not stored: a command may return a fresh value each time.
 */
async function runCommandVariable(server: string, command: string): Promise<string> {
  let result: unknown;
  try {
    result = await vscode.commands.executeCommand(command);
  } catch (e) {
    throw new ServerError(server, 'config', `\${command:${command}} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean') return String(result);
  throw new ServerError(
    server,
    'config',
    `\${command:${command}} returned ${result === undefined ? 'nothing' : 'a value that is not text'}; is the command installed, and does it return a string?`,
  );
}

export class InputService {
  /** Single flight per key: two servers needing the same input prompt once. */
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly prompter: Prompter,
    private readonly lookup: InputLookup,
  ) {}

  /** The core's InputResolver: every id's value, prompting for the ones not stored yet. */
  readonly resolve: InputResolver = async (server, ids) => {
    const source = this.lookup.sourceOf(server);
    const scope = this.scopeOf(server);
    const declared = source ? this.lookup.inputsFor(source.kind) : [];
    const values: Record<string, string> = {};
    for (const id of ids) {
      values[id] = id.startsWith(COMMAND_KEY)
        ? await runCommandVariable(server, id.slice(COMMAND_KEY.length))
        : await this.value(
            server,
            scope,
            source?.label ?? server,
            id,
            declared.find((d) => d.id === id),
          );
    }
    return values;
  };

  /** The ids among `ids` with no stored value: starting the server would ask for them. */
  async unresolved(server: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const scope = this.scopeOf(server);
    const missing: string[] = [];
    for (const id of ids)
      if (!id.startsWith(COMMAND_KEY) && (await this.secrets.get(storageKey(scope, id))) === undefined) missing.push(id);
    return missing;
  }

  private scopeOf(server: string): string {
    const source = this.lookup.sourceOf(server);
    // A server without a known source cannot share values with anything: its own namespace.
    return isLayerSource(source) ? source.secretScope : `server:${server}`;
  }

  /** Stores a value without asking (Import moves secrets here instead of into settings). */
  async store(scope: string, label: string, id: string, value: string): Promise<void> {
    const key = storageKey(scope, id);
    await this.secrets.store(key, value);
    await this.remember({ key, id, scope, label });
  }

  stored(): readonly StoredInput[] {
    return this.state.get<StoredInput[]>(INDEX_KEY, []);
  }

  /** Forgets the given stored values (all when omitted). */
  async clear(entries: readonly StoredInput[] = this.stored()): Promise<number> {
    for (const e of entries) await this.secrets.delete(e.key);
    const gone = new Set(entries.map((e) => e.key));
    await this.state.update(
      INDEX_KEY,
      this.stored().filter((e) => !gone.has(e.key)),
    );
    return entries.length;
  }

  private value(server: string, scope: string, label: string, id: string, input: McpInput | undefined): Promise<string> {
    const key = storageKey(scope, id);
    let p = this.pending.get(key);
    if (!p) {
      p = this.lookupOrAsk(server, scope, label, key, id, input).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async lookupOrAsk(
    server: string,
    scope: string,
    label: string,
    key: string,
    id: string,
    input: McpInput | undefined,
  ): Promise<string> {
    const stored = await this.secrets.get(key);
    if (stored !== undefined) return stored;
    const value = await this.ask(server, id, input);
    if (value === undefined) throw new ServerError(server, 'cancelled', `was not started: no value was entered for \${input:${id}}`);
    await this.secrets.store(key, value);
    await this.remember({ key, id, scope, label });
    return value;
  }

  private async ask(server: string, id: string, input: McpInput | undefined): Promise<string | undefined> {
    const title = `MCP server "${server}" needs \${input:${id}}`;
    if (input?.type === 'pickString' && input.options?.length) {
      const items = input.options.map((o) => ({ label: o, description: o === input.default ? 'default' : undefined }));
      const picked = await this.prompter.pick(items, { title, placeHolder: input.description ?? id, ignoreFocusOut: true });
      return picked?.label;
    }
    return this.prompter.input({
      title,
      prompt: input?.description ?? `Value for \${input:${id}} (not declared in "inputs"; stored in VS Code's secret storage)`,
      // An undeclared input may well be a secret: hide it.
      password: input ? input.password === true : true,
      value: input && !input.password ? input.default : undefined,
      ignoreFocusOut: true,
    });
  }

  private async remember(entry: StoredInput): Promise<void> {
    const list = this.stored().filter((e) => e.key !== entry.key);
    await this.state.update(INDEX_KEY, [...list, entry]);
  }
}

export function storageKey(scope: string, id: string): string {
  return `${KEY_PREFIX}${scope}/${id}`;
}
