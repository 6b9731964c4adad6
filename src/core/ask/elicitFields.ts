// The fields of an elicitation form (`requestedSchema`: a flat object of primitive properties, as
// the spec restricts it): defaults, checks and text parsing, shared by the CLI's terminal prompts
// and `--elicit accept:JSON`, and by the editor's form (which renders through the Call Tool form).
import { isObject } from '../format';

export type ElicitValue = string | number | boolean | string[];
export type ElicitContent = Record<string, ElicitValue>;
export interface ElicitOption {
  readonly value: string;
  readonly label: string;
}

export type ElicitFieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'select' | 'multiselect';

export interface ElicitField {
  readonly name: string;
  /** `title`, else the property name. */
  readonly label: string;
  readonly description?: string;
  readonly kind: ElicitFieldKind;
  readonly required: boolean;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** select and multiselect: values and their titles (untitled: the value). */
  readonly options?: readonly ElicitOption[];
  readonly default?: ElicitValue;
}

const chars = (n: number) => `${n} character${n === 1 ? '' : 's'}`;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Titled (`oneOf`/`anyOf` of `{const, title}`), legacy titled (`enum` + `enumNames`) or plain `enum` options. */
function optionsOf(s: Record<string, unknown>): ElicitOption[] | undefined {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.length && list.every((o) => isObject(o) && typeof o.const === 'string'))
      return list.map((o) => {
        const { const: value, title } = o as { const: string; title?: unknown };
        return { value, label: str(title) ?? value };
      });
  }
  if (Array.isArray(s.enum) && s.enum.length) {
    const names = Array.isArray(s.enumNames) ? s.enumNames : [];
    return s.enum.map((v, i) => ({ value: String(v), label: str(names[i]) ?? String(v) }));
  }
  return undefined;
}

/** The form's fields, in the schema's order. Properties of kinds the spec does not allow are left out. */
export function elicitFields(requestedSchema: unknown): ElicitField[] {
  if (!isObject(requestedSchema) || !isObject(requestedSchema.properties)) return [];
  const required = new Set(Array.isArray(requestedSchema.required) ? requestedSchema.required.filter((r) => typeof r === 'string') : []);
  const fields: ElicitField[] = [];
  for (const [name, raw] of Object.entries(requestedSchema.properties)) {
    if (!isObject(raw)) continue;
    const base = { name, label: str(raw.title) ?? name, description: str(raw.description), required: required.has(name) };
    if (raw.type === 'array') {
      const items = isObject(raw.items) ? raw.items : {};
      const options = optionsOf(items);
      if (!options) continue;
      const def = Array.isArray(raw.default) ? raw.default.filter((v): v is string => typeof v === 'string') : undefined;
      fields.push({ ...base, kind: 'multiselect', options, minItems: num(raw.minItems), maxItems: num(raw.maxItems), default: def });
      continue;
    }
    const options = raw.type === 'string' || raw.type === undefined ? optionsOf(raw) : undefined;
    if (options) {
      fields.push({ ...base, kind: 'select', options, default: str(raw.default) });
    } else if (raw.type === 'string') {
      fields.push({
        ...base,
        kind: 'string',
        format: str(raw.format),
        minLength: num(raw.minLength),
        maxLength: num(raw.maxLength),
        default: str(raw.default),
      });
    } else if (raw.type === 'number' || raw.type === 'integer') {
      fields.push({ ...base, kind: raw.type, minimum: num(raw.minimum), maximum: num(raw.maximum), default: num(raw.default) });
    } else if (raw.type === 'boolean') {
      fields.push({ ...base, kind: 'boolean', default: typeof raw.default === 'boolean' ? raw.default : undefined });
    }
  }
  return fields;
}

/** The schema's defaults, by field name (what a form starts with). */
export function defaultContent(fields: readonly ElicitField[]): ElicitContent {
  const out: ElicitContent = {};
  for (const f of fields) if (f.default !== undefined) out[f.name] = f.default;
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function formatProblem(format: string | undefined, value: string): string | undefined {
  switch (format) {
    case 'email':
      return EMAIL.test(value) ? undefined : 'must be an email address, e.g. name@example.com';
    case 'uri':
      try {
        new URL(value);
        return undefined;
      } catch {
        return 'must be a URI, e.g. https://example.com';
      }
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be a date, YYYY-MM-DD';
    case 'date-time':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be a date and time, e.g. 2026-07-28T14:30:00Z';
    default:
      return undefined;
  }
}

/** What is wrong with one value (undefined: it is fine). An absent value is checked against `required`. */
export function checkValue(field: ElicitField, value: unknown): string | undefined {
  if (value === undefined || value === null) return field.required ? 'is required' : undefined;
  switch (field.kind) {
    case 'string': {
      if (typeof value !== 'string') return 'must be text';
      if (field.minLength !== undefined && value.length < field.minLength) return `must be at least ${chars(field.minLength)}`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `must be at most ${chars(field.maxLength)}`;
      return value === '' && !field.required ? undefined : formatProblem(field.format, value);
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (field.kind === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      if (field.minimum !== undefined && value < field.minimum) return `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `must be at most ${field.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'select':
      return typeof value === 'string' && field.options?.some((o) => o.value === value)
        ? undefined
        : `must be one of ${field.options?.map((o) => JSON.stringify(o.value)).join(', ')}`;
    case 'multiselect': {
      if (!Array.isArray(value)) return 'must be a list of choices';
      const bad = value.find((v) => !field.options?.some((o) => o.value === v));
      if (bad !== undefined) return `${JSON.stringify(bad)} is not one of ${field.options?.map((o) => JSON.stringify(o.value)).join(', ')}`;
      if (field.minItems !== undefined && value.length < field.minItems) return `choose at least ${field.minItems}`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `choose at most ${field.maxItems}`;
      return undefined;
    }
  }
}

/** Problems of a whole answer, by field name; unknown names too (under their own name). */
export function checkContent(fields: readonly ElicitField[], content: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const problem = checkValue(f, content[f.name]);
    if (problem) errors[f.name] = problem;
  }
  for (const name of Object.keys(content)) if (!fields.some((f) => f.name === name)) errors[name] = 'is not a field of this form';
  return errors;
}

/** "name: is required; age: must be at least 0". */
export function describeErrors(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([name, problem]) => `${name}: ${problem}`)
    .join('; ');
}

/**
 * Parses what was typed for one field (terminal prompts). Empty text means "keep the default"
 * (or leave it out); a select takes a value, a title or the option's number; a multiselect takes
 * them separated by commas.
 */
export function parseTyped(field: ElicitField, text: string): { value?: ElicitValue; error?: string } {
  const t = text.trim();
  if (t === '') {
    const value = field.default;
    const error = checkValue(field, value);
    return error ? { error } : { value };
  }
  const pick = (token: string): string | undefined => {
    const options = field.options ?? [];
    const n = Number(token);
    if (Number.isInteger(n) && n >= 1 && n <= options.length && !options.some((o) => o.value === token)) return options[n - 1]!.value;
    return options.find((o) => o.value === token || o.label.toLowerCase() === token.toLowerCase())?.value;
  };
  let value: ElicitValue | undefined;
  switch (field.kind) {
    case 'string':
      value = text;
      break;
    case 'number':
    case 'integer':
      value = Number(t);
      if (Number.isNaN(value)) return { error: 'must be a number' };
      break;
    case 'boolean':
      if (/^(y|yes|true|1|on)$/i.test(t)) value = true;
      else if (/^(n|no|false|0|off)$/i.test(t)) value = false;
      else return { error: 'answer yes or no' };
      break;
    case 'select':
      value = pick(t);
      if (value === undefined) return { error: `choose one of ${field.options?.map((o, i) => `${i + 1}) ${o.label}`).join(', ')}` };
      break;
    case 'multiselect': {
      const picked = t
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => [x, pick(x)] as const);
      const unknown = picked.find(([, v]) => v === undefined);
      if (unknown) return { error: `${JSON.stringify(unknown[0])} is not one of the choices` };
      value = [...new Set(picked.map(([, v]) => v!))];
      break;
    }
  }
  const error = checkValue(field, value);
  return error ? { error } : { value };
}

/** "(number, 1 to 10, default 3, required)": what a prompt says about its field. */
export function fieldHint(field: ElicitField): string {
  const parts: string[] = [];
  if (field.kind === 'select' || field.kind === 'multiselect')
    parts.push(
      `${field.kind === 'multiselect' ? 'one or more, separated by commas: ' : ''}${field.options?.map((o, i) => `${i + 1}) ${o.label}${o.label !== o.value ? ` [${o.value}]` : ''}`).join(', ')}`,
    );
  else if (field.kind === 'boolean') parts.push('yes/no');
  else parts.push(field.format ? `${field.kind}, ${field.format}` : field.kind);
  if (field.minimum !== undefined || field.maximum !== undefined) parts.push(`${field.minimum ?? '…'} to ${field.maximum ?? '…'}`);
  if (field.minLength !== undefined) parts.push(`at least ${chars(field.minLength)}`);
  if (field.maxLength !== undefined) parts.push(`at most ${chars(field.maxLength)}`);
  if (field.default !== undefined)
    parts.push(
      `default ${Array.isArray(field.default) ? field.default.join(', ') : field.kind === 'boolean' ? (field.default ? 'yes' : 'no') : String(field.default)}`,
    );
  if (field.required) parts.push('required');
  return `(${parts.join('; ')})`;
}
