// Counting this process's children, with nothing else loaded: the activation case imports it
// and must not load zod or the SDK itself (see bench/cases/activation.ts).
import * as fs from 'node:fs';

/** Live direct children of this process (zombies excluded). */
export function childCount(): number {
  let n = 0;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === process.pid && f[0] !== 'Z') n++;
    } catch {
      // exited
    }
  }
  return n;
}
