// Entry point of browsing resources and prompts, called once by the composition root
// (src/extension.ts). Registers the two content providers and two commands; lists and reads nothing.
import * as vscode from 'vscode';
import { BrowseCommands, type BrowseDeps } from './commands';
import { BrowseDocuments } from './documents';

export { ServerCatalog } from '../../core';
export { PROMPT_SCHEME, RESOURCE_SCHEME } from './documents';

/**
 * mcpManager.readResource takes nothing (palette), a server name or node, a resource or template
 * node, `{ serverName, uri }` or `{ serverName, uriTemplate, values }`; mcpManager.getPrompt
 * nothing, a server, a prompt node or `{ serverName, promptName, args }`. Both resolve with the
 * MCP result, or undefined when cancelled or failed.
 */
export function registerBrowseCommands(deps: Omit<BrowseDeps, 'documents'>): vscode.Disposable {
  const documents = new BrowseDocuments(deps.registry);
  return vscode.Disposable.from(documents, new BrowseCommands({ ...deps, documents }).register());
}
