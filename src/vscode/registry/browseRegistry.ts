// "MCP: Browse Registry...": search the configured MCP registries as you type, look at an entry's
// details, install it (where, which package, the values it needs), and update an installed one.
// Installing writes the entry (never a secret: secret values go to secret storage behind
// ${input:...}) and reloads the configuration; the server appears in the tree, idle.
import * as vscode from 'vscode';
import { errorMessage, type ServerRegistry } from '../../core';
import {
  buildEntry,
  DEFAULT_REGISTRY,
  describeEntry,
  entryChanges,
  entryKind,
  installOptions,
  InstallError,
  isInstallable,
  questionsFor,
  RegistryClient,
  RegistryError,
  suggestLocalName,
  type Answers,
  type InstallOption,
  type Question,
  type RegistryEntry,
} from '../../core/mcpRegistry';
import type { ConfigWriter } from '../configWriter';
import type { InputService } from '../inputs';
import type { Prompter } from '../prompts';
import { entriesAt, installTargets, writeInstalledEntry, type InstallTarget } from './installTarget';
import { quickPickLiveSearch, type LivePick } from './livePick';

const TITLE = 'Browse MCP Registry';
export const REGISTRIES_KEY = 'registries';

export interface BrowseDeps {
  readonly registry: ServerRegistry;
  readonly prompter: Prompter;
  readonly inputs: InputService;
  readonly reload: () => Promise<void>;
  readonly client: RegistryClient;
  /** Writes the installed entry into settings (comments kept). */
  readonly writer: ConfigWriter;
}

export interface Installed {
  readonly name: string;
  readonly target: InstallTarget;
  readonly entry: Record<string, unknown>;
}

type ResultItem = vscode.QuickPickItem & { entry?: RegistryEntry };
type DetailItem = vscode.QuickPickItem & { option?: InstallOption; open?: string; back?: boolean };

/** The registries from `mcpManager.registries` (default: the official one). */
export function configuredRegistries(): string[] {
  const list = vscode.workspace.getConfiguration('mcpManager').get<unknown>(REGISTRIES_KEY);
  const urls = Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string' && !!u.trim()) : [];
  return urls.length ? urls : [DEFAULT_REGISTRY];
}

export class RegistryBrowser {
  /** The search-as-you-type pick; the integration tests replace it (they cannot type into a QuickPick). */
  livePick: LivePick = quickPickLiveSearch;

  constructor(private readonly deps: BrowseDeps) {}

  /** The whole flow; the installed server, or undefined when cancelled. */
  async browse(initialText?: string): Promise<Installed | undefined> {
    for (;;) {
      const picked = await this.livePick<ResultItem>({
        title: TITLE,
        placeholder: `Search ${configuredRegistries().join(', ')} by name`,
        initialText,
        search: (text, signal) => this.search(text, signal),
      });
      if (!picked?.entry) return undefined;
      const result = await this.details(picked.entry);
      if (result === 'back') {
        initialText = undefined;
        continue;
      }
      return result;
    }
  }

  /** One search over every configured registry, as pick items. */
  async search(text: string, signal?: AbortSignal): Promise<{ items: ResultItem[]; note?: string }> {
    const items: ResultItem[] = [];
    const notes: string[] = [];
    const registries = configuredRegistries();
    const failures: string[] = [];
    for (const url of registries) {
      try {
        const page = await this.deps.client.search(url, { search: text || undefined, limit: 50 }, signal);
        if (page.stale) notes.push(`cached results from ${new Date(page.stale.fetchedAt).toLocaleTimeString()}: ${page.stale.reason}`);
        for (const entry of page.entries) {
          if (entry.meta.status === 'deleted') continue;
          items.push(resultItem(entry, registries.length > 1));
        }
        if (page.nextCursor) items.push({ label: '$(ellipsis) More results: type more of the name', alwaysShow: false });
      } catch (e) {
        if (signal?.aborted) throw e;
        failures.push(e instanceof RegistryError ? e.message : errorMessage(e));
      }
    }
    if (failures.length === registries.length) throw new Error(failures.join(' '));
    for (const f of failures) items.push({ label: '$(warning) A registry could not be searched', detail: f, alwaysShow: true });
    if (!items.length) items.push({ label: `No servers match "${text}"`, alwaysShow: true });
    return { items, note: notes[0] };
  }

  /** The entry's details with its install options; 'back' returns to the search. */
  async details(entry: RegistryEntry): Promise<Installed | undefined | 'back'> {
    const { server } = entry;
    const description = describeEntry(entry);
    const options = installOptions(server);
    const items: DetailItem[] = [];
    if (isInstallable(entry)) {
      for (const o of options) {
        items.push(
          o.supported
            ? { label: `$(cloud-download) Install: ${o.label}`, detail: o.detail, option: o }
            : { label: `$(circle-slash) ${o.label}`, detail: `Cannot be installed here: ${o.reason}` },
        );
      }
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    for (const line of description.lines.filter((l) => !/^(Package|Remote|\s)/.test(l))) {
      const url = /^(Repository|Website): (\S+)/.exec(line)?.[2];
      items.push({ label: url ? `$(link-external) ${line}` : `$(info) ${line}`, open: url });
    }
    for (const o of options.filter((x) => x.supported)) {
      const qs = questionsFor(server, o.key);
      if (qs.length)
        items.push({
          label: `$(key) Values for ${o.label}`,
          detail: qs.map((q) => `${q.label}${q.required ? '' : ' (optional)'}${q.secret ? ' (secret)' : ''}`).join(', '),
        });
    }
    items.push({ label: '$(arrow-left) Back to the search', back: true });
    for (;;) {
      const picked = await this.deps.prompter.pick(items, {
        title: `${server.title ?? server.name} ${server.version ?? ''} (${description.kind})`,
        placeHolder: isInstallable(entry)
          ? oneLine(server.description ?? 'Choose how to install it')
          : `${entry.meta.status}: not offered for install`,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      if (picked.back) return 'back';
      if (picked.open) {
        void vscode.env.openExternal(vscode.Uri.parse(picked.open));
        continue;
      }
      if (picked.option) return this.install(entry, picked.option);
    }
  }

  /** Asks the name, the place and the values, then writes the entry. */
  async install(entry: RegistryEntry, option: InstallOption): Promise<Installed | undefined> {
    const { prompter } = this.deps;
    const { server } = entry;
    const title = `Install ${server.name}`;
    const base = suggestLocalName(server);
    let suggestion = base;
    for (let i = 2; this.deps.registry.get(suggestion); i++) suggestion = `${base}-${i}`;
    const name = (
      await prompter.input({
        title: `${title}: name`,
        prompt: 'Name of the server (shown in the tree and used in commands)',
        value: suggestion,
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim()
            ? 'Required'
            : this.deps.registry.get(v.trim())
              ? {
                  message: `A server named "${v.trim()}" already exists; an entry in a more specific scope replaces it.`,
                  severity: vscode.InputBoxValidationSeverity.Warning,
                }
              : undefined,
      })
    )?.trim();
    if (!name) return undefined;

    const targets = installTargets();
    const target =
      targets.length === 1
        ? targets[0]!
        : (
            await prompter.pick(
              targets.map((t) => ({ label: t.label, detail: t.detail, target: t })),
              { title: `${title}: where`, placeHolder: 'Where should the server be saved?' },
            )
          )?.target;
    if (!target) return undefined;
    const existing = entriesAt(target);
    if (Object.prototype.hasOwnProperty.call(existing.servers, name)) {
      const answer = await prompter.confirm(
        `"${name}" already exists in ${target.label}. Replace it?`,
        'The existing entry is overwritten.',
        'Replace',
      );
      if (answer !== 'Replace') return undefined;
    }

    const answers = await this.ask(questionsFor(server, option.key), title, {});
    if (!answers) return undefined;
    let built;
    try {
      built = buildEntry(server, option.key, answers, {
        localName: name,
        origin: { url: entry.registry, name: server.name, version: server.version },
        takenInputIds: existing.inputIds,
      });
    } catch (e) {
      if (e instanceof InstallError) throw new Error(`Could not install ${server.name}: ${e.message}`);
      throw e;
    }
    for (const [id, value] of Object.entries(built.secretValues)) await this.deps.inputs.store(target.secretScope, target.label, id, value);
    await writeInstalledEntry(this.deps.writer, target, name, built.entry, built.inputs);
    await this.deps.reload();
    void prompter.notify(
      `Installed "${name}" (${server.name} ${server.version ?? ''}) into ${target.label}. It starts when you first use it.${built.inputs.length ? ` Secret values are kept in VS Code's secret storage.` : ''}`,
    );
    return { name, target, entry: built.entry };
  }

  /** The questions, one box (or pick) each; undefined when cancelled. `prefill` from an installed entry. */
  private async ask(
    questions: readonly Question[],
    title: string,
    prefill: Readonly<Record<string, string>>,
  ): Promise<Answers | undefined> {
    const { prompter } = this.deps;
    const answers: Record<string, string | string[]> = {};
    let n = 0;
    for (const q of questions) {
      n++;
      const step = `${title} (${n}/${questions.length})`;
      const about = `${q.label}${q.description ? `: ${q.description}` : ''}`;
      if (q.choices?.length && !q.secret) {
        type C = vscode.QuickPickItem & { value?: string };
        const items: C[] = q.choices.map((c) => ({
          label: c,
          value: c,
          description: c === (prefill[q.id] ?? q.default) ? (prefill[q.id] ? 'current' : 'default') : undefined,
        }));
        if (!q.required) items.push({ label: '$(dash) Leave out', description: 'the server decides' });
        const picked = await prompter.pick(items, { title: step, placeHolder: about, ignoreFocusOut: true });
        if (!picked) return undefined;
        if (picked.value !== undefined) answers[q.id] = picked.value;
        continue;
      }
      const values: string[] = [];
      for (;;) {
        const more = values.length > 0;
        const value = await prompter.input({
          title: step,
          prompt: q.secret
            ? `${about} (secret: kept in VS Code's secret storage${q.required ? '; leave empty to be asked when the server starts' : '; leave empty to leave it out'})`
            : `${about}${more ? ' (another one, or leave empty to finish)' : q.required ? '' : ' (optional: leave empty to leave it out)'}`,
          placeHolder: q.placeholder ?? (q.format === 'filepath' ? 'an absolute path' : undefined),
          value: more || q.secret ? '' : (prefill[q.id] ?? q.default ?? ''),
          password: q.secret,
          ignoreFocusOut: true,
          validateInput: (v) => {
            if (q.required && !q.secret && !more && !v.trim()) return 'Required';
            if (q.format === 'number' && v.trim() && !/^-?\d+(\.\d+)?$/.test(v.trim())) return 'A number';
            return undefined;
          },
        });
        if (value === undefined) return undefined;
        if (q.secret) {
          if (value || q.required) answers[q.id] = value;
          break;
        }
        if (value.trim()) values.push(value.trim());
        if (!q.repeated || !value.trim()) break;
      }
      if (values.length) answers[q.id] = q.repeated ? values : values[0]!;
    }
    return answers;
  }

  /** Update an installed server to `latest`: shows what changes, asks the values again (prefilled), writes. */
  async update(name: string, latest: RegistryEntry): Promise<Installed | undefined> {
    const conn = this.deps.registry.get(name);
    const origin = conn?.definition.registry;
    if (!conn || !origin) throw new Error(`"${name}" was not installed from a registry.`);
    const target = installTargets().find((t) =>
      t.kind === 'mcp.json' ? t.file === conn.definition.source?.file : t.scope.kind === conn.definition.source?.kind,
    );
    if (!target) throw new Error(`"${name}" is defined in ${conn.definition.source?.label ?? 'a place'} that cannot be written from here.`);
    const existing = entriesAt(target);
    const before = existing.servers[name] as Record<string, unknown> | undefined;
    if (!before) throw new Error(`"${name}" is not in ${target.label}.`);
    const option = sameOption(latest, before);
    if (!option) throw new Error(`${latest.server.name} ${latest.server.version ?? ''} offers no way to run it here any more.`);
    const prefill = { ...stringMap(before.env), ...stringMap(before.headers) };
    const answers = await this.ask(questionsFor(latest.server, option.key), `Update ${name}`, prefill);
    if (!answers) return undefined;
    // Inputs already declared for this server are reused, not duplicated.
    const built = buildEntry(latest.server, option.key, answers, {
      localName: name,
      origin: { url: latest.registry, name: latest.server.name, version: latest.server.version },
    });
    const changes = entryChanges(before, built.entry);
    const answer = await this.deps.prompter.confirm(
      `Update "${name}" from ${origin.version ?? 'its installed version'} to ${latest.server.version ?? 'the latest version'}?`,
      changes.length ? `What changes in ${target.label}:\n${changes.join('\n')}` : 'Only the version recorded changes.',
      'Update',
    );
    if (answer !== 'Update') return undefined;
    for (const [id, value] of Object.entries(built.secretValues)) await this.deps.inputs.store(target.secretScope, target.label, id, value);
    await writeInstalledEntry(this.deps.writer, target, name, built.entry, built.inputs);
    await this.deps.reload();
    void this.deps.prompter.notify(`Updated "${name}" to ${latest.server.version ?? 'the latest version'}.`);
    return { name, target, entry: built.entry };
  }
}

function resultItem(entry: RegistryEntry, showRegistry: boolean): ResultItem {
  const { server, meta } = entry;
  const kind = entryKind(server).replace('+', ' + ');
  const status = meta.status === 'deprecated' ? '$(warning) deprecated · ' : '';
  return {
    label: server.name,
    description: `${server.version ?? ''} · ${kind}${showRegistry ? ` · ${entry.registry}` : ''}`,
    detail: `${status}${oneLine(server.description ?? server.title ?? '')}`,
    entry,
  };
}

/** The install option matching how the entry runs today (same package type, or a remote of the same transport). */
function sameOption(latest: RegistryEntry, before: Record<string, unknown>): InstallOption | undefined {
  const options = installOptions(latest.server).filter((o) => o.supported);
  if (typeof before.url === 'string')
    return (
      options.find(
        (o) =>
          o.kind === 'remote' &&
          latest.server.remotes![Number(o.key.split(':')[1])]!.type === (before.type === 'sse' ? 'sse' : 'streamable-http'),
      ) ?? options.find((o) => o.kind === 'remote')
    );
  const byCommand: Record<string, string> = {
    npx: 'npm',
    bunx: 'npm',
    uvx: 'pypi',
    pipx: 'pypi',
    uv: 'pypi',
    docker: 'oci',
    podman: 'oci',
    dnx: 'nuget',
  };
  const type = byCommand[String(before.command)];
  return (
    options.find((o) => o.kind === 'package' && latest.server.packages![Number(o.key.split(':')[1])]!.registryType === type) ??
    options.find((o) => o.kind === 'package')
  );
}

function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && !e[1].includes('${input:'),
    ),
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
