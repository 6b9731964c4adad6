// Readable expected/actual diffs: both sides as stable, pretty JSON (keys sorted, so key order
// never shows as a difference), then a line diff marked "- expected" / "+ actual".

/** JSON with sorted keys and 2-space indentation; strings are shown as they are. */
export function stableJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(sortKeys(value), null, 2) ?? 'undefined';
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * A unified line diff of `expected` against `actual` ("- " expected only, "+ " actual only,
 * "  " both), with at most `context` unchanged lines around each change and at most `maxLines`
 * lines in all. Empty when they are equal.
 */
export function lineDiff(expected: string, actual: string, o: { context?: number; maxLines?: number } = {}): string[] {
  if (expected === actual) return [];
  const a = expected.split('\n');
  const b = actual.split('\n');
  const ops = diffOps(a, b);
  const context = o.context ?? 2;
  const keep = ops.map(() => false);
  ops.forEach((op, k) => {
    if (op.kind === ' ') return;
    for (let j = Math.max(0, k - context); j <= Math.min(ops.length - 1, k + context); j++) keep[j] = true;
  });
  const lines: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      if (!skipped) lines.push('  …');
      skipped = true;
      return;
    }
    skipped = false;
    lines.push(`${op.kind} ${op.line}`);
  });
  const max = o.maxLines ?? 40;
  return lines.length > max ? [...lines.slice(0, max), `  … (${lines.length - max} more lines)`] : lines;
}

interface Op {
  readonly kind: ' ' | '-' | '+';
  readonly line: string;
}

/** Longest-common-subsequence diff; large inputs fall back to "all removed, all added". */
function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  if (a.length * b.length > 4_000_000)
    return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}
