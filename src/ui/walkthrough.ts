// The Getting Started walkthrough (package.json `contributes.walkthroughs`): its ids, the context
// keys its completion events wait for, and when it opens by itself. Editor-free, so unit tests
// can check the decisions.

/** `<publisher>.<name>#<walkthrough id>`, as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH_ID = 'mcp-manager.mcp-manager#gettingStarted';

/**
 * The steps, in order, as contributed. New steps (sign in to a remote server, save a call as a
 * test, share servers with chat) go after `readResource` when their features land: add the step
 * to package.json with its command button, a Markdown file in media/walkthrough/ and completion
 * events, and its id here.
 */
export const WALKTHROUGH_STEPS = ['addServer', 'startServer', 'callTool', 'readResource'] as const;

/** Context keys set by the extension for `onContext:` completion events. */
export const CONTEXT = {
  /** At least one server is configured (in any scope, including `.vscode/mcp.json`). */
  hasServers: 'mcpManager.hasServers',
  /** A server has reached "running" in this window. */
  serverStarted: 'mcpManager.serverStarted',
} as const;

/** globalState key: the walkthrough has been opened once (by us or by the user). */
export const SHOWN_KEY = 'mcpManager.walkthroughShown';

/**
 * Whether to open the walkthrough now: only the first time the installed extension activates
 * (never again unasked, not in development or test hosts), and not if the user told VS Code not to
 * open walkthroughs on install (`workbench.welcomePage.walkthroughs.openOnInstall`).
 */
export function shouldOpenWalkthrough(o: { alreadyShown: boolean; production: boolean; openOnInstall: boolean | undefined }): boolean {
  return o.production && !o.alreadyShown && o.openOnInstall !== false;
}
