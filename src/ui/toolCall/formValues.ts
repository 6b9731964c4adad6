// Form values <-> tool arguments, and schema issues -> the form field they belong to. Pure (no
// `vscode`): the webview only collects raw values; everything here runs in the extension host.
//
// Raw values are flat, keyed by the JSON pointer of the value they hold ("/options/depth"). A list
// (an array field) holds its item count under its own key ("/entities": "2"), and its items'
// values under their index ("/entities/0/name", "/entities/1/observations/0"), so schema issues
// (whose paths are the same pointers) land on the control they concern.
import { escapePointer, isObject, type FieldSpec } from './toolArgs';
import { parseFieldText, sameValue } from './fieldText';
import { issueMessage, type SchemaIssue } from './validator';

/** What the webview form holds: text per field, booleans for checkboxes, enum index for selects, item counts for lists. */
export type RawValue = string | boolean;
export type RawValues = Record<string, RawValue>;

/** Above this many items a list is not built from raw values (a runaway count from the page). */
export const MAX_LIST_ITEMS = 1000;

export function allFields(fields: readonly FieldSpec[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  const walk = (list: readonly FieldSpec[]) => {
    for (const f of list) {
      out.push(f);
      if (f.children) walk(f.children);
      if (f.items) walk([f.items]);
    }
  };
  walk(fields);
  return out;
}

const keyOf = (prefix: string, f: FieldSpec) => `${prefix}/${escapePointer(f.name)}`;

/** The item count a list holds in raw values (its key), bounded. */
export function listCount(raw: RawValues, key: string): number {
  const n = Number(raw[key]);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LIST_ITEMS) : 0;
}

/** The items a list starts with when it has no value: its minItems, else one when required. */
export function initialItems(f: FieldSpec): number {
  return Math.min(f.minItems ?? (f.required ? 1 : 0), MAX_LIST_ITEMS);
}

/** Builds arguments from form values; `errors` holds parse errors per field key. */
export function formToArgs(
  fields: readonly FieldSpec[],
  raw: RawValues,
): { args: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  /** One value (undefined: not set) for field `f` stored at `key`. */
  const value = (f: FieldSpec, key: string): unknown => {
    if (f.children) {
      const child = build(f.children, key);
      return f.required || Object.keys(child).length > 0 ? child : undefined;
    }
    if (f.control === 'list' && f.items) {
      if (raw[key] === undefined) return undefined;
      const n = listCount(raw, key);
      const item = f.items;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const v = item.children ? build(item.children, `${key}/${i}`) : value(item, `${key}/${i}`);
        // An empty scalar item is still an item (the schema says whether that is fine): null is not a
        // good stand-in, so text items become "" and others are left for the validator to flag.
        out.push(v === undefined ? (item.kind === 'string' ? '' : null) : v);
      }
      return out.length || f.required ? out : undefined;
    }
    const r = raw[key];
    if (r === undefined) return undefined;
    switch (f.control) {
      case 'checkbox':
        return r === true || r === 'true';
      case 'tristate':
        return r === 'true' || r === 'false' ? r === 'true' : undefined;
      case 'select': {
        if (r === '' || typeof r !== 'string') return undefined;
        const i = Number(r);
        const values = f.enumValues ?? [];
        if (Number.isInteger(i) && i >= 0 && i < values.length) return values[i];
        errors[key] = 'Choose one of the listed values.';
        return undefined;
      }
      default: {
        const text = typeof r === 'string' ? r : String(r);
        // Emptiness means "not set" in the form; requiredness is reported by schema validation.
        if (text === '' || (f.kind !== 'string' && text.trim() === '')) return undefined;
        const parsed = parseFieldText(f, text);
        if (!parsed.ok) errors[key] = parsed.message;
        else if (!parsed.skip) return parsed.value;
        return undefined;
      }
    }
  };
  const build = (list: readonly FieldSpec[], prefix: string): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    for (const f of list) {
      const v = value(f, keyOf(prefix, f));
      if (v !== undefined) obj[f.name] = v;
    }
    return obj;
  };
  return { args: build(fields, ''), errors };
}

/**
 * Form values for given arguments (prefill for edit-and-rerun, or switching from JSON to the form).
 * `unrepresented` lists what the form cannot show (extra keys, values of the wrong type): when it is
 * not empty, the caller keeps the JSON editor so nothing is silently dropped.
 */
export function argsToForm(fields: readonly FieldSpec[], args: unknown): { raw: RawValues; unrepresented: string[] } {
  const raw: RawValues = {};
  const unrepresented: string[] = [];
  const fillValue = (f: FieldSpec, key: string, has: boolean, v: unknown) => {
    if (f.children) {
      if (has) fill(f.children, v, key);
      return;
    }
    if (f.control === 'list' && f.items) {
      if (!has) {
        raw[key] = String(initialItems(f));
        return;
      }
      if (!Array.isArray(v) || v.length > MAX_LIST_ITEMS) {
        unrepresented.push(key);
        return;
      }
      raw[key] = String(v.length);
      v.forEach((item, i) => fillValue(f.items!, `${key}/${i}`, true, item));
      return;
    }
    if (!has) {
      if (f.control === 'checkbox') raw[key] = false;
      return;
    }
    switch (f.control) {
      case 'checkbox':
      case 'tristate':
        if (typeof v === 'boolean') raw[key] = f.control === 'checkbox' ? v : String(v);
        else unrepresented.push(key);
        break;
      case 'select': {
        const i = (f.enumValues ?? []).findIndex((e) => sameValue(e, v));
        if (i >= 0) raw[key] = String(i);
        else unrepresented.push(key);
        break;
      }
      case 'text':
        if (typeof v === 'string') raw[key] = v;
        else unrepresented.push(key);
        break;
      case 'number':
        if (typeof v === 'number') raw[key] = String(v);
        else unrepresented.push(key);
        break;
      default:
        raw[key] = JSON.stringify(v, null, 2);
    }
  };
  const fill = (list: readonly FieldSpec[], obj: unknown, prefix: string) => {
    if (!isObject(obj)) {
      unrepresented.push(prefix || '/');
      return;
    }
    const known = new Set(list.map((f) => f.name));
    for (const k of Object.keys(obj)) if (!known.has(k)) unrepresented.push(`${prefix}/${escapePointer(k)}`);
    for (const f of list) {
      const has = Object.prototype.hasOwnProperty.call(obj, f.name);
      fillValue(f, keyOf(prefix, f), has, has ? obj[f.name] : undefined);
    }
  };
  fill(fields, args, '');
  return { raw, unrepresented };
}

/** The arguments a form starts with when nothing was given before: defaults only. */
export function defaultArgs(fields: readonly FieldSpec[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.children) {
      const child = defaultArgs(f.children);
      if (f.hasDefault) obj[f.name] = f.default;
      else if (f.required || Object.keys(child).length) obj[f.name] = child;
    } else if (f.hasDefault) obj[f.name] = f.default;
  }
  return obj;
}

// ------------------------------------------------------------------------------------ errors

/**
 * The field an issue path belongs to: the deepest field at or above it, with list indexes taken
 * from the path ("/entities/1/observations/0" -> the observations list item "/entities/1/observations/0",
 * "/entities/1" -> the item of entities). `key` "" = outside every field.
 */
export function fieldAt(fields: readonly FieldSpec[], path: string): { key: string; field?: FieldSpec; labels: string[] } {
  const segs = path.split('/').slice(1);
  let list: readonly FieldSpec[] | undefined = fields;
  let current: FieldSpec | undefined;
  let key = '';
  const labels: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (current?.control === 'list' && current.items) {
      if (!/^\d+$/.test(seg)) break;
      current = current.items;
      key += `/${seg}`;
      labels.push(String(Number(seg) + 1));
      list = current.children;
      continue;
    }
    const next: FieldSpec | undefined = list?.find((f) => escapePointer(f.name) === seg);
    if (!next) break;
    current = next;
    key += `/${seg}`;
    labels.push(next.label);
    list = next.children;
  }
  return { key, field: current, labels };
}

/** "entities › 2 › observations" for "/entities/1/observations" (list items counted from 1, as the form shows them). */
export function fieldPathLabel(fields: readonly FieldSpec[], path: string): string {
  const at = fieldAt(fields, path);
  const rest = path
    .slice(at.key.length)
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [...at.labels, ...rest].join(' › ');
}

/** Issues as lines named by field ("entities › 2 › observations: Must be array"), for the JSON editor. */
export function namedIssues(fields: readonly FieldSpec[], issues: readonly SchemaIssue[], max = 10): string {
  const lines = issues.slice(0, max).map((i) => issueMessage(i, i.path ? fieldPathLabel(fields, i.path) : ''));
  if (issues.length > max) lines.push(`… and ${issues.length - max} more`);
  return lines.join('\n');
}

/**
 * Assigns schema issues to the form fields they belong to (the nearest field at or above the
 * issue's path). Issues outside every field are returned under the key "", named by field.
 */
export function issuesByField(fields: readonly FieldSpec[], issues: readonly SchemaIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const at = fieldAt(fields, issue.path);
    const key = at.key;
    const relative = issue.path
      .slice(key.length)
      .split('/')
      .slice(1)
      .map((s) => (at.field?.control === 'list' && /^\d+$/.test(s) ? String(Number(s) + 1) : s.replace(/~1/g, '/').replace(/~0/g, '~')))
      .join(' › ');
    const msg =
      issue.keyword === 'required' && key === issue.path
        ? 'A value is required.'
        : key
          ? issueMessage(issue, relative)
          : issueMessage(issue, issue.path ? fieldPathLabel(fields, issue.path) : '');
    if (out[key] === undefined) out[key] = msg;
    else if (!out[key].split('\n').includes(msg)) out[key] += `\n${msg}`;
  }
  return out;
}
