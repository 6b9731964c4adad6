// JSON Schema validation of tool arguments and structured results with ajv, the validator the MCP
// SDK's Client already bundles (same copy, so it adds nothing to the bundle). Pure: no `vscode`.
//
// Tool schemas come from servers and can be anything: a schema ajv cannot compile (unknown $ref,
// bad regex, duplicate $id) is reported once as a `schema` issue and otherwise not enforced, so
// the user can still call the tool; the server has the last word anyway.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface SchemaIssue {
  /** JSON pointer into the value ("" = the value itself), as in ajv's instancePath. */
  readonly path: string;
  readonly message: string;
  readonly keyword: string;
}

let shared: Ajv | undefined;

function createAjv(): Ajv {
  // Mirrors the SDK's own instance: lenient about unknown keywords, formats checked.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

type Compiled = ValidateFunction | { readonly error: string };
const cache = new WeakMap<object, Compiled>();

/** Above these, compiling takes seconds (5,000 properties: ~1.5 s) or overflows the stack. */
export const MAX_CHECKED_NODES = 2000;
export const MAX_CHECKED_DEPTH = 48;

/** Why a schema is too big to compile here, or undefined. Bounded: stops at the limits. */
function tooBig(schema: object): string | undefined {
  let nodes = 0;
  let reason: string | undefined;
  const walk = (v: unknown, depth: number): void => {
    if (reason || typeof v !== 'object' || v === null) return;
    if (depth > MAX_CHECKED_DEPTH) {
      reason = `nested more than ${MAX_CHECKED_DEPTH} levels deep`;
      return;
    }
    if (++nodes > MAX_CHECKED_NODES) {
      reason = `more than ${MAX_CHECKED_NODES} schema nodes`;
      return;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child, depth + 1);
  };
  walk(schema, 0);
  return reason && `too large to check before sending (${reason}); the server checks the arguments`;
}

function compile(schema: object): Compiled {
  const hit = cache.get(schema);
  if (hit) return hit;
  const big = tooBig(schema);
  if (big) {
    cache.set(schema, { error: big });
    return { error: big };
  }
  // $schema may name a draft ajv's default instance does not load (2019-09, 2020-12); the
  // keywords tools use are the same, so it is dropped rather than failing the whole schema.
  const { $schema: _drop, ...copy } = schema as Record<string, unknown>;
  let result: Compiled;
  const attempt = (ajv: Ajv): Compiled => {
    try {
      return ajv.compile(copy);
    } finally {
      // ajv keeps every compiled schema in its cache; tool lists are refreshed often, so drop it
      // (the compiled function stays usable and is cached here, weakly, by the original object).
      try {
        ajv.removeSchema(copy);
      } catch {
        // not added
      }
    }
  };
  try {
    shared ??= createAjv();
    result = attempt(shared);
  } catch (first) {
    try {
      // A $id already seen in another tool's schema: compile in a fresh instance.
      result = attempt(createAjv());
    } catch {
      result = { error: first instanceof Error ? first.message : String(first) };
    }
  }
  cache.set(schema, result);
  return result;
}

function toIssue(e: ErrorObject): SchemaIssue {
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: unknown }).missingProperty ?? '');
    return { path: `${e.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is required', keyword: 'required' };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty?: unknown }).additionalProperty ?? '');
    return { path: e.instancePath, message: `unknown property "${extra}"`, keyword: e.keyword };
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return { path: e.instancePath, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, keyword: e.keyword };
  }
  return { path: e.instancePath, message: e.message ?? e.keyword, keyword: e.keyword };
}

/** Problems of `value` against `schema` (empty = valid, or the schema could not be compiled). */
export function validateValue(schema: unknown, value: unknown): SchemaIssue[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const v = compile(schema);
  if (typeof v !== 'function') return [];
  if (v(value)) return [];
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  for (const e of v.errors ?? []) {
    // allErrors repeats the same message for anyOf branches; keep one of each.
    const issue = toIssue(e);
    const id = `${issue.path}\n${issue.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(issue);
    }
  }
  return out;
}

/** Why a schema cannot be used for validation, or undefined when it can. */
export function schemaProblem(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return 'not an object';
  const v = compile(schema);
  return typeof v === 'function' ? undefined : v.error;
}

/** One issue as a sentence, optionally prefixed with where it is ("0: Must be string"). */
export function issueMessage(issue: SchemaIssue, relative: string): string {
  const msg = issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  return relative ? `${relative}: ${msg}` : msg;
}

/** Human-readable issues, one per line ("/options/depth: must be integer"). */
export function formatIssues(issues: readonly SchemaIssue[], max = 10): string {
  const lines = issues.slice(0, max).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  if (issues.length > max) lines.push(`… and ${issues.length - max} more`);
  return lines.join('\n');
}
