// The CLI lists through the same catalog as the editor (one way to list tools, resources and
// prompts, with the same template fallback and de-duplication), over its single connection.
import { connectionSource, nullLogger, ServerCatalog, type ServerConnection } from '../core';

const catalogs = new WeakMap<ServerConnection, ServerCatalog>();

/** The catalog of a connection made by `ctx.open` (one per connection; it lives as long as it does). */
export function catalogOf(conn: ServerConnection): ServerCatalog {
  let catalog = catalogs.get(conn);
  if (!catalog) {
    catalog = new ServerCatalog(connectionSource(conn), () => nullLogger);
    catalogs.set(conn, catalog);
  }
  return catalog;
}
