// Which installed servers have a newer version in their registry. Checked for the servers whose
// entry has a `registry` key only, when the configuration changes (debounced) and on demand; the
// client's cache keeps it to one request per server every few minutes. A registry that cannot be
// reached just leaves the server without an update note.
import { Emitter, type Disposable, type ServerRegistry } from '../../core';
import type { RegistryClient, RegistryEntry } from '../../core/mcpRegistry';

export class RegistryUpdates implements Disposable {
  private readonly newer = new Map<string, RegistryEntry>();
  private readonly changeEmitter = new Emitter<string>();
  /** Fires with a server's name when its update note appears or goes. */
  readonly onDidChange = this.changeEmitter.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: Disposable;
  private running: Promise<void> | undefined;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly client: RegistryClient,
    private readonly delayMs = 2000,
  ) {
    this.subscription = registry.onDidChangeServers(() => this.schedule());
  }

  /** The newer entry for a server, if its registry has one. */
  updateFor(name: string): RegistryEntry | undefined {
    return this.newer.get(name);
  }

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), this.delayMs);
  }

  /** Checks every registry-installed server now; resolves when done. */
  check(): Promise<void> {
    return (this.running ??= this.run().finally(() => (this.running = undefined)));
  }

  private async run(): Promise<void> {
    const seen = new Set<string>();
    for (const conn of this.registry.list()) {
      const origin = conn.definition.registry;
      if (!origin) continue;
      seen.add(conn.name);
      let latest: RegistryEntry | undefined;
      try {
        latest = (await this.client.getEntry(origin.url, origin.name, 'latest')).entry;
      } catch {
        latest = undefined;
      }
      const has =
        !!latest &&
        latest.meta.status !== 'deleted' &&
        latest.meta.status !== 'deprecated' &&
        !!latest.server.version &&
        latest.server.version !== origin.version;
      const before = this.newer.get(conn.name);
      if (has) this.newer.set(conn.name, latest!);
      else this.newer.delete(conn.name);
      if ((before?.server.version ?? '') !== (has ? latest!.server.version : '')) this.changeEmitter.fire(conn.name);
    }
    for (const name of [...this.newer.keys()]) {
      if (seen.has(name)) continue;
      this.newer.delete(name);
      this.changeEmitter.fire(name);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
