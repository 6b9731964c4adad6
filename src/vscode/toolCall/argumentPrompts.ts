// The chain of InputBoxes / QuickPicks for a tool with a few simple arguments. Everything it shows
// and checks comes from toolArgs.ts and fieldText.ts (unit-tested); this file only drives the VS Code widgets.
// Titles are stable for the e2e tests: `<tool>: <field> (<type>, required|optional)`.
import * as vscode from 'vscode';
import {
  checkFieldText,
  fieldChoices,
  fieldPlaceholder,
  fieldPrompt,
  fieldTitle,
  initialText,
  validateFieldText,
  type Choice,
} from '../../ui/toolCall/fieldText';
import type { FieldSpec } from '../../ui/toolCall/toolArgs';

export type PromptOutcome =
  | { readonly kind: 'args'; readonly args: Record<string, unknown> }
  /** The user asked for the form; `args` holds what was entered so far. */
  | { readonly kind: 'form'; readonly args: Record<string, unknown> }
  | { readonly kind: 'cancel' };

type StepResult = { kind: 'value'; value: unknown } | { kind: 'skip' } | { kind: 'back' } | { kind: 'form' } | { kind: 'cancel' };

const FORM_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('checklist'), tooltip: 'Edit all arguments in a form' };

export async function promptArguments(
  tool: string,
  fields: readonly FieldSpec[],
  prefill?: Record<string, unknown>,
): Promise<PromptOutcome> {
  const args: Record<string, unknown> = {};
  const has = (k: string) => prefill !== undefined && Object.prototype.hasOwnProperty.call(prefill, k);
  let i = 0;
  while (i < fields.length) {
    const f = fields[i];
    // Going back shows what was entered; edit-and-rerun shows the previous call's value.
    const previous = f.name in args ? { value: args[f.name] } : has(f.name) ? { value: prefill![f.name] } : undefined;
    const r =
      f.kind === 'boolean' || f.kind === 'enum'
        ? await pickStep(tool, f, i + 1, fields.length, previous)
        : await inputStep(tool, f, i + 1, fields.length, previous);
    switch (r.kind) {
      case 'cancel':
        return { kind: 'cancel' };
      case 'form':
        return { kind: 'form', args: { ...prefill, ...args } };
      case 'back':
        i = Math.max(0, i - 1);
        continue;
      case 'skip':
        delete args[f.name];
        break;
      case 'value':
        args[f.name] = r.value;
    }
    i++;
  }
  return { kind: 'args', args };
}

function buttonsFor(step: number): vscode.QuickInputButton[] {
  return step > 1 ? [vscode.QuickInputButtons.Back, FORM_BUTTON] : [FORM_BUTTON];
}

function inputStep(tool: string, field: FieldSpec, step: number, total: number, previous?: { value: unknown }): Promise<StepResult> {
  const box = vscode.window.createInputBox();
  box.title = fieldTitle(tool, field);
  box.step = step;
  box.totalSteps = total;
  box.prompt = fieldPrompt(field) || undefined;
  box.placeholder = fieldPlaceholder(field);
  box.value = initialText(field, previous);
  box.password = field.secret;
  box.ignoreFocusOut = true;
  box.buttons = buttonsFor(step);
  if (box.value) box.validationMessage = validateFieldText(field, box.value);
  return run(box, (done) => [
    box.onDidChangeValue((v) => {
      box.validationMessage = v === '' && field.required ? undefined : validateFieldText(field, v);
    }),
    box.onDidAccept(() => {
      const r = checkFieldText(field, box.value);
      if (!r.ok) box.validationMessage = r.message;
      else done(r.skip ? { kind: 'skip' } : { kind: 'value', value: r.value });
    }),
    box.onDidTriggerButton((b) => done(b === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'form' })),
  ]);
}

interface ChoiceItem extends vscode.QuickPickItem {
  readonly choice: Choice;
}

function pickStep(tool: string, field: FieldSpec, step: number, total: number, previous?: { value: unknown }): Promise<StepResult> {
  const qp = vscode.window.createQuickPick<ChoiceItem>();
  qp.title = fieldTitle(tool, field);
  qp.step = step;
  qp.totalSteps = total;
  qp.placeholder = [fieldPrompt(field), field.required ? 'Choose a value' : 'Choose a value, or (skip)'].filter(Boolean).join(' — ');
  qp.ignoreFocusOut = true;
  qp.buttons = buttonsFor(step);
  const items = fieldChoices(field, previous).map((c): ChoiceItem => ({ label: c.label, description: c.description, choice: c }));
  qp.items = items;
  const active = items.find((it) => it.choice.active);
  if (active) qp.activeItems = [active];
  return run(qp, (done) => [
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item) return;
      done(item.choice.skip ? { kind: 'skip' } : { kind: 'value', value: item.choice.value });
    }),
    qp.onDidTriggerButton((b) => done(b === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'form' })),
  ]);
}

/** Shows a quick input until `done` is called or it is hidden (Escape = cancel). */
function run(input: vscode.QuickInput, wire: (done: (r: StepResult) => void) => vscode.Disposable[]): Promise<StepResult> {
  return new Promise((resolve) => {
    let settled = false;
    const subs: vscode.Disposable[] = [];
    const done = (r: StepResult) => {
      if (settled) return;
      settled = true;
      for (const d of subs) d.dispose();
      input.dispose();
      resolve(r);
    };
    subs.push(
      ...wire(done),
      input.onDidHide(() => done({ kind: 'cancel' })),
    );
    input.show();
  });
}
