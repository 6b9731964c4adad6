// The zod that code loaded at activation uses (the parsing of test files; server entries have
// their own readers, config/fields.ts, since zod's first parse was most of activate()'s time):
// zod/mini, whose functions tree-shake to the schemas really used, about 30 KB of the extension
// bundle where zod's chained API brought about 180 KB. With zod's English messages, as zod gives
// them by default. Import it as a namespace (`import * as z from '../zod'`), which esbuild still
// tree-shakes. The SDK's schemas and ours that compose with them (connection/operations.ts,
// tasks/channel.ts) use zod itself, which loads with the SDK in dist/protocol.js.
import { config } from 'zod/mini';
import { en } from 'zod/v4/locales';

config(en());

export * from 'zod/mini';
export type { $ZodIssue as ZodIssue } from 'zod/v4/core';
