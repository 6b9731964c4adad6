// The editor's answers to a server's questions (core/ask AskHost): roots are the workspace
// folders; a form question opens the Call Tool form in "asks" mode (Accept, Decline, Cancel;
// closing it is Cancel); a URL question names the server and the URL's domain and opens it only
// after the user agrees; sampling goes to a language model VS Code offers (vscode.lm), with the
// request and then the answer shown for review unless the server's `sampling` setting is `allow`.
import * as vscode from 'vscode';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import {
  samplingTranscript,
  type AskContext,
  type AskHost,
  type ElicitContent,
  type ElicitRequest,
  type ElicitResult,
  type SamplingRequest,
  type SamplingResult,
} from '../../core';
import { elicitationForm, formatErrors } from '../../ui/ask/elicitForm';
import { openArgumentForm, type FormRequest } from '../toolCall/argumentForm';
import type { Prompter } from '../prompts';
import { answerText, askModel, resultContent } from './samplingModel';

/** Where language models come from (vscode.lm; the integration tests register their own). */
export type ModelSource = () => Promise<readonly vscode.LanguageModelChat[]>;

export const editorModels: ModelSource = async () => {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  return lm?.selectChatModels ? lm.selectChatModels() : [];
};

/** The JSON-RPC code of a sampling request the user refused (the spec's example uses -1). */
export const USER_REFUSED = -1;
const REVIEW_CHARS = 6000;

export interface EditorAskOptions {
  readonly prompter: Prompter;
  readonly models?: ModelSource;
  readonly openForm?: (req: FormRequest) => Promise<Record<string, unknown> | undefined>;
  readonly openExternal?: (uri: vscode.Uri) => Thenable<boolean>;
  readonly folders?: () => readonly string[];
}

export class EditorAsk implements AskHost {
  /** Sampling requests' tools go to the model, and its tool calls back to the server (samplingModel.ts). */
  readonly samplingTools = true;
  private readonly waiting = new Map<string, () => void>();
  /** Tests swap these (a language model of their own, a form driven through its panel). */
  models: ModelSource;
  openForm: (req: FormRequest) => Promise<Record<string, unknown> | undefined>;
  openExternal: (uri: vscode.Uri) => Thenable<boolean>;

  constructor(private readonly o: EditorAskOptions) {
    this.models = o.models ?? editorModels;
    this.openForm = o.openForm ?? openArgumentForm;
    this.openExternal = o.openExternal ?? ((uri) => vscode.env.openExternal(uri));
  }

  defaultRoots(): readonly string[] {
    if (this.o.folders) return this.o.folders();
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  async elicit(req: ElicitRequest, ctx: AskContext): Promise<ElicitResult> {
    if (req.mode === 'url') return this.elicitUrl(req, ctx);
    const form = elicitationForm(req.requestedSchema);
    let declined = false;
    const answer = await this.openForm({
      server: ctx.server,
      tool: 'elicitation',
      inputSchema: form.schema,
      fields: form.fields,
      prefill: form.prefill,
      jsonReason: form.fields.length ? undefined : 'the question has no fields the form can show',
      ask: {
        message: req.message,
        onDecline: () => (declined = true),
        check: (args) => formatErrors(form, args),
      },
    });
    if (declined) return { action: 'decline' };
    if (!answer) return { action: 'cancel' };
    return { action: 'accept', content: answer as ElicitContent };
  }

  private async elicitUrl(req: ElicitRequest & { mode: 'url' }, ctx: AskContext): Promise<ElicitResult> {
    let uri: vscode.Uri;
    let domain: string;
    try {
      const url = new URL(req.url);
      domain = url.host;
      uri = vscode.Uri.parse(url.href, true);
    } catch {
      void this.o.prompter.error(`${ctx.server} asked you to open an address that is not a valid URL; it was declined.`);
      return { action: 'decline' };
    }
    const choice = await this.o.prompter.confirm(
      `${ctx.server} asks you to open a page on ${domain}`,
      `${req.message}\n\n${req.url}\n\nOpen it only if you trust this server and the site.`,
      `Open ${domain}`,
      'Decline',
    );
    if (choice === 'Decline') return { action: 'decline' };
    if (!choice) return { action: 'cancel' };
    await this.openExternal(uri);
    // 2025 era: the server says when the user is done there (notifications/elicitation/complete).
    if (ctx.era === 'legacy' && 'elicitationId' in req && req.elicitationId) this.showWaiting(ctx, req.elicitationId, domain);
    return { action: 'accept' };
  }

  private showWaiting(ctx: AskContext, id: string, domain: string): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${ctx.server}: waiting until you finish on ${domain}`, cancellable: true },
      (_progress, token) =>
        new Promise<void>((resolve) => {
          const done = () => {
            this.waiting.delete(`${ctx.server}\n${id}`);
            resolve();
          };
          this.waiting.set(`${ctx.server}\n${id}`, done);
          token.onCancellationRequested(done);
          ctx.signal.addEventListener('abort', done, { once: true });
        }),
    );
  }

  elicitationComplete(server: string, elicitationId: string): void {
    this.waiting.get(`${server}\n${elicitationId}`)?.();
  }

  async sample(req: SamplingRequest, ctx: AskContext): Promise<SamplingResult> {
    const def = ctx.definition;
    const all = await this.models();
    const allowed = def.samplingModels.length
      ? all.filter((m) =>
          def.samplingModels.some((p) => [m.id, m.family, m.name, m.vendor].some((v) => v?.toLowerCase() === p.toLowerCase())),
        )
      : all;
    if (!allowed.length) {
      const why = all.length
        ? `none of the language models matches its "samplingModels" (${def.samplingModels.join(', ')})`
        : 'no language model is available in this editor (install or sign in to a chat extension that provides one)';
      void this.o.prompter.error(`${ctx.server} asked a language model for a completion (sampling), but ${why}.`);
      throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `sampling is not available: ${why}`);
    }
    let model = preferred(allowed, req);
    const transcript = samplingTranscript(req);
    if (def.sampling !== 'allow') {
      for (;;) {
        const choice = await this.o.prompter.confirm(
          `${ctx.server} asks a language model for a completion`,
          `Model: ${model.name} (${model.vendor})\nMax tokens: ${req.maxTokens}\n\n${clip(transcript)}`,
          `Send to ${model.name}`,
          ...(allowed.length > 1 ? ['Choose Another Model…'] : []),
        );
        if (!choice) throw refused(ctx.server, 'the request');
        if (choice.startsWith('Send')) break;
        const picked = await this.o.prompter.pick(
          allowed.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}`, model: m })),
          { title: `Model for ${ctx.server}'s request` },
        );
        if (picked) model = picked.model;
      }
    }
    const answer = await askModel(model, req, ctx);
    if (def.sampling !== 'allow') {
      const choice = await this.o.prompter.confirm(
        `Send ${model.name}'s answer back to ${ctx.server}?`,
        clip(answerText(answer)),
        'Send Answer',
      );
      if (!choice) throw refused(ctx.server, 'the answer');
    }
    return { role: 'assistant', model: model.id, ...resultContent(answer) } as SamplingResult;
  }
}

function refused(server: string, what: string): ProtocolError {
  return new ProtocolError(USER_REFUSED, `the user refused to send ${what} (sampling requested by ${server})`);
}

function clip(text: string): string {
  return text.length > REVIEW_CHARS ? `${text.slice(0, REVIEW_CHARS)}\n… (${text.length - REVIEW_CHARS} more characters)` : text;
}

/** The first model named by the request's hints, else the first one. */
function preferred(models: readonly vscode.LanguageModelChat[], req: SamplingRequest): vscode.LanguageModelChat {
  for (const hint of req.modelPreferences?.hints ?? []) {
    const name = hint.name?.toLowerCase();
    const match = name && models.find((m) => [m.id, m.family, m.name].some((v) => v.toLowerCase().includes(name)));
    if (match) return match;
  }
  return models[0]!;
}
