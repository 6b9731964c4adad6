// Form values <-> tool arguments, and schema issues -> the form field they belong to. Pure (no
// `vscode`): the webview only collects raw values; everything here runs in the extension host.
import { escapePointer, isObject, parseFieldText, sameValue, type FieldSpec } from './toolArgs';
import { issueMessage, type SchemaIssue } from './validator';

/** What the webview form holds: text per field, booleans for checkboxes, enum index for selects. */
export type RawValue = string | boolean;
export type RawValues = Record<string, RawValue>;

export function allFields(fields: readonly FieldSpec[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  const walk = (list: readonly FieldSpec[]) => {
    for (const f of list) {
      out.push(f);
      if (f.children) walk(f.children);
    }
  };
  walk(fields);
  return out;
}

/** Builds arguments from form values; `errors` holds parse errors per field key. */
export function formToArgs(fields: readonly FieldSpec[], raw: RawValues): { args: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const build = (list: readonly FieldSpec[]): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    for (const f of list) {
      if (f.children) {
        const child = build(f.children);
        if (f.required || Object.keys(child).length > 0) obj[f.name] = child;
        continue;
      }
      const r = raw[f.key];
      if (r === undefined) continue;
      switch (f.control) {
        case 'checkbox':
          obj[f.name] = r === true || r === 'true';
          break;
        case 'tristate':
          if (r === 'true' || r === 'false') obj[f.name] = r === 'true';
          break;
        case 'select': {
          if (r === '' || typeof r !== 'string') break;
          const i = Number(r);
          const values = f.enumValues ?? [];
          if (Number.isInteger(i) && i >= 0 && i < values.length) obj[f.name] = values[i];
          else errors[f.key] = 'Choose one of the listed values.';
          break;
        }
        default: {
          const text = typeof r === 'string' ? r : String(r);
          // Emptiness means "not set" in the form; requiredness is reported by schema validation.
          if (text === '' || (f.kind !== 'string' && text.trim() === '')) break;
          const parsed = parseFieldText(f, text);
          if (!parsed.ok) errors[f.key] = parsed.message;
          else if (!parsed.skip) obj[f.name] = parsed.value;
        }
      }
    }
    return obj;
  };
  return { args: build(fields), errors };
}

/**
 * Form values for given arguments (prefill for edit-and-rerun, or switching from JSON to the form).
 * `unrepresented` lists what the form cannot show (extra keys, values of the wrong type): when it is
 * not empty, the caller keeps the JSON editor so nothing is silently dropped.
 */
export function argsToForm(fields: readonly FieldSpec[], args: unknown): { raw: RawValues; unrepresented: string[] } {
  const raw: RawValues = {};
  const unrepresented: string[] = [];
  const fill = (list: readonly FieldSpec[], obj: unknown, prefix: string) => {
    if (!isObject(obj)) {
      unrepresented.push(prefix || '/');
      return;
    }
    const known = new Set(list.map((f) => f.name));
    for (const k of Object.keys(obj)) if (!known.has(k)) unrepresented.push(`${prefix}/${escapePointer(k)}`);
    for (const f of list) {
      const has = Object.prototype.hasOwnProperty.call(obj, f.name);
      const v = has ? obj[f.name] : undefined;
      if (f.children) {
        if (has) fill(f.children, v, f.key);
        continue;
      }
      if (!has) {
        if (f.control === 'checkbox') raw[f.key] = false;
        continue;
      }
      switch (f.control) {
        case 'checkbox':
        case 'tristate':
          if (typeof v === 'boolean') raw[f.key] = f.control === 'checkbox' ? v : String(v);
          else unrepresented.push(f.key);
          break;
        case 'select': {
          const i = (f.enumValues ?? []).findIndex((e) => sameValue(e, v));
          if (i >= 0) raw[f.key] = String(i);
          else unrepresented.push(f.key);
          break;
        }
        case 'text':
          if (typeof v === 'string') raw[f.key] = v;
          else unrepresented.push(f.key);
          break;
        case 'number':
          if (typeof v === 'number') raw[f.key] = String(v);
          else unrepresented.push(f.key);
          break;
        default:
          raw[f.key] = JSON.stringify(v, null, 2);
      }
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
 * Assigns schema issues to the form fields they belong to (the nearest field at or above the
 * issue's path). Issues outside every field are returned under the key "".
 */
export function issuesByField(fields: readonly FieldSpec[], issues: readonly SchemaIssue[]): Record<string, string> {
  const keys = new Set(allFields(fields).map((f) => f.key));
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let key = issue.path;
    while (key && !keys.has(key)) key = key.slice(0, key.lastIndexOf('/'));
    const relative = issue.path.slice(key.length).replace(/^\//, '');
    const msg = issue.keyword === 'required' && key === issue.path ? 'A value is required.' : issueMessage(issue, key ? relative : issue.path);
    if (out[key] === undefined) out[key] = msg;
    else if (key === '' && !out[key].includes(msg)) out[key] += `\n${msg}`;
  }
  return out;
}

