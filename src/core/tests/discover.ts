// Finding collections on disk: files and directories as given, directories walked for
// `*.mcptest.json` (node_modules, .git and __snapshots__ skipped), in a stable order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCollectionFile } from './format';

const SKIP_DIRS = new Set(['node_modules', '.git', '__snapshots__', '.vscode-test', 'dist', 'out']);

/** Absolute paths of the collections under `targets` (files are taken as they are). Throws for a path that does not exist. */
export function findCollections(targets: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const t of targets) {
    const abs = path.resolve(cwd, t);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new Error(`${t}: no such file or directory`);
    }
    if (stat.isDirectory()) walk(abs, found);
    else found.add(abs);
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, found);
    } else if (e.isFile() && isCollectionFile(e.name)) {
      found.add(p);
    }
  }
}
