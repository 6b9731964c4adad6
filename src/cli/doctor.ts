// `doctor <server>`: what would be launched (or contacted) and how, with every secret masked,
// then a real connection test. Meant to answer "why does this server not start?" in one screen.
import {
  buildEnv,
  errorMessage,
  type HttpDefinition,
  isSecretName,
  LaunchError,
  type LaunchPlan,
  MASK,
  maskEnv,
  planStdioLaunch,
  SecretMasker,
  type ServerDefinition,
  ServerError,
  type StdioDefinition,
} from '../core';
import type { RunContext } from './context';
import { startConnection } from './context';
import { catalogOf } from './catalog';
import { resolveTarget, sourceLabel } from './config';
import { EXIT } from './errors';
import { inputEnvName } from './inputs';
import { table } from './output';

/** Labels are padded to this width so the connect line written later lines up with the rest. */
const LABEL_WIDTH = 11;
const TRANSPORT_LABELS: Record<ServerDefinition['type'], string> = {
  stdio: 'stdio',
  http: 'http (Streamable HTTP)',
  sse: 'sse (HTTP+SSE, legacy)',
  memory: 'in-memory',
};

export async function runDoctor(ctx: RunContext): Promise<number> {
  const target = resolveTarget(ctx.args, ctx.cwd);
  const def = target.definition;
  const masker = new SecretMasker();
  const rows: string[][] = [];
  const add = (label: string, value: string) => rows.push([label.padEnd(LABEL_WIDTH), value]);

  add('Server', `${def.name}  (${sourceLabel(def.source)})`);
  add('Transport', TRANSPORT_LABELS[def.type]);
  if (def.disabled) add('Disabled', 'yes ("disabled": true); tested anyway below');
  add('Timeouts', `startup ${def.startupTimeoutMs} ms, request ${def.requestTimeoutMs} ms`);
  if (def.inputs.length) add('Inputs', def.inputs.map((id) => `\${input:${id}} (from ${inputEnvName(id)}, or asked for)`).join(', '));

  let launchError: LaunchError | undefined;
  if (def.type === 'stdio') {
    for (const [k, v] of Object.entries(def.env)) if (isSecretName(k)) masker.add(v);
    const result = await describeStdio(def);
    launchError = result.error;
    masker.addAll(result.secretValues);
    add(
      'Command',
      `${def.command}  ->  ${result.plan ? result.plan.command : launchError?.field === 'command' ? 'NOT FOUND' : '(not resolved)'}`,
    );
    add('Arguments', def.args.length ? def.args.map(quote).join(' ') : '(none)');
    add('Directory', `${def.cwd ?? `${ctx.cwd} (not set: the current directory)`}${launchError?.field === 'cwd' ? '  (MISSING)' : ''}`);
    if (def.envFile) add('Env file', def.envFile);
    if (result.env) {
      const env = maskEnv(result.env, masker);
      const names = Object.keys(env).sort();
      const notPassed = Object.keys(process.env).filter((k) => !(k in result.env!)).length;
      add(
        'Environment',
        `${names.length} variables (secret-looking values masked)${notPassed ? `; ${notPassed} other variables of this shell are not passed (use "env", "passEnv" or "inheritEnv")` : ''}`,
      );
      for (const k of names) add('', `${k}=${env[k]}`);
    }
  } else if (def.type !== 'memory') {
    describeHttp(def, masker, add);
  }
  if (launchError) add('Problem', launchError.message);
  // Masked at the end, once every secret value is known.
  ctx.out(table(rows.map(([label, value]) => [label!, masker.mask(value!)])));
  if (launchError) throw new ServerError(def.name, 'launch', launchError.message, { field: launchError.field });

  // The connection test, with the same code path as every other command.
  const conn = ctx.open(def.disabled ? { ...target, definition: { ...def, disabled: false } } : target);
  const t0 = performance.now();
  try {
    await startConnection(conn, ctx.signal);
    const info = conn.info;
    const tools = info?.capabilities?.tools ? await catalogOf(conn).list(conn, 'tools', { signal: ctx.signal }) : undefined;
    const ms = Math.round(performance.now() - t0);
    const server = info?.serverInfo ? `${info.serverInfo.name} ${info.serverInfo.version}` : 'server';
    const pid = info?.pid ? `, pid ${info.pid}` : '';
    const protocol = info?.protocolVersion ? `, protocol ${info.protocolVersion}${info.era === 'modern' ? ' (stateless)' : ''}` : '';
    ctx.out(
      table([
        [
          'Connect'.padEnd(LABEL_WIDTH),
          `ok in ${ms} ms: ${server}${pid}${protocol}, ${tools ? `${tools.length} tool${tools.length === 1 ? '' : 's'}` : 'no tools capability'}`,
        ],
      ]),
    );
    return EXIT.ok;
  } catch (e) {
    const ms = Math.round(performance.now() - t0);
    const mask = (t: string) => conn.masker.mask(masker.mask(t));
    let text = table([['Connect'.padEnd(LABEL_WIDTH), `FAILED after ${ms} ms: ${mask(errorMessage(e))}`]]);
    const tail = e instanceof ServerError ? e.stderrTail : undefined;
    if (tail?.length)
      text += `Last lines the server wrote to stderr:\n${tail
        .slice(-10)
        .map((l) => `  ${mask(l)}\n`)
        .join('')}`;
    ctx.out(text);
    throw e;
  }
}

interface StdioDescription {
  readonly plan?: LaunchPlan;
  readonly env?: Record<string, string>;
  readonly secretValues: string[];
  readonly error?: LaunchError;
}

/** planStdioLaunch, and when it fails, as much of the launch as can still be worked out. */
async function describeStdio(def: StdioDefinition): Promise<StdioDescription> {
  try {
    const plan = await planStdioLaunch(def);
    return { plan, env: plan.env, secretValues: plan.secretValues };
  } catch (e) {
    if (!(e instanceof LaunchError)) throw e;
    try {
      const { env, envFileValues } = await buildEnv(def);
      return { env, secretValues: envFileValues, error: e };
    } catch {
      return { secretValues: [], error: e };
    }
  }
}

function describeHttp(def: HttpDefinition, masker: SecretMasker, add: (label: string, value: string) => void): void {
  for (const [k, v] of Object.entries(def.headers)) if (isSecretName(k)) masker.add(v.replace(/^Bearer\s+/i, ''));
  add('URL', def.url);
  const names = Object.keys(def.headers);
  add('Headers', names.length ? names.map((k) => `${k}: ${isSecretName(k) ? MASK : def.headers[k]}`).join(', ') : '(none)');
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
