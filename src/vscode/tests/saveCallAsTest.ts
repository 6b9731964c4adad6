// "Save as Test...": turns a tool call (server, tool, arguments, result) into a test in a
// collection file: pick a collection (or create one), name the test, and it is appended with
// expectations prefilled from the result; the file opens at the new test.
//
// Where calls come from: the results of this session (recorded through ToolCallDeps.onDidCall,
// keyed by the history entry's id), the call record the result view's "Save as Test..." button
// passes, and the call history (server, tool and arguments, the outcome and a ResultSummary: the
// history keeps no results, so an entry of an earlier window is prefilled from that summary, and
// one recorded before summaries were kept gets only "isError").
import * as vscode from 'vscode';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { appendTest, expectationsFromResult, newCollectionText, parseCollection, uniqueName, type CallRecord } from '../../core/tests';
import { callRecordOf, hasResult, type HistoryEntry } from '../../ui/toolCall/history';
import { toItem } from '../toolCall/historyPicker';
import { COLLECTION_GLOB } from './testController';

const GET_HISTORY_COMMAND = 'mcpManager.getToolCallHistory';
const KEEP_RESULTS = 20;

/** A finished call as the tool-call feature reports it. */
export interface FinishedCall {
  /** The history entry's id. */
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  readonly result: CallToolResult;
}

/** The last results of this session, newest first (results are never persisted). */
export class RecentResults {
  private readonly calls: FinishedCall[] = [];

  add(call: FinishedCall): void {
    this.calls.unshift(call);
    this.calls.length = Math.min(this.calls.length, KEEP_RESULTS);
  }

  get(id: string): FinishedCall | undefined {
    return this.calls.find((c) => c.id === id);
  }

  last(): FinishedCall | undefined {
    return this.calls[0];
  }

  /** Forgets them all, as a new window starts without them (the integration tests). */
  clear(): void {
    this.calls.length = 0;
  }
}

/** Skips the questions (tests, other commands): the collection file and the test name. */
export interface SaveOptions {
  readonly file?: vscode.Uri;
  readonly name?: string;
}

export class SaveCallAsTest {
  constructor(private readonly results: RecentResults) {}

  /**
   * mcpManager.saveCallAsTest. Takes a call record `{ server, tool, arguments, result? }` (the
   * result view's button passes the call it shows), `{ callId }` / `{ entryId }` (a history entry),
   * or nothing: pick one of the recent calls. `file` and `name` skip those questions.
   * Resolves with the file and line of the new test, or undefined when cancelled.
   */
  async saveCallAsTest(arg?: unknown): Promise<{ file: vscode.Uri; line: number } | undefined> {
    try {
      const options = saveOptions(arg);
      let record = recordFrom(arg);
      if (!record) {
        const id = isObject(arg) && typeof (arg.callId ?? arg.entryId) === 'string' ? String(arg.callId ?? arg.entryId) : undefined;
        const history = await this.history();
        const entry = id ? history.find((e) => e.id === id) : await pickEntry(history);
        if (id && !entry && !this.results.get(id)) {
          void vscode.window.showErrorMessage('That tool call is no longer in the history.');
          return undefined;
        }
        if (!entry && !id) return undefined;
        record = this.recordOf(entry, id);
      }
      if (!record) return undefined;
      return await this.save(record, options);
    } catch (e) {
      void vscode.window.showErrorMessage(`Save as Test: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** mcpManager.saveLastCallAsTest: the last call's result of this session, else the last history entry. */
  async saveLastCallAsTest(arg?: unknown): Promise<{ file: vscode.Uri; line: number } | undefined> {
    const last = this.results.last();
    if (last)
      return this.saveCallAsTest({
        ...saveOptions(arg),
        server: last.server,
        tool: last.tool,
        arguments: last.arguments,
        result: last.result,
      });
    const entry = (await this.history())[0];
    if (!entry) {
      void vscode.window.showInformationMessage(
        'No tool calls yet in this workspace. Use "Call Tool..." first, then save the call as a test.',
      );
      return undefined;
    }
    return this.saveCallAsTest({ ...saveOptions(arg), entryId: entry.id });
  }

  private recordOf(entry: HistoryEntry | undefined, id: string | undefined): CallRecord | undefined {
    const kept = this.results.get(entry?.id ?? id ?? '');
    if (kept) return { server: kept.server, tool: kept.tool, arguments: kept.arguments, result: kept.result };
    if (!entry) return undefined;
    if (!entry.args) {
      void vscode.window.showWarningMessage(
        `The arguments of that "${entry.tool}" call were too large to keep in the history; it cannot be saved as a test.`,
      );
      return undefined;
    }
    return callRecordOf(entry);
  }

  private async history(): Promise<HistoryEntry[]> {
    return ((await vscode.commands.executeCommand<HistoryEntry[]>(GET_HISTORY_COMMAND)) ?? []).filter(hasResult);
  }

  private async save(record: CallRecord, options: SaveOptions): Promise<{ file: vscode.Uri; line: number } | undefined> {
    const file = options.file ?? (await pickCollection(record.server));
    if (!file) return undefined;
    const doc = await openOrCreate(file, record.server);
    const parsed = parseCollection(doc.getText(), file.fsPath);
    const taken = parsed.collection?.tests.map((t) => t.name) ?? [];
    let name = options.name;
    if (name === undefined) {
      name = await vscode.window.showInputBox({
        title: 'Save as Test',
        prompt: `Name of the test in ${vscode.workspace.asRelativePath(file)}`,
        value: uniqueName(record.tool, taken),
        validateInput: (v) =>
          !v.trim() ? 'Give the test a name.' : taken.includes(v.trim()) ? 'A test of this file already has that name.' : undefined,
      });
      if (name === undefined) return undefined;
    }
    name = name.trim();
    if (taken.includes(name)) throw new Error(`${vscode.workspace.asRelativePath(file)} already has a test named "${name}".`);
    const { text, line } = appendTest(doc.getText(), {
      name,
      server: record.server,
      tool: record.tool,
      arguments: record.arguments,
      expect: expectationsFromResult(record),
    });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${vscode.workspace.asRelativePath(file)}.`);
    await doc.save();
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { file, line };
  }
}

interface CollectionPick extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
}

/** Existing collections (those whose default server is the call's first), or a new file. */
async function pickCollection(server: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(COLLECTION_GLOB, '**/{node_modules,.git}/**');
  const items: (CollectionPick & { rank: number })[] = [];
  for (const uri of files) {
    let text = '';
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue;
    }
    const c = parseCollection(text, uri.fsPath).collection;
    items.push({
      label: `$(beaker) ${vscode.workspace.asRelativePath(uri)}`,
      description: c ? `${c.tests.length} test${c.tests.length === 1 ? '' : 's'}${c.server ? ` · ${c.server}` : ''}` : 'has problems',
      uri,
      rank: c?.server === server ? 0 : 1,
    });
  }
  items.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  const NEW: CollectionPick = { label: '$(new-file) New Test Collection...', description: `${server}.mcptest.json` };
  const picked = await vscode.window.showQuickPick<CollectionPick>([...items, NEW], {
    title: 'Save as Test',
    placeHolder: 'Add the test to which collection?',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('open a folder first: collections live in the workspace.');
  const rel = await vscode.window.showInputBox({
    title: 'New Test Collection',
    prompt: `File name, relative to ${folder.name}`,
    value: `${server}.mcptest.json`,
    valueSelection: [0, server.length],
    validateInput: (v) =>
      !v.trim().endsWith('.mcptest.json') ? 'The name must end with .mcptest.json (that is how collections are found).' : undefined,
  });
  return rel ? vscode.Uri.joinPath(folder.uri, rel.trim()) : undefined;
}

async function openOrCreate(file: vscode.Uri, server: string): Promise<vscode.TextDocument> {
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(newCollectionText(server)));
  }
  return vscode.workspace.openTextDocument(file);
}

async function pickEntry(history: readonly HistoryEntry[]): Promise<HistoryEntry | undefined> {
  if (!history.length) {
    void vscode.window.showInformationMessage(
      'No tool calls yet in this workspace. Use "Call Tool..." first, then save the call as a test.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    history.map((e) => ({ ...toItem(e), buttons: [] })),
    { title: 'Save as Test', placeHolder: 'Which call? (newest first)', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.entry;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function saveOptions(arg: unknown): SaveOptions {
  if (!isObject(arg)) return {};
  const file = arg.file instanceof vscode.Uri ? arg.file : typeof arg.file === 'string' ? vscode.Uri.file(arg.file) : undefined;
  return { file, name: typeof arg.name === 'string' ? arg.name : undefined };
}

/** A call record given directly: `{ server | serverName, tool | toolName, arguments | args, result? }`. */
function recordFrom(arg: unknown): CallRecord | undefined {
  if (!isObject(arg)) return undefined;
  const server = arg.server ?? arg.serverName;
  const tool = arg.tool ?? arg.toolName;
  if (typeof server !== 'string' || typeof tool !== 'string') return undefined;
  const args = arg.arguments ?? arg.args;
  const result = isObject(arg.result) && Array.isArray(arg.result.content) ? (arg.result as unknown as CallToolResult) : undefined;
  return { server, tool, arguments: isObject(args) ? args : {}, result };
}
