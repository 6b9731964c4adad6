// Readers for the keys of a server entry: each checks one value and says, in the user's terms,
// what is wrong with it and where (`args.1`, `env.TOKEN`). Written by hand rather than with zod:
// the settings are parsed inside activate(), where zod's first use of each schema (V8 compiling
// its generic parsers) cost more than half of activation's own time (docs/performance.md).
import { isObject } from '../format';

/** A value that is wrong, at a dotted path inside the entry (`args.1`); the message says what is expected. */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** Returned by a reader for a wrong value (its problem is in `problems`). */
export const WRONG: unique symbol = Symbol('wrong');

/** Reads the value at `at`; pushes what is wrong with it, if anything, and returns WRONG then. */
export type Reader<T> = (value: unknown, at: string, problems: Problem[]) => T | typeof WRONG;

/** A key of an entry: its reader, and what a missing key gives (a default, nothing, or a problem). */
export interface Field<T = unknown> {
  readonly read: Reader<T>;
  /** Absent: the key is required. `optional`: left out of the result. */
  readonly missing?: { readonly optional: true } | { readonly fallback: () => T };
  /** The problem of a required key that is missing (default: "expected <type>, but it is missing"). */
  readonly missingMessage?: string;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const wrong = (problems: Problem[], field: string, message: string): typeof WRONG => {
  problems.push({ field, message });
  return WRONG;
};

const expected = (what: string, v: unknown) => `expected ${what}${v === undefined ? ', but it is missing' : `, got ${describe(v)}`}`;

export const boolean: Reader<boolean> = (v, at, p) => (typeof v === 'boolean' ? v : wrong(p, at, expected('boolean', v)));

/** A string; `empty` is the message for an empty one (then it is not allowed), `trim` trims it first. */
export function string(opts: { empty?: string; trim?: boolean } = {}): Reader<string> {
  return (v, at, p) => {
    if (typeof v !== 'string') return wrong(p, at, expected('string', v));
    const s = opts.trim ? v.trim() : v;
    return opts.empty !== undefined && s.length === 0 ? wrong(p, at, opts.empty) : s;
  };
}

/** A finite number (a whole one with `integer`), at least `min`; `tooSmall` says so. */
export function number(opts: { integer?: boolean; min: number; tooSmall: string }): Reader<number> {
  return (v, at, p) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return wrong(p, at, expected('number', v));
    if (opts.integer && !Number.isInteger(v)) return wrong(p, at, `expected a whole number, got ${describe(v)}`);
    return v < opts.min ? wrong(p, at, opts.tooSmall) : v;
  };
}

/** One of `values` (strings); anything else gets `message`. */
export function oneOf<const T extends string>(values: readonly T[], message: string): Reader<T> {
  return (v, at, p) => ((values as readonly unknown[]).includes(v) ? (v as T) : wrong(p, at, message));
}

/** A string, or a number or boolean written for one (kept as its text); `nullable` also allows null. */
export function text(opts: { numbers?: boolean; booleans?: boolean; nullable?: boolean }): Reader<string | null> {
  return (v, at, p) => {
    if (typeof v === 'string') return v;
    if ((opts.numbers && typeof v === 'number') || (opts.booleans && typeof v === 'boolean')) return String(v);
    if (opts.nullable && v === null) return null;
    return wrong(p, at, expected('a string', v));
  };
}

/** A list; each item read at `<at>.<index>`. */
export function list<T>(item: Reader<T>): Reader<T[]> {
  return (v, at, p) => {
    if (!Array.isArray(v)) return wrong(p, at, expected('array', v));
    const out: T[] = [];
    let ok = true;
    v.forEach((x, i) => {
      const r = item(x, `${at}.${i}`, p);
      if (r === WRONG) ok = false;
      else out.push(r);
    });
    return ok ? out : WRONG;
  };
}

/** An object of names to values; each value read at `<at>.<name>`. */
export function record<T>(value: Reader<T>): Reader<Record<string, T>> {
  return (v, at, p) => {
    if (!isObject(v)) return wrong(p, at, expected('object', v));
    const out: Record<string, T> = {};
    let ok = true;
    for (const [k, x] of Object.entries(v)) {
      const r = value(x, `${at}.${k}`, p);
      if (r === WRONG) ok = false;
      else out[k] = r;
    }
    return ok ? out : WRONG;
  };
}

/** Any value, unchecked (keys other clients' files have that we carry or ignore). */
export const anything: Reader<unknown> = (v) => v;

/**
 * An object with exactly `fields` (an unknown key is a problem: `unknownKey` says what it is,
 * e.g. with a "did you mean"). The result has every present key read, and the defaults of missing ones.
 */
export function object(fields: Readonly<Record<string, Field>>, unknownKey: (key: string) => string): Reader<Record<string, unknown>> {
  return (v, at, p) => (isObject(v) ? readFields(fields, v, at, p, unknownKey) : wrong(p, at, expected('object', v)));
}

/** Reads `obj` (an entry, or an object inside one at `at`) against `fields`; see object(). */
export function readFields(
  fields: Readonly<Record<string, Field>>,
  obj: Readonly<Record<string, unknown>>,
  at: string,
  problems: Problem[],
  unknownKey: (key: string) => string,
): Record<string, unknown> | typeof WRONG {
  const out: Record<string, unknown> = {};
  const before = problems.length;
  const path = (key: string) => (at ? `${at}.${key}` : key);
  for (const [key, field] of Object.entries(fields)) {
    const value = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (value === undefined) {
      if (field.missing === undefined) {
        const message = field.missingMessage;
        if (message !== undefined) wrong(problems, path(key), message);
        else field.read(undefined, path(key), problems);
      } else if ('fallback' in field.missing) out[key] = field.missing.fallback();
      continue;
    }
    const r = field.read(value, path(key), problems);
    if (r !== WRONG) out[key] = r;
  }
  const unknown = Object.keys(obj).filter((k) => !Object.hasOwn(fields, k));
  if (unknown.length) wrong(problems, path(unknown[0]!), unknown.map(unknownKey).join('; '));
  return problems.length > before ? WRONG : out;
}

/** Optional: a missing key is left out of the result. */
export const optional = <T>(read: Reader<T>): Field<T> => ({ read, missing: { optional: true } });

/** A missing key gets `fallback()` (a function, so each entry gets its own lists and objects). */
export const withDefault = <T>(read: Reader<T>, fallback: () => T): Field<T> => ({ read, missing: { fallback } });

/** Required; `missingMessage` replaces the reader's own "but it is missing". */
export const required = <T>(read: Reader<T>, missingMessage?: string): Field<T> => ({ read, ...(missingMessage && { missingMessage }) });
