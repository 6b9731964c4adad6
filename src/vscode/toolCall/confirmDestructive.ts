// Asking before a destructive tool runs, with "don't ask again" remembered per workspace.
import * as vscode from 'vscode';
import type { Tool } from '@modelcontextprotocol/client';
import type { ServerConnection } from '../../core';
import { destructiveQuestion, isDestructive } from '../../ui/toolCall/toolDetails';
import type { Prompter } from '../prompts';

const CALL = 'Call';
const CALL_ALWAYS = "Call, Don't Ask Again for This Tool";
/** Setting: ask before calling a tool its server marks destructive. */
export const CONFIRM_DESTRUCTIVE_SETTING = 'confirmDestructiveTools';
/** workspaceState: "<server>/<tool>" of destructive tools the user said not to ask about again. */
const DESTRUCTIVE_ALLOWED_KEY = 'mcpManager.destructiveToolsAllowed';

/**
 * A tool its server marks destructive (destructiveHint, not read-only) is called only after the
 * user agreed, unless they said not to ask again for it in this workspace or turned the
 * question off (mcpManager.confirmDestructiveTools). Every way of calling comes through here:
 * the palette, the details view, the history and commands with arguments.
 */
export async function confirmDestructive(
  deps: { readonly context: vscode.ExtensionContext; readonly prompter: Prompter },
  conn: ServerConnection,
  tool: Tool | undefined,
  name: string,
  args: Record<string, unknown>,
): Promise<boolean> {
  if (!isDestructive(tool)) return true;
  if (!vscode.workspace.getConfiguration('mcpManager').get<boolean>(CONFIRM_DESTRUCTIVE_SETTING, true)) return true;
  const state = deps.context.workspaceState;
  const key = `${conn.name}/${name}`;
  const allowed = state.get<string[]>(DESTRUCTIVE_ALLOWED_KEY, []);
  if (allowed.includes(key)) return true;
  const { message, detail } = destructiveQuestion(conn.name, tool ?? { name }, args);
  const answer = await deps.prompter.confirm(message, conn.masker.mask(detail), CALL, CALL_ALWAYS);
  if (answer === CALL_ALWAYS) await state.update(DESTRUCTIVE_ALLOWED_KEY, [...allowed, key]);
  return answer === CALL || answer === CALL_ALWAYS;
}
