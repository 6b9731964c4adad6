// A CredentialStore in memory: for tests and embedders that keep nothing between runs.
import type { CredentialStore, ServerCredentials } from './types';

export class MemoryCredentialStore implements CredentialStore {
  private readonly entries = new Map<string, ServerCredentials>();

  read(server: string): Promise<ServerCredentials | undefined> {
    const c = this.entries.get(server);
    return Promise.resolve(c && structuredClone(c));
  }

  write(server: string, credentials: ServerCredentials | undefined): Promise<void> {
    if (credentials) this.entries.set(server, structuredClone(credentials));
    else this.entries.delete(server);
    return Promise.resolve();
  }
}
