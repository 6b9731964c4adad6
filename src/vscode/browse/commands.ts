// "MCP: Read Resource..." and "MCP: Get Prompt...": from a tree item (the resource, template or
// prompt is known), or from the palette (a server, then one of its resources or prompts, from the
// list the tree shares). Template variables and prompt arguments are asked one input box at a
// time; Escape at any question ends the command before anything is read or sent. Every question
// and error message goes through the Prompter, so the integration tests can answer them.
import type { IconSource } from '../icons';
import * as vscode from 'vscode';
import type { Suggest } from '../../ui/suggestions';
import type {
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
} from '@modelcontextprotocol/client';
import {
  type CatalogKind,
  errorMessage,
  failureText,
  isObject,
  isServerError,
  type Lists,
  type ServerCatalog,
  type ServerConnection,
  type ServerRegistry,
  stateLabel,
  summaryLine,
} from '../../core';
import type { Prompter } from '../prompts';
import { stateCodicon } from '../tree/present';
import { formatBytes } from '../../ui/toolCall/resultFormat';
import type { ServerLogsLike } from '../../ui/toolCall/types';
import type { BrowseDocuments } from './documents';
import { checkPromptValue, promptArguments, promptFieldText, promptFields, promptLabel, renderPrompt } from '../../ui/browse/promptFormat';
import { checkTemplateValue, describeType, expandTemplate, renderResource, templateFields } from '../../ui/browse/resourceFormat';

export interface BrowseDeps {
  readonly registry: ServerRegistry;
  readonly catalog: ServerCatalog;
  readonly documents: BrowseDocuments;
  readonly prompter: Prompter;
  readonly logs: ServerLogsLike;
  /** Server-provided icons (src/vscode/icons.ts), shown beside resources and prompts. */
  readonly icons?: IconSource;
}

/**
 * mcpManager.readResource's argument: nothing (palette), a server (name or node), a tree item, or
 * `{ serverName, uri }` / `{ serverName, uriTemplate, values }` (values given: no input boxes).
 */
interface ResourceRequest {
  serverName?: string;
  uri?: string;
  resource?: Resource;
  uriTemplate?: string;
  template?: ResourceTemplate;
  values?: Record<string, string>;
}

/** mcpManager.getPrompt's argument: nothing, a server, a prompt item, or `{ serverName, promptName, args }` (args given: no input boxes). */
interface PromptRequest {
  serverName?: string;
  promptName?: string;
  prompt?: Prompt;
  args?: Record<string, string>;
}

const SHOW_LOGS = 'Show Logs';
const RESTART = 'Restart Server';
const OPEN_SETTINGS = 'Open Settings';

const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
const strings = (x: unknown) =>
  isObject(x) && Object.values(x).every((v) => typeof v === 'string') ? (x as Record<string, string>) : undefined;
const title = (x: { name: string; title?: unknown }) => (typeof x.title === 'string' && x.title.trim() ? x.title.trim() : x.name);

function parseResourceRequest(arg: unknown): ResourceRequest {
  if (typeof arg === 'string') return { serverName: arg };
  if (!isObject(arg)) return {};
  return {
    serverName: str(arg.serverName),
    uri: str(arg.uri),
    resource: isObject(arg.resource) ? (arg.resource as unknown as Resource) : undefined,
    uriTemplate: str(arg.uriTemplate),
    template: isObject(arg.template) ? (arg.template as unknown as ResourceTemplate) : undefined,
    values: strings(arg.values),
  };
}

function parsePromptRequest(arg: unknown): PromptRequest {
  if (typeof arg === 'string') return { serverName: arg };
  if (!isObject(arg)) return {};
  return {
    serverName: str(arg.serverName),
    promptName: str(arg.promptName),
    prompt: isObject(arg.prompt) ? (arg.prompt as unknown as Prompt) : undefined,
    args: strings(arg.args),
  };
}

export class BrowseCommands {
  constructor(private readonly deps: BrowseDeps) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.commands.registerCommand('mcpManager.readResource', (arg?: unknown) => this.readResource(arg)),
      vscode.commands.registerCommand('mcpManager.getPrompt', (arg?: unknown) => this.getPrompt(arg)),
      vscode.commands.registerCommand('mcpManager.copyResourceUri', (arg?: unknown) => this.copyUri(arg)),
    );
  }

  /** A resource's URI, or a template's URI template, to the clipboard (tree context menu). */
  async copyUri(arg?: unknown): Promise<void> {
    const req = parseResourceRequest(arg);
    const text = req.uri ?? req.uriTemplate;
    if (text === undefined) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied "${text}"`, 2000);
  }

  /** Reads a resource and shows it; resolves with the result, undefined when cancelled or failed. */
  async readResource(arg?: unknown): Promise<ReadResourceResult | undefined> {
    const req = parseResourceRequest(arg);
    try {
      const conn = await this.server(req.serverName, 'resources');
      if (!conn) return undefined;
      let target: { uri: string; label: string } | undefined;
      if (req.uri !== undefined) {
        target = { uri: req.uri, label: title(req.resource ?? this.knownResource(conn, req.uri) ?? { name: lastSegment(req.uri) }) };
      } else if (req.uriTemplate !== undefined) {
        const template = req.template ??
          this.knownTemplate(conn, req.uriTemplate) ?? { name: req.uriTemplate, uriTemplate: req.uriTemplate };
        target = await this.expand(conn, template, req.values);
      } else {
        const picked = await this.pickResource(conn);
        if (picked?.resource) target = { uri: picked.resource.uri, label: title(picked.resource) };
        else if (picked?.template) target = await this.expand(conn, picked.template);
      }
      return target ? await this.read(conn, target.uri, target.label) : undefined;
    } catch (e) {
      this.unexpected('Read Resource', e, req.serverName);
      return undefined;
    }
  }

  /** Gets a prompt and shows its messages; resolves with the result, undefined when cancelled or failed. */
  async getPrompt(arg?: unknown): Promise<GetPromptResult | undefined> {
    const req = parsePromptRequest(arg);
    try {
      const conn = await this.server(req.serverName, 'prompts');
      if (!conn) return undefined;
      let prompt = req.prompt;
      if (!prompt && req.promptName !== undefined) {
        prompt = req.args ? { name: req.promptName } : await this.findPrompt(conn, req.promptName);
      } else if (!prompt) {
        prompt = await this.pickPrompt(conn);
      }
      if (!prompt) return undefined;
      const args = req.args ?? (await this.askArguments(conn, prompt));
      if (!args) return undefined;
      return await this.get(conn, prompt, args);
    } catch (e) {
      this.unexpected('Get Prompt', e, req.serverName);
      return undefined;
    }
  }

  // ------------------------------------------------------------------ steps

  /** The named server, or a pick among those that offer `kind` (or may: not started yet). */
  private async server(name: string | undefined, kind: CatalogKind): Promise<ServerConnection | undefined> {
    const { registry, catalog, prompter } = this.deps;
    if (name !== undefined) {
      const conn = registry.get(name);
      if (!conn) void prompter.error(`No MCP server named "${name}" is configured.`);
      return conn;
    }
    const all = registry.list();
    if (all.length === 0) {
      const add = 'Add Server';
      if ((await prompter.notify('No MCP servers are configured.', add)) === add)
        await vscode.commands.executeCommand('mcpManager.addServer');
      return undefined;
    }
    const candidates = all.filter((c) => c.state.kind !== 'disabled' && catalog.offers(c, kind) !== false);
    if (candidates.length === 0) {
      void prompter.notify(`None of the configured MCP servers offers ${kind}.`);
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const items = candidates.map((c) => ({
      label: `$(${stateCodicon(c.state)}) ${c.name}`,
      description: `${stateLabel(c.state)} · ${c.definition.type}${catalog.offers(c, kind) === undefined ? ' · starts it to list them' : ''}`,
      conn: c,
    }));
    const picked = await prompter.pick(items, {
      title: kind === 'resources' ? 'MCP: Read Resource' : 'MCP: Get Prompt',
      placeHolder: `Server whose ${kind} to browse`,
      matchOnDescription: true,
    });
    return picked?.conn;
  }

  /** The server's list (shared with the tree), under a cancellable notification; undefined when cancelled or failed. */
  private async list<K extends CatalogKind>(conn: ServerConnection, kind: K): Promise<Lists[K] | undefined> {
    const known = this.deps.catalog.peek(conn, kind)?.value;
    if (known) return known;
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `MCP: ${conn.state.kind === 'running' ? `listing the ${kind} of` : 'starting'} ${conn.name}…`,
          cancellable: true,
        },
        (_progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          return this.deps.catalog.list(conn, kind, { signal: ac.signal }).finally(() => sub.dispose());
        },
      );
    } catch (e) {
      this.fail(e, conn, `list the ${kind} of MCP server "${conn.name}"`);
      return undefined;
    }
  }

  private async pickResource(conn: ServerConnection): Promise<{ resource?: Resource; template?: ResourceTemplate } | undefined> {
    const list = await this.list(conn, 'resources');
    if (!list) return undefined;
    if (!list.resources.length && !list.templates.length) {
      void this.deps.prompter.notify(`MCP server "${conn.name}" offers no resources.`);
      return undefined;
    }
    type Item = vscode.QuickPickItem & { resource?: Resource; template?: ResourceTemplate };
    const items: Item[] = list.resources.map((r) => ({
      label: title(r),
      description: [r.uri, r.mimeType, typeof r.size === 'number' ? formatBytes(r.size) : undefined].filter(Boolean).join(' · '),
      detail: summaryLine(r.description),
      iconPath: this.deps.icons?.uriFor(r.icons),
      resource: r,
    }));
    if (list.templates.length) {
      items.push({ label: 'Templates: you enter their variables', kind: vscode.QuickPickItemKind.Separator });
      for (const t of list.templates)
        items.push({
          label: `$(symbol-parameter) ${title(t)}`,
          description: t.uriTemplate,
          detail: summaryLine(t.description),
          iconPath: this.deps.icons?.uriFor(t.icons),
          template: t,
        });
    }
    return this.deps.prompter.pick(items, {
      title: `MCP: Read Resource (${conn.name})`,
      placeHolder: 'Resource to read (type to filter by name or URI)',
      matchOnDescription: true,
      matchOnDetail: true,
    });
  }

  /** Asks for each variable of the template; the URI expanded by the SDK, undefined on Escape. */
  private async expand(
    conn: ServerConnection,
    template: Pick<ResourceTemplate, 'name' | 'title' | 'uriTemplate' | 'description'>,
    given?: Record<string, string>,
  ): Promise<{ uri: string; label: string } | undefined> {
    let fields;
    try {
      fields = templateFields(template.uriTemplate, template.description);
    } catch (e) {
      void this.deps.prompter.error(
        `MCP server "${conn.name}" sent a resource template that is not a valid URI template (${template.uriTemplate}): ${errorMessage(e)}`,
      );
      return undefined;
    }
    const values: Record<string, string> = {};
    for (const [i, field] of fields.entries()) {
      if (given && given[field.name] !== undefined) {
        values[field.name] = given[field.name];
        continue;
      }
      const value = await this.deps.prompter.input({
        title: `MCP: Read ${title(template)} (${conn.name})${fields.length > 1 ? ` ${i + 1}/${fields.length}` : ''}`,
        prompt: `{${field.name}}${field.type ? ` (${describeType(field)})` : ''} in ${template.uriTemplate}${field.optional ? ' (optional: leave empty to skip)' : ''}`,
        placeHolder: summaryLine(template.description) ?? field.name,
        ignoreFocusOut: true,
        validateInput: (v) => checkTemplateValue(field, v),
        suggest: this.suggester(conn, { type: 'resource', uri: template.uriTemplate }, field.name, values),
      });
      if (value === undefined) return undefined;
      values[field.name] = value;
    }
    const uri = expandTemplate(template.uriTemplate, values);
    const filled = Object.values(values).filter((v) => v !== '');
    return { uri, label: [title(template), ...filled].join(' ') };
  }

  private async read(conn: ServerConnection, uri: string, label: string): Promise<ReadResourceResult | undefined> {
    let result: ReadResourceResult;
    try {
      result = await this.withCancel(`MCP: reading ${uri} (${conn.name})`, (signal) => conn.readResource(uri, { signal }));
    } catch (e) {
      this.fail(e, conn, `read resource "${uri}" from MCP server "${conn.name}"`);
      return undefined;
    }
    const rendered = renderResource(result, { server: conn.name, uri, label });
    this.deps.logs.loggerFor(conn.name).info(`resources/read "${uri}": ${result.contents.length} content(s), ${rendered.bytes} bytes`);
    const docUri = this.deps.documents.resourceUri(conn.name, uri, label, rendered.type);
    await this.deps.documents.show(docUri, rendered.text, rendered.type, rendered.media, `${label} media (${conn.name})`);
    return result;
  }

  private async pickPrompt(conn: ServerConnection): Promise<Prompt | undefined> {
    const prompts = await this.list(conn, 'prompts');
    if (!prompts) return undefined;
    if (!prompts.length) {
      void this.deps.prompter.notify(`MCP server "${conn.name}" offers no prompts.`);
      return undefined;
    }
    const items = prompts.map((p) => {
      const fields = promptFields(p);
      const args = fields.length ? fields.map((f) => (f.required ? f.name : `${f.name}?`)).join(', ') : 'no arguments';
      return {
        label: promptLabel(p),
        description: `${promptLabel(p) === p.name ? '' : `${p.name} · `}${args}`,
        detail: summaryLine(p.description),
        iconPath: this.deps.icons?.uriFor(p.icons),
        prompt: p,
      };
    });
    const picked = await this.deps.prompter.pick(items, {
      title: `MCP: Get Prompt (${conn.name})`,
      placeHolder: 'Prompt to get (type to filter)',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked?.prompt;
  }

  private async findPrompt(conn: ServerConnection, name: string): Promise<Prompt | undefined> {
    const prompts = await this.list(conn, 'prompts');
    if (!prompts) return undefined;
    const prompt = prompts.find((p) => p.name === name);
    if (!prompt) void this.deps.prompter.error(`MCP server "${conn.name}" has no prompt named "${name}" (it offers ${prompts.length}).`);
    return prompt;
  }

  /** One input box per argument: required ones must not be empty, optional ones may be; undefined on Escape. */
  private async askArguments(conn: ServerConnection, prompt: Prompt): Promise<Record<string, string> | undefined> {
    const server = conn.name;
    const fields = promptFields(prompt);
    const values: Record<string, string> = {};
    for (const [i, field] of fields.entries()) {
      const value = await this.deps.prompter.input({
        title: `MCP: Get Prompt ${promptLabel(prompt)} (${server})${fields.length > 1 ? ` ${i + 1}/${fields.length}` : ''}`,
        prompt: promptFieldText(field),
        placeHolder: field.required ? field.name : `${field.name} (optional)`,
        ignoreFocusOut: true,
        validateInput: (v) => checkPromptValue(field, v),
        suggest: this.suggester(conn, { type: 'prompt', name: prompt.name }, field.name, values),
      });
      if (value === undefined) return undefined;
      values[field.name] = value;
    }
    return promptArguments(fields, values);
  }

  /**
   * Where the server offers completions, the input lists its suggestions for this argument as you
   * type, with the arguments entered so far as context (a failure only means no suggestions).
   */
  private suggester(
    conn: ServerConnection,
    ref: Parameters<ServerConnection['complete']>[0],
    argument: string,
    entered: Readonly<Record<string, string>>,
  ): Suggest | undefined {
    if (!conn.capabilities?.completions) return undefined;
    return async (value, signal) => {
      const context = Object.fromEntries(Object.entries(entered).filter(([k, v]) => k !== argument && v !== ''));
      return (await conn.complete(ref, { name: argument, value }, context, { signal })).values;
    };
  }

  private async get(conn: ServerConnection, prompt: Prompt, args: Record<string, string>): Promise<GetPromptResult | undefined> {
    let result: GetPromptResult;
    try {
      result = await this.withCancel(`MCP: getting prompt ${prompt.name} (${conn.name})`, (signal) =>
        conn.getPrompt(prompt.name, args, { signal }),
      );
    } catch (e) {
      this.fail(e, conn, `get prompt "${prompt.name}" from MCP server "${conn.name}"`);
      return undefined;
    }
    this.deps.logs.loggerFor(conn.name).info(`prompts/get "${prompt.name}": ${result.messages.length} message(s)`);
    const rendered = renderPrompt(result, { server: conn.name, prompt, args });
    const label = promptLabel(prompt);
    await this.deps.documents.show(
      this.deps.documents.promptUri(conn.name, prompt.name, label),
      rendered.text,
      { extension: 'md', languageId: 'markdown' },
      rendered.media,
      `${label} media (${conn.name})`,
    );
    return result;
  }

  // ------------------------------------------------------------------ helpers

  private withCancel<T>(title: string, run: (signal: AbortSignal) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      return run(ac.signal).finally(() => sub.dispose());
    });
  }

  private knownResource(conn: ServerConnection, uri: string): Resource | undefined {
    return this.deps.catalog.peek(conn, 'resources')?.value?.resources.find((r) => r.uri === uri);
  }

  private knownTemplate(conn: ServerConnection, uriTemplate: string): ResourceTemplate | undefined {
    return this.deps.catalog.peek(conn, 'resources')?.value?.templates.find((t) => t.uriTemplate === uriTemplate);
  }

  /** A failure of the server: which server, what was being done, why, and the next step as buttons. */
  private fail(e: unknown, conn: ServerConnection, what: string): void {
    const kind = isServerError(e) ? e.kind : undefined;
    const text = failureText(conn.masker.mask(errorMessage(e)), conn.name);
    const log = this.deps.logs.loggerFor(conn.name);
    if (kind === 'cancelled' || kind === 'stopped') {
      log.info(`could not ${what}: ${text}`);
      vscode.window.setStatusBarMessage(`MCP: cancelled (${what})`, 5000);
      return;
    }
    log.error(`could not ${what}: ${text}`);
    const actions = kind === 'config' || kind === 'disabled' ? [OPEN_SETTINGS] : [SHOW_LOGS];
    if (kind === 'handshake' || kind === 'crash' || kind === 'timeout' || kind === 'gaveUp' || kind === 'launch') actions.push(RESTART);
    if (kind === 'launch' || kind === 'timeout' || kind === 'tooLarge') actions.push(OPEN_SETTINGS);
    void this.deps.prompter.error(`Could not ${what}: ${text}`, ...actions).then((action) => this.act(action, conn.name));
  }

  private act(action: string | undefined, server: string): void {
    if (action === SHOW_LOGS) this.deps.logs.show(server);
    else if (action === RESTART) void vscode.commands.executeCommand('mcpManager.restartServer', { serverName: server });
    else if (action === OPEN_SETTINGS) void vscode.commands.executeCommand('mcpManager.openSettings', { serverName: server });
  }

  /** A bug or a refusal of the editor: say so, and log it where it belongs. */
  private unexpected(what: string, e: unknown, server: string | undefined): void {
    if (server) this.deps.logs.loggerFor(server).error(e instanceof Error ? e : String(e));
    void this.deps.prompter
      .error(`MCP: ${what} failed: ${errorMessage(e)}`, ...(server ? [SHOW_LOGS] : []))
      .then((a) => server && this.act(a, server));
  }
}

function lastSegment(uri: string): string {
  return uri.split(/[?#]/)[0].replace(/\/+$/, '').split('/').pop() || uri;
}
