// The public surface of core/, for the VS Code adapters and the CLI.
export * from './config/types';
export { parseServers, parseServer, normaliseType, DEFAULTS } from './config/schema';
export { substituteVariables, type VariableContext, type WorkspaceFolderRef } from './config/variables';
export {
  ServerConnection,
  DEFAULT_TIMING,
  type CallOptions,
  type ConnectionOptions,
  type InputResolver,
  type LaunchRequest,
  type SessionInfo,
  type Timing,
} from './connection';
export { ServerRegistry, type RegistryChange, type RegistryOptions } from './registry';
export { ServerError, isServerError, errorMessage, type FailureKind } from './errors';
export { Emitter, DisposableStore, type Disposable, type Event } from './events';
export { nullLogger, maskingLogger, type Logger, type LogLevel } from './logger';
export { SecretMasker, isSecretName, maskEnv, MASK } from './secrets';
export { stateLabel, canStart, isActive, type ConnectionState, type StateKind } from './state';
export { planStdioLaunch, type LaunchPlan } from './transport/factory';
export { driverFor } from './transport/drivers';
export type { DriverContext, ProcessInfo, TransportDriver } from './transport/driver';
export { inMemoryServer, type MemoryOptions } from './transport/memory';
export { POSIX_ALLOWED_ENV, WINDOWS_ALLOWED_ENV } from './transport/env';
export * from './config/files';
export {
  precedence,
  resolveConfig,
  loadWorkspaceConfig,
  type FolderRef,
  type IgnoredSource,
  type PipelineHost,
  type ResolvedConfig,
  type ScopeValues,
  type SettingsSlot,
  type Slot,
  type WorkspaceShape,
} from './config/pipeline';
export { buildEnv, LaunchError } from './transport/env';
export { assessSchema, schemaText, sanitizeTools, SCHEMA_PROBLEM_KEY, SCHEMA_LIMITS, type SchemaAssessment } from './toolSchema';
export { splitCommandLine, suggest, summaryLine } from './text';
export { firstLine, formatBytes, formatDuration, isObject } from './format';
export { abortable } from './deadline';
export { ServerCatalog, connectionSource, failureText } from './catalog';
export type { CatalogKind, Lists } from './catalog';
export { schemaDraft } from './toolOutput';
export { decodeBase64Text, isTextMime } from './mime';
export { isLayerSource } from './config/layers';
export type { LayerSource } from './config/layers';
export { MCP_JSON } from './config/mcpJson';
export type { McpJsonContent } from './config/mcpJson';
export * from './icons';
export * from './ask';
export * from './gateway';
export {
  signIn,
  signOut,
  authStatus,
  SignInRequiredError,
  isSignInRequired,
  MemoryCredentialStore,
  startLoopback,
  CallbackError,
  MAX_STEP_UPS,
  bestAccountProvider,
  matchesAuthorizationServer,
  type AccountProvider,
  type AccountProviderDeclaration,
  type AccountToken,
  type HostAccounts,
  type AuthHost,
  type AuthStatus,
  type CredentialStore,
  type IssuerCredentials,
  type ServerCredentials,
  type SignInOptions,
  type SignInResult,
  type SignInUi,
  type StoredClient,
  type StoredTokenSet,
} from './auth';
export * from './tasks';
