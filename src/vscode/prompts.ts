// Every question this extension asks goes through one small interface, so the integration tests
// can answer it (a modal or a QuickPick cannot be clicked from inside the extension host) while
// everything behind the question stays real: SecretStorage, settings writes, file watchers,
// processes. The real dialogs are exercised by hand and in the e2e tests.
import * as vscode from 'vscode';
import type { Suggest } from '../ui/suggestions';
import { inputWithSuggestions } from './suggestInput';

export interface PickOptions {
  readonly title?: string;
  readonly placeHolder?: string;
  readonly ignoreFocusOut?: boolean;
  readonly matchOnDescription?: boolean;
  readonly matchOnDetail?: boolean;
}

/** An InputBox; with `suggest`, a quick input that also lists the server's suggestions as you type. */
export type InputOptions = vscode.InputBoxOptions & { readonly suggest?: Suggest };

export interface Prompter {
  /** A QuickPick with one answer; undefined when dismissed. */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  /** A QuickPick with checkboxes (items with `picked` start checked); undefined when dismissed. */
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined>;
  /** An InputBox (or, with `suggest`, a quick input with suggestions); undefined when dismissed. */
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal warning; the chosen action's title, undefined for Cancel/Escape. */
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** The file open dialog. */
  openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
  /** A non-modal information message with actions; the chosen action, undefined when closed. */
  notify(message: string, ...actions: string[]): Promise<string | undefined>;
  /** A non-modal error message with actions; the chosen action, undefined when closed. */
  error(message: string, ...actions: string[]): Promise<string | undefined>;
}

/** The real dialogs. */
export const windowPrompter: Prompter = {
  pick: async (items, options) => vscode.window.showQuickPick(items, options),
  pickMany: async (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
  input: async (options) => (options.suggest ? inputWithSuggestions(options, options.suggest) : vscode.window.showInputBox(options)),
  confirm: async (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  openFile: async (options) => (await vscode.window.showOpenDialog({ ...options, canSelectMany: false }))?.[0],
  notify: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  error: async (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
};

/**
 * Forwards to the real dialogs, or to a stand-in while the integration tests install one.
 * Questions are asked one at a time: VS Code shows one QuickPick/InputBox at once and a second one
 * would dismiss the first (two servers starting together would each cancel the other's prompt).
 * Notifications are not queued: they do not take the focus and may stay unanswered.
 */
export class SwitchablePrompter implements Prompter {
  private target: Prompter = windowPrompter;
  private queue: Promise<unknown> = Promise.resolve();

  /** Installs a stand-in; the returned function restores the real dialogs. */
  use(prompter: Prompter): () => void {
    this.target = prompter;
    return () => {
      if (this.target === prompter) this.target = windowPrompter;
    };
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return this.serial(() => this.target.pick(items, options));
  }
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return this.serial(() => this.target.pickMany(items, options));
  }
  input(options: InputOptions): Promise<string | undefined> {
    return this.serial(() => this.target.input(options));
  }
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    return this.serial(() => this.target.confirm(message, detail, ...actions));
  }
  openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    return this.serial(() => this.target.openFile(options));
  }
  notify(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.target.notify(message, ...actions);
  }
  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.target.error(message, ...actions);
  }

  private serial<T>(ask: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(ask);
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
