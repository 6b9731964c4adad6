// How the CLI signs in (core/auth's SignInUi): the browser named by $BROWSER (the usual convention:
// a command, `%s` for the URL or the URL appended; several may be given separated by ':'), else the
// desktop opener (xdg-open with a display, open on macOS, start on Windows), else, in a terminal, the
// URL printed for the person to open. Without any of them a 401 is not signed in to: the command
// exits 3 saying to run `mcp-manager login <server>`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitCommandLine, type AuthHost, type SignInUi } from '../core';
import { FileCredentialStore } from './credentials';

export interface CliAuthOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** stdin is a terminal (default: process.stdin.isTTY). */
  readonly interactive?: boolean;
  /** Where the URL and progress are written (stderr). */
  readonly err: (text: string) => void;
  readonly platform?: NodeJS.Platform;
}

/** The command that opens a URL here, or undefined when there is none. */
export function browserCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] | undefined {
  const configured = env.BROWSER?.split(platform === 'win32' ? ';' : ':').find((b) => b.trim());
  if (configured) return splitCommandLine(configured.trim(), platform);
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  const found = (env.PATH ?? '').split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, 'xdg-open')));
  return found ? ['xdg-open'] : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function cliSignInUi(o: CliAuthOptions): SignInUi {
  const env = o.env ?? process.env;
  return {
    openAuthorizationUrl(url, info) {
      const command = browserCommand(env, o.platform);
      o.err(`mcp-manager: ${info.server}: sign in at ${info.issuer}${command ? ' (opening your browser)' : ''}:\n  ${url}\n`);
      if (!command) return Promise.resolve();
      const [program, ...args] = command;
      const withUrl = args.some((a) => a.includes('%s')) ? args.map((a) => a.replace(/%s/g, url)) : [...args, url];
      return new Promise<void>((resolve) => {
        const child = spawn(program!, withUrl, { stdio: 'ignore', detached: process.platform !== 'win32' });
        // A browser that cannot start is not fatal: the URL is printed above.
        child.once('error', (e) => {
          o.err(`mcp-manager: could not start the browser (${program}: ${e.message}); open the URL above yourself.\n`);
          resolve();
        });
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}

/** The CLI's auth host: the credentials file, and sign-in on a 401 when a browser or a terminal can be shown. */
export function cliAuthHost(o: CliAuthOptions & { readonly store?: FileCredentialStore; readonly always?: boolean }): AuthHost {
  const env = o.env ?? process.env;
  const interactive = o.interactive ?? !!process.stdin.isTTY;
  const canShow = o.always || interactive || browserCommand(env, o.platform) !== undefined;
  const timeout = Number(env.MCP_MANAGER_SIGNIN_TIMEOUT_MS);
  return {
    store: o.store ?? new FileCredentialStore(),
    ui: cliSignInUi(o),
    signInOnDemand: canShow,
    clientName: 'MCP Manager (command line)',
    ...(Number.isFinite(timeout) && timeout > 0 && { callbackTimeoutMs: timeout }),
  };
}
