// The composition root: activate() builds every object, wires them and hands each disposable to
// context.subscriptions. It connects to nothing and spawns nothing; servers start when the user
// (or another extension through the API) first needs them.
import * as vscode from 'vscode';
import { ServerRegistry, type ConfigSource, type ServerDefinition } from './core';
import { createApi, type McpManagerApi } from './vscode/api';
import { registerBrowseCommands, ServerCatalog } from './vscode/browse';
import { ServerCommands } from './vscode/commands';
import { SettingsConfigSource } from './vscode/configSource';
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
import { trustNotices } from './vscode/trust';
import { registerWalkthrough, type WalkthroughState } from './vscode/walkthrough';

/** Hooks for the integration tests; present only outside production mode. */
export interface TestHooks {
  readonly tree: ServerTreeProvider;
  readonly registry: ServerRegistry;
  readonly statusBar: ServerStatusBar;
  /** Every question the extension asks; tests install a stand-in that answers. */
  readonly prompter: SwitchablePrompter;
  readonly inputs: InputService;
  readonly consent: LaunchConsent;
  readonly config: SettingsConfigSource;
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
  /** Browse Registry (tests replace its live search pick) and the registry update checks. */
  readonly registryBrowser: RegistryBrowser;
  readonly registryUpdates: RegistryUpdates;
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
  const registry = new ServerRegistry({
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
  const mcpRegistries = createRegistryFeature({ registry, prompter, inputs, logs, reload: () => config.reload(), version });
  // Tool calls running as tasks: followed beyond their notification, remembered per workspace.
  const tasks = createTasksFeature(registry, context.workspaceState, {
    loggerFor: (name) => logs.loggerFor(name),
    show: (name) => void vscode.commands.executeCommand('mcpManager.showServerLogs', { serverName: name }),
  });
  const tree = new ServerTreeProvider(registry, trustNotices(config), catalog, mcpRegistries.updates, tasks.tracker);
  const view = vscode.window.createTreeView('mcpManager.servers', { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new ServerStatusBar(registry);
  const api = createApi(registry, catalog);
  const tests = registerMcpTests(registry);
  const walkthrough = registerWalkthrough(context, registry);

  // Disposed in order: stop listening to settings first, the logs last.
  context.subscriptions.push(
    config,
    new ServerCommands({ registry, logs, tree, catalog, config, prompter, inputs, consent }).register(),
    registerToolCallCommands({
      context,
      registry,
      catalog,
      logs,
      prompter,
      missingInputs: (conn) => inputs.unresolved(conn.name, conn.definition.inputs),
      onDidCall: tests.recordCall,
      tasks: tasks.tracker,
    }),
    tasks.disposable,
    tests,
    registerBrowseCommands({ registry, catalog, prompter, logs }),
    walkthrough,
    mcpRegistries,
    view,
    tree,
    catalog,
    statusBar,
    api,
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
        inputs,
        consent,
        config,
        logDir: context.logUri.fsPath,
        reloadConfig: () => config.reload(),
        shutdown,
        activationMs,
        tests: tests.controller,
        forgetCallResults: tests.forgetResults,
        walkthrough,
        registryBrowser: mcpRegistries.browser,
        registryUpdates: mcpRegistries.updates,
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
