// The tool-call flow behind the three commands: pick a tool, collect arguments, call it under a
// cancellable progress notification, record it, show the result or the failure.
import * as vscode from 'vscode';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { detachedTask, errorMessage, type ServerCatalog, type ServerConnection, ServerError, type ServerRegistry } from '../../core';
import { openArgumentForm, type OpenForm } from './argumentForm';
import { promptArguments } from './argumentPrompts';
import { CallHistory, formatDuration, newCallId, summarizeResult, type HistoryEntry } from '../../ui/toolCall/history';
import { pickHistoryEntry, type HistoryAction } from './historyPicker';
import { showCallFailure, showToolError, showUnexpected } from './messages';
import { errorText, renderResult } from '../../ui/toolCall/resultFormat';
import { ResultView } from './resultView';
import { planArguments, isObject } from '../../ui/toolCall/toolArgs';
import { toolDetailsHeader } from '../../ui/toolCall/toolDetails';
import { pickTool, type PickSnapshot } from './toolPicker';
import type { CallToolRequest, ServerLogsLike } from '../../ui/toolCall/types';
import { validateValue } from '../../ui/toolCall/validator';
import { confirmDestructive } from './confirmDestructive';
import { runWithProgress } from './callProgress';
import type { Prompter } from '../prompts';
import type { IconSource } from '../icons';
import type { TaskTracker } from '../tasks/taskTracker';
import type { TrackedTask } from '../../ui/tasks/trackedTasks';

const RUN_AGAIN = 'Run Again';
const EDIT_AND_RUN = 'Edit and Run Again';

export interface ToolCallDeps {
  readonly context: vscode.ExtensionContext;
  readonly registry: ServerRegistry;
  /** Every tool list (shared with the tree and the API). */
  readonly catalog: ServerCatalog;
  readonly logs: ServerLogsLike;
  /** Asks before a destructive tool runs (the integration tests answer through it). */
  readonly prompter: Prompter;
  /** The `${input:...}` ids a server would ask for if started now (see pickTool). */
  readonly missingInputs?: (conn: ServerConnection) => Promise<readonly string[]>;
  /** Server-provided icons (src/vscode/icons.ts), shown in the tool picker. */
  readonly icons?: IconSource;
  /** Follows calls that run as tasks (src/vscode/tasks/); without it they are waited for under the call's notification. */
  readonly tasks?: TaskTracker;
  /** Told of every call that returned a result (id = its history entry), e.g. for "Save as Test...". */
  readonly onDidCall?: (call: {
    readonly id: string;
    readonly server: string;
    readonly tool: string;
    readonly arguments: Record<string, unknown>;
    readonly result: CallToolResult;
  }) => void;
}

type Cancel = Pick<CallToolRequest, 'signal' | 'token'>;

interface ExecuteRequest extends Cancel {
  readonly conn: ServerConnection;
  readonly toolName: string;
  readonly tool?: Tool;
  readonly args: Record<string, unknown>;
  readonly show?: boolean;
}

/** Reads the command argument: nothing (palette), a tree node, or a programmatic request. */
export function parseRequest(arg: unknown): Partial<CallToolRequest> {
  if (!isObject(arg)) return {};
  const r: { -readonly [K in keyof CallToolRequest]?: CallToolRequest[K] } = {};
  if (typeof arg.serverName === 'string') r.serverName = arg.serverName;
  if (typeof arg.toolName === 'string') r.toolName = arg.toolName;
  if (isObject(arg.args)) r.args = arg.args as Record<string, unknown>;
  if (typeof AbortSignal !== 'undefined' && arg.signal instanceof AbortSignal) r.signal = arg.signal;
  const token = arg.token;
  if (isObject(token) && typeof token.isCancellationRequested === 'boolean' && typeof token.onCancellationRequested === 'function')
    r.token = token as unknown as CallToolRequest['token'];
  if (arg.show === false) r.show = false;
  return r;
}

export class ToolCallController implements vscode.Disposable {
  readonly history: CallHistory;
  readonly results: ResultView;
  /** Open tool details views by "<server>/<tool>": selecting the tool again reveals its view. */
  private readonly details = new Map<string, OpenForm>();
  /** What the open Call Tool pick shows (undefined when none is open): for the integration tests. */
  pickSnapshot: PickSnapshot | undefined;

  constructor(private readonly deps: ToolCallDeps) {
    this.history = new CallHistory(deps.context.workspaceState);
    this.results = new ResultView(deps.registry);
    deps.tasks?.setResultOpener((t) => this.openTaskResult(t));
  }

  /** The result of a task the tracker followed on its own (one of an earlier window): in the result view. */
  private async openTaskResult(t: TrackedTask): Promise<void> {
    if (!t.result) return;
    const callId = `task-${t.taskId}`;
    if (!this.results.has(callId)) {
      const conn = this.deps.registry.get(t.server);
      const tool = conn ? this.knownTool(conn, t.tool) : undefined;
      const durationMs = (t.endedAt ?? Date.now()) - t.startedAt;
      const rendered = renderResult(t.result, { server: t.server, tool: t.tool, args: {}, outputSchema: tool?.outputSchema, durationMs });
      this.results.store(callId, t.server, t.tool, rendered, t.startedAt, { arguments: {}, result: t.result });
    }
    await this.results.open(callId);
  }

  dispose(): void {
    for (const d of [...this.details.values()]) d.panel.dispose();
    this.results.dispose();
  }

  /**
   * mcpManager.showTool (selecting a tool in the tree): shows the tool (description, hints,
   * arguments, schema) with a Call button, and calls nothing until Call is pressed. Takes a tree
   * node or `{ serverName, toolName }`; resolves with the open view (tests drive its page).
   */
  async showTool(arg?: unknown): Promise<OpenForm | undefined> {
    const req = parseRequest(arg);
    try {
      const conn = req.serverName !== undefined ? this.deps.registry.get(req.serverName) : undefined;
      if (!conn || !req.toolName) {
        void vscode.window.showErrorMessage(
          req.serverName !== undefined && !conn
            ? `No MCP server named "${req.serverName}" is configured.`
            : 'Show Tool needs a server and a tool name.',
        );
        return undefined;
      }
      const key = `${conn.name}/${req.toolName}`;
      const open = this.details.get(key);
      if (open) {
        open.panel.reveal(undefined, false);
        return open;
      }
      // The tree node carries the tool as listed; otherwise list it (which starts the server: asked for by name).
      const fromNode = isObject(arg) && isObject(arg.tool) && arg.tool.name === req.toolName ? (arg.tool as unknown as Tool) : undefined;
      const tool = fromNode ?? (await this.findTool(conn, req.toolName));
      if (!tool) return undefined;
      const plan = planArguments(tool.inputSchema);
      const server = conn.name;
      let opened: OpenForm | undefined;
      void openArgumentForm({
        server,
        tool: tool.name,
        description: typeof tool.description === 'string' ? tool.description : undefined,
        inputSchema: tool.inputSchema,
        fields: plan.kind === 'form' || plan.kind === 'prompts' ? plan.fields : [],
        jsonReason: plan.kind === 'json' ? plan.reason : undefined,
        details: {
          header: toolDetailsHeader(tool),
          noArgs: plan.kind === 'none',
          // The server may have been reconfigured since the view opened: call the current one.
          onCall: async (args) => {
            const current = this.deps.registry.get(server);
            if (!current) {
              void vscode.window.showErrorMessage(`MCP server "${server}" is no longer configured; cannot call "${tool.name}".`);
              return;
            }
            await this.execute({ conn: current, toolName: tool.name, tool, args });
          },
          onOpen: (form) => {
            opened = form;
            this.details.set(key, form);
            form.panel.onDidDispose(() => {
              if (this.details.get(key) === form) this.details.delete(key);
            });
          },
        },
      });
      return opened;
    } catch (e) {
      showUnexpected('Show Tool', e, req.serverName, this.deps.logs);
      return undefined;
    }
  }

  // ------------------------------------------------------------------ commands

  /** mcpManager.callTool: returns the result, or undefined when cancelled or failed. */
  async callTool(arg?: unknown): Promise<CallToolResult | undefined> {
    const req = parseRequest(arg);
    try {
      const registry = this.deps.registry;
      if (registry.list().length === 0) {
        void vscode.window.showWarningMessage('No MCP servers are configured.', 'Add Server', 'Open Settings').then((a) => {
          if (a === 'Add Server') void vscode.commands.executeCommand('mcpManager.addServer');
          if (a === 'Open Settings') void vscode.commands.executeCommand('mcpManager.openSettings');
        });
        return undefined;
      }
      let conn = req.serverName !== undefined ? registry.get(req.serverName) : undefined;
      if (req.serverName !== undefined && !conn) {
        void vscode.window.showErrorMessage(`No MCP server named "${req.serverName}" is configured.`);
        return undefined;
      }
      // Arguments given: no UI at all (the tool's schema is not even needed to send them).
      if (conn && req.toolName && req.args) {
        return await this.execute({ ...req, conn, toolName: req.toolName, tool: this.knownTool(conn, req.toolName), args: req.args });
      }
      let tool: Tool | undefined;
      if (conn && req.toolName) {
        tool = await this.findTool(conn, req.toolName);
      } else {
        let picked = await pickTool(registry, this.deps.catalog, this.deps.logs, {
          serverName: req.serverName,
          missingInputs: this.deps.missingInputs,
          icons: this.deps.icons,
          observe: (snap) => (this.pickSnapshot = snap),
        });
        // "Start …" on a server that asks for input values: start it (its input box shows now), then pick again.
        while (picked && 'start' in picked) {
          await vscode.commands.executeCommand('mcpManager.startServer', { serverName: picked.start.name });
          if (picked.start.state.kind !== 'running' && picked.start.definition.keepAlive) return undefined;
          picked = await pickTool(registry, this.deps.catalog, this.deps.logs, {
            serverName: req.serverName,
            missingInputs: this.deps.missingInputs,
            icons: this.deps.icons,
            observe: (snap) => (this.pickSnapshot = snap),
          });
        }
        if (picked) ({ connection: conn, tool } = picked);
      }
      if (!conn || !tool) return undefined;
      const args = req.args ?? (await this.collectArguments(conn.name, tool));
      if (!args) return undefined;
      return await this.execute({ ...req, conn, toolName: tool.name, tool, args });
    } catch (e) {
      showUnexpected('Call Tool', e, req.serverName, this.deps.logs);
      return undefined;
    }
  }

  /** mcpManager.rerunLastToolCall */
  async rerunLast(arg?: unknown): Promise<CallToolResult | undefined> {
    const last = this.history.last();
    if (!last) {
      void vscode.window.showInformationMessage('No tool calls yet in this workspace. Use "MCP Manager: Call Tool..." first.');
      return undefined;
    }
    return this.rerun(last, false, parseRequest(arg));
  }

  /**
   * mcpManager.showCallHistory: pick a past call; Enter reopens its result, the row's buttons run
   * it again (as it was, or with its arguments edited first). `{ entryId, action? }` skips the pick
   * (tests, e2e): action 'open' (`showResult: true` too), 'rerun' (the default, as before) or 'edit' (`edit: true` too).
   */
  async showHistory(arg?: unknown): Promise<CallToolResult | undefined> {
    try {
      if (isObject(arg) && typeof arg.entryId === 'string') {
        const entry = this.history.get(arg.entryId);
        if (!entry) {
          void vscode.window.showErrorMessage('That tool call is no longer in the history.');
          return undefined;
        }
        const action: HistoryAction =
          arg.action === 'open' || arg.action === 'edit'
            ? arg.action
            : arg.showResult === true
              ? 'open'
              : arg.edit === true
                ? 'edit'
                : 'rerun';
        return await this.onHistoryEntry(entry, action, parseRequest(arg));
      }
      const choice = await pickHistoryEntry(this.history);
      return choice ? await this.onHistoryEntry(choice.entry, choice.action, {}) : undefined;
    } catch (e) {
      showUnexpected('Show Tool Call History', e, undefined, this.deps.logs);
      return undefined;
    }
  }

  private async onHistoryEntry(
    entry: HistoryEntry,
    action: HistoryAction,
    req: Partial<CallToolRequest>,
  ): Promise<CallToolResult | undefined> {
    if (action !== 'open') return this.rerun(entry, action === 'edit', req);
    if (this.results.has(entry.id)) {
      await this.results.open(entry.id);
      return undefined;
    }
    // Failed and cancelled calls have no result; results of older calls (or of an earlier window) are not kept.
    const why =
      entry.status === 'error' || entry.status === 'cancelled'
        ? `it ${entry.status === 'error' ? 'failed' : 'was cancelled'}${entry.summary ? `: ${entry.summary}` : ''}`
        : 'its result is no longer kept (only the latest calls of this window are)';
    const choice = await vscode.window.showInformationMessage(
      `The "${entry.tool}" call (${entry.server}) has no result to show: ${why}.`,
      RUN_AGAIN,
      EDIT_AND_RUN,
    );
    if (choice === RUN_AGAIN) return this.rerun(entry, false, req);
    if (choice === EDIT_AND_RUN) return this.rerun(entry, true, req);
    return undefined;
  }

  // ------------------------------------------------------------------ steps

  private async rerun(entry: HistoryEntry, edit: boolean, req: Partial<CallToolRequest>): Promise<CallToolResult | undefined> {
    const conn = this.deps.registry.get(entry.server);
    if (!conn) {
      void vscode.window.showErrorMessage(`MCP server "${entry.server}" is no longer configured; cannot rerun "${entry.tool}".`);
      return undefined;
    }
    try {
      let args = entry.args;
      let tool = this.knownTool(conn, entry.tool);
      if (edit || !args) {
        if (!args && !edit)
          void vscode.window.showInformationMessage(`The arguments of that "${entry.tool}" call were too large to keep; enter them again.`);
        tool = await this.findTool(conn, entry.tool);
        if (!tool) return undefined;
        args = await this.collectArguments(conn.name, tool, entry.args ?? {});
        if (!args) return undefined;
      }
      return await this.execute({ ...req, conn, toolName: entry.tool, tool, args });
    } catch (e) {
      showUnexpected(`Rerunning "${entry.tool}"`, e, entry.server, this.deps.logs);
      return undefined;
    }
  }

  private knownTool(conn: ServerConnection, name: string): Tool | undefined {
    return this.deps.catalog.peek(conn, 'tools')?.value?.find((t) => t.name === name);
  }

  /** The tool's definition, listing (and so starting) the server if needed. */
  private async findTool(conn: ServerConnection, name: string): Promise<Tool | undefined> {
    const cached = this.knownTool(conn, name);
    if (cached) return cached;
    let tools: readonly Tool[];
    try {
      tools = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `MCP: ${conn.state.kind === 'running' ? 'listing tools of' : 'starting'} ${conn.name}…`,
          cancellable: true,
        },
        (_progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          return this.deps.catalog.list(conn, 'tools', { signal: ac.signal }).finally(() => sub.dispose());
        },
      );
    } catch (e) {
      if (!(e instanceof ServerError && e.kind === 'cancelled')) showCallFailure(e, conn.name, name, this.deps.logs);
      return undefined;
    }
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      void vscode.window.showErrorMessage(`MCP server "${conn.name}" has no tool named "${name}" (it offers ${tools.length} tools).`);
    }
    return tool;
  }

  /** Asks for arguments the way the schema suits (see toolArgs.planArguments); undefined = cancelled. */
  async collectArguments(server: string, tool: Tool, prefill?: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const plan = planArguments(tool.inputSchema);
    const form = (
      fields: Parameters<typeof openArgumentForm>[0]['fields'],
      extra: { prefill?: Record<string, unknown>; jsonReason?: string; issues?: ReturnType<typeof validateValue> } = {},
    ) =>
      openArgumentForm({
        server,
        tool: tool.name,
        description: typeof tool.description === 'string' ? tool.description : undefined,
        inputSchema: tool.inputSchema,
        fields,
        prefill,
        ...extra,
      });
    switch (plan.kind) {
      case 'none':
        return prefill && Object.keys(prefill).length ? form([], { jsonReason: 'the tool declares no arguments' }) : {};
      case 'json':
        return form([], { jsonReason: plan.reason });
      case 'form':
        return form(plan.fields);
      case 'prompts': {
        // Previous arguments the chain cannot show (extra keys) go to the form, so none is lost.
        if (prefill && Object.keys(prefill).some((k) => !plan.fields.some((f) => f.name === k))) return form(plan.fields);
        const r = await promptArguments(tool.name, plan.fields, prefill);
        if (r.kind === 'cancel') return undefined;
        if (r.kind === 'form') return form(plan.fields, { prefill: r.args });
        const issues = validateValue(tool.inputSchema, r.args);
        return issues.length ? form(plan.fields, { prefill: r.args, issues }) : r.args;
      }
    }
  }

  /** Calls the tool under a cancellable notification, records it, and shows the outcome. */
  async execute(req: ExecuteRequest): Promise<CallToolResult | undefined> {
    const { conn, toolName, args } = req;
    if (!(await confirmDestructive(this.deps, conn, req.tool ?? (await this.toolFor(conn, toolName)), toolName, args))) return undefined;
    const callId = newCallId();
    let outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MCP: ${toolName} (${conn.name})`, cancellable: true },
      (progress, token) => runWithProgress(req, progress, token, this.deps.tasks !== undefined),
    );
    // A task: the tracker follows it under its own notification, and after a window reload.
    const task = outcome.result && detachedTask(outcome.result);
    if (task && this.deps.tasks) outcome = await this.deps.tasks.run(conn, toolName, task);
    const server = conn.name;
    const log = this.deps.logs.loggerFor(server);
    let outputSchema = req.tool?.outputSchema;
    if (outcome.result?.structuredContent !== undefined && !req.tool) {
      // Rerun / programmatic call: the schema is only needed to show structured content.
      outputSchema = (await this.deps.catalog.list(conn, 'tools').catch(() => [] as Tool[])).find((t) => t.name === toolName)?.outputSchema;
    }
    const rendered = outcome.result
      ? renderResult(outcome.result, { server, tool: toolName, args, outputSchema, durationMs: outcome.durationMs })
      : undefined;
    const failure =
      outcome.error !== undefined
        ? conn.masker.mask(outcome.error instanceof ServerError ? outcome.error.detail : errorMessage(outcome.error))
        : undefined;
    await this.history.add({
      id: callId,
      server,
      tool: toolName,
      args,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      status: outcome.status,
      summary: rendered?.summary ?? failure,
      // For "Save as Test..." in a later window, when the result itself is gone.
      result: outcome.result ? summarizeResult(outcome.result, (t) => conn.masker.mask(t)) : undefined,
    });
    if (outcome.result) this.deps.onDidCall?.({ id: callId, server, tool: toolName, arguments: args, result: outcome.result });
    log.info(
      `tools/call "${toolName}": ${outcome.status} in ${formatDuration(outcome.durationMs)}${rendered ? ` (${rendered.bytes} bytes)` : ''}`,
    );

    switch (outcome.status) {
      case 'ok':
        this.results.store(callId, server, toolName, rendered!, outcome.startedAt, { arguments: args, result: outcome.result });
        if (req.show !== false) await this.results.open(callId);
        return outcome.result;
      case 'isError':
        this.results.store(callId, server, toolName, rendered!, outcome.startedAt, { arguments: args, result: outcome.result });
        log.warn(`tools/call "${toolName}" returned isError: ${conn.masker.mask(errorText(outcome.result!, 2000))}`);
        showToolError(server, toolName, errorText(outcome.result!), this.deps.logs, () => this.results.open(callId));
        return outcome.result;
      case 'cancelled':
        vscode.window.setStatusBarMessage(`MCP: "${toolName}" cancelled after ${formatDuration(outcome.durationMs)}`, 5000);
        return undefined;
      case 'error':
        log.error(failure ?? 'unknown error');
        showCallFailure(outcome.error, server, toolName, this.deps.logs);
        return undefined;
    }
  }

  /** The tool's definition for a call made with only its name (listing starts the server, as the call would). */
  private async toolFor(conn: ServerConnection, name: string): Promise<Tool | undefined> {
    return (
      this.knownTool(conn, name) ??
      (await this.deps.catalog.list(conn, 'tools').catch(() => [] as readonly Tool[])).find((t) => t.name === name)
    );
  }
}
