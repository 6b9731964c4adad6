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

/** Whether calling the tool should be confirmed first: the server declared it destructive (and not read-only). */
export function isDestructive(tool: { readonly annotations?: unknown } | undefined): boolean {
  const a = (typeof tool?.annotations === 'object' && tool.annotations !== null ? tool.annotations : {}) as Record<string, unknown>;
  return a.destructiveHint === true && a.readOnlyHint !== true;
}

/** The confirmation asked before calling a destructive tool. */
export function destructiveQuestion(
  server: string,
  tool: { readonly name: string; readonly title?: unknown; readonly annotations?: unknown },
  args: Record<string, unknown>,
): { readonly message: string; readonly detail: string } {
  const { title } = toolDetailsHeader(tool);
  const shown = JSON.stringify(args);
  const argText = shown === '{}' ? 'no arguments' : `arguments ${shown.length > 300 ? `${shown.slice(0, 297)}...` : shown}`;
  return {
    message: `Call "${title ?? tool.name}" on the MCP server "${server}"?`,
    detail: `The server marks this tool as destructive: it may delete or overwrite data. It would be called with ${argText}. (Setting mcpManager.confirmDestructiveTools turns this question off.)`,
  };
}
