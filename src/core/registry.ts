// All configured servers. On a configuration change it diffs old against new and restarts only
// the servers whose resolved configuration actually changed; the rest keep their sessions.
import { fingerprint, type ConfigIssue, type ParseResult, type ServerDefinition } from './config/types';
import { ServerConnection, type ConnectionOptions } from './connection';
import { Emitter } from './events';
import type { Logger } from './logger';
import type { ConnectionState } from './state';

export interface RegistryOptions extends Omit<ConnectionOptions, 'logger'> {
  /** The log of one server (a LogOutputChannel per server in VS Code). */
  readonly loggerFor?: (server: string) => Logger;
}

export interface RegistryChange {
  readonly added: string[];
  readonly removed: string[];
  /** Replaced by a new connection (a running server restarts with its new entry). */
  readonly changed: string[];
  /** Same connection, new entry: only `expose` or where the entry lives changed (nothing restarts). */
  readonly updated: string[];
}

export class ServerRegistry {
  private readonly connections = new Map<string, ServerConnection>();
  private readonly fingerprints = new Map<string, string>();
  private _issues: ConfigIssue[] = [];
  private disposed = false;

  private readonly changeEmitter = new Emitter<RegistryChange>();
  private readonly stateEmitter = new Emitter<{ connection: ServerConnection; state: ConnectionState }>();
  private readonly toolsEmitter = new Emitter<ServerConnection>();
  /** Servers were added, removed or replaced, or the configuration issues changed. */
  readonly onDidChangeServers = this.changeEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeTools = this.toolsEmitter.event;
  private readonly listEmitter = new Emitter<{ readonly connection: ServerConnection; readonly kind: 'resources' | 'prompts' }>();
  /** A server's resources or prompts changed (its list_changed notification). */
  readonly onDidChangeList = this.listEmitter.event;

  constructor(private readonly options: RegistryOptions = {}) {}

  get(name: string): ServerConnection | undefined {
    return this.connections.get(name);
  }

  list(): ServerConnection[] {
    return [...this.connections.values()];
  }

  /** Problems with the configuration (bad entries, duplicate names), per server where known. */
  get issues(): readonly ConfigIssue[] {
    return this._issues;
  }

  /** Applies a new configuration. Resolves once replaced and removed servers have stopped. */
  async update(config: ParseResult): Promise<RegistryChange> {
    if (this.disposed) throw new Error('registry disposed');
    const next = new Map<string, ServerDefinition>();
    const issues = [...config.issues];
    for (const def of config.servers) {
      if (next.has(def.name)) {
        const first = next.get(def.name)!;
        issues.push({
          server: def.name,
          severity: 'warning',
          message: `also defined in ${def.source?.label ?? 'another source'}; the entry from ${first.source?.label ?? 'the first source'} is used`,
          source: def.source,
        });
        continue;
      }
      next.set(def.name, def);
    }
    const change: RegistryChange = { added: [], removed: [], changed: [], updated: [] };
    const stopping: Promise<void>[] = [];
    const restart: ServerConnection[] = [];
    for (const [name, conn] of this.connections) {
      if (!next.has(name)) {
        change.removed.push(name);
        this.connections.delete(name);
        this.fingerprints.delete(name);
        stopping.push(conn.dispose());
      }
    }
    for (const [name, def] of next) {
      const old = this.connections.get(name);
      // Fingerprints only where there is something to compare with: not for the servers of a
      // first load (activation), where they cost ~0.05 ms a server for nothing.
      const fp = old ? fingerprint(def) : undefined;
      if (old) {
        const oldFp = this.fingerprints.get(name) ?? fingerprint(old.definition);
        this.fingerprints.set(name, oldFp);
        if (oldFp === fp) {
          if (old.definition.expose !== def.expose) change.updated.push(name);
          old.redefine(def);
          continue;
        }
      }
      const conn = this.create(def);
      if (old) {
        change.changed.push(name);
        // A server that was in use comes back with its new configuration.
        if (old.state.kind === 'running' && def.keepAlive && !def.disabled) restart.push(conn);
        stopping.push(old.dispose());
      } else {
        change.added.push(name);
      }
      this.connections.set(name, conn);
      if (fp === undefined) this.fingerprints.delete(name);
      else this.fingerprints.set(name, fp);
    }
    const issuesChanged = JSON.stringify(issues) !== JSON.stringify(this._issues);
    this._issues = issues;
    if (change.added.length || change.removed.length || change.changed.length || change.updated.length || issuesChanged)
      this.changeEmitter.fire(change);
    await Promise.all(stopping);
    // Failures are shown through the connection's state; nobody awaits these.
    for (const conn of restart) conn.start().catch(() => undefined);
    return change;
  }

  /** Stops every server; no process outlives this. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = this.list();
    this.connections.clear();
    await Promise.all(all.map((c) => c.dispose()));
    this.changeEmitter.dispose();
    this.stateEmitter.dispose();
    this.toolsEmitter.dispose();
    this.listEmitter.dispose();
  }

  private create(def: ServerDefinition): ServerConnection {
    const conn = new ServerConnection(def, { ...this.options, logger: this.options.loggerFor?.(def.name) });
    // A replaced connection still reports its own shutdown; only the current one speaks for the name.
    const current = () => this.connections.get(conn.name) === conn;
    conn.onDidChangeState((state) => current() && this.stateEmitter.fire({ connection: conn, state }));
    conn.onDidChangeTools(() => current() && this.toolsEmitter.fire(conn));
    conn.onDidChangeList((kind) => current() && this.listEmitter.fire({ connection: conn, kind }));
    return conn;
  }
}
