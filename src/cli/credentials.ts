// The CLI's CredentialStore: one JSON file, $XDG_CONFIG_HOME/mcp-manager/credentials.json (default
// ~/.config/mcp-manager/), readable by the user only (0600 in a 0700 directory), keyed by server
// name and, inside, by issuer as in the editor. Writes go to a temporary file that is renamed, so a
// crash never leaves half a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CredentialStore, ServerCredentials } from '../core';

const FILE = 'credentials.json';

export function credentialsDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'mcp-manager');
}

interface FileShape {
  readonly version: 1;
  readonly servers: Record<string, ServerCredentials>;
}

export class FileCredentialStore implements CredentialStore {
  readonly file: string;

  constructor(dir = credentialsDir()) {
    this.file = path.join(dir, FILE);
  }

  read(server: string): Promise<ServerCredentials | undefined> {
    return Promise.resolve(this.load().servers[server]);
  }

  write(server: string, credentials: ServerCredentials | undefined): Promise<void> {
    const data = this.load();
    const servers = { ...data.servers };
    if (credentials) servers[server] = credentials;
    else delete servers[server];
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ version: 1, servers } satisfies FileShape, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
    return Promise.resolve();
  }

  private load(): FileShape {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, servers: {} };
      throw e;
    }
    try {
      const data = JSON.parse(text) as Partial<FileShape>;
      return { version: 1, servers: data.servers && typeof data.servers === 'object' ? data.servers : {} };
    } catch {
      // Unreadable: start over rather than fail every command (the file holds nothing we cannot get again by signing in).
      return { version: 1, servers: {} };
    }
  }
}
