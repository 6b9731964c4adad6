// What the gateway remembers between runs: each server's lists (per configuration fingerprint,
// so a changed entry forgets them) and which tools the user chose not to offer. Small
// interfaces with a file and a memory implementation; the CLI keeps the files under
// $XDG_CONFIG_HOME/mcp-manager/gateway, the editor in its global storage.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Prompt, Resource, ResourceTemplateType, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import { fingerprint, type ServerDefinition } from '../config/types';
import { Emitter, type Event } from '../events';

/** A server's lists as last seen from a running session. */
export interface RememberedLists {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplateType[];
  readonly prompts: readonly Prompt[];
  readonly capabilities?: ServerCapabilities;
  /** When they were listed (ms since the epoch). */
  readonly listedAt: number;
}

export interface MetadataStore {
  /** The lists remembered for `key` (see listsKey), or undefined. */
  get(server: string, key: string): Promise<RememberedLists | undefined>;
  set(server: string, key: string, lists: RememberedLists): Promise<void>;
}

/**
 * The key lists are remembered under: a hash of the resolved definition, so a changed command,
 * URL or environment forgets them, and no configured value (a token in `env`) reaches the disk.
 * `expose` is left out (fingerprint does): offering a server or not does not change what it lists.
 */
export function listsKey(def: ServerDefinition): string {
  return createHash('sha256').update(fingerprint(def)).digest('hex');
}

export class MemoryMetadataStore implements MetadataStore {
  private readonly entries = new Map<string, { key: string; lists: RememberedLists }>();
  get(server: string, key: string): Promise<RememberedLists | undefined> {
    const e = this.entries.get(server);
    return Promise.resolve(e?.key === key ? e.lists : undefined);
  }
  set(server: string, key: string, lists: RememberedLists): Promise<void> {
    this.entries.set(server, { key, lists });
    return Promise.resolve();
  }
}

/** One JSON file per server in `dir` (named by a hash of the server's name), written atomically. */
export class FileMetadataStore implements MetadataStore {
  constructor(private readonly dir: string) {}

  private file(server: string): string {
    return path.join(this.dir, `${createHash('sha256').update(server).digest('hex').slice(0, 32)}.json`);
  }

  async get(server: string, key: string): Promise<RememberedLists | undefined> {
    try {
      const data = JSON.parse(await fs.promises.readFile(this.file(server), 'utf8')) as {
        server?: string;
        key?: string;
        lists?: RememberedLists;
      };
      return data.server === server && data.key === key && data.lists && Array.isArray(data.lists.tools) ? data.lists : undefined;
    } catch {
      // Missing or unreadable: as if never seen (the server is started to learn its lists).
      return undefined;
    }
  }

  async set(server: string, key: string, lists: RememberedLists): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(server);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify({ server, key, lists }), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  }
}

/** Which tools the gateway offers (all unless the user turned one off), per workspace. */
export interface ToolChoices {
  isOffered(server: string, tool: string): boolean;
  setOffered(server: string, tool: string, offered: boolean): Promise<void>;
  readonly onDidChange: Event<void>;
}

/** Tool choices kept in memory, or in a JSON file when `file` is given (`{ "<server>": ["<tool>", ...] }`: the tools turned off). */
export class FileToolChoices implements ToolChoices {
  private off: Record<string, string[]> = {};
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data))
        for (const [server, tools] of Object.entries(data as Record<string, unknown>))
          if (Array.isArray(tools)) this.off[server] = tools.filter((t): t is string => typeof t === 'string');
    } catch {
      // No file yet: every tool is offered.
    }
  }

  isOffered(server: string, tool: string): boolean {
    return !this.off[server]?.includes(tool);
  }

  async setOffered(server: string, tool: string, offered: boolean): Promise<void> {
    if (this.isOffered(server, tool) === offered) return;
    const list = (this.off[server] ??= []);
    if (offered) {
      this.off[server] = list.filter((t) => t !== tool);
      if (!this.off[server].length) delete this.off[server];
    } else list.push(tool);
    if (this.file) {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await fs.promises.writeFile(this.file, `${JSON.stringify(this.off, null, 2)}\n`, { mode: 0o600 });
    }
    this.emitter.fire();
  }
}
