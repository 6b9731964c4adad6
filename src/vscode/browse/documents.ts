// Read-only documents for resources and prompts, served by a TextDocumentContentProvider (never
// dirty, never asks to be saved, reopening is instant):
//
//   mcpm-resource:/<label> (<server>).<ext>?server=..&uri=..     a resource read (the extension picks the language)
//   mcpm-prompt:/<label> (<server>).md?server=..&prompt=..        a prompt's messages
//
// One document per server and resource (or prompt): reading it again updates the open document.
// A resource document VS Code asks for without a stored text (an editor restored with the window)
// is read from its server then. Images and audio go to a media panel beside the document.
// While a resource's tab is open, the document follows the resource (the server's
// notifications/resources/updated, where it offers them) and is read again on each update; the
// last tab closed ends the subscription.
import * as vscode from 'vscode';
import { type Disposable, errorMessage, failureText, type ServerConnection, type ServerRegistry } from '../../core';
import type { MediaItem } from '../../ui/toolCall/resultFormat';
import { showMediaPanel } from '../toolCall/resultView';
import { documentName, renderResource, type DocumentType } from '../../ui/browse/resourceFormat';

// Not `mcp-resource:`: VS Code's own MCP support registers a file system for that scheme, and a
// file system wins over a content provider.
export const RESOURCE_SCHEME = 'mcpm-resource';
export const PROMPT_SCHEME = 'mcpm-prompt';
/** Texts kept for reopening; the oldest are dropped (an open editor keeps its own copy). */
const MAX_KEPT = 50;

export interface ShownDocument {
  readonly editor: vscode.TextEditor;
  readonly media?: vscode.WebviewPanel;
}

export class BrowseDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  /** Document URI per server + target + extension, so a second read reuses the first tab. */
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Resource documents being followed: document URI -> the connection and its subscription. */
  private readonly follows = new Map<
    string,
    { readonly uri: vscode.Uri; readonly conn: ServerConnection; readonly watch: Promise<Disposable | undefined> }
  >();

  constructor(private readonly registry: ServerRegistry) {
    this.disposables.push(
      this.changeEmitter,
      vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, this),
      vscode.workspace.registerTextDocumentContentProvider(PROMPT_SCHEME, this),
      vscode.window.tabGroups.onDidChangeTabs(() => this.unfollowClosed()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.unfollowClosed(doc.uri)),
      // A changed configuration replaces a server's connection: open documents follow the new one.
      registry.onDidChangeServers(() => {
        for (const { uri } of [...this.follows.values()]) this.follow(uri);
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const key of [...this.follows.keys()]) this.unfollow(key);
    this.texts.clear();
    this.uris.clear();
  }

  /**
   * Follows the resource shown in this document while it is open: each update reads it again and
   * refreshes the document. Servers that do not announce updates are simply not followed.
   */
  private follow(uri: vscode.Uri): void {
    const key = uri.toString();
    if (uri.scheme !== RESOURCE_SCHEME) return;
    const q = new URLSearchParams(uri.query);
    const conn = this.registry.get(q.get('server') ?? '');
    const target = q.get('uri') ?? '';
    // A server whose configuration changed has a new connection: follow on that one.
    if (this.follows.get(key)?.conn === conn) return;
    this.unfollow(key);
    if (!conn || !conn.capabilities?.resources?.subscribe || !conn.definition.keepAlive) return;
    const entry = {
      uri,
      conn,
      watch: conn
        .watchResource(target, () => void this.refresh(uri, conn.name, target))
        .catch(() => {
          if (this.follows.get(key) === entry) this.follows.delete(key);
          return undefined;
        }),
    };
    this.follows.set(key, entry);
  }

  private unfollow(key: string): void {
    const following = this.follows.get(key);
    this.follows.delete(key);
    void following?.watch.then((f) => f?.dispose());
  }

  /** Ends the follows of resource documents no tab shows any more. */
  private unfollowClosed(closed?: vscode.Uri): void {
    if (!this.follows.size) return;
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all)
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) shown.add(tab.input.uri.toString());
    for (const key of [...this.follows.keys()]) if (!shown.has(key) || key === closed?.toString()) this.unfollow(key);
  }

  /** A followed resource changed: read it again and refresh its document. */
  private async refresh(uri: vscode.Uri, server: string, target: string): Promise<void> {
    const conn = this.follows.get(uri.toString())?.conn;
    if (!conn || conn !== this.registry.get(server)) return;
    try {
      const result = await conn.readResource(target);
      this.keep(uri.toString(), renderResource(result, { server, uri: target, label: labelOf(uri) }).text);
    } catch (e) {
      this.keep(
        uri.toString(),
        `Could not read resource "${target}" again after it changed (MCP server "${server}"): ${failureText(conn.masker.mask(errorMessage(e)), server)}`,
      );
    }
    this.changeEmitter.fire(uri);
  }

  /** The document URI of a resource read (the same one for every read of it). */
  resourceUri(server: string, uri: string, label: string, type: DocumentType): vscode.Uri {
    return this.uriFor(RESOURCE_SCHEME, server, uri, () => documentName(label, server, type.extension), { server, uri });
  }

  /** The document URI of a prompt's messages. */
  promptUri(server: string, prompt: string, label: string): vscode.Uri {
    return this.uriFor(PROMPT_SCHEME, server, prompt, () => documentName(label, server, 'md'), { server, prompt });
  }

  /** Stores the text and opens (or updates) its editor, in the given language; media beside it. */
  async show(uri: vscode.Uri, text: string, type: DocumentType, media: readonly MediaItem[] = [], mediaTitle = ''): Promise<ShownDocument> {
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    this.keep(key, text);
    if (open && open.getText() !== text) {
      // VS Code asks the provider again; wait for it so the caller sees the new text.
      const updated = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() !== key) return;
          sub.dispose();
          resolve();
        });
        setTimeout(() => {
          sub.dispose();
          resolve();
        }, 2000);
      });
      this.changeEmitter.fire(uri);
      await updated;
    }
    let doc = await vscode.workspace.openTextDocument(uri);
    if (type.languageId && doc.languageId !== type.languageId && (await vscode.languages.getLanguages()).includes(type.languageId)) {
      doc = await vscode.languages.setTextDocumentLanguage(doc, type.languageId);
    }
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    this.follow(uri);
    const panel = media.length ? showMediaPanel('mcpManager.browseMedia', mediaTitle, media) : undefined;
    return { editor, media: panel };
  }

  provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): string | Thenable<string> {
    const text = this.texts.get(uri.toString());
    if (text !== undefined) return text;
    const q = new URLSearchParams(uri.query);
    if (uri.scheme === RESOURCE_SCHEME) return this.readAgain(q.get('server') ?? '', q.get('uri') ?? '', uri, token);
    return `This prompt result is no longer kept in memory. Get it again with "MCP Manager: Get Prompt..." (prompt "${q.get('prompt') ?? ''}" of server "${q.get('server') ?? ''}").`;
  }

  /** A resource document without a stored text: read it from its server now. */
  private async readAgain(server: string, target: string, uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const conn = this.registry.get(server);
    if (!conn) return `The MCP server "${server}" is no longer configured, so ${target} cannot be read.`;
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const result = await conn.readResource(target, { signal: ac.signal });
      const text = renderResource(result, { server, uri: target, label: labelOf(uri) }).text;
      this.keep(uri.toString(), text);
      this.follow(uri);
      return text;
    } catch (e) {
      return `Could not read resource "${target}" from MCP server "${server}": ${failureText(conn.masker.mask(errorMessage(e)), server)}`;
    } finally {
      sub.dispose();
    }
  }

  private uriFor(scheme: string, server: string, target: string, name: () => string, query: Record<string, string>): vscode.Uri {
    const extension = /\.[^.]+$/.exec(name())?.[0] ?? '';
    const key = `${scheme}\n${server}\n${target}\n${extension}`;
    let uri = this.uris.get(key);
    if (!uri) {
      uri = vscode.Uri.from({ scheme, path: `/${name()}`, query: new URLSearchParams(query).toString() });
      this.uris.set(key, uri);
    }
    return uri;
  }

  private keep(key: string, text: string): void {
    this.texts.delete(key);
    this.texts.set(key, text);
    while (this.texts.size > MAX_KEPT) this.texts.delete(this.texts.keys().next().value as string);
  }
}

/** The label a resource document was named after (`/<label> (<server>).<ext>`). */
function labelOf(uri: vscode.Uri): string {
  return uri.path.replace(/^\//, '').replace(/ \([^)]*\)\.[^.]+$/, '');
}
