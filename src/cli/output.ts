// Text formatting for the CLI's commands. Pure functions: (data) -> string, no I/O.
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import {
  type ConfigIssue,
  decodeBase64Text,
  describeTarget,
  firstLine,
  formatBytes,
  isConfigNote,
  isTextMime,
  type ServerDefinition,
} from '../core';
import { describeIssue, sourceLabel } from './config';
import { describeProbe, type Probe } from './probe';

/**
 * A tool result as a person reads it: text as is, embedded text resources (and text blobs) after a
 * header line, binary content as one-line notes, structuredContent (pretty JSON) when nothing was text.
 */
export function formatCallResult(result: CallToolResult): string {
  const lines: string[] = [];
  let hasText = false;
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        hasText = true;
        lines.push(item.text);
        break;
      case 'image':
      case 'audio':
        lines.push(`[${item.type}: ${item.mimeType}, ${formatBytes(base64Bytes(item.data))}]`);
        break;
      case 'resource_link':
        lines.push(`[resource link] ${item.uri}${details(item.mimeType, item.name !== item.uri ? item.name : undefined)}`);
        break;
      case 'resource': {
        const r = item.resource;
        const size =
          'text' in r && typeof r.text === 'string'
            ? Buffer.byteLength(r.text)
            : 'blob' in r && typeof r.blob === 'string'
              ? base64Bytes(r.blob)
              : undefined;
        lines.push(`[resource] ${r.uri}${details(r.mimeType, size !== undefined ? formatBytes(size) : undefined)}`);
        // Its text follows the header line: embedded text, or a text blob (text/*, JSON, XML) decoded.
        const body =
          'text' in r && typeof r.text === 'string'
            ? r.text
            : 'blob' in r && typeof r.blob === 'string' && isTextMime(r.mimeType)
              ? decodeBase64Text(r.blob)
              : undefined;
        if (body !== undefined) {
          hasText = true;
          lines.push(body.replace(/\n$/, ''));
        }
        break;
      }
      default:
        lines.push(`[${(item as { type: string }).type} content] ${JSON.stringify(item)}`);
    }
  }
  if (!hasText && result.structuredContent !== undefined) lines.push(JSON.stringify(result.structuredContent, null, 2));
  if (lines.length === 0) return '';
  const text = lines.join('\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

function details(...parts: (string | undefined)[]): string {
  const shown = parts.filter((p): p is string => !!p);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

export function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export { formatBytes };

/** Tool names aligned, then the first line of each description (cut to `width` when given). */
export function formatTools(tools: readonly Tool[], width?: number): string {
  if (tools.length === 0) return '(no tools)\n';
  const nameWidth = Math.min(Math.max(...tools.map((t) => t.name.length)), 40);
  return tools
    .map((t) => {
      const description = firstLine(t.description ?? t.title ?? '');
      const line = description ? `${t.name.padEnd(nameWidth)}  ${description}` : t.name;
      return `${width && line.length > width ? `${line.slice(0, Math.max(width - 1, nameWidth))}…` : line}\n`;
    })
    .join('');
}

/** Rows of equal-width columns (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd() +
        '\n',
    )
    .join('');
}

export function formatServers(
  servers: readonly ServerDefinition[],
  issues: readonly ConfigIssue[],
  where: string,
  probes?: ReadonlyMap<string, Probe>,
): string {
  let out = '';
  if (servers.length) {
    const rows = [['NAME', 'TRANSPORT', 'SOURCE', 'TARGET', ...(probes ? ['PROTOCOL'] : [])]];
    for (const s of servers)
      rows.push([
        s.name + (s.disabled ? ' (disabled)' : ''),
        s.type,
        sourceLabel(s.source),
        describeTarget(s),
        ...(probes ? [describeProbe(probes.get(s.name), !!s.disabled)] : []),
      ]);
    out += table(rows);
  } else if (!issues.length) {
    out += `No servers configured in ${where}.\n`;
  }
  const errors = issues.filter((i) => !isConfigNote(i));
  const notes = issues.filter(isConfigNote);
  if (errors.length) out += `\nConfiguration errors:\n${formatIssues(errors)}`;
  if (notes.length) out += `\nNotes:\n${formatIssues(notes)}`;
  return out;
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  return table(
    issues.map((i) => [i.server ?? '(file)', `${describeIssue(i)}  [${sourceLabel(i.source)}]`]),
    '  ',
  );
}

export function serversJson(
  servers: readonly ServerDefinition[],
  issues: readonly ConfigIssue[],
  probes?: ReadonlyMap<string, Probe>,
): unknown {
  return {
    servers: servers.map((s) => ({
      name: s.name,
      type: s.type,
      target: describeTarget(s),
      disabled: s.disabled,
      source: s.source ? { kind: s.source.kind, label: s.source.label, file: s.source.file } : undefined,
      // With --probe: { ok, protocolVersion, era, serverInfo } or { ok: false, error }.
      ...(probes && !s.disabled ? { probe: probes.get(s.name) ?? { ok: false, error: 'not probed: interrupted' } } : {}),
    })),
    issues: issues.map((i) => ({
      severity: isConfigNote(i) ? 'warning' : 'error',
      server: i.server,
      field: i.field,
      message: i.message,
      source: i.source?.file ?? i.source?.label,
    })),
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
