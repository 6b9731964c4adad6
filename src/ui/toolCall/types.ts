// Shapes shared by the tool-call files. No `vscode` import.
import type { Logger } from '../../core';

/**
 * What tool calls need from the per-server logs (src/vscode/serverLogs.ts, class ServerLogs).
 * Structural, so this folder does not depend on that file's other members.
 */
export interface ServerLogsLike {
  loggerFor(name: string): Logger;
  show(name: string): void;
}

/** `mcpManager.callTool` arguments when called programmatically (tests, other commands). */
export interface CallToolRequest {
  readonly serverName: string;
  readonly toolName?: string;
  /** Given: the argument UI is skipped and these are sent as they are. */
  readonly args?: Record<string, unknown>;
  /** Cancels the call (as the notification's Cancel button does). */
  readonly signal?: AbortSignal;
  /** Same, as a VS Code CancellationToken. */
  readonly token?: { readonly isCancellationRequested: boolean; onCancellationRequested(listener: () => unknown): { dispose(): unknown } };
  /** false: do not open the result (default true). */
  readonly show?: boolean;
}
