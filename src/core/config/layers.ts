// Merging configuration sources (settings scopes, .vscode/mcp.json files, the sections of one file)
// into one server list: the one merge both hosts use (pipeline.ts orders the sources). Plain
// TypeScript (no `vscode` import) so the precedence rules are unit-tested in plain Node.
import { kindOf } from '../text';
import { parseServer } from './schema';
import type { ConfigIssue, ConfigSource, ParseResult, ServerDefinition } from './types';
import type { VariableContext } from './variables';

/** A source of servers, with what the editor needs beyond the core's ConfigSource. */
export interface LayerSource extends ConfigSource {
  /** Position in the tree (lower first: user, workspace, then each folder's settings and mcp.json). */
  readonly order: number;
  /**
   * Namespace of the input values prompted for this source's servers. Values never cross
   * namespaces: a workspace must not be able to reference `${input:token}` and receive a value the
   * user typed for one of their own servers (or for another repository).
   */
  readonly secretScope: string;
  /** Written by the workspace rather than by the user: launching its commands needs consent. */
  readonly workspaceDefined: boolean;
}

/** One source's raw `servers` object and how to resolve its variables. */
export interface Layer {
  readonly source: ConfigSource;
  readonly servers: unknown;
  readonly context: VariableContext;
  /** Turns an entry of another dialect (an `mcpServers` file) into our entry shape first. */
  readonly convert?: (entry: unknown) => unknown;
}

export function isLayerSource(source: ConfigSource | undefined): source is LayerSource {
  return !!source && typeof (source as Partial<LayerSource>).secretScope === 'string';
}

/**
 * Parses layers given in precedence order (most specific first). The first layer that defines a
 * name owns it, even when its entry is invalid: silently running a less specific entry instead
 * would be more confusing than an error node. Every other definition of the name becomes a note.
 */
export function mergeLayers(layers: readonly Layer[]): ParseResult {
  const servers: ServerDefinition[] = [];
  const issues: ConfigIssue[] = [];
  const owner = new Map<string, { source: ConfigSource; valid: boolean }>();
  for (const { source, servers: raw, context, convert } of layers) {
    if (raw === undefined) continue;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      issues.push({ message: `servers must be an object of name -> server entry, got ${kindOf(raw)}`, source });
      continue;
    }
    for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
      const first = owner.get(name);
      if (first) {
        const where = first.source === source ? `twice in ${source.label}` : `also defined in ${source.label}`;
        const which = first.valid
          ? `the entry from ${first.source.label} is used`
          : `the entry from ${first.source.label} takes precedence (and has errors)`;
        issues.push({ server: name, severity: 'warning', message: `${where}; ${which}`, source });
        continue;
      }
      const result = parseServer(name, convert ? convert(entry) : entry, { context, source });
      owner.set(name, { source, valid: 'definition' in result });
      if ('definition' in result) servers.push(result.definition);
      else issues.push(...result.issues);
    }
  }
  return { servers, issues };
}

/** Number of entries in a raw `servers` value (for "N servers ignored" messages). */
export function countEntries(raw: unknown): number {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw).length : 0;
}
