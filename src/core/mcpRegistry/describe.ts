// Plain-text views of registry entries shared by the editor and the CLI: the details shown
// before installing, and what an update changes in an installed entry.
import { installOptions, questionsFor } from './mapping';
import { entryKind, isInstallable, type RegistryEntry } from './types';

export interface EntryDescription {
  /** "package", "remote" or "package + remote". */
  readonly kind: string;
  /** Detail lines: repository, website, each install option, the values it needs, the status. */
  readonly lines: string[];
}

export function describeEntry(entry: RegistryEntry): EntryDescription {
  const { server, meta } = entry;
  const kind = entryKind(server).replace('+', ' + ');
  const lines: string[] = [];
  if (server.repository?.url)
    lines.push(`Repository: ${server.repository.url}${server.repository.subfolder ? ` (${server.repository.subfolder})` : ''}`);
  if (server.websiteUrl) lines.push(`Website: ${server.websiteUrl}`);
  for (const option of installOptions(server)) {
    if (!option.supported) {
      lines.push(`${option.kind === 'package' ? 'Package' : 'Remote'}: ${option.label} (cannot be installed here: ${option.reason})`);
      continue;
    }
    lines.push(`${option.kind === 'package' ? 'Package' : 'Remote'}: ${option.label}`);
    const questions = questionsFor(server, option.key);
    const required = questions.filter((q) => q.required).map((q) => `${q.label}${q.secret ? ' (secret)' : ''}`);
    const optional = questions.filter((q) => !q.required).map((q) => `${q.label}${q.secret ? ' (secret)' : ''}`);
    if (required.length) lines.push(`  Required: ${required.join(', ')}`);
    if (optional.length) lines.push(`  Optional: ${optional.join(', ')}`);
  }
  if (!isInstallable(entry)) lines.push(`Status: ${meta.status} (not offered for install)`);
  if (meta.publishedAt)
    lines.push(
      `Published: ${meta.publishedAt.slice(0, 10)}${meta.updatedAt && meta.updatedAt !== meta.publishedAt ? `, updated ${meta.updatedAt.slice(0, 10)}` : ''}`,
    );
  return { kind, lines };
}

/** What replacing `before` with `after` changes, one line per key ("args: a b -> a c"). */
export function entryChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: string[] = [];
  for (const k of keys) {
    const a = show(before[k]);
    const b = show(after[k]);
    if (a === b) continue;
    if (before[k] === undefined) out.push(`${k}: added ${b}`);
    else if (after[k] === undefined) out.push(`${k}: removed (was ${a})`);
    else out.push(`${k}: ${a} -> ${b}`);
  }
  return out;
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.map(String).join(' ');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
