// The small JSONPath subset snapshot masks use: `$`, `.key`, `['key']` / `["key"]`, `[0]`, `[*]`,
// `.*`, and `..key` (any depth). Enough to name volatile fields (ids, timestamps) without a library.

export type Segment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'descend'; readonly key: string | '*' };

/** Parses a mask path; throws an Error saying what is wrong with it. */
export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`"${path}" is not a JSONPath: start it with "$", e.g. "$.structuredContent.id"`);
  const out: Segment[] = [];
  let k = 1;
  const bad = (why: string): never => {
    throw new Error(`"${path}" is not a valid mask path at character ${k + 1}: ${why}`);
  };
  while (k < path.length) {
    const c = path[k];
    if (c === '.') {
      const descend = path[k + 1] === '.';
      k += descend ? 2 : 1;
      if (path[k] === '*') {
        k++;
        out.push(descend ? { kind: 'descend', key: '*' } : { kind: 'wildcard' });
        continue;
      }
      if (descend && path[k] === '[') {
        // `..[...]` is not supported: keep the subset small and predictable.
        bad('after ".." give a key or "*"');
      }
      const m = /^[A-Za-z_$][\w$-]*/.exec(path.slice(k));
      if (!m) bad('expected a key name after "."');
      k += m![0].length;
      out.push(descend ? { kind: 'descend', key: m![0] } : { kind: 'key', key: m![0] });
    } else if (c === '[') {
      const rest = path.slice(k);
      let m: RegExpExecArray | null;
      if ((m = /^\[\s*\*\s*\]/.exec(rest))) out.push({ kind: 'wildcard' });
      else if ((m = /^\[\s*(\d+)\s*\]/.exec(rest))) out.push({ kind: 'index', index: Number(m[1]) });
      else if ((m = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest)) || (m = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest)))
        out.push({ kind: 'key', key: m[1]!.replace(/\\(.)/g, '$1') });
      else bad("expected [n], [*] or ['key']");
      k += m![0].length;
    } else {
      bad(`unexpected "${c}"`);
    }
  }
  return out;
}

export const MASK_VALUE = '<ignored>';

/** A deep copy of `value` with every location a path names replaced by MASK_VALUE (absent ones stay absent). */
export function maskPaths(value: unknown, paths: readonly string[]): unknown {
  let copy = clone(value);
  for (const p of paths) {
    const segs = parseJsonPath(p);
    if (segs.length === 0) return MASK_VALUE;
    copy = apply(copy, segs);
  }
  return copy;
}

function apply(node: unknown, segs: readonly Segment[]): unknown {
  if (segs.length === 0) return MASK_VALUE;
  const [seg, ...rest] = segs as [Segment, ...Segment[]];
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown> & unknown[];
  switch (seg.kind) {
    case 'key':
      if (!Array.isArray(node) && Object.prototype.hasOwnProperty.call(obj, seg.key)) obj[seg.key] = apply(obj[seg.key], rest);
      return node;
    case 'index':
      if (Array.isArray(node) && seg.index < node.length) node[seg.index] = apply(node[seg.index], rest);
      return node;
    case 'wildcard':
      for (const key of Object.keys(obj)) (obj as Record<string, unknown>)[key] = apply(obj[key as never], rest);
      return node;
    case 'descend': {
      // Match here, then keep looking below every child (including what was just masked: a string stops the walk).
      for (const key of Object.keys(obj)) {
        const child = obj[key as never] as unknown;
        if (seg.key === '*' || (!Array.isArray(node) && key === seg.key)) (obj as Record<string, unknown>)[key] = apply(child, rest);
        else (obj as Record<string, unknown>)[key] = apply(child, segs);
      }
      return node;
    }
  }
}

function clone(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
}
