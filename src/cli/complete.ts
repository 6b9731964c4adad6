// `complete`: the server's suggestions for a prompt argument or a resource-template variable
// (completion/complete), given a prefix and the other arguments; one value per line for shells
// and scripts, the raw completion with --json.
import { catalogOf } from './catalog';
import { parseJsonObject, startConnection, type RunContext } from './context';
import { resolveTarget } from './config';
import { EXIT, usageError } from './errors';
import { json } from './output';

export async function complete(ctx: RunContext): Promise<number> {
  const c = ctx.args.completion!;
  const target = resolveTarget(ctx.args, ctx.cwd);
  const name = target.definition.name;
  const raw = parseJsonObject(c.context, {
    subject: '--context',
    shape: 'JSON object of strings',
    example: '{"department": "Sales"}',
    server: name,
  });
  const context = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const conn = ctx.open(target);
  await startConnection(conn, ctx.signal);
  if (!conn.capabilities?.completions)
    throw usageError('the server offers no completions (its capabilities do not include "completions").', name);
  // A name the server does not know gets a clear error here rather than the server's.
  if (c.kind === 'prompt' && conn.capabilities.prompts) {
    const prompts = await catalogOf(conn).list(conn, 'prompts', { signal: ctx.signal });
    const prompt = prompts.find((p) => p.name === c.target);
    if (!prompt) throw usageError(`no prompt named "${c.target}". It has: ${prompts.map((p) => p.name).join(', ') || 'none'}.`, name);
    if (prompt.arguments && !prompt.arguments.some((a) => a.name === c.argument))
      throw usageError(
        `prompt "${c.target}" has no argument "${c.argument}"; its arguments: ${prompt.arguments.map((a) => a.name).join(', ') || 'none'}.`,
        name,
      );
  }
  const ref = c.kind === 'prompt' ? { type: 'prompt' as const, name: c.target } : { type: 'resource' as const, uri: c.target };
  const completion = await conn.complete(ref, { name: c.argument, value: c.prefix }, context, { signal: ctx.signal });
  if (ctx.args.jsonOutput) ctx.out(json(completion));
  else ctx.out(completion.values.map((v) => `${v}\n`).join(''));
  if (!ctx.args.jsonOutput && completion.hasMore)
    ctx.err(`mcp-manager: ${name}: ${completion.total ?? 'more'} values in all; type more of the value to narrow them.\n`);
  return EXIT.ok;
}
