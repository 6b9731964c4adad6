// What the client side of protocol revision 2026-07-28 needs beyond the SDK's own negotiation
// (the SDK attaches `_meta`, the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, and runs the
// server/discover probe with its -32022 retry): pure helpers, no I/O.
//  - `x-mcp-header`: a tool parameter annotated with it is mirrored into an `Mcp-Param-{Name}` HTTP
//    header, so proxies can route on it. A tool whose annotations break the spec's rules cannot
//    be called correctly and is dropped from the list (the connection logs why).
//  - `resultType`: the spec says a result without one is complete; SDK 2.4 rejects it instead.
//  - list freshness: `ttlMs` on list results (absent: stale at once), capped at 24 hours.
import type { JSONRPCMessage, Tool, Transport } from '@modelcontextprotocol/client';
import { isObject } from './format';
import { CREATED_TASK_KEY } from './tasks/types';

export interface McpParamDeclaration {
  /** Property names from the arguments object down to the annotated property. */
  readonly path: readonly string[];
  /** The `{Name}` of `Mcp-Param-{Name}`, as declared. */
  readonly header: string;
}

export type McpParamScan =
  { readonly valid: true; readonly declarations: readonly McpParamDeclaration[] } | { readonly valid: false; readonly reason: string };

/** RFC 9110 token characters: what a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The JSON Schema types an annotated property may have (the spec names string, integer, boolean; SDK 2.4 and the conformance suite also mirror number). */
const PRIMITIVE_TYPES = new Set(['string', 'integer', 'boolean', 'number']);
/** Keywords under which an annotation is not statically reachable through `properties`, and so not allowed. */
const UNREACHABLE = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
] as const;
const MAP_VALUED = new Set<string>(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);
const UNREACHABLE_KEYS = new Set<string>(UNREACHABLE);
const MAX_NODES = 10_000;

/** A schema node to visit; its path is made from the parent links only where an annotation needs it. */
interface ScanEntry {
  readonly node: unknown;
  readonly parent?: ScanEntry;
  /** The property name, or `<keyword>`, under which `parent` holds this node. */
  readonly key?: string;
  readonly reachable: boolean;
}

function pathOf(entry: ScanEntry): string[] {
  const path: string[] = [];
  for (let e: ScanEntry | undefined = entry; e?.key !== undefined; e = e.parent) path.push(e.key);
  return path.reverse();
}

/** Whether a schema node has any key of UNREACHABLE (most nodes have none: a few own keys are cheaper to look at than 18 names). */
function hasUnreachable(node: Record<string, unknown>): boolean {
  for (const key in node) if (UNREACHABLE_KEYS.has(key)) return true;
  return false;
}

/**
 * The `x-mcp-header` annotations of a tool's inputSchema, or the first rule one breaks: a
 * non-empty token name, unique ignoring case, on a primitive property reached from the root
 * through `properties` only. Iterative with a node budget (schemas can be deep). It runs on every
 * tool of every 2026-07-28 list, so a node costs one small object and no path copy: 10,000
 * one-property tools took 6.0 ms of CPU with a path array per node and 18 keyword look-ups per
 * node, 1.9 ms now (docs/performance.md).
 */
export function scanMcpParams(inputSchema: unknown): McpParamScan {
  const declarations: McpParamDeclaration[] = [];
  const seen = new Map<string, string>();
  const stack: ScanEntry[] = [{ node: inputSchema, reachable: true }];
  for (let visited = 0; stack.length && visited < MAX_NODES; visited++) {
    const entry = stack.pop()!;
    const { node, reachable } = entry;
    if (!isObject(node)) continue;
    if ('x-mcp-header' in node) {
      const path = pathOf(entry);
      const where = path.length ? path.join('.') : 'the schema root';
      const name = node['x-mcp-header'];
      if (!reachable || path.length === 0)
        return { valid: false, reason: `x-mcp-header at ${where} is not on a property reached through "properties" only` };
      if (typeof name !== 'string' || name === '') return { valid: false, reason: `x-mcp-header at ${where} is not a non-empty string` };
      if (!TOKEN.test(name)) return { valid: false, reason: `x-mcp-header "${name}" at ${where} is not a valid header name` };
      const type = typeof node.type === 'string' ? node.type : undefined;
      if (!type || !PRIMITIVE_TYPES.has(type))
        return {
          valid: false,
          reason: `x-mcp-header "${name}" at ${where} is on a ${type ?? 'typeless'} property, not a string, integer or boolean`,
        };
      const earlier = seen.get(name.toLowerCase());
      if (earlier) return { valid: false, reason: `x-mcp-header "${name}" is declared twice (also as "${earlier}")` };
      seen.set(name.toLowerCase(), name);
      declarations.push({ path, header: name });
    }
    if (isObject(node.properties))
      for (const [key, child] of Object.entries(node.properties)) stack.push({ node: child, parent: entry, key, reachable });
    if (!hasUnreachable(node)) continue;
    for (const keyword of UNREACHABLE) {
      const sub = node[keyword];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub) ? sub : MAP_VALUED.has(keyword) && isObject(sub) ? Object.values(sub) : [sub];
      for (const branch of branches) stack.push({ node: branch, parent: entry, key: `<${keyword}>`, reachable: false });
    }
  }
  return { valid: true, declarations };
}

/** The text of a primitive argument in a header, or undefined when it cannot be one. */
function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value)))
    return String(value);
  return undefined;
}

/**
 * A header value as the spec encodes it: plain when it is visible ASCII (spaces and tabs inside
 * allowed), else `=?base64?<UTF-8 in base64>?=` (also for empty values, surrounding whitespace
 * and values that look like the encoded form).
 */
export function encodeMcpParam(value: string): string {
  const plain =
    value !== '' &&
    value === value.trim() &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    [...value].every((c) => c === '\t' || (c >= ' ' && c <= '~'));
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The `Mcp-Param-*` headers a call of `tool` with `args` carries (none for arguments left out). */
export function mcpParamHeaders(tool: Tool | undefined, args: Record<string, unknown>): Record<string, string> | undefined {
  if (!tool) return undefined;
  const scan = scanMcpParams(tool.inputSchema);
  if (!scan.valid || scan.declarations.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const { path, header } of scan.declarations) {
    let value: unknown = args;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    const text = primitiveText(value);
    if (text !== undefined) headers[`Mcp-Param-${header}`] = encodeMcpParam(text);
  }
  return Object.keys(headers).length ? headers : undefined;
}

/** Longest freshness a server may give a list (the SDK's cap too). */
export const MAX_TTL_MS = 24 * 60 * 60 * 1000;

/** Until when a list result stays fresh: `now + ttlMs` (capped); absent or invalid means stale at once. */
export function freshUntil(result: unknown, now = Date.now()): number {
  const ttl = isObject(result) ? result.ttlMs : undefined;
  return typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? now + Math.min(ttl, MAX_TTL_MS) : now;
}

/**
 * Makes the transport hand the client every result with a `resultType`, `"complete"` where the
 * server left it out (the spec's rule; SDK 2.4 rejects such results on a 2026-07-28 session).
 * Install after connect, when the client's own handler is in place.
 */
export function completeResultTypes(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    const result = (message as { result?: unknown }).result;
    if ('id' in message && isObject(result) && result.resultType === undefined) result.resultType = 'complete';
    // A task handle (the tasks extension's `resultType: "task"`) is no result type the SDK knows:
    // it reaches callTool as a complete result carrying the task (src/core/tasks/).
    else if ('id' in message && isObject(result) && result.resultType === 'task') {
      const { resultType: _, _meta, ...task } = result;
      (message as { result: unknown }).result = {
        resultType: 'complete',
        content: [],
        ...(isObject(_meta) && { _meta }),
        [CREATED_TASK_KEY]: task,
      };
    }
    deliver(message, extra);
  };
}
