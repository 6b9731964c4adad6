// The roots a server is told about: its entry's `roots` when set (an empty list: none), else the
// host's default roots (the workspace folders).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Root } from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/types';
import type { AskHost } from './types';

/** Whether the server is offered roots at all. */
export function offersRoots(def: ServerDefinition, host: AskHost | undefined): boolean {
  return def.roots !== undefined || host?.defaultRoots !== undefined;
}

/** The directories as `file://` roots, named after their last segment; duplicates left out. */
export function rootsOf(dirs: readonly string[]): Root[] {
  const seen = new Set<string>();
  const roots: Root[] = [];
  for (const dir of dirs) {
    const uri = pathToFileURL(dir).href;
    if (seen.has(uri)) continue;
    seen.add(uri);
    roots.push({ uri, name: path.basename(dir) || dir });
  }
  return roots;
}

export function rootsFor(def: ServerDefinition, host: AskHost | undefined): Root[] {
  return rootsOf(def.roots ?? host?.defaultRoots?.() ?? []);
}
