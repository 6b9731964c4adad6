// One handshake on a new transport, for ServerConnection: `server/discover` first (2026-07-28),
// falling back to `initialize` (2025) as the SDK decides, or `initialize` at once for a server
// known to be 2025-era. Within startupTimeoutMs, or cleaned up and explained (failures.ts).
import { Client, type Transport } from '@modelcontextprotocol/client';
import { askCapabilities, installAskHandlers } from '../ask/install';
import { serveClientTasks } from '../tasks/clientTasks';
import { MAX_INPUT_ROUNDS } from '../ask/types';
import type { ServerDefinition } from '../config/types';
import type { ConnectionOptions, ProtocolEra, Timing } from '../connectionTypes';
import { ServerError } from '../errors';
import { startupFailure } from '../failures';
import type { Logger } from '../logger';
import { completeResultTypes } from '../modern';
import type { SecretMasker } from '../secrets';
import { Session, type ListKind, type SessionListener } from '../session';
import { clientTaskCapabilities } from '../tasks/policy';
import { ToolOutputValidators } from '../toolOutput';
import type { TransportDriver } from '../transport/driver';

/** What a handshake needs from its connection. */
export interface HandshakeHost {
  readonly definition: ServerDefinition;
  readonly options: ConnectionOptions;
  readonly timing: Timing;
  readonly log: Logger;
  readonly masker: SecretMasker;
  /** Transports being connected right now, so stop() can kill a hanging handshake. */
  readonly connecting: Set<Transport>;
  /** Text a starting server wrote where it should not (shown while it starts). */
  onProblem(problem: string): void;
  /** A list's freshness (2026-07-28 `ttlMs`) from the session's latest list. */
  listedFresh(kind: ListKind, until: number | undefined): void;
  /** Where the new session's notifications go. */
  listenerFor(session: Session): SessionListener;
  /** The session's transport closed. */
  closed(session: Session): void;
  /** The session reached its era: the server's log level goes to it. */
  ready(session: Session): void;
}

/** Connects a new session; resolves with it and the era the server answered in. */
export async function handshake(
  host: HandshakeHost,
  driver: TransportDriver<ServerDefinition>,
  def: ServerDefinition,
  era: 'auto' | 'legacy',
): Promise<{ session: Session; era: ProtocolEra | undefined }> {
  const name = host.definition.name;
  const transport = await driver.create(def, {
    server: name,
    log: host.log,
    masker: host.masker,
    timing: host.timing,
    parentEnv: host.options.parentEnv,
    auth: host.options.auth,
    onProblem: (problem) => host.onProblem(problem),
  });
  const validators = new ToolOutputValidators(host.options.validatorFactory);
  const timeoutMs = host.definition.startupTimeoutMs;
  const asks = askCapabilities(host.definition, host.options.ask);
  const client = new Client(host.options.clientInfo ?? { name: 'mcp-manager', version: '0.1.0' }, {
    // Roots, elicitation, sampling: what the host can answer (core/ask); tasks (core/tasks).
    capabilities: {
      ...asks,
      ...clientTaskCapabilities(host.definition.useTasks, { elicitation: !!asks.elicitation, sampling: !!asks.sampling }),
    },
    inputRequired: { maxRounds: MAX_INPUT_ROUNDS },
    jsonSchemaValidator: validators.lazyProvider,
    versionNegotiation: {
      mode: 'auto',
      probe: { timeoutMs: driver.process(transport) ? Math.min(host.timing.stdioProbeTimeoutMs, timeoutMs) : timeoutMs },
    },
  });
  const session = new Session(client, transport, driver, validators, (kind, until) => host.listedFresh(kind, until));
  session.listen(host.listenerFor(session));
  session.answerInput = installAskHandlers(client, host.definition, host.options.ask, host.log, session.urlCompletions);
  client.onerror = (e) => host.log.debug(`protocol: ${e.message}`);
  client.onclose = () => host.closed(session);

  const started = Date.now();
  host.connecting.add(transport);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ServerError(name, 'handshake', driver.explainTimeout(def, timeoutMs, transport, host.masker.mask))),
        timeoutMs,
      );
    });
    await Promise.race([
      client.connect(transport, { timeout: timeoutMs, ...(era === 'legacy' && { prior: { kind: 'legacy' } }) }),
      timedOut,
    ]);
  } catch (e) {
    await transport.close().catch(() => undefined);
    throw await startupFailure(name, e, driver, host.definition, transport, host.masker.mask);
  } finally {
    clearTimeout(timer);
    host.connecting.delete(transport);
  }
  const answered = client.getProtocolEra();
  if (answered === 'modern') {
    completeResultTypes(transport);
    session.mirrorsParams = !driver.process(transport);
  } else if (host.definition.useTasks !== 'never' && (asks.elicitation || asks.sampling)) {
    session.disposables.add(serveClientTasks(transport, session.answerInput, host.log));
  }
  host.ready(session);
  host.log.info(
    `running${session.pid ? ` (pid ${session.pid})` : ''}: ${describeServer(client)}, protocol ${client.getNegotiatedProtocolVersion() ?? 'unknown'}, in ${Date.now() - started} ms`,
  );
  return { session, era: answered };
}

/** Whether a failed handshake is a stdio server that ended while it was being probed: its process exited. */
export function probeEndedServer(e: unknown, driver: TransportDriver<ServerDefinition>): boolean {
  return e instanceof ServerError && e.kind === 'handshake' && e.exitCode !== undefined && driver.types.includes('stdio');
}

function describeServer(client: Client): string {
  const v = client.getServerVersion();
  return v ? `${v.name} ${v.version}` : 'server';
}
