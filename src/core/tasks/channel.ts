// Task requests on a session: the same deadlines and cancellation as any request (requests.ts).
import { z } from 'zod';
import type { ServerDefinition } from '../config/types';
import { sendRequest } from '../requests';
import type { Session } from '../session';
import type { TaskChannel } from './protocol';

/** Task results are checked by parseTask (protocol.ts), not by a schema per era. */
export const LOOSE_RESULT = z.looseObject({});

export function sessionChannel(s: Session, def: ServerDefinition): TaskChannel {
  return {
    server: def.name,
    era: s.client.getProtocolEra() === 'modern' ? 'modern' : 'legacy',
    request: (method, params, options = {}) =>
      sendRequest(s, def, { method, params } as never, LOOSE_RESULT, options) as Promise<Record<string, unknown>>,
    ...(s.answerInput && { answer: s.answerInput }),
  };
}
