// The composition root: activate() builds every object, wires them and hands each disposable to
// context.subscriptions. It connects to nothing and spawns nothing; servers start when the user
// (or another extension through the API) first needs them.
import * as vscode from 'vscode';
import { ServerRegistry, type ConfigSource, type ServerDefinition } from './core';
import { createApi, type McpManagerApi } from './vscode/api';
import { EditorAsk } from './vscode/ask/editorAsk';
import { registerBrowseCommands, ServerCatalog } from './vscode/browse';
import { ServerCommands } from './vscode/commands';
import { EditorGateway, registerCopyGatewayConfig, registerGatewayCheckboxes } from './vscode/gateway';
import { SettingsConfigSource } from './vscode/configSource';
import { ConfigWriter } from './vscode/configWriter';
import { LaunchConsent } from './vscode/consent';
import { InputService } from './vscode/inputs';
import { SwitchablePrompter } from './vscode/prompts';
import { createRegistryFeature, type RegistryBrowser, type RegistryUpdates } from './vscode/registry';
import { ServerLogs } from './vscode/serverLogs';
import { ServerStatusBar } from './vscode/statusBar';
import { registerToolCallCommands } from './vscode/toolCall';
import { createTasksFeature, type TaskTracker } from './vscode/tasks';
import { registerMcpTests, type McpTestController } from './vscode/tests';
import { ServerTreeProvider } from './vscode/tree/serverTree';
import { IconCache } from './vscode/icons';
import { EditorAuth } from './vscode/auth';
import { trustNotices } from './vscode/trust';
import { registerWalkthrough, type WalkthroughState } from './vscode/walkthrough';

/** Hooks for the integration tests; present only outside production mode. */
export interface TestHooks {
  readonly tree: ServerTreeProvider;
  readonly registry: ServerRegistry;
  readonly statusBar: ServerStatusBar;
  /** Every question the extension asks; tests install a stand-in that answers. */
  readonly prompter: SwitchablePrompter;
  /** OAuth sign-in: tests install a stand-in browser with `auth.useUi()`. */
  readonly auth: EditorAuth;
  readonly inputs: InputService;
  readonly consent: LaunchConsent;
  readonly config: SettingsConfigSource;
  /** Every configuration write goes through it (tests read which user settings file it found). */
  readonly writer: ConfigWriter;
  /** Where the log channels' files are (one `<channel name>.log` per channel). */
  readonly logDir: string;
  /** Re-reads the settings now (skipping the debounce) and resolves once applied. */
  reloadConfig(): Promise<void>;
  /** What deactivate() does: stops every server. */
  shutdown(): Promise<void>;
  /** Time spent in activate(), in ms. */
  readonly activationMs: number;
  /** The "MCP Tests" test controller. */
  readonly tests: McpTestController;
  /** Forgets the call results "Save as Test..." keeps in memory, as a new window starts without them. */
  forgetCallResults(): void;
  /** The Getting Started walkthrough's context keys as set so far. */
  readonly walkthrough: WalkthroughState;
  /** The in-editor gateway (VS Code's MCP server definition provider). */
  readonly gateway: EditorGateway;
  /** Browse Registry (tests replace its live search pick) and the registry update checks. */
  readonly registryBrowser: RegistryBrowser;
  readonly registryUpdates: RegistryUpdates;
  /** Answers servers' questions (roots, elicitation, sampling); tests swap its models and form. */
  readonly ask: EditorAsk;
  /** Tool calls running as tasks. */
  readonly tasks: TaskTracker;
}

export type ExtensionApi = McpManagerApi & { readonly _test?: TestHooks };

/** The one thing deactivate() needs: stopping the servers of the current activation. */
let shutdownCurrent: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const logs = new ServerLogs();
  const prompter = new SwitchablePrompter();
  // Inputs are declared next to the servers, so the resolver asks the configuration (created below).
  const inputs: InputService = new InputService(context.secrets, context.globalState, prompter, {
    sourceOf: (name): ConfigSource | undefined => registry.get(name)?.definition.source,
    inputsFor: (kind) => config.inputsFor(kind),
  });
  const consent = new LaunchConsent(context.workspaceState, prompter, (): ServerDefinition[] => registry.list().map((c) => c.definition));
  // Servers' questions (roots, elicitation, sampling), answered here for every path to a server.
  const ask = new EditorAsk({ prompter });
  // OAuth sign-in (http/sse servers): SecretStorage, the system browser, a loopback listener.
  const auth = new EditorAuth({ secrets: context.secrets, logs, prompter, resolveInputs: (name, ids) => inputs.resolve(name, ids) });
  const registry = new ServerRegistry({
    ask,
    auth: auth.host,
    loggerFor: (name) => logs.loggerFor(name),
    clientInfo: { name: 'mcp-manager', version: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0') },
    parentEnv: process.env,
    inputResolver: inputs.resolve,
    beforeLaunch: consent.beforeLaunch,
  });
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= registry.dispose());
  shutdownCurrent = shutdown;

  const config = new SettingsConfigSource(registry, (e) => logs.general.error(e instanceof Error ? e : String(e)));
  // What servers offer (tools, resources, prompts), listed on demand; the one copy every view reads.
  const catalog = new ServerCatalog(registry, (name) => logs.loggerFor(name));
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  // Every configuration write (Add, Import, the tree's actions, registry installs) goes through it.
  const writer = new ConfigWriter({ globalStorageUri: context.globalStorageUri, log: logs.general });
  const mcpRegistries = createRegistryFeature({ registry, prompter, inputs, logs, reload: () => config.reload(), version, writer });
  const icons = new IconCache(vscode.Uri.joinPath(context.globalStorageUri, 'icons'), logs.general);
  // Tool calls running as tasks: followed beyond their notification, remembered per workspace.
  const tasks = createTasksFeature(registry, context.workspaceState, {
    loggerFor: (name) => logs.loggerFor(name),
    show: (name) => void vscode.commands.executeCommand('mcpManager.showServerLogs', { serverName: name }),
  });
  // VS Code's chat gets our servers through a local gateway (feature-detected; listens on first use).
  const gateway = new EditorGateway(
    registry,
    { global: context.globalStorageUri.fsPath, workspace: context.storageUri?.fsPath },
    logs.general,
    (name) => logs.loggerFor(name),
  );
  gateway.registerProvider();
  const tree = new ServerTreeProvider(registry, {
    noticeSource: trustNotices(config),
    catalog,
    updates: mcpRegistries.updates,
    icons,
    tasks: tasks.tracker,
    auth,
    gateway,
  });
  // Checkboxes are the gateway's (src/vscode/gateway/checkboxes.ts): a server's does not tick its tools.
  const view = vscode.window.createTreeView('mcpManager.servers', {
    treeDataProvider: tree,
    showCollapseAll: true,
    manageCheckboxStateManually: true,
  });
  const serverCommands = new ServerCommands({ registry, logs, tree, catalog, config, prompter, inputs, consent, writer });
  const statusBar = new ServerStatusBar(registry);
  const api = createApi(registry, catalog);
  const tests = registerMcpTests(registry);
  const walkthrough = registerWalkthrough(context, registry);

  // Disposed in order: stop listening to settings first, the logs last.
  context.subscriptions.push(
    config,
    icons,
    auth,
    auth.register(registry),
    serverCommands.register(),
    registerGatewayCheckboxes(view, {
      setExposed: (server, exposed) => serverCommands.actions.setExposed(server, exposed),
      setToolOffered: (server, tool, offered) => gateway.setToolOffered(server, tool, offered),
      refreshServer: (server) => tree.refreshServer(server),
    }),
    registerToolCallCommands({
      context,
      registry,
      catalog,
      logs,
      prompter,
      missingInputs: (conn) => inputs.unresolved(conn.name, conn.definition.inputs),
      onDidCall: tests.recordCall,
      tasks: tasks.tracker,
      icons,
    }),
    tasks.disposable,
    tests,
    registerBrowseCommands({ registry, catalog, prompter, logs, icons }),
    walkthrough,
    mcpRegistries,
    gateway,
    registerCopyGatewayConfig(context.extensionPath, prompter),
    view,
    tree,
    catalog,
    statusBar,
    api,
    // Roots are the workspace folders: servers using them are told when they change.
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      for (const conn of registry.list()) void conn.notifyRootsChanged();
    }),
    // deactivate() awaits this; here it is the safety net if only the subscriptions are disposed.
    { dispose: () => void shutdown() },
    logs,
  );

  // Parsing the settings and registering the servers is synchronous; it starts no server.
  // Then the tasks of an earlier window are looked up (asking their servers, so after activation).
  void config.reload().then(
    () => tasks.tracker.reattach(),
    () => undefined,
  );

  const activationMs = performance.now() - started;
  const result: ExtensionApi = {
    listServers: api.listServers,
    listTools: api.listTools,
    callTool: api.callTool,
    onDidChange: api.onDidChange,
  };
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    return {
      ...result,
      _test: {
        tree,
        registry,
        statusBar,
        prompter,
        auth,
        inputs,
        consent,
        config,
        writer,
        logDir: context.logUri.fsPath,
        reloadConfig: () => config.reload(),
        shutdown,
        activationMs,
        tests: tests.controller,
        forgetCallResults: tests.forgetResults,
        walkthrough,
        gateway,
        registryBrowser: mcpRegistries.browser,
        registryUpdates: mcpRegistries.updates,
        ask,
        tasks: tasks.tracker,
      },
    };
  }
  return result;
}

/** Awaited by VS Code: no server process outlives the extension. */
export async function deactivate(): Promise<void> {
  const shutdown = shutdownCurrent;
  shutdownCurrent = undefined;
  await shutdown?.();
}
