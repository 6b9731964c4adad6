// Run by process-tree.test.ts as a separate host process: starts servers whose trees have
// grandchildren, prints their process groups as JSON, then exits abruptly (no dispose), as an
// editor window that is closed or crashes in JavaScript would: the core's exit hook must end them.
// With --wait it stays until the test kills it with SIGKILL: the watchdog must end them.
import { parseServers, ServerRegistry } from '../../src/core';
import { FIXTURE_SERVER, NODE } from '../fixtures/paths';
import { BAD } from './fixtures';

async function main() {
  const registry = new ServerRegistry({ timing: { closeGraceMs: 300, killGraceMs: 300 } });
  await registry.update(
    parseServers({
      wrapped: { command: BAD.shellWrapper },
      launched: { command: NODE, args: [BAD.npxLauncher, NODE, BAD.ignoreSigterm] },
      plain: { command: NODE, args: [FIXTURE_SERVER] },
    }),
  );
  const groups: number[] = [];
  for (const c of registry.list()) {
    await c.ping();
    groups.push(c.info!.pid!);
  }
  process.stdout.write(JSON.stringify(groups) + '\n');
  // --wait: stay until killed (the test sends SIGKILL: no JavaScript runs, only the watchdog is left).
  if (process.argv.includes('--wait')) {
    setInterval(() => {}, 1000);
    return;
  }
  // Give the launcher's grandchild time to start before leaving.
  setTimeout(() => process.exit(process.argv.includes('--throw') ? 1 : 0), 300);
  if (process.argv.includes('--throw'))
    setTimeout(() => {
      throw new Error('host crashed');
    }, 200);
}
void main();
