// Shows tool results in a webview per tool (resultHtml.ts lays it out): the next call of the same
// tool on the same server replaces its page, so calls do not pile up tabs. The page asks for
// everything it cannot do itself: copy (clipboard), open a resource link (the Read Resource flow),
// open a web link (VS Code's own external-link check), open a document (large texts, embedded
// resources, the raw JSON: read-only documents under the mcp-result: scheme, a content provider,
// so they are never dirty and never ask to be saved), save the call as a test (the
// mcpManager.saveCallAsTest command, given the call as it was sent and its whole result).
//
//   mcp-result:/<callId>/<name>     a stored result document
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core';
import type { CallRecord } from '../../core/tests';
import type { MediaItem, RenderedResult } from '../../ui/toolCall/resultFormat';
import { renderResultHtml } from '../../ui/toolCall/resultHtml';
import { createNonce, renderMediaHtml } from '../../ui/toolCall/webviewHtml';

export const RESULT_SCHEME = 'mcp-result';
export const RESULT_VIEW_TYPE = 'mcpManager.toolResult';
const SAVE_CALL_AS_TEST_COMMAND = 'mcpManager.saveCallAsTest';
/** Results kept in memory for reopening ("Show Result", the history); older ones are dropped. */
const MAX_KEPT_CALLS = 30;

interface StoredCall {
  readonly callId: string;
  readonly server: string;
  readonly tool: string;
  readonly startedAt: number;
  readonly docs: readonly vscode.Uri[];
  readonly rendered: RenderedResult;
  /** The arguments as sent and the whole result, for "Save as Test..." (the page shows them masked). */
  readonly saved?: SavedCall;
}

/** What "Save as Test..." needs of a call besides its server and tool. */
export type SavedCall = Pick<CallRecord, 'arguments' | 'result'>;

/** What the page posts (see resultScript.ts); also accepted from the internal test command. */
export type ResultAction =
  | { type: 'copy'; target: 'args' | 'raw' | 'structured' | 'schema' | 'block'; n?: number }
  | { type: 'openResource'; uri: string; mimeType?: string }
  | { type: 'openExternal'; url: string }
  | { type: 'openDoc'; doc: number }
  /** `file` and `name` (skip the questions) only from the internal test command, never from the page. */
  | { type: 'saveAsTest'; file?: string; name?: string };

/** What the internal command mcpManager.getResultViews reports (integration and e2e tests). */
export interface ResultViewInfo {
  readonly server: string;
  readonly tool: string;
  readonly callId: string;
  readonly title: string;
  readonly visible: boolean;
  readonly active: boolean;
  /** Each content block: its kind, and for text its format ("text:json", "image", "link"). */
  readonly blocks: readonly string[];
  readonly structured: boolean;
  /** undefined: no schema to check against. */
  readonly matchesSchema?: boolean;
  readonly argsJson: string;
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  call: StoredCall;
}

const key = (server: string, tool: string) => `${server}\u0000${tool}`;

export class ResultView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly calls = new Map<string, StoredCall>();
  private readonly panels = new Map<string, OpenPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly registry: ServerRegistry) {
    this.disposables.push(vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this));
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.texts.clear();
    this.calls.clear();
  }

  // ------------------------------------------------------------------ storing and opening

  /** Keeps a rendered result so its view and documents can be opened (now or later). */
  store(callId: string, server: string, tool: string, rendered: RenderedResult, startedAt = Date.now(), saved?: SavedCall): StoredCall {
    const uri = (name: string) => vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${callId}/${name}` });
    const call: StoredCall = { callId, server, tool, startedAt, docs: rendered.docs.map((d) => uri(d.name)), rendered, saved };
    rendered.docs.forEach((d, i) => this.texts.set(call.docs[i].toString(), d.text));
    this.calls.set(callId, call);
    while (this.calls.size > MAX_KEPT_CALLS) {
      const [oldestId, oldest] = this.calls.entries().next().value as [string, StoredCall];
      this.calls.delete(oldestId);
      for (const u of oldest.docs) this.texts.delete(u.toString());
    }
    return call;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /**
   * Shows a stored result in its tool's view (replacing the previous call of that tool), and opens
   * beside it the full text of blocks too large for the page. Returns the panel.
   */
  async open(callId: string, options: { preserveFocus?: boolean } = {}): Promise<vscode.WebviewPanel | undefined> {
    const call = this.calls.get(callId);
    if (!call) return undefined;
    const k = key(call.server, call.tool);
    let open = this.panels.get(k);
    const title = `${call.tool} (${call.server})`;
    if (open) {
      open.call = call;
      open.panel.title = title;
      open.panel.reveal(undefined, options.preserveFocus);
    } else {
      const panel = vscode.window.createWebviewPanel(
        RESULT_VIEW_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus },
        {
          enableScripts: true,
          enableCommandUris: false,
          enableFindWidget: true,
          localResourceRoots: [],
          // The page is cheap to rebuild, but a hidden tab would lose its folds and zoom.
          retainContextWhenHidden: true,
        },
      );
      const created: OpenPanel = { panel, call };
      open = created;
      this.panels.set(k, created);
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(created.call, m as ResultAction, { fromPage: true }));
      panel.onDidDispose(() => {
        if (this.panels.get(k) === created) this.panels.delete(k);
      });
    }
    open.panel.webview.html = renderResultHtml({
      nonce: createNonce(),
      model: call.rendered,
      when: new Date(call.startedAt).toLocaleTimeString(),
      saveAsTest: call.saved !== undefined,
    });
    for (const i of call.rendered.openDocs) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(call.docs[i]), {
        preview: false,
        preserveFocus: true,
        viewColumn: vscode.ViewColumn.Beside,
      });
    }
    if (call.rendered.sizeNote) void vscode.window.showInformationMessage(call.rendered.sizeNote);
    return open.panel;
  }

  /** The open result views (for tests): which call each shows. */
  describe(): ResultViewInfo[] {
    return [...this.panels.values()].map(({ panel, call }) => ({
      server: call.server,
      tool: call.tool,
      callId: call.callId,
      title: panel.title,
      visible: panel.visible,
      active: panel.active,
      blocks: call.rendered.blocks.map((b) => (b.kind === 'text' ? `text:${b.format}` : b.kind)),
      structured: call.rendered.structured !== undefined,
      matchesSchema: call.rendered.structuredIssues ? call.rendered.structuredIssues.length === 0 : undefined,
      argsJson: call.rendered.argsJson,
    }));
  }

  /** Runs a page action on the call a tool's view shows (the internal test command). */
  async act(server: string, tool: string, action: ResultAction): Promise<boolean> {
    const open = this.panels.get(key(server, tool));
    if (!open) return false;
    await this.handle(open.call, action);
    return true;
  }

  // ------------------------------------------------------------------ page actions

  private async handle(call: StoredCall, m: ResultAction, options: { fromPage?: boolean } = {}): Promise<void> {
    if (typeof m !== 'object' || m === null) return;
    const r = call.rendered;
    switch (m.type) {
      case 'copy': {
        const text = this.copyText(r, m);
        if (text === undefined) return;
        await vscode.env.clipboard.writeText(text);
        void this.panels.get(key(call.server, call.tool))?.panel.webview.postMessage({ type: 'status', text: 'Copied' });
        return;
      }
      case 'openDoc': {
        const uri = call.docs[m.doc];
        if (!uri) return;
        if (!this.texts.has(uri.toString())) {
          void vscode.window.showInformationMessage(
            'This result is no longer kept in memory. Run the call again, e.g. from "MCP: Show Tool Call History...".',
          );
          return;
        }
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
          preview: true,
          viewColumn: vscode.ViewColumn.Beside,
        });
        return;
      }
      case 'openResource':
        if (typeof m.uri !== 'string' || !m.uri) return;
        if (/^https?:/i.test(m.uri)) return void vscode.env.openExternal(vscode.Uri.parse(m.uri));
        if (!this.registry.get(call.server)) {
          void vscode.window.showErrorMessage(`MCP server "${call.server}" is no longer configured, so ${m.uri} cannot be read.`);
          return;
        }
        // The same flow as "MCP: Read Resource...": errors, cancellation and the document are its own.
        await vscode.commands.executeCommand('mcpManager.readResource', { serverName: call.server, uri: m.uri });
        return;
      case 'openExternal':
        // Only web links; VS Code asks before opening a domain the user has not trusted.
        if (typeof m.url === 'string' && /^https?:\/\//i.test(m.url)) void vscode.env.openExternal(vscode.Uri.parse(m.url));
        return;
      case 'saveAsTest': {
        if (!call.saved) return;
        // The page only says "save"; where to (and the name) it may not choose: the user is asked.
        const skip =
          options.fromPage !== true
            ? { file: typeof m.file === 'string' ? m.file : undefined, name: typeof m.name === 'string' ? m.name : undefined }
            : {};
        await vscode.commands.executeCommand(SAVE_CALL_AS_TEST_COMMAND, {
          server: call.server,
          tool: call.tool,
          arguments: call.saved.arguments,
          result: call.saved.result,
          ...skip,
        });
        return;
      }
    }
  }

  private copyText(r: RenderedResult, m: Extract<ResultAction, { type: 'copy' }>): string | undefined {
    switch (m.target) {
      case 'args':
        return r.argsJson;
      case 'raw':
        return r.docs[r.rawDoc]?.text ?? r.raw;
      case 'structured':
        return r.structured;
      case 'schema':
        return r.outputSchema;
      case 'block': {
        const b = r.blocks.find((x) => x.n === m.n);
        if (!b) return undefined;
        if (b.kind === 'text') return b.doc !== undefined ? r.docs[b.doc]?.text : b.text;
        if (b.kind === 'link') return b.uri;
        if (b.kind === 'resource') return b.doc !== undefined ? r.docs[b.doc]?.text : b.uri;
        if (b.kind === 'other') return b.json;
        return undefined;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------------ provider

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      'This result is no longer kept in memory. Run the call again, e.g. from "MCP: Show Tool Call History...".'
    );
  }
}

/**
 * Images and audio beside the editor, in a webview without scripts, command links or local files
 * (data: URIs only; see renderMediaHtml). Used for resources and prompts (browse/documents.ts).
 */
export function showMediaPanel(viewType: string, title: string, items: readonly MediaItem[]): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    },
  );
  panel.webview.html = renderMediaHtml({ nonce: createNonce(), title, items });
  return panel;
}
