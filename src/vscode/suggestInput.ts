// A text input that lists suggestions as you type (a prompt argument's or a template variable's
// completions): a QuickPick whose first row is always what you typed, so Enter takes your own
// text, and the server's values below it (arrow down, Enter). Suggestions are fetched debounced and
// latest-wins (src/ui/suggestions.ts); while they load the input only shows a busy bar, so a slow
// or failing server never blocks typing. Validation runs on every keystroke and on Enter, as in an
// InputBox.
import * as vscode from 'vscode';
import { Suggestions, type Suggest } from '../ui/suggestions';

type Item = vscode.QuickPickItem & { readonly value: string };

export function inputWithSuggestions(options: vscode.InputBoxOptions, suggest: Suggest): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = options.title;
    qp.placeholder = [options.prompt, options.placeHolder].filter(Boolean).join(' · ');
    qp.ignoreFocusOut = options.ignoreFocusOut ?? false;
    qp.matchOnDescription = false;
    qp.value = options.value ?? '';
    let suggested: readonly string[] = [];
    let problem: string | undefined;
    let settled = false;

    const render = () => {
      const typed = qp.value;
      const own: Item = {
        label: typed === '' ? '(empty)' : typed,
        description: problem ? `$(error) ${problem}` : 'as typed',
        value: typed,
        alwaysShow: true,
      };
      const others = suggested
        .filter((v) => v !== typed)
        .map((v): Item => ({ label: v, description: 'suggested by the server', value: v, alwaysShow: true }));
      qp.items = [own, ...others];
    };
    const validate = async (value: string): Promise<string | undefined> => {
      const r = await options.validateInput?.(value);
      return typeof r === 'string' ? r || undefined : (r?.message ?? undefined);
    };
    const suggestions = new Suggestions(suggest, (u) => {
      qp.busy = u.busy;
      if (u.values) suggested = u.values;
      render();
    });
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      suggestions.dispose();
      qp.dispose();
      resolve(value);
    };

    qp.onDidChangeValue(async (value) => {
      render();
      suggestions.typed(value);
      const p = await validate(value);
      if (qp.value === value && p !== problem) {
        problem = p;
        render();
      }
    });
    qp.onDidAccept(async () => {
      const chosen = qp.selectedItems[0]?.value ?? qp.value;
      const p = await validate(chosen);
      if (p) {
        problem = p;
        qp.value = chosen;
        render();
        return;
      }
      finish(chosen);
    });
    qp.onDidHide(() => finish(undefined));
    render();
    qp.show();
    void suggestions.now(qp.value);
  });
}
