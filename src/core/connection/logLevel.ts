// The server's log level in both eras: `logging/setLevel` (2025-11-25), or the level each request
// carries in `_meta` (2026-07-28, which has no setLevel).
import { EmptyResultSchema } from '@modelcontextprotocol/core';
import type { LoggingLevel, ServerDefinition } from '../config/types';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import { sendRequest } from '../requests';
import type { Session } from '../session';

/** 2025 era: `logging/setLevel` on a session (the caller checked the logging capability). */
export async function setLevelOn(s: Session, def: ServerDefinition, level: LoggingLevel): Promise<void> {
  await sendRequest(s, def, { method: 'logging/setLevel', params: { level } }, EmptyResultSchema, {});
}

/**
 * A new session of a server that logs: the chosen level. A 2026-07-28 server sends log messages
 * only for requests that carry a level, so those sessions ask for "info" unless told otherwise.
 */
export function applyLogLevel(s: Session, def: ServerDefinition, level: LoggingLevel | undefined, log: Logger): void {
  if (!s.client.getServerCapabilities()?.logging) return;
  if (s.client.getProtocolEra() === 'modern') s.logLevel = level ?? 'info';
  else if (level) void setLevelOn(s, def, level).catch((e: unknown) => log.warn(`logging/setLevel ${level} failed: ${errorMessage(e)}`));
}
