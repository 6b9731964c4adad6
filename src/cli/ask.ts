// How the CLI answers a server's questions (core/ask): roots are the workspace directory (or the
// --root directories); elicitation is asked field by field on a terminal, answered by --elicit, or
// declined with a note on stderr when neither is possible (never waiting for input that cannot
// come); sampling runs the --sample-with command (the transcript on its stdin, its stdout the reply)
// or fails with an error that says sampling is not available here.
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import {
  checkContent,
  defaultContent,
  describeErrors,
  elicitFields,
  fieldHint,
  parseTyped,
  samplingTranscript,
  type AskContext,
  type AskHost,
  type ElicitContent,
  type ElicitField,
  type ElicitRequest,
  type ElicitResult,
  type SamplingRequest,
  type SamplingResult,
} from '../core';

/** `--elicit`: one answer for every question of the run. */
export type ElicitAnswer =
  { readonly action: 'accept'; readonly content: Record<string, unknown> } | { readonly action: 'decline' | 'cancel' };

/** Parses `accept`, `accept:JSON`, `decline` or `cancel`; a message saying what is wrong otherwise. */
export function parseElicitOption(text: string): ElicitAnswer | string {
  const t = text.trim();
  if (t === 'decline' || t === 'cancel') return { action: t };
  if (t === 'accept') return { action: 'accept', content: {} };
  if (t.startsWith('accept:')) {
    let value: unknown;
    try {
      value = JSON.parse(t.slice('accept:'.length));
    } catch (e) {
      return `--elicit accept:JSON: invalid JSON (${(e as Error).message}); e.g. --elicit 'accept:{"name":"Ada"}'.`;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `--elicit accept:JSON: the JSON must be an object of field values, e.g. 'accept:{"name":"Ada"}'.`;
    return { action: 'accept', content: value as Record<string, unknown> };
  }
  return `--elicit must be accept, accept:JSON, decline or cancel, got "${text}".`;
}

/** Asks one question on the terminal; undefined when the user pressed Ctrl+C (or input ended). */
export type Ask = (question: string) => Promise<string | undefined>;

export interface CliAskOptions {
  /** Directories offered as roots unless a server's entry sets its own (the workspace; or --root). */
  readonly roots: readonly string[];
  readonly elicit?: ElicitAnswer;
  readonly sampleWith?: string;
  /** Whether questions can be asked (stdin and stderr are terminals). */
  readonly interactive: boolean;
  readonly err: (text: string) => void;
  /** Terminal prompting (default: readline on stdin/stderr). */
  readonly ask?: Ask;
}

export function cliAskHost(o: CliAskOptions): AskHost {
  const ask = o.ask ?? terminalQuestion;
  return {
    defaultRoots: () => o.roots,
    elicit: (req, ctx) => elicit(req, ctx, o, ask),
    sample: (req, ctx) => sample(req, ctx, o.sampleWith),
  };
}

async function elicit(req: ElicitRequest, ctx: AskContext, o: CliAskOptions, ask: Ask): Promise<ElicitResult> {
  const server = ctx.server;
  if (o.elicit) {
    if (o.elicit.action !== 'accept') return { action: o.elicit.action };
    if (req.mode === 'url') {
      o.err(`${server} asks you to open ${req.url} (${domainOf(req.url)}): ${req.message}\n`);
      return { action: 'accept' };
    }
    const fields = elicitFields(req.requestedSchema);
    const content = { ...defaultContent(fields), ...o.elicit.content };
    const errors = checkContent(fields, content);
    if (Object.keys(errors).length) {
      o.err(
        `mcp-manager: ${server} asked "${req.message}"; the --elicit answer does not fit its form (${describeErrors(errors)}), so it was declined.\n`,
      );
      return { action: 'decline' };
    }
    return { action: 'accept', content: content as ElicitContent };
  }
  if (!o.interactive) {
    o.err(
      `mcp-manager: ${server} asked "${req.message}", but there is no terminal to answer on; declined. Answer with --elicit accept[:JSON], decline or cancel.\n`,
    );
    return { action: 'decline' };
  }
  if (req.mode === 'url') {
    o.err(`\n${server} asks you to open a page on ${domainOf(req.url)}: ${req.message}\n`);
    const answer = await ask(`Open ${req.url} ? [y]es, [n]o (decline), [c]ancel: `);
    if (answer === undefined || /^c/i.test(answer.trim())) return { action: 'cancel' };
    if (!/^y/i.test(answer.trim())) return { action: 'decline' };
    o.err(`Open this address in your browser: ${req.url}\n`);
    return { action: 'accept' };
  }
  o.err(`\n${server} asks: ${req.message}\n`);
  const start = await ask('Answer it? [Y]es, [n]o (decline), [c]ancel: ');
  if (start === undefined || /^c/i.test(start.trim())) return { action: 'cancel' };
  if (/^n/i.test(start.trim())) return { action: 'decline' };
  const content = await askFields(elicitFields(req.requestedSchema), ask, o.err);
  return content ? { action: 'accept', content } : { action: 'cancel' };
}

/** Asks field by field (defaults shown, answers checked as the editor's form does); undefined on Ctrl+C. */
export async function askFields(fields: readonly ElicitField[], ask: Ask, err: (text: string) => void): Promise<ElicitContent | undefined> {
  const content: ElicitContent = {};
  for (const field of fields) {
    for (;;) {
      const text = await ask(`  ${field.label}${field.description ? ` - ${field.description}` : ''} ${fieldHint(field)}: `);
      if (text === undefined) return undefined;
      const { value, error } = parseTyped(field, text);
      if (error) {
        err(`  ${field.label} ${error}\n`);
        continue;
      }
      if (value !== undefined) content[field.name] = value;
      break;
    }
  }
  return content;
}

function terminalQuestion(question: string): Promise<string | undefined> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    rl.on('SIGINT', () => {
      answered = true;
      rl.close();
      process.stderr.write('\n');
      resolve(undefined);
    });
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

function domainOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an address that is not a valid URL';
  }
}

/** Runs the --sample-with command for one request: the transcript on stdin, its stdout the reply. */
async function sample(req: SamplingRequest, ctx: AskContext, command: string | undefined): Promise<SamplingResult> {
  if (!command)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      'sampling is not available here: mcp-manager was run without --sample-with "COMMAND", so there is no language model to ask',
    );
  const child = spawn(command, {
    shell: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MCPM_SERVER: ctx.server,
      MCPM_MAX_TOKENS: String(req.maxTokens),
      ...(req.systemPrompt !== undefined && { MCPM_SYSTEM_PROMPT: req.systemPrompt }),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  child.stdin.on('error', () => undefined); // a command that does not read its stdin
  child.stdin.end(samplingTranscript(req));
  const kill = () => child.kill('SIGTERM');
  ctx.signal.addEventListener('abort', kill, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    });
    if (code !== 0)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `the --sample-with command exited with ${code ?? 'a signal'}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`,
      );
  } finally {
    ctx.signal.removeEventListener('abort', kill);
  }
  return {
    role: 'assistant',
    model: command.trim().split(/\s+/)[0] ?? 'command',
    stopReason: 'endTurn',
    content: { type: 'text', text: stdout.replace(/\r?\n$/, '') },
  };
}
