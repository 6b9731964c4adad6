// A Prompter that answers from a script, for the integration tests: the extension's questions
// (inputs, launch consent, Add Server, Import) cannot be clicked from inside the extension host.
// Everything behind the questions stays real. Input answers go through the InputBox's own
// validateInput, so an answer the real dialog would refuse fails the test.
import * as vscode from 'vscode';
import type { InputOptions, PickOptions, Prompter } from '../../../src/vscode/prompts';

export type AskKind = 'pick' | 'pickMany' | 'input' | 'confirm' | 'openFile' | 'notify' | 'error';

/** One question as asked, for assertions. */
export interface Ask {
  readonly kind: AskKind;
  /** Title, message, prompt and placeholder joined: what a rule's pattern is matched against. */
  readonly text: string;
  readonly detail?: string;
  readonly password?: boolean;
  /** The input's suggestion source (prompt arguments, template variables), for answers to call. */
  readonly suggest?: (value: string) => Promise<readonly string[]>;
  readonly items?: readonly vscode.QuickPickItem[];
  readonly actions?: readonly string[];
}

/**
 * An answer: for pick, a pattern matched against item labels (or a function choosing the item);
 * for pickMany, patterns (each picks the items whose label matches) or a function; for input and
 * confirm, the string (an action title for confirm); for openFile, a file path; undefined dismisses.
 */
export type Answer = string | RegExp | readonly (string | RegExp)[] | ((ask: Ask) => unknown) | undefined;

interface Rule {
  readonly kind: AskKind;
  readonly pattern: RegExp;
  readonly answer: Answer;
  remaining: number;
}

const labelOf = (item: vscode.QuickPickItem) => item.label.replace(/^\$\([^)]*\)\s*/, '');
const matches = (p: string | RegExp, label: string) => (typeof p === 'string' ? label === p : p.test(label));

export class ScriptedPrompter implements Prompter {
  readonly asked: Ask[] = [];
  /** Questions no rule answered (answered with undefined = dismissed). */
  readonly unexpected: Ask[] = [];
  private readonly rules: Rule[] = [];

  /** Answers the next `times` questions of `kind` whose text matches `pattern`. */
  on(kind: AskKind, pattern: RegExp, answer: Answer, times = 1): this {
    this.rules.push({ kind, pattern, answer, remaining: times });
    return this;
  }

  count(kind: AskKind, pattern: RegExp): number {
    return this.asked.filter((a) => a.kind === kind && pattern.test(a.text)).length;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    const answer = this.answerFor({ kind: 'pick', text: join(options.title, options.placeHolder), items });
    if (answer === undefined) return undefined;
    if (typeof answer === 'function') return (answer as (a: Ask) => T | undefined)(this.asked.at(-1)!);
    const found = items.find((i) => matches(answer as string | RegExp, labelOf(i)));
    if (!found) throw new Error(`no item matches ${String(answer)} in ${items.map(labelOf).join(', ')}`);
    return found;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    const answer = this.answerFor({ kind: 'pickMany', text: join(options.title, options.placeHolder), items });
    if (answer === undefined) return undefined;
    if (typeof answer === 'function') return (answer as (a: Ask) => T[] | undefined)(this.asked.at(-1)!);
    const patterns = Array.isArray(answer) ? answer : [answer as string | RegExp];
    return items.filter((i) => patterns.some((p) => matches(p, labelOf(i))));
  }

  async input(options: InputOptions): Promise<string | undefined> {
    const suggest = options.suggest;
    const answer = this.answerFor({
      kind: 'input',
      text: join(options.title, options.prompt, options.placeHolder),
      password: options.password,
      suggest: suggest && ((value: string) => suggest(value, new AbortController().signal)),
    });
    const value =
      typeof answer === 'function'
        ? await (answer as (a: Ask) => string | undefined | Promise<string | undefined>)(this.asked.at(-1)!)
        : (answer as string | undefined);
    if (value === undefined) return undefined;
    const problem = await options.validateInput?.(value);
    const message =
      typeof problem === 'string'
        ? problem
        : problem && problem.severity === vscode.InputBoxValidationSeverity.Error
          ? problem.message
          : undefined;
    if (message) throw new Error(`the input box would refuse ${JSON.stringify(value)}: ${message}`);
    return value;
  }

  async confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    const answer = this.answerFor({ kind: 'confirm', text: message, detail, actions });
    const value =
      typeof answer === 'function' ? (answer as (a: Ask) => string | undefined)(this.asked.at(-1)!) : (answer as string | undefined);
    if (value !== undefined && !actions.includes(value)) throw new Error(`"${value}" is not one of the actions ${actions.join(', ')}`);
    return value;
  }

  async openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    const answer = this.answerFor({ kind: 'openFile', text: join(options.title, options.openLabel) });
    return typeof answer === 'string' ? vscode.Uri.file(answer) : undefined;
  }

  async notify(message: string, ...actions: string[]): Promise<string | undefined> {
    const answer = this.answerFor({ kind: 'notify', text: message, actions }, false);
    return typeof answer === 'string' ? answer : undefined;
  }

  async error(message: string, ...actions: string[]): Promise<string | undefined> {
    const answer = this.answerFor({ kind: 'error', text: message, actions }, false);
    return typeof answer === 'string' ? answer : undefined;
  }

  private answerFor(ask: Ask, expected = true): Answer {
    this.asked.push(ask);
    const rule = this.rules.find((r) => r.remaining > 0 && r.kind === ask.kind && r.pattern.test(ask.text));
    if (!rule) {
      // Notifications and error messages need no answer; any other unanswered question is worth a look.
      if (expected) this.unexpected.push(ask);
      return undefined;
    }
    rule.remaining--;
    return rule.answer;
  }
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' | ');
}
