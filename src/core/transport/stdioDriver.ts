// stdio: a process we spawn, speaking JSON-RPC lines on stdin/stdout (see stdio.ts).
import type { Transport } from '@modelcontextprotocol/client';
import { describeTarget, type StdioDefinition } from '../config/types';
import { ServerError } from '../errors';
import { isSecretName } from '../secrets';
import type { DriverContext, ProcessInfo, TransportDriver } from './driver';
import { LaunchError } from './env';
import { createStdioTransport, planStdioLaunch } from './factory';
import { abbreviate, StdioTransport, type ExitInfo } from './stdio';

/** What a stdio server wrote on stdout that is not protocol, as a sentence (the tree shows it while the server starts). */
export function noiseProblem(noise: string): string {
  return `the server wrote text that is not JSON-RPC to stdout: '${abbreviate(noise, 120)}'; a stdio server may only write protocol messages there`;
}

export const stdioDriver: TransportDriver<StdioDefinition> = {
  types: ['stdio'],

  secrets(def) {
    // Unresolved ${input:...} placeholders are not secrets; their values are added once resolved.
    return Object.entries(def.env).flatMap(([k, v]) => (isSecretName(k) && v && !v.includes('${input:') ? [v] : []));
  },

  substitute(def, sub) {
    const env: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(def.env)) env[k] = v === null ? null : sub(v);
    return { ...def, command: sub(def.command), args: def.args.map(sub), env, cwd: def.cwd && sub(def.cwd) };
  },

  async preview(def, masker, parentEnv) {
    // If it cannot be planned yet (an input in the command itself), the configured command as written.
    try {
      const plan = await planStdioLaunch(def, parentEnv);
      masker.addAll(plan.secretValues);
      return { command: masker.mask(plan.command), args: plan.args.map(masker.mask), cwd: plan.cwd };
    } catch {
      return { command: masker.mask(def.command), args: def.args.map(masker.mask), cwd: def.cwd };
    }
  },

  async create(def, ctx: DriverContext): Promise<Transport> {
    let plan;
    try {
      plan = await planStdioLaunch(def, ctx.parentEnv);
    } catch (e) {
      if (e instanceof LaunchError) throw new ServerError(ctx.server, 'launch', e.message, { field: e.field });
      throw e;
    }
    ctx.masker.addAll(plan.secretValues);
    ctx.log.info(`starting: ${[plan.command, ...plan.args].join(' ')}${plan.cwd ? ` (cwd ${plan.cwd})` : ''}`);
    let told = false;
    return createStdioTransport(def, plan, ctx.log, ctx.timing, (text) => {
      if (told) return;
      told = true;
      ctx.onProblem?.(noiseProblem(ctx.masker.mask(text)));
    });
  },

  describe: describeTarget,

  process(transport): ProcessInfo | undefined {
    return transport instanceof StdioTransport ? transport : undefined;
  },

  explainTimeout(_def, timeoutMs, transport, mask) {
    const noise = transport instanceof StdioTransport ? transport.firstNoise : undefined;
    if (noise)
      return `did not complete the MCP handshake within ${timeoutMs} ms: ${noiseProblem(mask(noise))} (logs go to stderr). The process was stopped; fix the server or its arguments, then start it again.`;
    return `did not complete the MCP handshake within ${timeoutMs} ms (startupTimeoutMs); the process was stopped. Check the logs, or raise startupTimeoutMs if it is just slow.`;
  },

  explainStartup(_e, _def, transport, mask) {
    const exit = transport instanceof StdioTransport ? transport.exit : undefined;
    return Promise.resolve(exit && exitedDuringStartup(exit, transport as StdioTransport, mask));
  },

  explainRequest: () => undefined,
  expiredSession: () => undefined,
};

function exitedDuringStartup(exit: ExitInfo, transport: StdioTransport, mask: (text: string) => string): string {
  // Masked: a server may print its token on stderr.
  const cause = causeLine(transport.stderrTail().map(mask));
  const noise = !cause && transport.firstNoise && mask(transport.firstNoise);
  const what = cause
    ? `: ${cause}`
    : noise
      ? ` without writing anything to stderr; ${noiseProblem(noise)}`
      : ' without writing anything to stderr';
  return `${exitHow(exit)} during startup${what}. Check the command, args and env in its configuration (its log has the full output), then start it again.`;
}

export function exitHow(exit: ExitInfo): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * The line of a failed start's stderr that says why: an `...Error: ...` line (Node, Python), else
 * one with a telling word, else the last. Node prints its version last, Python its traceback first.
 */
export function causeLine(tail: readonly string[]): string | undefined {
  const lines = tail.map((l) => l.trim()).filter((l) => l && !/^at |^File "|^\^+$/.test(l));
  return (
    lines.find((l) => /^([\w.]*(Error|Exception))(\s*\[[\w-]+\])?:/.test(l)) ??
    lines.find((l) => /\b(error|cannot|can't|not found|no such|missing|fatal|denied|refused|invalid|failed|panic)\b/i.test(l)) ??
    lines[lines.length - 1]
  );
}
