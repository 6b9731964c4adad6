// Mocha root hooks for the e2e passes: each failed test's title and the start of its error are
// appended to $MCPM_E2E_FAILURES, which scripts/run-e2e.mjs repeats at the very end of its output
// (a log cut to its tail, as CI shows it, then still names the failures of every pass).
import * as fs from 'node:fs';
import type { Context } from 'mocha';

export const mochaHooks = {
  afterEach(this: Context): void {
    const test = this.currentTest;
    const file = process.env.MCPM_E2E_FAILURES;
    if (!file || !test || test.state !== 'failed') return;
    const err = (test as unknown as { err?: Error }).err;
    const why = (err?.stack ?? err?.message ?? 'failed').split('\n').slice(0, 6).join('\n');
    fs.appendFileSync(file, `${test.fullTitle()}\n${why}\n\n`);
  },
};
