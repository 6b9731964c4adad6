// An elicitation form (a server's question) as a Call Tool form: the requested schema becomes
// the argument plan's fields, so the editor shows it with the same form machinery
// (ui/toolCall, vscode/toolCall/argumentForm.ts). Titled choices (`oneOf`/`anyOf` of
// `{const, title}`, `enumNames`) become plain enums whose options show their titles; a multi-select
// is a list of choices. Pure: unit-tested under plain mocha.
import { checkContent, defaultContent, elicitFields, isObject, type ElicitContent, type ElicitField } from '../../core';
import { planArguments, type FieldSpec, type JsonSchema } from '../toolCall/toolArgs';

export interface ElicitationForm {
  /** The schema the form validates against (titled choices as enums). */
  readonly schema: JsonSchema;
  readonly fields: readonly FieldSpec[];
  /** Defaults pre-filled. */
  readonly prefill: ElicitContent;
  /** The spec's field kinds, for the checks the JSON schema validator does not make (formats). */
  readonly elicitFields: readonly ElicitField[];
}

function asEnum(s: Record<string, unknown>, field: ElicitField | undefined): Record<string, unknown> {
  if (!field?.options) return s;
  const { oneOf: _o, anyOf: _a, enumNames: _n, ...rest } = s;
  return { ...rest, type: 'string', enum: field.options.map((o) => o.value) };
}

/** The requested schema with titled choices turned into enums (what the form's plan understands). */
export function normaliseRequestedSchema(requestedSchema: unknown): { schema: JsonSchema; fields: ElicitField[] } {
  const fields = elicitFields(requestedSchema);
  if (!isObject(requestedSchema) || !isObject(requestedSchema.properties)) return { schema: { type: 'object', properties: {} }, fields };
  const properties: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(requestedSchema.properties)) {
    const field = fields.find((f) => f.name === name);
    if (!field || !isObject(raw)) continue;
    properties[name] =
      field.kind === 'multiselect'
        ? { ...raw, items: asEnum(isObject(raw.items) ? raw.items : {}, field), uniqueItems: true }
        : field.kind === 'select'
          ? asEnum(raw, field)
          : raw;
  }
  const required = Array.isArray(requestedSchema.required)
    ? requestedSchema.required.filter((r) => typeof r === 'string' && r in properties)
    : [];
  return { schema: { type: 'object', properties, ...(required.length && { required }) }, fields };
}

/** The form for a question: fields with their choices' titles, defaults pre-filled. */
export function elicitationForm(requestedSchema: unknown): ElicitationForm {
  const { schema, fields: spec } = normaliseRequestedSchema(requestedSchema);
  const plan = planArguments(schema);
  const planned = plan.kind === 'prompts' || plan.kind === 'form' ? plan.fields : [];
  const labelled = planned.map((f): FieldSpec => {
    const options = spec.find((e) => e.name === f.name)?.options;
    if (!options) return f;
    const enumLabels = options.map((o) => o.label);
    return f.items ? { ...f, items: { ...f.items, enumLabels } } : { ...f, enumLabels };
  });
  return { schema, fields: labelled, prefill: defaultContent(spec), elicitFields: spec };
}

/** Problems the JSON schema check leaves to us (formats such as email and date), keyed as the form's fields are. */
export function formatErrors(form: ElicitationForm, content: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, problem] of Object.entries(checkContent(form.elicitFields, content))) {
    const field = form.elicitFields.find((f) => f.name === name);
    if (field?.kind === 'string' && field.format && content[name] !== undefined)
      out[`/${name}`] = `Must be ${problem.replace(/^must be /, '')}`;
  }
  return out;
}
