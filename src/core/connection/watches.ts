// Followed resources of a connection (ServerConnection.watchResource): who follows which URI, and
// how a session is asked for updates in each era. The connection decides when; this holds what.
import { EmptyResultSchema } from '@modelcontextprotocol/core';
import type { ServerDefinition } from '../config/types';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import { sendRequest } from '../requests';
import type { Session } from '../session';

/** URI -> the callbacks told when it changes. */
export class ResourceWatches {
  private readonly watched = new Map<string, Set<() => void>>();

  get size(): number {
    return this.watched.size;
  }

  uris(): string[] {
    return [...this.watched.keys()];
  }

  /**
   * Adds a follower of `uri`. `first`: nobody followed it before (the server must be asked).
   * `remove()` takes the follower away again and says whether nobody follows `uri` any more.
   */
  add(uri: string, onUpdated: () => void): { first: boolean; remove(): boolean } {
    let callbacks = this.watched.get(uri);
    const first = !callbacks;
    if (!callbacks) this.watched.set(uri, (callbacks = new Set()));
    const set = callbacks;
    const callback = () => onUpdated();
    set.add(callback);
    return {
      first,
      remove: () => {
        set.delete(callback);
        if (set.size || this.watched.get(uri) !== set) return false;
        this.watched.delete(uri);
        return true;
      },
    };
  }

  /** The server says `uri` changed: tell its followers (one failing follower does not stop the rest). */
  updated(uri: string, log: Logger): void {
    const callbacks = this.watched.get(uri);
    if (!callbacks) return;
    log.debug(`resource updated: ${uri}`);
    for (const cb of [...callbacks]) {
      try {
        cb();
      } catch (e) {
        log.warn(`a follower of ${uri} failed: ${errorMessage(e)}`);
      }
    }
  }
}

/** Asks a session for updates of `uri`: `resources/subscribe` (2025), the listen stream's filter (2026-07-28). */
export async function subscribeOn(s: Session, def: ServerDefinition, log: Logger, uri: string): Promise<void> {
  if (s.client.getProtocolEra() === 'modern') return s.subscribe(log);
  await sendRequest(s, def, { method: 'resources/subscribe', params: { uri } }, EmptyResultSchema, {});
}

export async function unsubscribeOn(s: Session, def: ServerDefinition, log: Logger, uri: string): Promise<void> {
  if (s.client.getProtocolEra() === 'modern') return s.subscribe(log);
  await sendRequest(s, def, { method: 'resources/unsubscribe', params: { uri } }, EmptyResultSchema, {}).catch((e: unknown) =>
    log.debug(`resources/unsubscribe ${uri} failed: ${errorMessage(e)}`),
  );
}

/** A new kept-alive session: follow again what was followed, and tell the followers to read again. */
export function rewatch(s: Session, def: ServerDefinition, log: Logger, watches: ResourceWatches): void {
  const uris = watches.uris();
  if (s.client.getProtocolEra() === 'legacy' && s.client.getServerCapabilities()?.resources?.subscribe)
    for (const uri of uris)
      void subscribeOn(s, def, log, uri).catch((e: unknown) =>
        log.warn(`could not follow ${uri} again after the restart: ${errorMessage(e)}`),
      );
  for (const uri of uris) watches.updated(uri, log);
}
