// Runs one benchmark case in this (fresh) process and prints `RESULT <json>` on stdout, so that
// memory figures of one case are not polluted by another. Usage (what run.ts does):
//   node --expose-gc --import tsx bench/child.ts <case> '<json options>'
// Loaded per case, so that a case loads only what it needs: the activation case must run in a
// process where nothing has loaded zod or the SDK (bench/cases/activation.ts).
const modules: Record<string, () => Promise<Record<string, unknown>>> = {
  activation: () => import('./cases/activation.js'),
  gateway: () => import('./cases/gateway.js'),
  http: () => import('./cases/http.js'),
  lifecycle: () => import('./cases/lifecycle.js'),
  stdio: () => import('./cases/stdio.js'),
  tools: () => import('./cases/tools.js'),
  tasks: () => import('./cases/tasks.js'),
  completions: () => import('./cases/completions.js'),
};
const caseModule: Record<string, keyof typeof modules> = {
  activation: 'activation',
  gatewayList: 'gateway',
  gatewayWarmCall: 'gateway',
  taskPolling: 'tasks',
  completionPerKey: 'completions',
  completionTyping: 'completions',
};

/** The case's function: from its module (named above), else the first module that exports it. */
async function findCase(name: string): Promise<((opts: never) => Promise<unknown>) | undefined> {
  const own = caseModule[name];
  for (const key of own ? [own] : Object.keys(modules)) {
    const m = await modules[key]!();
    if (typeof m[name] === 'function') return m[name] as (opts: never) => Promise<unknown>;
  }
  return undefined;
}

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const fn = name ? await findCase(name) : undefined;
  if (!fn) throw new Error(`unknown case ${name}`);
  const result = await fn((json ? JSON.parse(json) : {}) as never);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
