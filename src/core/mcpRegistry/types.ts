// The MCP Registry's v0.1 wire format (https://registry.modelcontextprotocol.io, frozen API):
// `server.json` (ServerDetail) inside a response envelope with the registry's own `_meta`.
// Only what a client needs to show and install an entry is typed; everything is optional on
// read, because organisation registries and older publishers leave fields out.

export type InputFormat = 'string' | 'number' | 'boolean' | 'filepath';

/** A value the user may have to supply (an argument, an environment variable, a header). */
export interface RegistryInput {
  readonly description?: string;
  readonly isRequired?: boolean;
  readonly isSecret?: boolean;
  readonly format?: InputFormat | string;
  /** A fixed value (not configurable); `{name}` refers to `variables`. */
  readonly value?: string;
  readonly default?: string;
  readonly placeholder?: string;
  readonly choices?: readonly string[];
  readonly variables?: Readonly<Record<string, RegistryInput>>;
}

export interface PositionalArgument extends RegistryInput {
  readonly type: 'positional';
  readonly valueHint?: string;
  readonly isRepeated?: boolean;
}

export interface NamedArgument extends RegistryInput {
  readonly type: 'named';
  /** The flag, with its dashes: `--port`. */
  readonly name: string;
  readonly isRepeated?: boolean;
}

export type RegistryArgument = PositionalArgument | NamedArgument;

export interface KeyValueInput extends RegistryInput {
  readonly name: string;
}

export interface RegistryTransport {
  readonly type: 'stdio' | 'streamable-http' | 'sse' | string;
  readonly url?: string;
  readonly headers?: readonly KeyValueInput[];
}

export type RegistryType = 'npm' | 'pypi' | 'oci' | 'nuget' | 'mcpb';

export interface RegistryPackage {
  readonly registryType: RegistryType | string;
  readonly registryBaseUrl?: string;
  readonly identifier: string;
  readonly version?: string;
  readonly fileSha256?: string;
  readonly runtimeHint?: string;
  readonly transport?: RegistryTransport;
  readonly runtimeArguments?: readonly RegistryArgument[];
  readonly packageArguments?: readonly RegistryArgument[];
  readonly environmentVariables?: readonly KeyValueInput[];
}

export interface RegistryRemote {
  readonly type: 'streamable-http' | 'sse' | string;
  readonly url: string;
  readonly headers?: readonly KeyValueInput[];
  /** URL template variables (`{tenant}` in the URL). */
  readonly variables?: Readonly<Record<string, RegistryInput>>;
}

/** `server.json`. */
export interface ServerJson {
  readonly $schema?: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly version?: string;
  readonly websiteUrl?: string;
  readonly repository?: { readonly url?: string; readonly source?: string; readonly subfolder?: string; readonly id?: string };
  readonly packages?: readonly RegistryPackage[];
  readonly remotes?: readonly RegistryRemote[];
  readonly _meta?: Readonly<Record<string, unknown>>;
}

export type EntryStatus = 'active' | 'deprecated' | 'deleted' | string;

/** The registry's own metadata for one version (`_meta["io.modelcontextprotocol.registry/official"]`). */
export interface RegistryMeta {
  readonly status: EntryStatus;
  readonly isLatest?: boolean;
  readonly publishedAt?: string;
  readonly updatedAt?: string;
}

/** One server version as a registry lists it, with the registry it came from. */
export interface RegistryEntry {
  readonly server: ServerJson;
  readonly meta: RegistryMeta;
  /** Base URL of the registry (no trailing slash). */
  readonly registry: string;
}

export const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
export const DEFAULT_REGISTRY = 'https://registry.modelcontextprotocol.io';

/** Deprecated and deleted versions are listed but never offered for install. */
export function isInstallable(entry: RegistryEntry): boolean {
  return entry.meta.status !== 'deprecated' && entry.meta.status !== 'deleted';
}

/** "package" when it runs locally, "remote" when it is a URL, both when it offers both. */
export function entryKind(server: ServerJson): 'package' | 'remote' | 'package+remote' | 'none' {
  const p = (server.packages?.length ?? 0) > 0;
  const r = (server.remotes?.length ?? 0) > 0;
  return p && r ? 'package+remote' : p ? 'package' : r ? 'remote' : 'none';
}
