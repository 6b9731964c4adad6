// What every CLI command gets (RunContext) and the helpers they share, so that commands.ts,
// browse.ts and doctor.ts import this file instead of each other.
import { abortable, type AskHost, type ServerConnection, ServerError } from '../core';
import type { CliArgs } from './args';
import type { Target } from './config';
import { usageError } from './errors';

export interface RunContext {
  readonly args: CliArgs;
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Aborted on Ctrl+C. */
  readonly signal: AbortSignal;
  /** Terminal width when stdout is a terminal. */
  readonly columns?: number;
  /** Creates a connection that main.ts disposes before exiting. */
  readonly open: (target: Target, ask?: AskHost) => ServerConnection;
  /** Reads all of stdin (for `call ... -`). */
  readonly readStdin: () => Promise<string>;
}

/** One JSON object given on the command line or stdin (absent or blank = {}), or a usage error saying why not. */
export function parseJsonObject(
  text: string | undefined,
  o: { subject: string; shape: string; example: string; server: string },
): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw usageError(
      `invalid JSON arguments for ${o.subject}: ${(e as Error).message}. Pass one ${o.shape}, e.g. '${o.example}' (quoted for your shell).`,
      o.server,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(
      `arguments for ${o.subject} must be a ${o.shape}, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}. E.g. '${o.example}'.`,
      o.server,
    );
  }
  return value as Record<string, unknown>;
}

/** Connects now; Ctrl+C stops waiting (main.ts then disposes the connection, which kills the process). */
export function startConnection(conn: ServerConnection, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new ServerError(conn.name, 'cancelled', 'cancelled'));
  return abortable(conn.start(), signal, () => new ServerError(conn.name, 'cancelled', 'cancelled while starting'));
}
