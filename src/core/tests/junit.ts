// JUnit XML for CI systems: one <testsuite> per collection file, one <testcase> per test.
import { formatFailure } from './report';
import type { TestResult } from './runner';

export function junitXml(results: readonly TestResult[], displayPath: (file: string) => string = (f) => f): string {
  const byFile = new Map<string, TestResult[]>();
  for (const r of results) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = (f: (r: TestResult) => boolean) => results.filter(f).length;
  const all = results.reduce((s, r) => s + r.durationMs, 0);
  lines.push(
    `<testsuites name="mcp-manager test" tests="${results.length}" failures="${total((r) => r.status === 'failed')}" errors="${total((r) => r.status === 'errored')}" skipped="${total((r) => r.status === 'skipped')}" time="${secs(all)}">`,
  );
  for (const [file, list] of byFile) {
    const name = esc(displayPath(file));
    const time = list.reduce((s, r) => s + r.durationMs, 0);
    lines.push(
      `  <testsuite name="${name}" tests="${list.length}" failures="${list.filter((r) => r.status === 'failed').length}" errors="${list.filter((r) => r.status === 'errored').length}" skipped="${list.filter((r) => r.status === 'skipped').length}" time="${secs(time)}">`,
    );
    for (const r of list) {
      const open = `    <testcase classname="${name}" name="${esc(r.test.name)}" time="${secs(r.durationMs)}"`;
      if (r.status === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (r.status === 'skipped') lines.push('      <skipped/>');
      else {
        const tag = r.status === 'errored' ? 'error' : 'failure';
        const first = r.failures[0];
        const body = r.failures.map((f) => formatFailure(f).join('\n')).join('\n');
        lines.push(
          `      <${tag} message="${esc(first ? `${first.expectation}: ${first.message}` : 'failed')}" type="${esc(first?.expectation ?? 'failure')}">${esc(body)}</${tag}>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function esc(s: string): string {
  // XML 1.0 forbids most control characters even as references.
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
