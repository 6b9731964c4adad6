// The public surface of core/, for the VS Code adapters and the CLI.
export * from './config/types';
export { parseServers, parseServer, normaliseType, DEFAULTS } from './config/schema';
export { substituteVariables, type VariableContext, type WorkspaceFolderRef } from './config/variables';
export { ServerConnection, DEFAULT_TIMING, type CallOptions, type ConnectionOptions, type InputResolver, type LaunchRequest, type SessionInfo, type Timing } from './connection';
export { ServerRegistry, type RegistryChange, type RegistryOptions } from './registry';
export { ServerError, isServerError, errorMessage, type FailureKind } from './errors';
export { Emitter, DisposableStore, type Disposable, type Event } from './events';
export { nullLogger, maskingLogger, type Logger, type LogLevel } from './logger';
export { SecretMasker, isSecretName, maskEnv, MASK } from './secrets';
export { stateLabel, canStart, isActive, type ConnectionState, type StateKind } from './state';
export { planStdioLaunch, type LaunchPlan } from './transport/factory';
export { inMemoryServer, type MemoryOptions } from './transport/memory';
export { POSIX_ALLOWED_ENV, WINDOWS_ALLOWED_ENV } from './transport/env';
export * from './config/files';
export { buildEnv, LaunchError } from './transport/env';
export { assessSchema, schemaText, sanitizeTools, SCHEMA_PROBLEM_KEY, SCHEMA_LIMITS, type SchemaAssessment } from './toolSchema';
export { splitCommandLine, suggest, summaryLine } from './text';
export { abortable } from './deadline';
