// Snapshots beside the collection: `<dir>/__snapshots__/<name>.mcptest.snap.json`, one entry per
// test name holding the whole result with masked fields replaced by "<ignored>". A missing entry
// is written (and the test passes, noting it); `update` rewrites the entries of the tests run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sortKeys, stableJson } from './diff';
import { maskPaths } from './jsonPath';
import type { Failure } from './match';

export function snapshotFile(collectionFile: string): string {
  return path.join(path.dirname(collectionFile), '__snapshots__', `${path.basename(collectionFile).replace(/\.json$/, '')}.snap.json`);
}

export type SnapshotOutcome =
  | { readonly kind: 'matched' }
  | { readonly kind: 'written' }
  | { readonly kind: 'updated' }
  | { readonly kind: 'failed'; readonly failure: Failure };

/** The snapshots of one collection file, read on first use and written by save(). */
export class SnapshotStore {
  private entries?: Record<string, unknown>;
  private dirty = false;

  constructor(
    readonly file: string,
    private readonly update = false,
  ) {}

  /** Compares (or records) `value` for `test`, masking `ignore` paths first. */
  check(test: string, value: unknown, ignore: readonly string[]): SnapshotOutcome {
    const entries = this.load();
    const actual = sortKeys(maskPaths(value, ignore));
    if (!Object.prototype.hasOwnProperty.call(entries, test)) {
      entries[test] = actual;
      this.dirty = true;
      return { kind: 'written' };
    }
    const stored = entries[test];
    if (stableJson(stored) === stableJson(actual)) return { kind: 'matched' };
    if (this.update) {
      entries[test] = actual;
      this.dirty = true;
      return { kind: 'updated' };
    }
    return {
      kind: 'failed',
      failure: {
        expectation: 'snapshot',
        message: `the result differs from the snapshot in ${path.basename(this.file)} (run with --update-snapshots, or "Update Snapshots" in the editor, if the change is intended)`,
        expected: stored,
        actual,
      },
    };
  }

  /** Writes the file if anything changed (creating __snapshots__). */
  save(): boolean {
    if (!this.dirty || !this.entries) return false;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(this.entries).sort()) sorted[k] = this.entries[k];
    fs.writeFileSync(this.file, `${JSON.stringify(sorted, null, 2)}\n`);
    this.dirty = false;
    return true;
  }

  private load(): Record<string, unknown> {
    if (this.entries) return this.entries;
    let text: string | undefined;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`${this.file}: cannot read the snapshots (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (text === undefined) return (this.entries = {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `${this.file}: the snapshot file is not valid JSON (${(e as Error).message}); fix it or delete it to record the snapshots again`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${this.file}: the snapshot file must hold one JSON object; delete it to record the snapshots again`);
    return (this.entries = parsed as Record<string, unknown>);
  }
}
