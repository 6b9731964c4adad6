// A QuickPick that searches as you type: each change of the filter text, once typing pauses, asks
// `search` (server-side search), showing a busy bar meanwhile; a newer query cancels an older one.
import * as vscode from 'vscode';

export interface LiveSearchResult<T extends vscode.QuickPickItem> {
  readonly items: readonly T[];
  /** Shown as the placeholder/title note, e.g. "cached results: the registry is unreachable". */
  readonly note?: string;
}

export interface LivePickOptions<T extends vscode.QuickPickItem> {
  readonly title: string;
  readonly placeholder: string;
  readonly initialText?: string;
  readonly search: (text: string, signal: AbortSignal) => Promise<LiveSearchResult<T>>;
}

/** Picks one item, or undefined when dismissed. Replaceable in tests (see RegistryBrowser.livePick). */
export type LivePick = <T extends vscode.QuickPickItem>(options: LivePickOptions<T>) => Promise<T | undefined>;

export const DEBOUNCE_MS = 250;

export const quickPickLiveSearch: LivePick = <T extends vscode.QuickPickItem>(options: LivePickOptions<T>) =>
  new Promise<T | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = options.title;
    qp.placeholder = options.placeholder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    let timer: NodeJS.Timeout | undefined;
    let current: AbortController | undefined;
    const run = (text: string) => {
      current?.abort();
      const controller = (current = new AbortController());
      qp.busy = true;
      options.search(text.trim(), controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          qp.items = result.items;
          qp.title = result.note ? `${options.title} (${result.note})` : options.title;
          qp.busy = false;
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          qp.busy = false;
          qp.items = [{ label: '$(error) Search failed', detail: e instanceof Error ? e.message : String(e), alwaysShow: true } as T];
        },
      );
    };
    let done = false;
    const finish = (value: T | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      current?.abort();
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue((text) => {
      clearTimeout(timer);
      timer = setTimeout(() => run(text), DEBOUNCE_MS);
    });
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0];
      if (picked && !picked.label.startsWith('$(error)')) finish(picked);
    });
    qp.onDidHide(() => finish(undefined));
    if (options.initialText) qp.value = options.initialText;
    qp.show();
    run(options.initialText ?? '');
  });
