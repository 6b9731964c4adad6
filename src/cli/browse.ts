// The CLI's resources and prompts: `resources`, `read`, `prompts`, `prompt` (the tree's Resources
// and Prompts folders, Read Resource and Get Prompt, for scripts). Text goes to stdout as is;
// binary content is a one-line note; --json prints the raw MCP result.
import type {
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
} from '@modelcontextprotocol/client';
import { decodeBase64Text, isTextMime, type ServerConnection, suggest } from '../core';
import { catalogOf } from './catalog';
import { parseJsonObject, startConnection, type RunContext } from './context';
import { resolveTarget } from './config';
import { EXIT, usageError } from './errors';
import { base64Bytes, formatBytes, json, table } from './output';

/** Connects, and checks the server declares `capability` (else it would answer "method not found"). */
async function openWith(ctx: RunContext, capability: 'resources' | 'prompts'): Promise<ServerConnection> {
  const conn = ctx.open(resolveTarget(ctx.args, ctx.cwd));
  await startConnection(conn, ctx.signal);
  if (!conn.capabilities?.[capability])
    throw usageError(`the server offers no ${capability} (its capabilities do not include "${capability}").`, conn.name);
  return conn;
}

export async function resources(ctx: RunContext): Promise<number> {
  const conn = await openWith(ctx, 'resources');
  // Many servers do not implement templates: the catalog takes that to mean none.
  const { resources: list, templates } = await catalogOf(conn).list(conn, 'resources', { signal: ctx.signal });
  ctx.out(ctx.args.jsonOutput ? json({ resources: list, resourceTemplates: templates }) : formatResources(list, templates));
  return EXIT.ok;
}

export async function read(ctx: RunContext): Promise<number> {
  const conn = await openWith(ctx, 'resources');
  if (ctx.args.watch) return watch(ctx, conn, ctx.args.target!);
  const result = await conn.readResource(ctx.args.target!, { signal: ctx.signal });
  ctx.out(ctx.args.jsonOutput ? json(result) : formatResourceContents(result));
  return EXIT.ok;
}

/**
 * `read --watch`: follows the resource first (so no change between the first read and the
 * subscription is missed), prints it, then prints it again after each update, one read at a time
 * (updates that arrive during a read make one more read). Ends on Ctrl+C, or with the error of a
 * read that failed.
 */
async function watch(ctx: RunContext, conn: ServerConnection, uri: string): Promise<number> {
  const print = (result: ReadResourceResult) =>
    ctx.out(ctx.args.jsonOutput ? `${JSON.stringify(result)}\n` : formatResourceContents(result));
  let failed: (e: unknown) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => (failed = reject));
  let reading: Promise<void> | undefined;
  let again = false;
  let version = 0;
  const readNow = (): void => {
    if (reading) {
      again = true;
      return;
    }
    reading = conn.readResource(uri, { signal: ctx.signal }).then(
      (result) => {
        if (version++ > 0 && !ctx.args.jsonOutput) ctx.err(`mcp-manager: ${conn.name}: ${uri} changed\n`);
        print(result);
        reading = undefined;
        if (again) {
          again = false;
          readNow();
        }
      },
      (e: unknown) => failed(e),
    );
  };
  const following = await conn.watchResource(uri, readNow, { signal: ctx.signal });
  try {
    readNow();
    const interrupted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    if (!ctx.signal.aborted) await Promise.race([interrupted, ended]);
    return EXIT.ok;
  } catch (e) {
    if (ctx.signal.aborted) return EXIT.ok;
    throw e;
  } finally {
    following.dispose();
  }
}

export async function prompts(ctx: RunContext): Promise<number> {
  const conn = await openWith(ctx, 'prompts');
  const list = await catalogOf(conn).list(conn, 'prompts', { signal: ctx.signal });
  ctx.out(ctx.args.jsonOutput ? json(list) : formatPrompts(list));
  return EXIT.ok;
}

export async function prompt(ctx: RunContext): Promise<number> {
  const name = ctx.args.target!;
  const text = ctx.args.json === '-' ? await ctx.readStdin() : ctx.args.json;
  const conn = await openWith(ctx, 'prompts');
  const args = parsePromptArguments(text, name, conn.name);
  const available = await catalogOf(conn).list(conn, 'prompts', { signal: ctx.signal });
  const found = available.find((p) => p.name === name);
  if (!found) {
    const hint = suggest(
      name,
      available.map((p) => p.name),
    );
    throw usageError(
      `no prompt named "${name}".${hint ? ` Did you mean "${hint}"?` : ''} ${available.length ? `It has ${available.length}: ${available.map((p) => p.name).join(', ')}.` : 'It offers none.'}`,
      conn.name,
    );
  }
  const missing = (found.arguments ?? []).filter((a) => a.required && !(a.name in args)).map((a) => `"${a.name}"`);
  if (missing.length)
    throw usageError(`missing required argument${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for prompt "${name}".`, conn.name);
  const result = await conn.getPrompt(name, args, { signal: ctx.signal });
  ctx.out(ctx.args.jsonOutput ? json(result) : formatPromptMessages(result));
  return EXIT.ok;
}

/** Prompt arguments are strings (MCP): a JSON object of strings; numbers and booleans are turned into strings. */
export function parsePromptArguments(text: string | undefined, promptName: string, server: string): Record<string, string> {
  const value = parseJsonObject(text, {
    subject: `prompt "${promptName}"`,
    shape: 'JSON object of strings',
    example: '{"name": "Ada"}',
    server,
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else
      throw usageError(
        `argument "${k}" of prompt "${promptName}" must be a string (prompt arguments are strings), got ${v === null ? 'null' : typeof v}.`,
        server,
      );
  }
  return out;
}

export function formatResources(list: readonly Resource[], templates: readonly ResourceTemplate[]): string {
  if (list.length === 0 && templates.length === 0) return '(no resources)\n';
  const rows = [
    ...list.map((r) => [r.uri, r.title ?? r.name, r.mimeType ?? '']),
    ...templates.map((t) => [t.uriTemplate, `${t.title ?? t.name} (template)`, t.mimeType ?? '']),
  ];
  return table(rows);
}

/** Text contents (and text blobs, decoded) as they are, one after the other; binary contents as a one-line note. */
export function formatResourceContents(result: ReadResourceResult): string {
  const several = result.contents.length > 1;
  const parts = result.contents.map((c) => {
    const text = 'text' in c && typeof c.text === 'string' ? c.text : undefined;
    const header = several ? `--- ${c.uri}${c.mimeType ? ` (${c.mimeType})` : ''}\n` : '';
    if (text !== undefined) return header + (text.endsWith('\n') ? text : `${text}\n`);
    // Text sent as a blob (text/plain, JSON, XML, ...) is still text: print it.
    if ('blob' in c && typeof c.blob === 'string' && isTextMime(c.mimeType)) return header + withNewline(decodeBase64Text(c.blob));
    const bytes = 'blob' in c && typeof c.blob === 'string' ? base64Bytes(c.blob) : 0;
    return `${header}[blob: ${c.mimeType ?? 'unknown type'}, ${formatBytes(bytes)}; use --json for its base64]\n`;
  });
  return parts.length ? parts.join('') : '(no contents)\n';
}

export function formatPrompts(list: readonly Prompt[]): string {
  if (list.length === 0) return '(no prompts)\n';
  return table(
    list.map((p) => [
      p.name,
      (p.arguments ?? []).map((a) => (a.required ? a.name : `[${a.name}]`)).join(' '),
      (p.description ?? '').split('\n')[0]!,
    ]),
  );
}

/** Each message as "role:" then its content (text as is, other content as a note). */
export function formatPromptMessages(result: GetPromptResult): string {
  const out = result.messages.map((m) => {
    const c = m.content;
    const body =
      c.type === 'text'
        ? c.text
        : c.type === 'resource'
          ? `[resource] ${c.resource.uri}${'text' in c.resource && typeof c.resource.text === 'string' ? `\n${c.resource.text}` : ''}`
          : c.type === 'resource_link'
            ? `[resource link] ${c.uri}`
            : `[${c.type}: ${'mimeType' in c ? c.mimeType : ''}]`;
    return `${m.role}:\n${body.endsWith('\n') ? body : `${body}\n`}`;
  });
  return out.length ? out.join('\n') : '(no messages)\n';
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
