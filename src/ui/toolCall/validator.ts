// JSON Schema validation of tool arguments and structured results with @cfworker/json-schema, the
// validator the core already uses for output schemas (src/core/toolOutput.ts; same copy, so it adds
// nothing to the bundle). It interprets schemas (no code generation); its errors are turned here
// into JSON-pointer issues with short messages in Ajv's familiar wording ("must be integer",
// "must NOT have more than 3 characters"). Pure: no `vscode`.
//
// Tool schemas come from servers and can be anything: a schema that cannot be used (unresolved
// $ref, bad regex, unknown type name, duplicate $id) is reported once as a `schema` issue and
// otherwise not enforced, so the user can still call the tool; the server has the last word anyway.
import { Validator, dereference, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { schemaDraft } from '../../core';

export interface SchemaIssue {
  /** JSON pointer into the value ("" = the value itself), e.g. "/options/depth". */
  readonly path: string;
  readonly message: string;
  readonly keyword: string;
}

interface Usable {
  readonly validator: Validator;
  /** The validator's own deep copy of the schema (cfworker annotates schema objects in place). */
  readonly root: Schema;
  /** Absolute schema URI -> schema, as cfworker resolves $ref. */
  readonly lookup: Record<string, Schema | boolean>;
}
type Compiled = Usable | { readonly error: string };
const cache = new WeakMap<object, Compiled>();

/** Above these, walking the schema blocks noticeably (5,000 properties) or overflows the stack. */
export const MAX_CHECKED_NODES = 2000;
export const MAX_CHECKED_DEPTH = 48;

/** Why a schema is too big to check here, or undefined. Bounded: stops at the limits. */
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

const TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);
/** Where subschemas are, as cfworker evaluates them: one schema, a list, or a map of them. */
const SCHEMA_ONE = [
  'additionalItems',
  'unevaluatedItems',
  'items',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
];
const SCHEMA_LIST = ['prefixItems', 'items', 'allOf', 'anyOf', 'oneOf'];
const SCHEMA_MAP = ['$defs', 'definitions', 'properties', 'patternProperties', 'dependentSchemas', 'dependencies'];

function validRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with one schema object that cfworker would only meet while validating (and throw, or misread). */
function nodeProblem(node: Schema, lookup: Record<string, unknown>): string | undefined {
  if (typeof node.$ref === 'string' && lookup[node.__absolute_ref__ ?? node.$ref] === undefined)
    return `cannot resolve $ref "${node.$ref}"`;
  if (typeof node.pattern === 'string' && !validRegex(node.pattern)) return `invalid pattern ${JSON.stringify(node.pattern)}`;
  if (node.type !== undefined && !(Array.isArray(node.type) ? node.type : [node.type]).every((t) => TYPES.has(t)))
    return `unknown type ${JSON.stringify(node.type)}`;
  if (node.enum !== undefined && !Array.isArray(node.enum)) return '"enum" is not an array';
  if (node.required !== undefined && !Array.isArray(node.required)) return '"required" is not an array';
  const patterns: unknown = node.patternProperties;
  if (typeof patterns === 'object' && patterns !== null) {
    const bad = Object.keys(patterns).find((p) => !validRegex(p));
    if (bad !== undefined) return `invalid patternProperties pattern ${JSON.stringify(bad)}`;
  }
  return undefined;
}

/**
 * The first problem in the schema's subschemas and everything their $refs reach: a $ref that does
 * not resolve (cfworker throws when it gets there), an invalid regex (throws), an unknown type
 * name, a non-array `enum` or `required` (misread, or throws).
 */
function staticProblem(root: Schema, lookup: Record<string, Schema | boolean>): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || Array.isArray(v) || seen.has(v)) continue;
    seen.add(v);
    const node = v as Schema;
    const problem = nodeProblem(node, lookup);
    if (problem) return problem;
    if (typeof node.$ref === 'string') stack.push(lookup[node.__absolute_ref__ ?? node.$ref]);
    for (const k of SCHEMA_ONE) stack.push(node[k]);
    for (const k of SCHEMA_LIST) if (Array.isArray(node[k])) stack.push(...(node[k] as unknown[]));
    for (const k of SCHEMA_MAP) {
      const map: unknown = node[k];
      if (typeof map === 'object' && map !== null && !Array.isArray(map)) stack.push(...Object.values(map));
    }
  }
  return undefined;
}

function compile(schema: object): Compiled {
  const hit = cache.get(schema);
  if (hit) return hit;
  const big = tooBig(schema);
  let result: Compiled;
  if (big) result = { error: big };
  else {
    try {
      // A copy: cfworker annotates every schema object with resolved URIs, and the server's schema
      // is shared (tool lists, the form's field schemas). JSON-safe and bounded by tooBig.
      const root = JSON.parse(JSON.stringify(schema)) as Schema;
      // Its own lookup per schema, so schemas sharing an $id never clash.
      const lookup = dereference(root);
      const problem = staticProblem(root, lookup);
      // shortCircuit false: every problem, like Ajv's allErrors.
      result = problem ? { error: problem } : { validator: new Validator(root, schemaDraft(root), false), root, lookup };
    } catch (e) {
      result = { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }
  cache.set(schema, result);
  return result;
}

// ------------------------------------------------------------------------------------ errors

/** "#/a%20b/c~1d" (cfworker: URI-encoded JSON pointer) -> "/a b/c~1d" (RFC 6901, still escaped). */
function pointerOf(location: string): string {
  const p = location.startsWith('#') ? location.slice(1) : location;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Keywords followed by a name (a property, a definition) in a keyword location. */
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
/** Keywords followed by an index. */
const ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);

/** The keyword segments of a keyword location ("#/properties/a/items/type" -> properties, items, type). */
function keywordSegments(location: string): string[] {
  const segs = pointerOf(location).split('/').slice(1).map(unescapeSegment);
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    out.push(segs[i]);
    if (MAP_KEYWORDS.has(segs[i]) || (ARRAY_KEYWORDS.has(segs[i]) && /^\d+$/.test(segs[i + 1] ?? ''))) i++;
  }
  return out;
}

/**
 * Errors found inside a `contains` or `propertyNames` subschema: only the enclosing error is worth
 * showing ("must contain at least 1 valid item", "property name ... is invalid"), not why each item
 * or name failed the subschema.
 */
function insideSwallowingKeyword(e: OutputUnit): boolean {
  const kws = keywordSegments(e.keywordLocation);
  return kws.slice(0, -1).some((k) => k === 'contains' || k === 'propertyNames');
}

/** The schema object holding the keyword an error is about (following $ref as cfworker did). */
function schemaAt(c: Usable, keywordLocation: string): Schema | undefined {
  const segs = pointerOf(keywordLocation).split('/').slice(1).map(unescapeSegment);
  let node: unknown = c.root;
  for (const seg of segs.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    const s = node as Schema;
    if (seg === '$ref' && typeof s.$ref === 'string') node = c.lookup[s.__absolute_ref__ ?? s.$ref];
    else if (seg === '$recursiveRef') return undefined;
    else node = (node as Record<string, unknown>)[seg];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Schema) : undefined;
}

const json = (v: unknown): string => JSON.stringify(v);
const isNum = (v: unknown): v is number => typeof v === 'number';

/** A short message for one (non-wrapper) error, in Ajv's wording where Ajv had one. */
function messageFor(c: Usable, e: OutputUnit): string {
  const s = schemaAt(c, e.keywordLocation);
  const v = s?.[e.keyword] as unknown;
  switch (e.keyword) {
    case 'type':
      if (typeof v === 'string') return `must be ${v}`;
      if (Array.isArray(v)) return `must be ${v.join(' or ')}`;
      break;
    case 'const':
      if (s && 'const' in s) return `must be equal to ${json(v)}`;
      break;
    case 'enum':
      if (Array.isArray(v)) return `must be one of ${v.map(json).join(', ')}`;
      break;
    case 'minimum':
      // Draft 4: a boolean exclusiveMinimum makes the bound exclusive (cfworker reports it as minimum).
      if (isNum(v)) return `must be ${s?.exclusiveMinimum === true ? '>' : '>='} ${v}`;
      break;
    case 'maximum':
      if (isNum(v)) return `must be ${s?.exclusiveMaximum === true ? '<' : '<='} ${v}`;
      break;
    case 'exclusiveMinimum':
      if (isNum(v)) return `must be > ${v}`;
      break;
    case 'exclusiveMaximum':
      if (isNum(v)) return `must be < ${v}`;
      break;
    case 'multipleOf':
      if (isNum(v)) return `must be multiple of ${v}`;
      break;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      if (isNum(v)) {
        const what = e.keyword.endsWith('Length') ? 'character' : e.keyword.endsWith('Items') ? 'item' : 'propert';
        const unit = what === 'propert' ? (v === 1 ? 'property' : 'properties') : `${what}${v === 1 ? '' : 's'}`;
        return `must NOT have ${e.keyword.startsWith('min') ? 'fewer' : 'more'} than ${v} ${unit}`;
      }
      break;
    case 'pattern':
      if (typeof v === 'string') return `must match pattern "${v}"`;
      break;
    case 'format':
      if (typeof v === 'string') return `must match format "${v}"`;
      break;
    case 'uniqueItems': {
      const m = /indexes (\d+) and (\d+)/.exec(e.error);
      return m ? `must NOT have duplicate items (items ${m[1]} and ${m[2]} are identical)` : 'must NOT have duplicate items';
    }
    case 'anyOf':
      return 'must match a schema in anyOf';
    case 'oneOf': {
      const m = /\((\d+) matches\)/.exec(e.error);
      return m && m[1] !== '0' ? `must match exactly one schema in oneOf (matches ${m[1]})` : 'must match exactly one schema in oneOf';
    }
    case 'not':
      return 'must NOT be valid';
    case 'contains':
      return 'must contain at least 1 valid item';
    case 'minContains':
      if (isNum(v)) return `must contain at least ${v} valid item${v === 1 ? '' : 's'}`;
      break;
    case 'maxContains':
      if (isNum(v)) return `must contain at most ${v} valid item${v === 1 ? '' : 's'}`;
      break;
    case 'dependentRequired':
    case 'dependencies': {
      const m = /^Instance has "([\s\S]*)" but does not have "([\s\S]*)"\.$/.exec(e.error);
      if (m) return `must have property "${m[2]}" when property "${m[1]}" is present`;
      break;
    }
    case 'false':
      return 'is not allowed';
  }
  // cfworker's own sentence ("String does not match pattern.") when the schema says nothing better.
  return e.error.charAt(0).toLowerCase() + e.error.slice(1).replace(/\.$/, '');
}

/** Keywords whose error only says that a subschema failed; the errors that follow say how. */
const WRAPPERS = new Set([
  '$ref',
  '$recursiveRef',
  'properties',
  'patternProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'allOf',
  'dependentSchemas',
  'if',
]);

/** cfworker's flat error list (wrappers followed by their causes) -> one issue per actual problem. */
function toIssues(c: Usable, errors: readonly OutputUnit[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    const path = pointerOf(e.instanceLocation);
    if (insideSwallowingKeyword(e)) continue;
    if (WRAPPERS.has(e.keyword)) {
      // `items: false` after prefixItems (or additionalItems: false after a tuple): the causes are
      // false schemas at each extra item; say how many items are allowed instead.
      const at = e.keyword.endsWith('Items') || e.keyword === 'items' ? schemaAt(c, e.keywordLocation) : undefined;
      if (at && at[e.keyword] === false && errors[i + 1]?.keyword === 'false') {
        const tuple: unknown = e.keyword === 'items' ? (at.prefixItems ?? []) : e.keyword === 'additionalItems' ? at.items : undefined;
        const allowed = Array.isArray(tuple) ? tuple.length : undefined;
        out.push({
          path,
          message:
            allowed === undefined
              ? 'must NOT have unevaluated items'
              : `must NOT have more than ${allowed} item${allowed === 1 ? '' : 's'}`,
          keyword: e.keyword,
        });
        while (errors[i + 1]?.keyword === 'false' && pointerOf(errors[i + 1].instanceLocation).startsWith(`${path}/`)) i++;
      }
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        // `false` (no more properties allowed): followed by a false-schema error at the property.
        const next = errors[i + 1];
        const nextPath = next ? pointerOf(next.instanceLocation) : '';
        if (next?.keyword === 'false' && nextPath.lastIndexOf('/') === path.length && nextPath.startsWith(`${path}/`)) {
          out.push({ path, message: `unknown property "${unescapeSegment(nextPath.slice(path.length + 1))}"`, keyword: e.keyword });
          i++;
        }
        // Otherwise the property's value failed the additionalProperties schema: the next errors say how.
        continue;
      }
      case 'dependencies':
        if (/dependant schema/.test(e.error)) continue; // the schema form is a wrapper too
        break;
      case 'required': {
        const m = /^Instance does not have required property "([\s\S]*)"\.$/.exec(e.error);
        if (m) {
          out.push({ path: `${path}/${escapeSegment(m[1])}`, message: 'is required', keyword: 'required' });
          continue;
        }
        break;
      }
      case 'propertyNames': {
        const m = /^Property name "([\s\S]*)" does not match schema\.$/.exec(e.error);
        out.push({ path, message: m ? `property name "${m[1]}" is invalid` : 'property name must be valid', keyword: e.keyword });
        continue;
      }
    }
    out.push({ path, message: messageFor(c, e), keyword: e.keyword });
  }
  return out;
}

/** Problems of `value` against `schema` (empty = valid, or the schema could not be used). */
export function validateValue(schema: unknown, value: unknown): SchemaIssue[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const c = compile(schema);
  if (!('validator' in c)) return [];
  let errors: OutputUnit[];
  try {
    const result = c.validator.validate(value);
    if (result.valid) return [];
    errors = result.errors;
  } catch {
    // A schema cfworker cannot evaluate after all (or a value nested deeper than the stack): not enforced.
    return [];
  }
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  for (const issue of toIssues(c, errors)) {
    // anyOf branches can repeat the same message; keep one of each.
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
  const c = compile(schema);
  return 'validator' in c ? undefined : c.error;
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
