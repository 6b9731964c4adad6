// Values for `${input:ID}` in the CLI: from the environment (MCP_INPUT_<ID>), else prompted for
// when there is a terminal, else the input's default. There is no secret storage here: nothing is
// remembered between runs.
import * as readline from 'node:readline';
import { type InputResolver, type McpInput, ServerError } from '../core';

export function inputEnvName(id: string): string {
  return `MCP_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface InputResolverOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Whether prompting is possible (stdin and stderr are terminals). */
  readonly interactive?: boolean;
}

export function cliInputResolver(inputs: readonly McpInput[], options: InputResolverOptions = {}): InputResolver {
  const env = options.env ?? process.env;
  const interactive = options.interactive ?? (!!process.stdin.isTTY && !!process.stderr.isTTY);
  return async (server, ids) => {
    const values: Record<string, string> = {};
    for (const id of ids) {
      const input = inputs.find((i) => i.id === id);
      const fromEnv = env[inputEnvName(id)];
      if (fromEnv !== undefined) values[id] = fromEnv;
      else if (interactive) values[id] = await prompt(server, id, input);
      else if (input?.default !== undefined) values[id] = input.default;
      else {
        const what = input?.description ? ` (${input.description})` : '';
        throw new ServerError(
          server,
          'config',
          `needs a value for input "${id}"${what}: set ${inputEnvName(id)} in the environment, or run in a terminal to be asked`,
        );
      }
    }
    return values;
  };
}

async function prompt(server: string, id: string, input: McpInput | undefined): Promise<string> {
  const label = input?.description ?? id;
  const choices = input?.type === 'pickString' && input.options?.length ? ` [${input.options.join(' | ')}]` : '';
  const def = input?.default !== undefined && !input.password ? ` (default: ${input.default})` : '';
  const question = `${server}: ${label}${choices}${def}: `;
  const answer = input?.password ? await readHidden(question, server) : await readLine(question, server);
  return answer === '' && input?.default !== undefined ? input.default : answer;
}

function readLine(question: string, server: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new ServerError(server, 'cancelled', 'cancelled while asking for an input'));
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads a line without echoing it (raw mode), for `password` inputs. */
function readHidden(question: string, server: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new ServerError(server, 'cancelled', 'cancelled while asking for an input'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
