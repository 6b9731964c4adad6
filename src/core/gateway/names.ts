// Names the gateway offers: every tool and prompt of a server is offered as `<server>_<name>`, so
// two servers can never offer the same name. The result stays within the spec's name rules
// (1-128 characters of A-Z a-z 0-9 _ - .) and within 64 characters, the limit several clients
// (Claude, Cursor, OpenAI's function calling) put on tool names; longer names are cut and end in
// a short hash, and a name already taken gets `_2`, `_3`, ... The table maps back, so names are
// never parsed.
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 64;
const INVALID = /[^A-Za-z0-9_.-]/g;

/** A server name as a name prefix: characters outside the spec's set become `_`. */
export function namePrefix(server: string): string {
  const cleaned = server.replace(INVALID, '_');
  return cleaned.length ? cleaned : '_';
}

function fit(name: string, seed: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(seed).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}_${hash}`;
}

/** What an offered name stands for. */
export interface NameTarget {
  readonly server: string;
  readonly name: string;
}

/** Offered name <-> (server, original name), for one kind (tools or prompts). */
export class NameTable {
  private readonly byOffered = new Map<string, NameTarget>();
  private readonly byTarget = new Map<string, string>();

  /**
   * Builds the table for `entries` (servers with the names they list). Deterministic: servers
   * in name order, names in list order, so the same lists always give the same names.
   */
  static build(entries: Iterable<{ readonly server: string; readonly names: readonly string[] }>): NameTable {
    const table = new NameTable();
    const sorted = [...entries].sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
    for (const { server, names } of sorted) for (const name of names) table.add(server, name);
    return table;
  }

  private add(server: string, name: string): void {
    const key = `${server}\u0000${name}`;
    if (this.byTarget.has(key)) return;
    const base = fit(`${namePrefix(server)}_${name.replace(INVALID, '_')}`, key);
    let offered = base;
    for (let n = 2; this.byOffered.has(offered); n++) offered = fit(`${base}_${n}`, `${key}\u0000${n}`);
    this.byOffered.set(offered, { server, name });
    this.byTarget.set(key, offered);
  }

  resolve(offered: string): NameTarget | undefined {
    return this.byOffered.get(offered);
  }

  offered(server: string, name: string): string | undefined {
    return this.byTarget.get(`${server}\u0000${name}`);
  }

  get size(): number {
    return this.byOffered.size;
  }
}
