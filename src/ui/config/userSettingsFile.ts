// Finding the user settings file, which the VS Code API does not name, and checking that a file we
// found is the one VS Code reads. An extension's global storage is `<profile>/globalStorage/<id>`
// and that profile's settings are `<profile>/settings.json`: `User/` for the default profile,
// `User/profiles/<id>/` for another. A remote host or a profile sharing the default profile's
// settings break that rule, so the file is used only when its values are the ones the
// configuration API reports for user settings. Plain TypeScript (no `vscode`), unit-tested.
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { INPUTS_SETTING, SERVERS_SETTING } from './configEdits';

/** The settings.json of the profile whose global storage folder (of one extension) is given. */
export function userSettingsFileOf(globalStoragePath: string): string | undefined {
  const storage = path.dirname(globalStoragePath);
  if (path.basename(storage) !== 'globalStorage') return undefined;
  return path.join(path.dirname(storage), 'settings.json');
}

/** Why a settings text is not the user settings the configuration API reports, or undefined if it is. */
export function userSettingsMismatch(text: string, globalValueOf: (key: string) => unknown): string | undefined {
  if (!text.trim()) return 'it is empty';
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) return 'it has a syntax error';
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'it holds no settings object';
  const settings = value as Record<string, unknown>;
  // Ours must agree, present or not: they are what we are about to change.
  for (const key of [SERVERS_SETTING, INPUTS_SETTING]) {
    if (!same(settings[key], globalValueOf(key))) return `its "${key}" differs from the user settings VS Code reports`;
  }
  // Other keys VS Code may not report (an uninstalled extension's, machine settings in a remote
  // window); one it reports differently means another file.
  let agreeing = 0;
  for (const [key, v] of Object.entries(settings)) {
    if (key.startsWith('[')) continue; // language overrides are reported per language
    const reported = globalValueOf(key);
    if (reported === undefined) continue;
    if (!same(v, reported)) return `its "${key}" differs from the user settings VS Code reports`;
    agreeing++;
  }
  return agreeing ? undefined : 'none of its settings are reported as user settings';
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
