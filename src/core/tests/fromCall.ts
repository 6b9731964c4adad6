// A test made from a call someone just made ("Save as Test..."): the call as it was, and
// expectations prefilled from its result, strict enough to catch a change and loose enough to
// survive noise: isError, then the structured content (a subset match) or some of the text.
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { Expectations } from './format';
import { resultText } from './match';

export interface CallRecord {
  readonly server: string;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  /** Absent when only the outcome is known (a history entry from an earlier session). */
  readonly result?: CallToolResult;
  /** From a history entry without a result: whether the tool reported an error. */
  readonly isError?: boolean;
}

const MAX_CONTAINS = 200;

export function expectationsFromResult(call: CallRecord): Expectations {
  const result = call.result;
  const isError = result ? result.isError === true : call.isError === true;
  if (!result) return { isError };
  if (result.structuredContent !== undefined && !isError) return { isError, structuredContent: result.structuredContent };
  const text = resultText('tool', result).trim();
  if (!text) return { isError };
  // The first line, cut at a word boundary: the part least likely to hold volatile detail.
  let line = text.split('\n')[0]!.trim();
  if (line.length > MAX_CONTAINS) line = line.slice(0, MAX_CONTAINS).replace(/\s+\S*$/, '');
  return line ? { isError, contains: line } : { isError };
}

/** A test name not yet used in `taken`: the base, then "base (2)", "base (3)"... */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let k = 2; ; k++) if (!taken.includes(`${base} (${k})`)) return `${base} (${k})`;
}
