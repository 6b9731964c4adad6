// Shows tool results: read-only documents under the mcp-result: scheme (a content provider, so
// they are never dirty and never ask to be saved), clickable links inside them, and a webview for
// images and audio. Layout decisions live in resultFormat.ts.
//
//   mcp-result:/<callId>/<name>                      a stored result document
//   mcp-result:/resource/<name>?server=..&uri=..     a resource read from its server when opened
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core/registry';
import { errorMessage } from '../../core/errors';
import { decodeBase64Text, extensionFor, isTextMime, prettyJson, type MediaItem, type RenderedResult, type ResultLink } from '../../ui/toolCall/resultFormat';
import { createNonce, renderMediaHtml } from '../../ui/toolCall/webviewHtml';

export const RESULT_SCHEME = 'mcp-result';
/** Results kept in memory for reopening ("Show Result", links); older ones are dropped. */
const MAX_KEPT_CALLS = 30;

interface StoredCall {
  readonly server: string;
  readonly tool: string;
  readonly main: vscode.Uri;
  readonly docs: readonly vscode.Uri[];
  readonly rendered: RenderedResult;
}

export class ResultView implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly linksByDoc = new Map<string, { call: StoredCall; links: readonly ResultLink[] }>();
  private readonly calls = new Map<string, StoredCall>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly registry: ServerRegistry) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: RESULT_SCHEME }, this),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.texts.clear();
    this.linksByDoc.clear();
    this.calls.clear();
  }

  // ------------------------------------------------------------------ storing and opening

  /** Keeps a rendered result so its documents can be opened (now or later). */
  store(callId: string, server: string, tool: string, rendered: RenderedResult): StoredCall {
    const uri = (name: string) => vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${callId}/${name}` });
    const call: StoredCall = { server, tool, main: uri(rendered.main.name), docs: rendered.docs.map((d) => uri(d.name)), rendered };
    this.texts.set(call.main.toString(), rendered.main.text);
    rendered.docs.forEach((d, i) => this.texts.set(call.docs[i].toString(), d.text));
    if (rendered.links.length) this.linksByDoc.set(call.main.toString(), { call, links: rendered.links });
    this.calls.set(callId, call);
    while (this.calls.size > MAX_KEPT_CALLS) {
      const [oldestId, oldest] = this.calls.entries().next().value as [string, StoredCall];
      this.calls.delete(oldestId);
      for (const u of [oldest.main, ...oldest.docs]) {
        this.texts.delete(u.toString());
        this.linksByDoc.delete(u.toString());
      }
    }
    return call;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** Opens a stored result: the main document, large text blocks, and the media panel. */
  async open(callId: string, options: { preserveFocus?: boolean } = {}): Promise<vscode.TextEditor | undefined> {
    const call = this.calls.get(callId);
    if (!call) return undefined;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(call.main), { preview: true, preserveFocus: options.preserveFocus });
    for (const i of call.rendered.openDocs) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(call.docs[i]), { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    }
    if (call.rendered.media.length) this.showMedia(call);
    if (call.rendered.sizeNote) void vscode.window.showInformationMessage(call.rendered.sizeNote);
    return editor;
  }

  private showMedia(call: StoredCall): void {
    showMediaPanel('mcpManager.toolResultMedia', `${call.tool} media (${call.server})`, call.rendered.media);
  }

  // ------------------------------------------------------------------ providers

  provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): string | Thenable<string> {
    if (uri.path.startsWith('/resource/')) return this.readResource(uri, token);
    return this.texts.get(uri.toString()) ?? 'This result is no longer kept in memory. Run the call again, e.g. from "MCP Manager: Tool History...".';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const entry = this.linksByDoc.get(doc.uri.toString());
    if (!entry) return [];
    return entry.links.map((l) => {
      const range = new vscode.Range(doc.positionAt(l.offset), doc.positionAt(l.offset + l.length));
      const target = l.target.kind === 'doc' ? entry.call.docs[l.target.index] : resourceUri(entry.call.server, l.target.uri, l.target.mimeType);
      const link = new vscode.DocumentLink(range, target);
      link.tooltip = l.tooltip;
      return link;
    });
  }

  /** Reads a linked resource from its server when its document is opened. */
  private async readResource(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const server = q.get('server') ?? '';
    const target = q.get('uri') ?? '';
    const external = /^(https?|file):/i.test(target);
    const conn = this.registry.get(server);
    if (!conn) return `The server "${server}" is no longer configured, so ${target} cannot be read.`;
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const r = await conn.readResource(target, { signal: ac.signal });
      const parts = r.contents.map((c) => {
        if ('text' in c && typeof c.text === 'string') return c.mimeType?.includes('json') ? (prettyJson(c.text) ?? c.text) : c.text;
        if ('blob' in c && typeof c.blob === 'string' && isTextMime(c.mimeType)) return decodeBase64Text(c.blob);
        const size = 'blob' in c && typeof c.blob === 'string' ? Math.floor((c.blob.length * 3) / 4) : 0;
        return `[binary content of ${c.uri}: ${c.mimeType ?? 'unknown type'}, about ${size} bytes; not shown]`;
      });
      return parts.length ? parts.join('\n\n') : `${target}: the server returned no contents.`;
    } catch (e) {
      const hint = external ? `\n\nIt is not a server resource; open ${target} directly.` : '';
      return `Could not read ${target} from ${server}: ${errorMessage(e)}${hint}`;
    } finally {
      sub.dispose();
    }
  }
}

/**
 * Images and audio beside the editor, in a webview without scripts, command links or local files
 * (data: URIs only; see renderMediaHtml). Also used for resources and prompts (browse/documents.ts).
 */
export function showMediaPanel(viewType: string, title: string, items: readonly MediaItem[]): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: false,
    enableCommandUris: false,
    localResourceRoots: [],
  });
  panel.webview.html = renderMediaHtml({ nonce: createNonce(), title, items });
  return panel;
}

/** A document URI that reads `target` from `server` when opened (the name picks the language). */
export function resourceUri(server: string, target: string, mimeType?: string): vscode.Uri {
  if (/^https?:/i.test(target)) return vscode.Uri.parse(target);
  const last = target.split(/[?#]/)[0].replace(/\/+$/, '').split('/').pop() || 'resource';
  const stem = last.replace(/\.[A-Za-z0-9]{1,8}$/, '').replace(/[\\/:*?"<>|]+/g, '_') || 'resource';
  const name = `${stem}.${extensionFor(mimeType, target)}`;
  return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/resource/${name}`, query: new URLSearchParams({ server, uri: target }).toString() });
}
