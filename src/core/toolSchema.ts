// Tool schemas as servers really send them. Two jobs, both pure (no I/O):
//  - sanitizeTools: the SDK's ListToolsResultSchema rejects a whole tools/list result when a single
//    tool's inputSchema lacks `type: "object"` (or has boolean property schemas, a string
//    `required`, an invalid outputSchema...), so one sloppy tool would hide all the others.
//    Each tool is checked on its own instead: a valid tool passes unchanged, a tool with a name but
//    an unusable schema is kept with a repaired object schema marked with SCHEMA_PROBLEM_KEY (it
//    stays callable; the argument UI falls back to a JSON editor), and an entry without a usable
//    name is skipped. Every repair and skip is reported, to be logged against the server.
//  - assessSchema: how an argument UI should ask for a tool's arguments: a few quick prompts
//    ('simple'), a form ('form'), or a JSON editor ('json', with the reason). It walks the schema
//    iteratively with a node budget, so a schema nested 20,000 levels deep or with thousands of
//    properties is assessed in well under a millisecond per thousand nodes and never overflows the
//    stack.
import type { Tool } from '@modelcontextprotocol/client';
import { ToolSchema } from '@modelcontextprotocol/core';
import { isObject } from './format';

/** Set on a repaired inputSchema: why it was repaired. assessSchema returns 'json' for it. */
export const SCHEMA_PROBLEM_KEY = 'x-mcp-manager-problem';

export interface SchemaAssessment {
  readonly kind: 'simple' | 'form' | 'json';
  /** Why the schema is not 'simple' (always set for 'json'). */
  readonly reason?: string;
}

export interface ToolProblem {
  /** Position in the server's list (across pages). */
  readonly index: number;
  /** The tool's name when it has one. */
  readonly tool?: string;
  /** Ready to log, e.g. `tool "x": inputSchema has no "type"; ...` or `skipped tools[3]: it has no name`. */
  readonly message: string;
  /** True when the entry was left out of the list (nothing to call it by). */
  readonly skipped: boolean;
}

/** Limits of the argument UI's prompt and form modes; beyond them, a JSON editor is the better tool. */
export const SCHEMA_LIMITS = {
  /** A 'simple' schema has at most this many top-level properties, all primitive. */
  simpleMaxProperties: 8,
  /** A 'form' has at most this many properties in all. */
  formMaxProperties: 50,
  /** Levels of nested objects/arrays a form shows (the top level is 1). */
  formMaxDepth: 3,
  /** Schema nodes visited before giving up on a form. */
  maxNodes: 5000,
} as const;

type Json = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 30 ? v.slice(0, 30) + '…' : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

// ---------------------------------------------------------------------------------- sanitizing

/** Checks each raw tools/list entry on its own; see the file comment. `offset` numbers entries across pages. */
export function sanitizeTools(raw: readonly unknown[], offset = 0): { tools: Tool[]; problems: ToolProblem[] } {
  const tools: Tool[] = [];
  const problems: ToolProblem[] = [];
  raw.forEach((entry, i) => {
    const index = offset + i;
    const skip = (why: string) => problems.push({ index, message: `skipped tools[${index}]: ${why}`, skipped: true });
    if (!isObject(entry)) return void skip(`it is ${describe(entry)}, not an object`);
    const name = entry.name;
    if (name === undefined || name === '') return void skip('it has no name');
    if (typeof name !== 'string') return void skip(`its name is ${describe(name)}, not a string`);
    const parsed = checkTool(entry);
    if (parsed.success) return void tools.push(entry as Tool);
    const { tool, notes } = repair(entry);
    const again = checkTool(tool);
    if (!again.success) {
      const first = again.error.issues[0];
      return void skip(`tool "${name}" is invalid (${first?.path.join('.') || 'tool'}: ${first?.message ?? 'invalid'})`);
    }
    tools.push(tool as Tool);
    problems.push({ index, tool: name, message: `tool "${name}": ${notes.join('; ')}`, skipped: false });
  });
  return { tools, problems };
}

/**
 * The SDK's tool schema, with the two JSON Schemas checked only at their top (an object with
 * `type: "object"`, as the 2025 SDK did): the SDK's schema walks them recursively, which overflows
 * the stack on a schema nested thousands of levels deep. A valid tool is then kept exactly as the
 * server sent it (`tools --json` prints that), never the parser's copy.
 */
function checkTool(entry: Json): ReturnType<typeof ToolSchema.safeParse> {
  const shallow: Json = { ...entry };
  // An outputSchema may have any root type since 2026-07-28 (SEP-2106); it only has to be a schema.
  if (isObject(entry.outputSchema)) shallow.outputSchema = {};
  for (const key of ['inputSchema'] as const) {
    const schema = entry[key];
    if (schema === undefined) continue;
    if (!isObject(schema) || schema.type !== 'object' || (schema.properties !== undefined && !isObject(schema.properties))) continue;
    const props = isObject(schema.properties) ? schema.properties : undefined;
    if (props && !Object.values(props).every(isObject)) continue;
    if (schema.required !== undefined && !(Array.isArray(schema.required) && schema.required.every((r) => typeof r === 'string'))) continue;
    shallow[key] = { type: 'object' };
  }
  return ToolSchema.safeParse(shallow);
}

/** Makes an invalid tool valid: an object inputSchema (marked), no invalid outputSchema or metadata. */
function repair(entry: Json): { tool: Json; notes: string[] } {
  const notes: string[] = [];
  const tool: Json = { ...entry };
  const input = entry.inputSchema;
  const inputProblems: string[] = [];
  let schema: Json;
  if (input === undefined) {
    inputProblems.push('the server sent no inputSchema');
    schema = { type: 'object' };
  } else if (!isObject(input)) {
    inputProblems.push(`inputSchema is ${describe(input)}, not an object`);
    schema = { type: 'object' };
  } else {
    schema = { ...input };
    if (input.type === undefined) inputProblems.push('inputSchema has no "type"');
    else if (input.type !== 'object') inputProblems.push(`inputSchema has type ${JSON.stringify(input.type)}, not "object"`);
    schema.type = 'object';
    if (input.properties !== undefined) {
      if (!isObject(input.properties)) {
        inputProblems.push(`"properties" is ${describe(input.properties)}, not an object`);
        delete schema.properties;
      } else {
        const props: Json = {};
        const odd: string[] = [];
        for (const [k, v] of Object.entries(input.properties)) {
          if (isObject(v)) props[k] = v;
          else {
            odd.push(k);
            // JSON Schema allows boolean schemas: true accepts anything, false nothing.
            props[k] = v === false ? { not: {} } : {};
          }
        }
        if (odd.length)
          inputProblems.push(
            `properties ${odd
              .slice(0, 5)
              .map((k) => `"${k}"`)
              .join(', ')}${odd.length > 5 ? '…' : ''} are not schema objects`,
          );
        schema.properties = props;
      }
    }
    if (input.required !== undefined && !(Array.isArray(input.required) && input.required.every((r) => typeof r === 'string'))) {
      inputProblems.push(`"required" is ${describe(input.required)}, not a list of names`);
      delete schema.required;
    }
  }
  if (inputProblems.length) {
    const why = inputProblems.join('; ');
    schema[SCHEMA_PROBLEM_KEY] = why;
    tool.inputSchema = schema;
    notes.push(`${why}; treated as an object schema, so arguments are edited as JSON`);
  }
  const output = entry.outputSchema;
  if (output !== undefined && !isObject(output)) {
    delete tool.outputSchema;
    notes.push(
      `outputSchema (${isObject(output) ? `type ${JSON.stringify(output.type)}` : describe(output)}) is invalid and ignored; structured results are not validated`,
    );
  }
  // Whatever else is invalid (title, annotations, icons...) is dropped, never the tool.
  const rest = ToolSchema.safeParse(tool);
  if (!rest.success) {
    for (const issue of rest.error.issues) {
      const key = issue.path[0];
      if (typeof key === 'string' && key !== 'name' && key !== 'inputSchema' && key in tool) {
        delete tool[key];
        notes.push(`"${key}" is invalid (${issue.message}) and ignored`);
      }
    }
  }
  if (notes.length === 0) notes.push('invalid and repaired');
  return { tool, notes };
}

// ---------------------------------------------------------------------------------- assessing

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const REFS = ['$ref', '$dynamicRef', '$recursiveRef'];
const COMBINATORS = ['oneOf', 'anyOf', 'allOf'];
const UNSUPPORTED = [
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependentRequired',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'prefixItems',
];

/**
 * How an argument UI should ask for a tool's arguments (`tool.inputSchema`):
 * - `simple`: at most 8 top-level properties, each a primitive (string, number, integer, boolean,
 *   enum/const, or such a type or null): a few quick prompts;
 * - `form`: nested objects and arrays up to 3 levels and 50 properties in all;
 * - `json`: anything else, with `reason`: not an object schema, a schema the core had to repair
 *   (SCHEMA_PROBLEM_KEY), `$ref`, combinators over objects, conditional keywords, deeper nesting,
 *   more properties. The UI then opens a JSON editor (with `{}` or the last arguments) and may
 *   show `schemaText(schema)` beside it.
 * Never throws, whatever the input.
 */
export function assessSchema(schema: unknown): SchemaAssessment {
  const json = (reason: string): SchemaAssessment => ({ kind: 'json', reason });
  if (!isObject(schema)) return json(`the input schema is ${describe(schema)}, not an object schema`);
  const problem = schema[SCHEMA_PROBLEM_KEY];
  if (typeof problem === 'string') return json(`the server's input schema is invalid: ${problem}`);
  if (schema.type === undefined) return json('the input schema has no "type"');
  if (schema.type !== 'object') return json(`the input schema has type ${JSON.stringify(schema.type)}, not "object"`);
  const rootKeyword = firstKey(schema, [...REFS, ...COMBINATORS, ...UNSUPPORTED]);
  if (rootKeyword) return json(`the input schema uses ${rootKeyword} at the top level`);
  const props = schema.properties;
  if (props !== undefined && !isObject(props)) return json('"properties" is not an object');
  const top = props ? Object.entries(props) : [];
  if (top.length > SCHEMA_LIMITS.formMaxProperties)
    return json(`the input schema has ${top.length} properties (a form shows at most ${SCHEMA_LIMITS.formMaxProperties})`);

  // Iterative walk over property/item schemas: depth counts nested objects and arrays.
  let nodes = 0;
  let properties = 0;
  let simple = top.length <= SCHEMA_LIMITS.simpleMaxProperties;
  let notSimple = simple ? undefined : `it has ${top.length} properties`;
  const stack: { s: unknown; depth: number; path: string }[] = top.map(([k, s]) => ({ s, depth: 1, path: k }));
  while (stack.length) {
    const { s, depth, path } = stack.pop()!;
    if (++nodes > SCHEMA_LIMITS.maxNodes)
      return json(`the input schema is too large for a form (more than ${SCHEMA_LIMITS.maxNodes} schema nodes)`);
    if (typeof s === 'boolean') return json(`"${path}" is a boolean schema`);
    if (!isObject(s)) return json(`"${path}" is ${describe(s)}, not a schema`);
    const ref = firstKey(s, REFS);
    if (ref) return json(`"${path}" uses ${ref} (references are not expanded in forms)`);
    const unsupported = firstKey(s, UNSUPPORTED);
    if (unsupported) return json(`"${path}" uses ${unsupported}`);
    const kind = primitiveKind(s);
    if (kind === 'primitive') continue;
    if (kind === 'complex') return json(`"${path}" combines ${firstKey(s, COMBINATORS) ?? 'several types'} over non-primitive schemas`);
    // An object or an array: not simple; deeper levels make it a JSON case.
    if (simple) {
      simple = false;
      notSimple = `"${path}" is ${kind === 'object' ? 'an object' : 'an array'}`;
    }
    if (depth >= SCHEMA_LIMITS.formMaxDepth)
      return json(`the input schema is nested more than ${SCHEMA_LIMITS.formMaxDepth} levels deep (at "${path}")`);
    if (kind === 'object') {
      const p = s.properties;
      if (p !== undefined) {
        if (!isObject(p)) return json(`"${path}.properties" is not an object`);
        for (const [k, v] of Object.entries(p)) {
          if (++properties + top.length > SCHEMA_LIMITS.formMaxProperties)
            return json(`the input schema has more than ${SCHEMA_LIMITS.formMaxProperties} properties in all`);
          stack.push({ s: v, depth: depth + 1, path: `${path}.${k}` });
        }
      } else if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
        return json(`"${path}" is a map with free-form keys`);
      }
    } else if (s.items !== undefined) {
      if (Array.isArray(s.items)) return json(`"${path}" uses tuple items`);
      stack.push({ s: s.items, depth: depth + 1, path: `${path}[]` });
    }
  }
  return simple ? { kind: 'simple' } : { kind: 'form', reason: notSimple };
}

function firstKey(s: Json, keys: readonly string[]): string | undefined {
  return keys.find((k) => s[k] !== undefined);
}

/** 'primitive' for a field the quick prompts can ask for; 'object'/'array' for containers. */
function primitiveKind(s: Json): 'primitive' | 'object' | 'array' | 'complex' {
  if (Array.isArray(s.enum) || s.const !== undefined) return 'primitive';
  const combined = firstKey(s, COMBINATORS);
  if (combined) {
    const branches = s[combined];
    // e.g. pydantic's Optional[str]: anyOf [{type: string}, {type: null}].
    if (
      Array.isArray(branches) &&
      branches.every((b) => isObject(b) && !firstKey(b, [...REFS, ...COMBINATORS]) && primitiveKind(b) === 'primitive')
    )
      return 'primitive';
    return 'complex';
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.every((t) => typeof t === 'string' && PRIMITIVES.has(t))) return 'primitive';
  const containers = types.filter((t) => t !== 'null');
  if (containers.length === 1 && containers[0] === 'object') return 'object';
  if (containers.length === 1 && containers[0] === 'array') return 'array';
  if (s.type === undefined) return s.properties !== undefined ? 'object' : s.items !== undefined ? 'array' : 'primitive';
  return 'complex';
}

// ---------------------------------------------------------------------------------- display

/**
 * Pretty JSON of a schema for display beside a JSON editor, safe for any input: levels deeper than
 * `maxDepth` become "…" (JSON.stringify overflows the stack around 10,000 levels), and the text is
 * cut at `maxChars`.
 */
export function schemaText(schema: unknown, options: { maxDepth?: number; maxChars?: number } = {}): string {
  const maxDepth = options.maxDepth ?? 32;
  const maxChars = options.maxChars ?? 100_000;
  const out: string[] = [];
  let size = 0;
  const emit = (s: string): boolean => {
    out.push(s);
    size += s.length;
    return size < maxChars;
  };
  const write = (v: unknown, depth: number, indent: string): boolean => {
    if (Array.isArray(v) || isObject(v)) {
      const entries: [string | undefined, unknown][] = Array.isArray(v) ? v.map((x) => [undefined, x]) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) return emit(open + close);
      if (depth >= maxDepth) return emit(`${open} … ${close}`);
      if (!emit(open + '\n')) return false;
      const inner = indent + '  ';
      for (let i = 0; i < entries.length; i++) {
        const [k, x] = entries[i]!;
        if (!emit(inner + (k === undefined ? '' : `${JSON.stringify(k)}: `))) return false;
        if (!write(x, depth + 1, inner)) return false;
        if (!emit(i < entries.length - 1 ? ',\n' : '\n')) return false;
      }
      return emit(indent + close);
    }
    return emit(v === undefined ? 'null' : JSON.stringify(v));
  };
  const complete = write(schema, 0, '');
  const text = out.join('');
  return complete ? text : `${text.slice(0, maxChars)}\n… (truncated)`;
}
