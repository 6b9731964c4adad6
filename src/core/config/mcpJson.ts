// Reading a folder's `.vscode/mcp.json` (VS Code's own format: JSONC with `servers` and `inputs`),
// so a repository set up for VS Code's built-in MCP support works here unchanged. The one reader
// of that file, for the editor and the CLI (pipeline.ts decides which folders are read). Plain Node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kindOf } from '../text';
import { ConfigFileError, duplicateServerIssues, parseInputs, readJsonc, type McpInput } from './files';
import type { ConfigIssue, ConfigSource } from './types';

export const MCP_JSON = path.join('.vscode', 'mcp.json');

export interface McpJsonContent {
  /** The raw `servers` object (parsed later, with the other layers); undefined when absent. */
  readonly servers: unknown;
  readonly inputs: McpInput[];
  readonly issues: ConfigIssue[];
  /** The file could not be parsed (typically: saved mid-edit). */
  readonly broken?: true;
}

/** The mcp.json of `folder`, or undefined when the folder has none. Never throws for bad content. */
export function readMcpJson(folder: string, source: ConfigSource): McpJsonContent | undefined {
  const file = path.join(folder, MCP_JSON);
  if (!fs.existsSync(file)) return undefined;
  const issues: ConfigIssue[] = [];
  let raw: unknown;
  try {
    raw = readJsonc(file);
  } catch (e) {
    // A syntax error while the user is typing: an error node, the other sources keep working.
    if (e instanceof ConfigFileError) return { servers: undefined, inputs: [], issues: [{ message: e.message, source }], broken: true };
    throw e;
  }
  if (raw === undefined) return { servers: undefined, inputs: [], issues };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      servers: undefined,
      inputs: [],
      issues: [{ message: `${file}: expected a JSON object with "servers", got ${kindOf(raw)}`, source }],
    };
  }
  const obj = raw as Record<string, unknown>;
  issues.push(...duplicateServerIssues(file, source));
  const inputs = parseInputs(obj.inputs, source, issues);
  return { servers: obj.servers, inputs, issues };
}
