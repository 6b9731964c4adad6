// The webview panel for arguments that a chain of inputs handles badly (nested objects, lists of
// items to add, remove and reorder, many fields, $ref/oneOf) and the JSON editor for schemas no
// form can represent. The page only renders
// and collects; parsing and validation (toolArgs.ts, validator.ts) run here, in the extension host.
import * as vscode from 'vscode';
import { argsToForm, defaultArgs, formToArgs, issuesByField, namedIssues, type RawValues } from '../../ui/toolCall/formValues';
import { isObject, type FieldSpec } from '../../ui/toolCall/toolArgs';
import { formatIssues, schemaProblem, validateValue, type SchemaIssue } from '../../ui/toolCall/validator';
import type { ToolDetailsHeader } from '../../ui/toolCall/toolDetails';
import { createNonce, renderFormHtml, toWebFields, type FormState } from '../../ui/toolCall/webviewHtml';

export interface FormRequest {
  readonly server: string;
  readonly tool: string;
  readonly description?: string;
  readonly inputSchema: unknown;
  /** Fields to show; empty or absent = JSON editor only. */
  readonly fields?: readonly FieldSpec[];
  /** Why only the JSON editor is offered (shown above it). */
  readonly jsonReason?: string;
  /** Arguments to start with (edit and rerun, or what the prompt chain collected). */
  readonly prefill?: Record<string, unknown>;
  /** Problems to show right away (e.g. the prompt chain's result did not validate). */
  readonly issues?: readonly SchemaIssue[];
  /**
   * Details mode (a tool selected in the tree): the page shows the tool's hints, stays open after
   * a call, and Call runs `onCall` (the panel shows busy meanwhile). The promise then resolves
   * (undefined) only when the panel is closed.
   */
  /**
   * A server's question (elicitation) instead of a tool's arguments: the page names the server and
   * shows its message, with Accept (resolves with the answer), Decline (`onDecline`, then
   * undefined) and Cancel or closing (undefined). `check` adds problems the schema cannot express.
   */
  readonly ask?: {
    readonly message: string;
    readonly onDecline: () => void;
    readonly check?: (args: Record<string, unknown>) => Record<string, string>;
    /** The open panel (tests drive the page through it). */
    readonly onOpen?: (form: OpenForm) => void;
  };
  readonly details?: {
    readonly header: ToolDetailsHeader;
    /** The tool takes no arguments: Call only. */
    readonly noArgs?: boolean;
    readonly onCall: (args: Record<string, unknown>) => Promise<unknown>;
    /** The open panel, and a way to feed it a page message (tests drive the page through it). */
    readonly onOpen?: (form: OpenForm) => void;
  };
}

export interface OpenForm {
  readonly panel: vscode.WebviewPanel;
  /** Handles a message as if the page had posted it. */
  receive(msg: unknown): void;
}

type FromPage =
  | { type: 'validate' | 'submit'; seq?: number; mode: 'form' | 'json'; raw?: RawValues; json?: string }
  | { type: 'switch'; seq?: number; to: 'form' | 'json'; mode: 'form' | 'json'; raw?: RawValues; json?: string }
  | { type: 'cancel' }
  | { type: 'decline' };

interface Evaluation {
  readonly args?: Record<string, unknown>;
  readonly errors: Record<string, string>;
}

/** Opens the form; resolves with the arguments on submit, undefined when cancelled or closed. */
export function openArgumentForm(req: FormRequest): Promise<Record<string, unknown> | undefined> {
  const fields = req.fields ?? [];
  const jsonOnly = fields.length === 0;
  const initial = req.prefill ?? defaultArgs(fields);
  const { raw, unrepresented } = argsToForm(fields, initial);
  const notes: string[] = [];
  if (jsonOnly) notes.push(`Arguments are edited as JSON${req.jsonReason ? `: ${req.jsonReason}` : ''}.`);
  else if (unrepresented.length) notes.push(`Showing JSON because the form cannot show ${unrepresented.join(', ')}.`);
  const problem = schemaProblem(req.inputSchema);
  if (problem) notes.push(`The input schema cannot be used for checking (${problem}); the arguments are sent unchecked.`);
  const mode = jsonOnly || unrepresented.length ? 'json' : 'form';
  // Named by field ("entities › 2 › observations: ..."), not by JSON pointer.
  const describeIssues = (issues: readonly SchemaIssue[]) => (fields.length ? namedIssues(fields, issues) : formatIssues(issues));
  const errors = req.issues?.length
    ? mode === 'json'
      ? { '': describeIssues(req.issues) }
      : issuesByField(fields, req.issues)
    : undefined;

  const state: FormState = {
    tool: req.tool,
    server: req.server,
    mode,
    jsonOnly,
    note: notes.join('\n') || undefined,
    fields: toWebFields(fields),
    raw,
    json: JSON.stringify(initial, null, 2),
    errors,
    details: req.details?.header,
    noArgs: req.details?.noArgs,
    ask: req.ask && { message: req.ask.message },
  };

  const panel = vscode.window.createWebviewPanel(
    req.ask ? 'mcpManager.elicitation' : req.details ? 'mcpManager.toolDetails' : 'mcpManager.toolArguments',
    req.ask ? `${req.server} asks` : req.details ? `${req.tool} (${req.server})` : `Call ${req.tool} (${req.server})`,
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    // The form keeps its state while its tab is hidden; it is short-lived, so the memory is fine.
    { enableScripts: true, enableCommandUris: false, localResourceRoots: [], retainContextWhenHidden: true },
  );
  panel.webview.html = renderFormHtml({ nonce: createNonce(), state, schema: req.inputSchema, description: req.description });

  const evaluate = (m: { mode: 'form' | 'json'; raw?: RawValues; json?: string }): Evaluation => {
    if (m.mode === 'json') {
      let value: unknown;
      try {
        value = JSON.parse(m.json ?? '');
      } catch (e) {
        return { errors: { '': `Invalid JSON: ${e instanceof Error ? e.message : String(e)}` } };
      }
      if (!isObject(value)) return { errors: { '': 'The arguments must be a JSON object ({ ... }).' } };
      const issues = validateValue(req.inputSchema, value);
      return { args: value as Record<string, unknown>, errors: issues.length ? { '': describeIssues(issues) } : {} };
    }
    const built = formToArgs(fields, isObject(m.raw) ? (m.raw as RawValues) : {});
    const issues = validateValue(req.inputSchema, built.args);
    const extra = req.ask?.check?.(built.args) ?? {};
    return { args: built.args, errors: { ...issuesByField(fields, issues), ...extra, ...built.errors } };
  };

  return new Promise((resolve) => {
    let settled = false;
    const finish = (args: Record<string, unknown> | undefined) => {
      if (settled) return;
      settled = true;
      sub.dispose();
      disposeSub.dispose();
      panel.dispose();
      resolve(args);
    };
    const post = (msg: unknown) => {
      if (!settled) void panel.webview.postMessage(msg); // details mode: a call can end after the panel closed
    };
    const receive = (msg: FromPage) => {
      if (!isObject(msg) || typeof msg.type !== 'string') return;
      if (msg.type === 'cancel') return finish(undefined);
      if (msg.type === 'decline') {
        req.ask?.onDecline();
        return finish(undefined);
      }
      if (msg.mode !== 'form' && msg.mode !== 'json') return;
      const ev = evaluate(msg);
      const ok = ev.args !== undefined && Object.keys(ev.errors).length === 0;
      if (msg.type === 'validate') return post({ type: 'errors', seq: msg.seq, errors: ev.errors });
      if (msg.type === 'submit') {
        if (ok && req.details) {
          post({ type: 'busy', busy: true });
          void req.details.onCall(ev.args!).then(
            () => post({ type: 'busy', busy: false }),
            () => post({ type: 'busy', busy: false }),
          );
          return undefined;
        }
        if (ok) return finish(ev.args);
        return post({ type: 'errors', seq: msg.seq, errors: ev.errors, focus: true });
      }
      if (msg.type === 'switch') {
        if (msg.to === 'json') {
          // Values that do not parse would be lost in the switch: fix them first.
          const parseErrors = msg.mode === 'form' ? formToArgs(fields, (msg.raw ?? {}) as RawValues).errors : {};
          if (Object.keys(parseErrors).length) return post({ type: 'errors', seq: msg.seq, errors: parseErrors, focus: true });
          post({ type: 'note', text: '' });
          return post({ type: 'setJson', json: JSON.stringify(ev.args ?? {}, null, 2) });
        }
        if (!ev.args) return post({ type: 'errors', seq: msg.seq, errors: ev.errors, focus: true });
        const back = argsToForm(fields, ev.args);
        if (back.unrepresented.length) {
          return post({ type: 'note', text: `Staying in JSON: the form cannot show ${back.unrepresented.join(', ')}.` });
        }
        post({ type: 'note', text: '' });
        return post({ type: 'setForm', raw: back.raw });
      }
      return undefined;
    };
    const sub = panel.webview.onDidReceiveMessage(receive);
    const disposeSub = panel.onDidDispose(() => finish(undefined));
    req.details?.onOpen?.({ panel, receive: (msg) => receive(msg as FromPage) });
    req.ask?.onOpen?.({ panel, receive: (msg) => receive(msg as FromPage) });
  });
}
