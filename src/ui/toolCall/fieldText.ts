// One field asked for as text: the InputBox / QuickPick title, prompt and placeholder, the text it
// starts with, and the parsing and checking of what is typed (as you type). Pure, unit-tested;
// the prompt chain (vscode/toolCall/argumentPrompts.ts) and the form (formValues.ts) use it.
import { issueMessage, validateValue } from './validator';
import type { FieldSpec } from './toolArgs';

// ------------------------------------------------------------------------------------ prompts

/** The InputBox / QuickPick title for one field, e.g. `echo: message (string, required)`. */
export function fieldTitle(tool: string, field: FieldSpec): string {
  return `${tool}: ${field.path.join('.')} (${field.typeLabel}, ${field.required ? 'required' : 'optional'})`;
}

/** The InputBox prompt: description, constraints, default. */
export function fieldPrompt(field: FieldSpec): string {
  const parts: string[] = [];
  if (field.description) parts.push(field.description.trim());
  if (field.constraints.length) parts.push(`(${field.constraints.join(', ')})`);
  if (field.hasDefault) parts.push(`Default: ${JSON.stringify(field.default)}`);
  return parts.join(' ');
}

export function fieldPlaceholder(field: FieldSpec): string {
  const skip = field.required ? '' : ' (leave empty to skip)';
  switch (field.kind) {
    case 'number':
    case 'integer':
      return `A${field.kind === 'integer' ? 'n integer' : ' number'}${skip}`;
    case 'json':
      return `JSON ${field.typeLabel === 'JSON array' ? 'array, e.g. ["a", "b"]' : field.typeLabel === 'JSON object' ? 'object, e.g. {"key": "value"}' : 'value, e.g. "text", 42, true'}${skip}`;
    case 'string':
      return `Text${skip}`;
    default:
      return skip.trim();
  }
}

/** The text an InputBox starts with: a previous value (edit and rerun), else the default. */
export function initialText(field: FieldSpec, previous?: { value: unknown }): string {
  const has = previous !== undefined;
  const v = has ? previous.value : field.default;
  if (!has && !field.hasDefault) return '';
  if (v === undefined) return '';
  if (field.kind === 'string' && typeof v === 'string') return v;
  if ((field.kind === 'number' || field.kind === 'integer') && typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

export type ParsedInput =
  | { readonly ok: true; readonly value: unknown; readonly skip?: false }
  | { readonly ok: true; readonly skip: true }
  | { readonly ok: false; readonly message: string };

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Converts typed text to a value for one field (type only; see validateFieldInput for constraints). */
export function parseFieldText(field: FieldSpec, text: string): ParsedInput {
  if (text.trim() === '' && field.kind !== 'string') {
    return field.required ? { ok: false, message: 'A value is required.' } : { ok: true, skip: true };
  }
  switch (field.kind) {
    case 'string':
      if (text === '') return field.required ? { ok: false, message: 'A value is required.' } : { ok: true, skip: true };
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const t = text.trim();
      if (!NUMBER.test(t)) return { ok: false, message: `Not a number: ${t}` };
      const n = Number(t);
      if (!Number.isFinite(n)) return { ok: false, message: 'The number is too large.' };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { ok: false, message: 'Must be an integer.' };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
      return { ok: false, message: 'Enter true or false.' };
    }
    case 'enum': {
      const values = field.enumValues ?? [];
      const hit = values.find((v) => (typeof v === 'string' ? v === text : JSON.stringify(v) === text.trim()));
      return hit !== undefined || values.includes(text)
        ? { ok: true, value: hit ?? text }
        : { ok: false, message: `Must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}.` };
    }
    default:
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (e) {
        return { ok: false, message: `Invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
  }
}

/** Parses and checks one field's text against its schema (for validation as you type). */
export function checkFieldText(field: FieldSpec, text: string): ParsedInput {
  const parsed = parseFieldText(field, text);
  if (!parsed.ok || parsed.skip) return parsed;
  const issues = validateValue(field.schema, parsed.value);
  return issues.length ? { ok: false, message: issueMessage(issues[0], '') } : parsed;
}

/** The validation message for an InputBox, or undefined when the text is acceptable. */
export function validateFieldText(field: FieldSpec, text: string): string | undefined {
  const r = checkFieldText(field, text);
  return r.ok ? undefined : r.message;
}

/** Choices for a boolean / enum pick, with "(skip)" for optional fields. */
export interface Choice {
  readonly label: string;
  readonly description?: string;
  readonly skip?: boolean;
  readonly value?: unknown;
  /** Preselected (previous value or default). */
  readonly active?: boolean;
}

export const SKIP_LABEL = '(skip)';

export function fieldChoices(field: FieldSpec, previous?: { value: unknown }): Choice[] {
  const values: readonly unknown[] = field.kind === 'boolean' ? [true, false] : (field.enumValues ?? []);
  const current = previous ? previous.value : field.hasDefault ? field.default : undefined;
  const hasCurrent = previous !== undefined || field.hasDefault;
  const choices: Choice[] = values.map((v) => ({
    label: typeof v === 'string' ? v : JSON.stringify(v),
    description: field.hasDefault && sameValue(v, field.default) ? 'default' : undefined,
    value: v,
    active: hasCurrent && sameValue(v, current),
  }));
  if (!field.required) {
    choices.push({
      label: SKIP_LABEL,
      description: field.hasDefault ? 'the server uses its default' : 'leave unset',
      skip: true,
      active: previous === undefined && !field.hasDefault,
    });
  }
  return choices;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
