// Text shared by the hosts: a failure as a reason line plus a short diff, and the closing line.
import { lineDiff, stableJson } from './diff';
import type { Failure } from './match';

/** `<expectation>: <message>` then, when there are both sides, "- expected / + actual" diff lines. */
export function formatFailure(f: Failure, o: { maxLines?: number } = {}): string[] {
  const lines = [`${f.expectation}: ${f.message}`];
  if (f.expected !== undefined && f.actual !== undefined && f.expectation !== 'isError') {
    const diff = lineDiff(stableJson(f.expected), stableJson(f.actual), { maxLines: o.maxLines ?? 20 });
    if (diff.length) lines.push('- expected', '+ actual', ...diff);
  }
  return lines;
}

/** Exactly `N passed, M failed`, with `, K skipped` when some were. */
export function summaryText(s: { passed: number; failed: number; skipped: number }): string {
  return `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
