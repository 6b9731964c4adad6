// MCP registries (API v0.1): finding servers and turning their server.json into entries of our
// configuration. Not to be confused with core/registry.ts, the registry of configured servers.
export * from './types';
export {
  RegistryClient,
  RegistryError,
  normaliseRegistryUrl,
  type EntryResult,
  type RegistryClientOptions,
  type RegistryErrorKind,
  type SearchPage,
  type SearchQuery,
  type Stale,
} from './client';
export {
  buildEntry,
  commandLine,
  installOptions,
  InstallError,
  questionsFor,
  suggestLocalName,
  type Answers,
  type BuildOptions,
  type BuiltEntry,
  type InstallOption,
  type Question,
  type RegistryOrigin,
} from './mapping';
export { readServersFile, writeServerEntry, type WriteResult } from './mcpJsonWrite';
export { describeEntry, entryChanges } from './describe';
