// Turns a tool's JSON input schema into a plan for asking the user for arguments (what is typed
// into one field is read by fieldText.ts). Pure (no `vscode` import) so it is unit-tested under plain
// mocha; the QuickPick/InputBox chain and the webview form (formValues.ts) are thin views of it.
//
// The decision, in order (see planArguments):
//   json     the schema is odd or too big for a generated UI: root $ref that does not resolve,
//            root oneOf/anyOf/allOf, not an object, > MAX_PROPERTIES properties, nesting deeper
//            than MAX_DEPTH. The user edits the arguments as JSON (validated against the schema).
//   none     the tool takes no arguments.
//   form     nested objects, arrays of objects, $ref/oneOf/anyOf/allOf in a field, or more than
//            MAX_PROMPT_FIELDS fields: a webview form is easier than a long chain of inputs.
//   prompts  a few simple fields: one InputBox/QuickPick per field.
import { isObject, SCHEMA_PROBLEM_KEY } from '../../core';

export type JsonSchema = { readonly [key: string]: unknown };

export const MAX_PROMPT_FIELDS = 6;
export const MAX_PROPERTIES = 200;
export const MAX_DEPTH = 8;
/** Nested objects deeper than this are edited as JSON inside the form. */
export const MAX_FORM_GROUP_DEPTH = 3;

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json' | 'object';
/** The control a field gets in the form (the prompt chain maps these to InputBox / QuickPick). */
export type FieldControl = 'text' | 'number' | 'checkbox' | 'tristate' | 'select' | 'json' | 'group' | 'list';

/** The JSON-pointer segment standing for "each item" in the key of a list's item template. */
export const ITEM_SEGMENT = '-';

export interface FieldSpec {
  /** JSON pointer of the value in the arguments object, e.g. "/options/depth" (as SchemaIssue.path). */
  readonly key: string;
  readonly path: readonly string[];
  readonly name: string;
  /** `title` from the schema, else the property name. */
  readonly label: string;
  readonly kind: FieldKind;
  readonly control: FieldControl;
  readonly required: boolean;
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly enumValues?: readonly unknown[];
  /** Titles shown for enumValues (a server's titled choices); absent: the values themselves. */
  readonly enumLabels?: readonly string[];
  /** "string", "integer", "JSON array", ... (used in titles: `echo: message (string, required)`). */
  readonly typeLabel: string;
  /** Human-readable constraints: "1 to 10", "at least 1 character", "format: uri". */
  readonly constraints: readonly string[];
  /** Hide typing (format "password", writeOnly, or a secret-looking name). */
  readonly secret: boolean;
  /** The field's own schema (local $ref resolved), used to validate it on its own. */
  readonly schema: JsonSchema;
  readonly children?: readonly FieldSpec[];
  /**
   * control "list" (an array whose items have one schema): the item, as a field of its own. Its
   * key ends in ITEM_SEGMENT; the form gives each item its index instead ("/entities/0/name").
   */
  readonly items?: FieldSpec;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Why a field is edited as JSON (not a simple control). */
  readonly jsonReason?: string;
}

export type ArgumentPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'prompts'; readonly fields: readonly FieldSpec[] }
  | { readonly kind: 'form'; readonly fields: readonly FieldSpec[]; readonly reasons: readonly string[] }
  | { readonly kind: 'json'; readonly reason: string };

export { isObject };

// ------------------------------------------------------------------------------------ $ref

/** Resolves a local JSON-pointer $ref ("#/$defs/X", "#/definitions/X") against the root schema. */
export function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return isObject(node) ? node : undefined;
}

/** Follows $ref chains (bounded); `undefined` when a ref does not resolve or loops. */
function deref(root: JsonSchema, schema: JsonSchema): { schema: JsonSchema; viaRef: boolean } | undefined {
  let s = schema;
  let viaRef = false;
  for (let i = 0; i < 16 && typeof s.$ref === 'string'; i++) {
    const target = resolveLocalRef(root, s.$ref);
    if (!target) return undefined;
    // Sibling keywords (description, default) next to $ref are kept, as draft 2019+ allows.
    const { $ref: _ignored, ...siblings } = s;
    s = { ...target, ...siblings };
    viaRef = true;
  }
  return typeof s.$ref === 'string' ? undefined : { schema: s, viaRef };
}

// ------------------------------------------------------------------------------------ measuring

/** Properties counted over the whole tree and the nesting depth (guards against huge schemas). */
export function measureSchema(schema: unknown, limitProps = MAX_PROPERTIES, limitDepth = MAX_DEPTH): { properties: number; depth: number } {
  let properties = 0;
  let maxDepth = 0;
  const seen = new Set<unknown>();
  const walk = (s: unknown, depth: number) => {
    if (!isObject(s) || seen.has(s) || properties > limitProps || depth > limitDepth + 1) return;
    seen.add(s);
    maxDepth = Math.max(maxDepth, depth);
    if (isObject(s.properties)) {
      const entries = Object.values(s.properties);
      properties += entries.length;
      for (const p of entries) walk(p, depth + 1);
    }
    if (isObject(s.items)) walk(s.items, depth + 1);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = s[k];
      if (Array.isArray(list)) for (const p of list) walk(p, depth + 1);
    }
  };
  walk(schema, 0);
  return { properties, depth: maxDepth };
}

// ------------------------------------------------------------------------------------ planning

const SAFE = Number.MAX_SAFE_INTEGER;
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'credential',
  'credentials',
]);

/** "apiKey", "access_token", "PASSWORD" hide what is typed; "max_tokens" or "key" do not. */
export function isSecretField(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words[words.length - 1] ?? '';
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(words.slice(-2).join(''));
}

/** `anyOf: [X, {type: "null"}]` (pydantic's Optional[X]) is treated as X. */
function unwrapNullable(s: JsonSchema): JsonSchema | undefined {
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (!Array.isArray(list) || s.properties !== undefined) continue;
    const nonNull = list.filter((x) => !(isObject(x) && x.type === 'null'));
    if (nonNull.length === 1 && list.length === 2 && isObject(nonNull[0])) {
      const { [k]: _ignored, ...rest } = s;
      return { ...nonNull[0], ...rest };
    }
  }
  return undefined;
}

function schemaType(s: JsonSchema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  if (isObject(s.properties)) return 'object';
  if (s.items !== undefined) return 'array';
  return undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function constraintsOf(s: JsonSchema, type: string | undefined): string[] {
  const out: string[] = [];
  if (type === 'number' || type === 'integer') {
    // zod emits ±MAX_SAFE_INTEGER for int(); that is noise, not a constraint.
    const min = num(s.minimum);
    const max = num(s.maximum);
    const exMin = num(s.exclusiveMinimum) ?? (s.exclusiveMinimum === true ? min : undefined);
    const exMax = num(s.exclusiveMaximum) ?? (s.exclusiveMaximum === true ? max : undefined);
    const lo =
      exMin !== undefined && Math.abs(exMin) < SAFE ? `> ${exMin}` : min !== undefined && Math.abs(min) < SAFE ? `≥ ${min}` : undefined;
    const hi =
      exMax !== undefined && Math.abs(exMax) < SAFE ? `< ${exMax}` : max !== undefined && Math.abs(max) < SAFE ? `≤ ${max}` : undefined;
    if (lo && hi && lo.startsWith('≥') && hi.startsWith('≤')) out.push(`${min} to ${max}`);
    else {
      if (lo) out.push(lo);
      if (hi) out.push(hi);
    }
    const mult = num(s.multipleOf);
    if (mult !== undefined) out.push(`multiple of ${mult}`);
  }
  if (type === 'string') {
    const minL = num(s.minLength);
    const maxL = num(s.maxLength);
    if (minL !== undefined && minL > 0) out.push(`at least ${minL} character${minL === 1 ? '' : 's'}`);
    if (maxL !== undefined) out.push(`at most ${maxL} characters`);
    if (typeof s.pattern === 'string') out.push(`pattern ${s.pattern}`);
    if (typeof s.format === 'string') out.push(`format: ${s.format}`);
  }
  if (type === 'array') {
    const minI = num(s.minItems);
    const maxI = num(s.maxItems);
    if (minI !== undefined && minI > 0) out.push(`at least ${minI} item${minI === 1 ? '' : 's'}`);
    if (maxI !== undefined) out.push(`at most ${maxI} items`);
  }
  return out;
}

interface Analysis {
  readonly field: FieldSpec;
  /** Why this field makes the whole schema "complex" (form instead of prompts), if it does. */
  readonly complex?: string;
}

/** RFC 6901 escaping of one JSON-pointer segment (as in SchemaIssue.path). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function analyseField(
  root: JsonSchema,
  name: string,
  raw: unknown,
  required: boolean,
  parentPath: readonly string[],
  depth: number,
): Analysis {
  const path = [...parentPath, name];
  const key = '/' + path.map(escapePointer).join('/');
  const base = {
    key,
    path,
    name,
    required,
  };
  const jsonField = (schema: JsonSchema, reason: string, complex?: string): Analysis => ({
    field: {
      ...base,
      label: typeof schema.title === 'string' ? schema.title : name,
      kind: 'json',
      control: 'json',
      description: typeof schema.description === 'string' ? schema.description : undefined,
      hasDefault: 'default' in schema,
      default: schema.default,
      typeLabel: 'JSON',
      constraints: [],
      secret: false,
      schema,
      jsonReason: reason,
    },
    complex,
  });
  if (raw === true || (isObject(raw) && Object.keys(raw).length === 0)) return jsonField({}, 'any JSON value');
  if (!isObject(raw)) return jsonField({}, 'invalid schema', 'invalid field schema');

  const resolved = deref(root, raw);
  if (!resolved) return jsonField(raw, `unresolved $ref ${String(raw.$ref)}`, '$ref');
  let s = resolved.schema;
  const viaRef = resolved.viaRef;
  const nullable = unwrapNullable(s);
  if (nullable) {
    const inner = deref(root, nullable);
    if (!inner) return jsonField(s, 'unresolved $ref', '$ref');
    s = inner.schema;
  }
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[k])) return jsonField(s, `${k} (alternatives)`, k);
  }

  const type = schemaType(s);
  const label = typeof s.title === 'string' ? s.title : name;
  const description = typeof s.description === 'string' ? s.description : undefined;
  const common = {
    ...base,
    label,
    description,
    hasDefault: 'default' in s,
    default: s.default,
    schema: s,
    secret: s.format === 'password' || s.writeOnly === true || isSecretField(name),
  };
  const refNote = viaRef ? '$ref' : undefined;

  const enumValues = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
  if (enumValues && enumValues.length > 0) {
    return {
      field: { ...common, kind: 'enum', control: 'select', enumValues, typeLabel: 'enum', constraints: [] },
      complex: refNote,
    };
  }
  switch (type) {
    case 'string':
      return {
        field: { ...common, kind: 'string', control: 'text', typeLabel: 'string', constraints: constraintsOf(s, type) },
        complex: refNote,
      };
    case 'number':
    case 'integer':
      return {
        field: { ...common, kind: type, control: 'number', typeLabel: type, constraints: constraintsOf(s, type) },
        complex: refNote,
      };
    case 'boolean':
      return {
        field: {
          ...common,
          kind: 'boolean',
          control: required || common.hasDefault ? 'checkbox' : 'tristate',
          typeLabel: 'boolean',
          constraints: [],
        },
        complex: refNote,
      };
    case 'array': {
      const items = isObject(s.items) ? (deref(root, s.items)?.schema ?? s.items) : undefined;
      const itemType = items ? schemaType(items) : undefined;
      const rawItems = isObject(s.items) ? s.items : undefined;
      const ofObjects =
        itemType === 'object' || itemType === 'array' || (!!rawItems && ('$ref' in rawItems || 'oneOf' in rawItems || 'anyOf' in rawItems));
      const field: FieldSpec = {
        ...common,
        kind: 'json',
        control: 'json',
        typeLabel: 'JSON array',
        constraints: constraintsOf(s, type),
        jsonReason: ofObjects ? 'array of objects' : 'array',
      };
      // One schema for every item (not a tuple): the form can add, remove and reorder items, each
      // with its own controls. The prompt chain still reads the whole array as JSON (kind "json").
      const tuple = Array.isArray(s.items) || s.prefixItems !== undefined || s.additionalItems !== undefined;
      if (rawItems && !tuple && depth < MAX_FORM_GROUP_DEPTH) {
        const item = analyseField(root, ITEM_SEGMENT, rawItems, true, path, depth + 1).field;
        return {
          field: {
            ...field,
            control: 'list',
            items: { ...item, label: item.label === ITEM_SEGMENT ? 'item' : item.label },
            minItems: num(s.minItems),
            maxItems: num(s.maxItems),
          },
          complex: ofObjects ? 'array of objects' : refNote,
        };
      }
      return { field, complex: ofObjects ? 'array of objects' : refNote };
    }
    case 'object': {
      const props = isObject(s.properties) ? s.properties : undefined;
      if (!props || Object.keys(props).length === 0 || depth + 1 >= MAX_FORM_GROUP_DEPTH) {
        // A free-form map (or too deep for nested fieldsets): JSON, which the prompt chain can do.
        return {
          field: {
            ...common,
            kind: 'json',
            control: 'json',
            typeLabel: 'JSON object',
            constraints: [],
            jsonReason: props ? 'nested too deeply' : 'free-form object',
          },
          complex: props ? 'nested object' : refNote,
        };
      }
      const req = new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : []);
      const children = Object.entries(props).map(([n, p]) => analyseField(root, n, p, req.has(n), path, depth + 1).field);
      return {
        field: { ...common, kind: 'object', control: 'group', typeLabel: 'object', constraints: [], children },
        complex: 'nested object',
      };
    }
    default:
      return jsonField(
        s,
        type ? `type ${type}` : Array.isArray(s.type) ? 'several types' : 'no type',
        Array.isArray(s.type) ? 'union type' : undefined,
      );
  }
}

/** Decides how to ask for a tool's arguments. Never throws, whatever the schema. */
export function planArguments(inputSchema: unknown): ArgumentPlan {
  if (inputSchema === undefined || inputSchema === null) return { kind: 'none' };
  if (!isObject(inputSchema)) return { kind: 'json', reason: 'the input schema is not an object' };
  // The core repaired this schema while listing (see core/toolSchema.ts): what it says is unreliable.
  const problem = inputSchema[SCHEMA_PROBLEM_KEY];
  if (typeof problem === 'string') return { kind: 'json', reason: `the server's input schema is invalid (${problem})` };
  const root = inputSchema;
  const resolved = deref(root, root);
  if (!resolved) return { kind: 'json', reason: `the input schema's $ref ${String(root.$ref)} cannot be resolved` };
  const s = resolved.schema;
  // ["object", "null"] is still an object for our purposes: arguments are always an object.
  const objectType = s.type === undefined || s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
  if (!objectType) return { kind: 'json', reason: `the input schema's type is ${JSON.stringify(s.type)}, not "object"` };
  const props = s.properties;
  if (props !== undefined && !isObject(props)) return { kind: 'json', reason: '"properties" is not an object' };
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[k])) return { kind: 'json', reason: `the input schema uses ${k} at the top level` };
  }
  if (s.patternProperties !== undefined) return { kind: 'json', reason: 'the input schema uses patternProperties' };
  const { properties, depth } = measureSchema(s);
  if (properties > MAX_PROPERTIES) return { kind: 'json', reason: `the input schema has more than ${MAX_PROPERTIES} properties` };
  if (depth > MAX_DEPTH) return { kind: 'json', reason: `the input schema is nested more than ${MAX_DEPTH} levels deep` };

  const entries = props ? Object.entries(props) : [];
  const required = Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : [];
  if (entries.length === 0) {
    if (required.length) return { kind: 'json', reason: `"required" lists ${required.join(', ')} but there are no properties` };
    // A map-like root ({type: object, additionalProperties: {...}}) still takes arguments.
    if (isObject(s.additionalProperties)) return { kind: 'json', reason: 'the tool takes free-form arguments' };
    return { kind: 'none' };
  }
  const req = new Set(required);
  const analysed = entries.map(([name, p]) => analyseField(root, name, p, req.has(name), [], 0));
  const fields = analysed.map((a) => a.field);
  const reasons = [...new Set(analysed.flatMap((a) => (a.complex ? [a.complex] : [])))];
  if (fields.length > MAX_PROMPT_FIELDS) reasons.unshift(`${fields.length} fields`);
  return reasons.length ? { kind: 'form', fields, reasons } : { kind: 'prompts', fields };
}
