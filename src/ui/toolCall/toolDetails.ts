// What the tool details view (selecting a tool in the Servers tree) says about a tool above its
// argument form: its title and the behaviour hints the server declared. Pure, so it is unit-tested.
// The hints are what the server claims, not guarantees (MCP spec, ToolAnnotations), so the view
// names them as hints and shows only what the server set explicitly.

export interface ToolDetailsHeader {
  /** The tool's human title, when it differs from its name. */
  readonly title?: string;
  /** One short label per hint the server set, e.g. "read-only", "destructive". */
  readonly badges: readonly string[];
  /** A warning line for tools that declare they may destroy data. */
  readonly warning?: string;
}

const HINTS: readonly (readonly [key: string, whenTrue: string, whenFalse: string])[] = [
  ['readOnlyHint', 'read-only', 'may modify'],
  ['destructiveHint', 'destructive', 'not destructive'],
  ['idempotentHint', 'idempotent', 'not idempotent'],
  ['openWorldHint', 'open world', 'closed world'],
];

export function toolDetailsHeader(tool: {
  readonly name: string;
  readonly title?: unknown;
  readonly annotations?: unknown;
}): ToolDetailsHeader {
  const a = (typeof tool.annotations === 'object' && tool.annotations !== null ? tool.annotations : {}) as Record<string, unknown>;
  const title = typeof tool.title === 'string' ? tool.title : typeof a.title === 'string' ? a.title : undefined;
  const badges = HINTS.filter(([k]) => typeof a[k] === 'boolean').map(([k, yes, no]) => (a[k] ? yes : no));
  const warning =
    a.destructiveHint === true && a.readOnlyHint !== true
      ? 'The server says this tool may delete or overwrite data (destructiveHint). Nothing runs until you press Call.'
      : undefined;
  return { title: title && title !== tool.name ? title : undefined, badges, warning };
}
