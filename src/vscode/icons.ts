// Server-provided icons in the tree: written once to the extension's global storage (named by a
// hash of their source) and shown from there as file URIs, which the tree can always load. `data:`
// icons are decoded at once; `https:` ones are fetched in the background (5 s, 256 KB, images only,
// never following a redirect off https), and the tree refreshes when one arrives. Anything that is
// not a safe image (core/icons.ts) is never written, and the node keeps its codicon.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { decodeDataUri, ICON_TYPES, iconProblem, MAX_ICON_BYTES, pickIcon, type Logger } from '../core';

const FETCH_TIMEOUT_MS = 5000;

/** Which file shows a server-provided icon (the tree, the tool picker, the browse picks read it). */
export interface IconSource {
  /** The file for these `icons`, undefined until (or unless) one is ready; asking starts loading it. */
  uriFor(icons: unknown): vscode.Uri | undefined;
  /** An icon became available. */
  readonly onDidChange: vscode.Event<void>;
}

export class IconCache implements IconSource, vscode.Disposable {
  private readonly resolved = new Map<string, vscode.Uri | null>();
  private readonly pending = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** An icon became available (the tree refreshes). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly dir: vscode.Uri,
    private readonly log: Logger,
  ) {}

  dispose(): void {
    this.changeEmitter.dispose();
  }

  /** The file to show for these `icons` in the current theme, undefined until (or unless) one is ready. */
  uriFor(icons: unknown): vscode.Uri | undefined {
    const kind = vscode.window.activeColorTheme.kind;
    const theme = kind === vscode.ColorThemeKind.Light || kind === vscode.ColorThemeKind.HighContrastLight ? 'light' : 'dark';
    const icon = pickIcon(icons, theme);
    if (!icon) return undefined;
    const known = this.resolved.get(icon.src);
    if (known !== undefined) return known ?? undefined;
    if (!this.pending.has(icon.src)) {
      this.pending.add(icon.src);
      void this.load(icon.src, icon.mimeType).finally(() => this.pending.delete(icon.src));
    }
    return undefined;
  }

  private async load(src: string, declared?: string): Promise<void> {
    let file: vscode.Uri | null = null;
    try {
      const { bytes, mimeType } = src.startsWith('data:') ? this.fromData(src) : await this.fetch(src);
      const type = (declared ?? mimeType).toLowerCase();
      const problem = iconProblem(bytes, type);
      if (problem) throw new Error(problem);
      file = vscode.Uri.joinPath(this.dir, `${createHash('sha256').update(src).digest('hex').slice(0, 32)}.${ICON_TYPES[type]}`);
      await vscode.workspace.fs.createDirectory(this.dir);
      await vscode.workspace.fs.writeFile(file, bytes);
    } catch (e) {
      this.log.debug(`icon ${src.slice(0, 80)}${src.length > 80 ? '…' : ''} not shown: ${e instanceof Error ? e.message : String(e)}`);
      file = null;
    }
    this.resolved.set(src, file);
    if (file) this.changeEmitter.fire();
  }

  private fromData(src: string): { bytes: Buffer; mimeType: string } {
    const data = decodeDataUri(src);
    if (!data) throw new Error('not a data: URI');
    return data;
  }

  private async fetch(src: string): Promise<{ bytes: Buffer; mimeType: string }> {
    const res = await fetch(src, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow', headers: { accept: 'image/*' } });
    if (!res.url.startsWith('https:')) throw new Error('redirected away from https');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_ICON_BYTES) throw new Error(`it is ${length} bytes (at most ${MAX_ICON_BYTES})`);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += (chunk as Uint8Array).length;
      if (total > MAX_ICON_BYTES) throw new Error(`it is over ${MAX_ICON_BYTES} bytes`);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return { bytes: Buffer.concat(chunks), mimeType: res.headers.get('content-type') ?? '' };
  }
}
