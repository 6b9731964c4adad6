// What "Add Server…" builds, as plain data: the entry from what was typed, a default name, the
// environment variables (`KEY=VALUE` pairs) and which of their values look secret (those are
// offered as `${input:…}` references stored in SecretStorage). No `vscode`: unit-tested.
import { isSecretName, splitCommandLine, type McpInput } from '../../core';

export type EntryTransport = 'stdio' | 'http' | 'sse';
export type EntryKind = EntryTransport | 'npm';

/** An npm package name, optionally with a version or tag (`@scope/name@1.2`). */
export const NPM_PACKAGE = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9~][\w.~-]*(@[^\s]+)?$/i;

const RUNNER = /^(npx|pnpx|bunx|uvx|pipx|node|nodejs|deno|bun|python[\d.]*|py|uv|docker|podman|run|dlx|exec|tsx|ts-node|java|-y)$/i;
const SCRIPT = /\.(m?js|cjs|mts|cts|ts|py|jar)$/i;
/** Script names that say nothing about the server: its folder (or package) names it instead. */
const GENERIC_SCRIPT = /^(index|main|server|cli|app|run|start|bin|__main__|mcp|stdio)$/i;
const NOT_A_NAME = /^(dist|build|out|lib|src|bin|node_modules|\.bin|esm|cjs|scripts?)$/i;

/** A short name from the command line or URL: the package, the script, the script's folder, or the host. */
export function suggestName(transport: EntryTransport, value: string): string {
  if (transport !== 'stdio') {
    try {
      const u = new URL(value);
      return u.hostname.replace(/^www\./, '').replace(/[^\w-]+/g, '-') + (u.port ? `-${u.port}` : '');
    } catch {
      return 'server';
    }
  }
  let words: string[];
  try {
    words = splitCommandLine(value).filter((w) => !w.startsWith('-'));
  } catch {
    return 'server';
  }
  const tidy = (s: string) =>
    s
      .replace(/^(mcp-server-|server-mcp-)/, '')
      .replace(/[-_]mcp$/, '')
      .replace(/^mcp[-_]/, '') || s;
  // A script path: its file name, or, for index.js and the like, the nearest telling folder
  // (`.../server-memory/dist/index.js` is "server-memory").
  const script = words.find((w, i) => i > 0 && SCRIPT.test(w));
  if (script) {
    const parts = script.split(/[/\\]/).filter((p) => p && p !== '.' && p !== '..' && !p.startsWith('${'));
    const file = (parts.pop() ?? '').replace(SCRIPT, '');
    if (file && !GENERIC_SCRIPT.test(file)) return tidy(file);
    const folder =
      [...parts].reverse().find((p) => !NOT_A_NAME.test(p) && !/^@/.test(p)) ?? parts.filter((p) => !/^@|^[A-Za-z]:$/.test(p)).pop();
    return folder ? tidy(folder) : file || 'server';
  }
  // A package (`npx -y @scope/name@1.2`, `uvx mcp-server-time`): its name without scope or version.
  const pkg = words.find((w, i) => (i > 0 || !RUNNER.test(baseName(w))) && !RUNNER.test(baseName(w)));
  if (pkg) {
    const m = /^(?:@([^/]+)\/)?([^@]+)(?:@.*)?$/.exec(pkg);
    const scope = m?.[1];
    const name = baseName(m?.[2] ?? pkg).replace(/==.*$/, '');
    // `@playwright/mcp`: the scope says more than the package's generic name.
    if (scope && GENERIC_SCRIPT.test(name)) return scope;
    return tidy(name) || 'server';
  }
  return words[0] ? baseName(words[0]) : 'server';
}

function baseName(w: string): string {
  return w.split(/[/\\]/).pop() ?? w;
}

/** The entry for what was typed in Add Server's second step. */
export function entryFor(kind: EntryKind, value: string, extraArgs = ''): Record<string, unknown> {
  if (kind === 'http' || kind === 'sse') return { type: kind, url: value.trim() };
  if (kind === 'npm') return { command: 'npx', args: ['-y', value.trim(), ...splitCommandLine(extraArgs)] };
  const [command = '', ...args] = splitCommandLine(value);
  return args.length ? { command, args } : { command };
}

/**
 * `KEY=VALUE` pairs separated by spaces (quote a value with spaces: `A="x y"`), as typed in Add
 * Server's env step. Throws an Error saying which pair is wrong.
 */
export function parseEnvPairs(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of splitCommandLine(text)) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`"${word}" is not KEY=VALUE (e.g. MEMORY_FILE_PATH=/tmp/memory.json)`);
    const key = word.slice(0, eq);
    if (!/^[A-Za-z_][\w.-]*$/.test(key))
      throw new Error(`"${key}" is not a valid variable name (letters, digits and _; not starting with a digit)`);
    env[key] = word.slice(eq + 1);
  }
  return env;
}

/** A value that looks like a token (long, no spaces, mixed letters and digits, or a known prefix). */
export function looksLikeToken(value: string): boolean {
  if (!value || value.includes('${') || /\s/.test(value) || /[/\\]/.test(value)) return false;
  if (/^(sk|pk|rk|ghp|gho|ghu|ghs|github_pat|glpat|xox[abpr]|AKIA|AIza|ya29|hf|npm|pat)[-_.]?[A-Za-z0-9]/.test(value) && value.length >= 16)
    return true;
  return value.length >= 24 && /[A-Za-z]/.test(value) && /\d/.test(value) && /^[\w.~+=-]+$/.test(value);
}

/** The env keys whose literal values should not be written to a settings file. */
export function secretEnvKeys(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v !== '' && !v.includes('${') && (isSecretName(k) || looksLikeToken(v)))
    .map(([k]) => k);
}

export interface SecretInputs {
  /** env with each chosen key's value replaced by `${input:ID}`. */
  readonly env: Record<string, string>;
  /** Declarations to write beside the server. */
  readonly inputs: McpInput[];
  /** Values to store in SecretStorage, by input id. */
  readonly values: Record<string, string>;
}

/** Moves the chosen keys' values to inputs named `<server>-<KEY>` (unique among `takenIds`). */
export function envToInputs(
  server: string,
  env: Readonly<Record<string, string>>,
  keys: readonly string[],
  takenIds: Set<string>,
): SecretInputs {
  const out: Record<string, string> = { ...env };
  const inputs: McpInput[] = [];
  const values: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value === undefined) continue;
    const base = `${server}-${key}`.replace(/[^\w.-]+/g, '-');
    let id = base;
    for (let i = 2; takenIds.has(id); i++) id = `${base}-${i}`;
    takenIds.add(id);
    out[key] = `\${input:${id}}`;
    values[id] = value;
    inputs.push({ type: 'promptString', id, description: `${key} for ${server}`, password: true });
  }
  return { env: out, inputs, values };
}
