// Checking one result against a test's expectations. Pure: (result, expectations) -> failures,
// each saying which expectation failed, why, and (where it helps) the expected and actual values
// for a diff.
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/client';
import type { Expectations, TestKind } from './format';

export interface Failure {
  /** The expectation, e.g. `contains`, `structuredContent`, `snapshot`, `outputSchema`, `call`. */
  readonly expectation: string;
  readonly message: string;
  /** Shown as a diff when both are present (strings as they are, other values as JSON). */
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export type AnyResult = CallToolResult | ReadResourceResult | GetPromptResult;

/** The text a person would read in a result: text content, text resource contents, prompt message texts. */
export function resultText(kind: TestKind, result: AnyResult): string {
  const parts: string[] = [];
  if (kind === 'tool') {
    for (const c of (result as CallToolResult).content ?? []) {
      if (c.type === 'text') parts.push(c.text);
      else if (c.type === 'resource' && 'text' in c.resource && typeof c.resource.text === 'string') parts.push(c.resource.text);
    }
  } else if (kind === 'resource') {
    for (const c of (result as ReadResourceResult).contents ?? []) if ('text' in c && typeof c.text === 'string') parts.push(c.text);
  } else {
    for (const m of (result as GetPromptResult).messages ?? []) {
      const c = m.content;
      if (c.type === 'text') parts.push(c.text);
      else if (c.type === 'resource' && 'text' in c.resource && typeof c.resource.text === 'string') parts.push(c.resource.text);
    }
  }
  return parts.join('\n');
}

/** Checks everything but snapshots and outputSchema (those need files and the tool list). */
export function checkExpectations(kind: TestKind, result: AnyResult, expect: Expectations, durationMs: number): Failure[] {
  const failures: Failure[] = [];
  if (kind === 'tool') {
    const isError = (result as CallToolResult).isError === true;
    const wanted = expect.isError ?? false;
    if (isError !== wanted) {
      const text = resultText(kind, result);
      failures.push({
        expectation: 'isError',
        message: wanted
          ? 'expected the tool to report an error (isError: true), but it succeeded'
          : `the tool reported an error (isError: true)${text ? `: ${firstLine(text)}` : ''}`,
        expected: wanted,
        actual: isError,
      });
    }
  }
  const text = resultText(kind, result);
  if (expect.contains !== undefined) {
    const list = typeof expect.contains === 'string' ? [expect.contains] : expect.contains;
    const missing = list.filter((s) => !text.includes(s));
    if (missing.length) {
      failures.push({
        expectation: 'contains',
        message: `the text does not contain ${missing.map((s) => JSON.stringify(s)).join(', ')}`,
        expected: missing.join('\n'),
        actual: text,
      });
    }
  }
  if (expect.matches !== undefined && !new RegExp(expect.matches).test(text)) {
    failures.push({
      expectation: 'matches',
      message: `the text does not match /${expect.matches}/`,
      expected: `/${expect.matches}/`,
      actual: text,
    });
  }
  if (kind === 'tool' && expect.structuredContent !== undefined) {
    const actual = (result as CallToolResult).structuredContent;
    const where = subsetMismatch(expect.structuredContent, actual, '$');
    if (where !== undefined) {
      failures.push({
        expectation: 'structuredContent',
        message: actual === undefined ? 'the result has no structuredContent' : `structuredContent differs at ${where}`,
        expected: expect.structuredContent,
        actual: actual === undefined ? undefined : pickLike(expect.structuredContent, actual),
      });
    }
  }
  if (expect.maxMs !== undefined && durationMs > expect.maxMs) {
    failures.push({ expectation: 'maxMs', message: `took ${Math.round(durationMs)} ms, more than maxMs ${expect.maxMs}` });
  }
  return failures;
}

/**
 * Where `actual` fails to contain `expected` (a JSONPath), or undefined when it does. Objects:
 * every expected key, recursively (extra keys are fine). Arrays: the same length, element by
 * element. Everything else: equal.
 */
export function subsetMismatch(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path;
    for (let k = 0; k < expected.length; k++) {
      const w = subsetMismatch(expected[k], actual[k], `${path}[${k}]`);
      if (w) return w;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return path;
    for (const [k, v] of Object.entries(expected)) {
      const w = subsetMismatch(
        v,
        (actual as Record<string, unknown>)[k],
        /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`,
      );
      if (w) return w;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : path;
}

/** `actual` cut down to the keys `expected` names, so a subset diff shows only what was asked about. */
function pickLike(expected: unknown, actual: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((v, k) => (k < expected.length ? pickLike(expected[k], v) : v));
  if (
    typeof expected === 'object' &&
    expected !== null &&
    !Array.isArray(expected) &&
    typeof actual === 'object' &&
    actual !== null &&
    !Array.isArray(actual)
  ) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected))
      if (k in actual) out[k] = pickLike((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]);
    return out;
  }
  return actual;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
