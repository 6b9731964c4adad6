// mcp-manager: the command-line face of the same core the extension uses. This file owns the
// process: arguments, signals, the one error line, exit codes, and disposing every connection
// (the core ends whole process groups) before exiting, so no server outlives the CLI.
import * as path from 'node:path';
import { version } from '../../package.json';
import { type ServerConnection, ServerError } from '../core';
import { CliError, EXIT, exitCodeFor, formatError } from './errors';
import { parseCli, USAGE, type CliArgs } from './args';
import { createConnection, run } from './commands';
import { cliAskHost } from './ask';

export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (e) {
    process.stderr.write(`${formatError(e)}\n`);
    return exitCodeFor(e);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.version) {
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }

  const controller = new AbortController();
  const connections: ServerConnection[] = [];
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl+C exits at once; the core's exit hook still SIGKILLs the servers' process groups.
    if (signalled) process.exit(signalExitCode(signal));
    signalled = signal;
    // Aborting makes the core send notifications/cancelled for the request in flight.
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const askHost = cliAskHost({
    roots: [path.resolve(process.cwd(), args.workspace ?? '.')],
    elicit: args.elicit,
    sampleWith: args.sampleWith,
    interactive: !!process.stdin.isTTY && !!process.stderr.isTTY,
    err: (text) => void process.stderr.write(text),
  });
  let code: number;
  try {
    code = await run({
      args,
      cwd: process.cwd(),
      out: (text) => void process.stdout.write(text),
      err: (text) => void process.stderr.write(text),
      signal: controller.signal,
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
      open: (target, ask) => {
        // --root replaces every server's roots (its entry's and the workspace default).
        const roots = args.roots?.map((r) => path.resolve(process.cwd(), r));
        const def = roots ? { ...target, definition: { ...target.definition, roots } } : target;
        const conn = createConnection(def, args.verbosity, version, ask ?? askHost, !!args.adHoc);
        connections.push(conn);
        return conn;
      },
      readStdin,
    });
  } catch (e) {
    code = exitCodeFor(e);
    let line = formatError(e, args.adHoc?.kind);
    // Secrets the connections know of (env, headers, inputs) never reach the terminal.
    for (const c of connections) line = c.masker.mask(line);
    process.stderr.write(`${line}\n`);
    if (args.verbosity > 0 && !(e instanceof CliError) && !(e instanceof ServerError) && e instanceof Error && e.stack)
      process.stderr.write(`${e.stack}\n`);
  } finally {
    await Promise.all(connections.map((c) => c.dispose().catch(() => undefined)));
  }
  return signalled ? signalExitCode(signalled) : code;
}

function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : EXIT.interrupted;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.once('end', () => resolve(text));
    process.stdin.once('error', reject);
  });
}

// `| head` closing stdout early is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    // Exit explicitly (HTTP keep-alive sockets must not hold the process open), once stdout is flushed.
    process.stdout.write('', () => process.exit(code));
  });
}
