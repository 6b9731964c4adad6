// "MCP Tests" in VS Code's Testing view: one item per *.mcptest.json file, one child per test at
// its line. Runs (one, a file, all; continuous on save; "Run and Update Snapshots") use the core
// runner with the registry's connections, so kept-alive servers are reused and a server that needs
// consent or inputs asks as it does for any call. Failures become TestMessages with
// expected/actual (a diff in the Testing view, the peek in the file and Test Results).
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core';
import {
  formatFailure,
  parseCollection,
  runCollections,
  stableJson,
  summaryText,
  type Collection,
  type Failure,
  type TestResult,
} from '../../core/tests';

export const COLLECTION_GLOB = '**/*.mcptest.json';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';

/** What the controller reported for one test in a run (the Testing API gives extensions no way to read results back). */
export interface ReportedOutcome {
  readonly id: string;
  readonly status: 'passed' | 'failed' | 'errored' | 'skipped';
  readonly messages: readonly { readonly message: string; readonly expected?: string; readonly actual?: string; readonly line?: number }[];
}

interface RunRequestOptions {
  readonly updateSnapshots?: boolean;
}

export class McpTestController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runEmitter = new vscode.EventEmitter<readonly ReportedOutcome[]>();
  /** Fires when a run ends, with what it reported (integration tests, e2e). */
  readonly onDidFinishRun = this.runEmitter.event;
  private discovered?: Promise<void>;
  /** Continuous runs: the items they watch (undefined = everything) and when they stop. */
  private readonly continuous = new Set<{
    include?: readonly vscode.TestItem[];
    options: RunRequestOptions;
    token: vscode.CancellationToken;
  }>();

  constructor(private readonly registry: ServerRegistry) {
    this.controller = vscode.tests.createTestController('mcpManager.tests', 'MCP Tests');
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = async () => {
      this.discovered = undefined;
      await this.discover();
    };
    this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (req, token) => this.runHandler(req, token, {}),
      true,
      undefined,
      true,
    );
    this.controller.createRunProfile(
      'Run and Update Snapshots',
      vscode.TestRunProfileKind.Run,
      (req, token) => this.runHandler(req, token, { updateSnapshots: true }),
      false,
    );

    const watcher = vscode.workspace.createFileSystemWatcher(COLLECTION_GLOB);
    this.disposables.push(
      this.controller,
      this.runEmitter,
      watcher,
      watcher.onDidCreate((uri) => void this.load(uri)),
      watcher.onDidChange((uri) => void this.load(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      // Open files are read from the editor, so items follow typing, not only saving.
      vscode.workspace.onDidOpenTextDocument((doc) => isCollection(doc.uri) && this.loadText(doc.uri, doc.getText())),
      vscode.workspace.onDidChangeTextDocument((e) => isCollection(e.document.uri) && this.loadText(e.document.uri, e.document.getText())),
      vscode.workspace.onDidSaveTextDocument((doc) => isCollection(doc.uri) && this.onSaved(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) if (isCollection(doc.uri)) this.loadText(doc.uri, doc.getText());
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  /** Finds every collection in the workspace (once; Refresh Tests finds them again). */
  discover(): Promise<void> {
    return (this.discovered ??= (async () => {
      const files = await vscode.workspace.findFiles(COLLECTION_GLOB, EXCLUDE_GLOB);
      await Promise.all(files.map((uri) => this.load(uri)));
    })());
  }

  /** Reads (the open editor's text, else the file) and (re)builds the file's items. */
  async load(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.loadText(uri, open.getText());
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    return this.loadText(uri, text);
  }

  private loadText(uri: vscode.Uri, text: string): vscode.TestItem {
    const { collection, issues } = parseCollection(text, uri.fsPath);
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(
        uri.toString(),
        vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
        uri,
      );
      this.controller.items.add(file);
    }
    if (!collection) {
      file.error = new vscode.MarkdownString(
        issues
          .map(
            (i) =>
              `- ${escapeMd(`${i.line !== undefined ? `line ${i.line + 1}: ` : ''}${i.test !== undefined ? `test "${i.test}", ` : ''}${i.field ? `${i.field}: ` : ''}${i.message}`)}`,
          )
          .join('\n'),
      );
      // The items stay as they were until the file is valid again, so results do not flicker while typing.
      return file;
    }
    file.error = undefined;
    const items = collection.tests.map((t) => {
      const item = file!.children.get(testId(uri, t.name)) ?? this.controller.createTestItem(testId(uri, t.name), t.name, uri);
      item.range = new vscode.Range(t.line, t.character, t.line, t.character);
      item.description = `${t.kind === 'tool' ? '' : `${t.kind} `}${t.target} · ${t.server}${t.skip ? ' · skip' : ''}`;
      return item;
    });
    file.children.replace(items);
    return file;
  }

  // ------------------------------------------------------------------ running

  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken, options: RunRequestOptions): Promise<void> {
    if (request.continuous) {
      const entry = { include: request.include, options, token };
      this.continuous.add(entry);
      token.onCancellationRequested(() => this.continuous.delete(entry));
      return;
    }
    await this.run(request, token, options);
  }

  private onSaved(uri: vscode.Uri): void {
    for (const c of this.continuous) {
      if (c.token.isCancellationRequested) continue;
      const file = this.controller.items.get(uri.toString());
      if (!file) continue;
      const watched = (item: vscode.TestItem) => !c.include || c.include.some((w) => w === item || w === item.parent);
      const include: vscode.TestItem[] = [];
      file.children.forEach((item) => {
        if (watched(item)) include.push(item);
      });
      if (include.length) void this.run(new vscode.TestRunRequest(include, undefined, undefined, false), c.token, c.options);
    }
  }

  /** Runs the request's tests; resolves with what was reported (also fired as onDidFinishRun). */
  async run(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    options: RunRequestOptions = {},
  ): Promise<readonly ReportedOutcome[]> {
    await this.discover();
    const run = this.controller.createTestRun(request, options.updateSnapshots ? 'MCP Tests (updating snapshots)' : 'MCP Tests');
    const outcomes: ReportedOutcome[] = [];
    try {
      const leaves = this.selected(request);
      const byFile = new Map<string, vscode.TestItem[]>();
      for (const item of leaves) {
        const key = item.uri!.toString();
        byFile.set(key, [...(byFile.get(key) ?? []), item]);
      }
      const collections: Collection[] = [];
      const itemOf = new Map<string, vscode.TestItem>();
      for (const [key, items] of byFile) {
        const uri = vscode.Uri.parse(key);
        const fileItem = await this.load(uri);
        const text = await this.textOf(uri);
        const parsed = text === undefined ? undefined : parseCollection(text, uri.fsPath);
        if (!parsed?.collection) {
          const message = new vscode.TestMessage(
            `${vscode.workspace.asRelativePath(uri)} is not a valid test collection; see the problem on the file in the Testing view.`,
          );
          for (const item of items) {
            run.errored(item, message);
            outcomes.push({ id: item.id, status: 'errored', messages: [{ message: message.message as string }] });
          }
          continue;
        }
        collections.push(parsed.collection);
        if (fileItem) for (const item of items) itemOf.set(item.id, item);
      }
      for (const item of itemOf.values()) run.enqueued(item);

      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      const reported = new Set<string>();
      try {
        const summary = await runCollections(collections, {
          connectionFor: (name) => this.registry.get(name),
          serverNames: () => this.registry.list().map((c) => c.name),
          signal: ac.signal,
          updateSnapshots: options.updateSnapshots,
          select: (t, c) => itemOf.has(testId(vscode.Uri.file(c.file), t.name)),
          onWillRun: (t, c) => {
            const item = itemOf.get(testId(vscode.Uri.file(c.file), t.name));
            if (item) run.started(item);
          },
          onDidRun: (r) => {
            const item = itemOf.get(testId(vscode.Uri.file(r.file), r.test.name));
            if (!item) return;
            reported.add(item.id);
            outcomes.push(this.report(run, item, r));
          },
        });
        for (const item of itemOf.values()) {
          if (reported.has(item.id)) continue;
          run.skipped(item);
          outcomes.push({ id: item.id, status: 'skipped', messages: [] });
        }
        run.appendOutput(`${summary.cancelled ? 'Cancelled: ' : ''}${summaryText(summary)}\r\n`);
        for (const f of summary.snapshotsWritten) run.appendOutput(`Snapshots written: ${vscode.workspace.asRelativePath(f)}\r\n`);
      } finally {
        sub.dispose();
      }
    } finally {
      run.end();
      this.runEmitter.fire(outcomes);
    }
    return outcomes;
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, r: TestResult): ReportedOutcome {
    const location = new vscode.Location(item.uri!, new vscode.Position(r.test.line, r.test.character));
    const line = `${r.status === 'passed' ? '✓' : r.status === 'skipped' ? '○' : '✗'} ${r.test.name}${r.status === 'skipped' ? '' : ` (${Math.round(r.durationMs)} ms)`}${r.notes.length ? ` · ${r.notes.join(', ')}` : ''}`;
    run.appendOutput(`${line}\r\n`, location, item);
    for (const f of r.failures)
      run.appendOutput(
        `${formatFailure(f)
          .map((l) => `    ${l}`)
          .join('\r\n')}\r\n`,
        location,
        item,
      );
    const duration = r.durationMs;
    if (r.status === 'passed') {
      run.passed(item, duration);
      return { id: item.id, status: 'passed', messages: [] };
    }
    if (r.status === 'skipped') {
      run.skipped(item);
      return { id: item.id, status: 'skipped', messages: [] };
    }
    const messages = r.failures.map((f) => toMessage(f, location));
    if (r.status === 'errored') run.errored(item, messages, duration);
    else run.failed(item, messages, duration);
    return {
      id: item.id,
      status: r.status,
      messages: messages.map((m) => ({
        message: typeof m.message === 'string' ? m.message : m.message.value,
        expected: m.expectedOutput,
        actual: m.actualOutput,
        line: m.location?.range.start.line,
      })),
    };
  }

  /** The leaf items of a request (all when it names none), minus its excludes. */
  private selected(request: vscode.TestRunRequest): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const add = (item: vscode.TestItem) => {
      if (excluded.has(item.id)) return;
      if (item.children.size) item.children.forEach(add);
      else if (item.parent) out.push(item);
    };
    if (request.include) request.include.forEach(add);
    else this.controller.items.forEach(add);
    return out;
  }

  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }
}

function toMessage(f: Failure, location: vscode.Location): vscode.TestMessage {
  const text = `${f.expectation}: ${f.message}`;
  const message =
    f.expected !== undefined && f.actual !== undefined && f.expectation !== 'isError'
      ? vscode.TestMessage.diff(text, stableJson(f.expected), stableJson(f.actual))
      : new vscode.TestMessage(text);
  message.location = location;
  return message;
}

export function testId(uri: vscode.Uri, name: string): string {
  return `${uri.toString()}#${name}`;
}

function isCollection(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.path.endsWith('.mcptest.json');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
