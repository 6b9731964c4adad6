// Paths of the misbehaving fixtures: the shared ones (test/fixtures/paths.ts) plus those added for
// the reliability suite (see the comment at the top of each file in test/fixtures/bad/).
import * as path from 'node:path';
import { BAD as SHARED, FIXTURES_DIR } from '../fixtures/paths';

const bad = (file: string) => path.join(FIXTURES_DIR, 'bad', file);

export const BAD = {
  ...SHARED,
  /** `npx`-style launcher: launcher -> /bin/sh -c -> command; ignores SIGTERM. */
  npxLauncher: bad('npx-launcher.mjs'),
  /** Sloppy stdout framing: fragments, CRLF, text glued before the JSON; tool `truncated`. */
  partialLines: bad('partial-lines.mjs'),
  /** Huge single non-JSON and non-JSON-RPC lines ($HUGE_BYTES); tools echo, blob {bytes}. */
  hugeLine: bad('huge-line.mjs'),
  /** stderr as fast as the pipe takes it, with 1 MiB lines without newline; tool echo. */
  stderrStorm: bad('stderr-storm.mjs'),
  /** tools/list with odd and invalid tool schemas next to ordinary ones. */
  oddSchemas: bad('odd-schemas.mjs'),
} as const;
