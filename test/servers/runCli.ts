// Runs the built CLI (dist/cli.js) as a child process, for tests that drive it against real servers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODE, REPO_ROOT } from '../fixtures/paths';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** A hang guard only (generous for a busy machine), never a speed assertion. */
  readonly timeoutMs?: number;
}

/** Builds dist/cli.js (dev build, a few seconds) so the tests run what the sources say. */
export function buildCli(): void {
  execFileSync(NODE, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 100_000 });
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js was not built');
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when it exits (rejects after killing it if it outlives the hang guard). */
  readonly exited: Promise<CliRun>;
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return startCli(args, options).exited;
}

/** Starts the CLI and returns at once, for commands that run until interrupted (`read --watch`). */
export function startCli(args: readonly string[], options: CliRunOptions = {}): RunningCli {
  const child = spawn(NODE, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(options.input ?? '');
  const limit = options.timeoutMs ?? 90_000;
  const exited = new Promise<CliRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-manager ${args.join(' ')} did not exit within ${limit} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, limit);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
