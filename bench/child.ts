// Runs one benchmark case in this (fresh) process and prints `RESULT <json>` on stdout, so that
// memory figures of one case are not polluted by another. Usage (what run.ts does):
//   node --expose-gc --import tsx bench/child.ts <case> '<json options>'
import * as activation from './cases/activation';
import { gatewayList, gatewayWarmCall } from './cases/gateway';
import * as http from './cases/http';
import * as lifecycle from './cases/lifecycle';
import * as stdio from './cases/stdio';
import * as tools from './cases/tools';
import { taskPolling } from './cases/tasks';
import { completionPerKey, completionTyping } from './cases/completions';

const cases: Record<string, (opts: never) => Promise<unknown>> = {
  ...stdio,
  ...http,
  ...tools,
  ...lifecycle,
  ...activation,
  gatewayList,
  gatewayWarmCall,
  taskPolling,
  completionPerKey,
  completionTyping,
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const fn = name ? cases[name] : undefined;
  if (!fn) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
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
