// Task requests on a session: the same deadlines and cancellation as any request (requests.ts).
import { z } from 'zod';
import type { ServerDefinition } from '../config/types';
import { sendRequest } from '../requests';
import type { Session } from '../session';
import type { TaskChannel } from './protocol';

let loose: z.ZodObject | undefined;
/** Task results are checked by parseTask (protocol.ts), not by a schema per era. Made on first use (zod loads with the SDK). */
export function looseResult(): z.ZodObject {
  return (loose ??= z.looseObject({}));
}

export function sessionChannel(s: Session, def: ServerDefinition): TaskChannel {
  return {
    server: def.name,
    era: s.client.getProtocolEra() === 'modern' ? 'modern' : 'legacy',
    request: (method, params, options = {}) =>
      sendRequest(s, def, { method, params } as never, looseResult(), options) as Promise<Record<string, unknown>>,
    ...(s.answerInput && { answer: s.answerInput }),
  };
}
