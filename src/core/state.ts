// Connection state as a discriminated union. Everything the UI shows (icon, description,
// contextValue) derives from this and nothing else.

export type ConnectionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'disabled' }
  | {
      readonly kind: 'starting';
      readonly since: number;
      /**
       * Something wrong that the server is doing while it starts, for the UI to show at once (the
       * handshake may still time out much later), e.g. a stdio server writing text on stdout.
       */
      readonly problem?: string;
    }
  | {
      readonly kind: 'running';
      readonly since: number;
      readonly pid?: number;
      readonly serverName?: string;
      readonly serverVersion?: string;
      /** The negotiated protocol version, e.g. "2026-07-28" (stateless) or "2025-11-25". */
      readonly protocolVersion?: string;
    }
  | {
      readonly kind: 'error';
      readonly message: string;
      /** Last lines the server wrote to stderr, when it is a process. */
      readonly stderrTail?: readonly string[];
      readonly exitCode?: number | null;
      /** Consecutive failures; the next operation restarts unless `gaveUp`. */
      readonly failures: number;
      /** Too many consecutive failures: operations fail until the user restarts. */
      readonly gaveUp: boolean;
      /** The server needs sign-in (OAuth): the host offers Sign In instead of Restart. */
      readonly signInRequired?: boolean;
    }
  | { readonly kind: 'stopped' };

export type StateKind = ConnectionState['kind'];

export const idleState: ConnectionState = { kind: 'idle' };

export function isActive(s: ConnectionState): boolean {
  return s.kind === 'starting' || s.kind === 'running';
}

export function canStart(s: ConnectionState): boolean {
  return s.kind === 'idle' || s.kind === 'stopped' || s.kind === 'error';
}

export function stateLabel(s: ConnectionState): string {
  switch (s.kind) {
    case 'idle':
      return 'Idle';
    case 'disabled':
      return 'Disabled';
    case 'starting':
      return 'Starting…';
    case 'running':
      return 'Running';
    case 'error':
      return s.signInRequired ? 'Sign-in required' : s.gaveUp ? 'Failed (not retrying)' : 'Error';
    case 'stopped':
      return 'Stopped';
  }
}
