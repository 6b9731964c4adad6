// A small, safe Markdown renderer for tool results (CommonMark's everyday subset: headings,
// paragraphs, emphasis, inline code, fenced and indented code, lists, block quotes, tables, rules,
// links). Server text is untrusted: everything is HTML-escaped first and only the tags produced
// here exist in the output; raw HTML in the source stays visible as text. Links become buttons
// that ask the extension to open them (http/https only); images are never loaded (no remote
// content), their alt text is shown instead. Pure: no `vscode`, no DOM.
import { escapeHtml } from './webviewHtml';

/** Inline Markdown (already one block's text) to HTML. */
export function renderInline(text: string): string {
  // Code spans first, so nothing inside them is interpreted.
  const parts = text.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 3 === 0) out += inlineText(parts[i]);
    else if (i % 3 === 2) out += `<code>${escapeHtml(parts[i].trim() || parts[i])}</code>`;
  }
  return out;
}

function inlineText(raw: string): string {
  let s = escapeHtml(raw);
  // Images: alt text only (no remote content).
  s = s.replace(
    /!\[([^\]]*)\]\(([^)\s]+)(?:\s+&quot;[^&]*&quot;)?\)/g,
    (_m, alt: string) => `<span class="md-img" title="image not loaded">[image${alt ? `: ${alt}` : ''}]</span>`,
  );
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+&quot;[^&]*&quot;)?\)/g, (_m, label: string, href: string) => linkHtml(label, href));
  s = s.replace(/&lt;(https?:\/\/[^\s&]+)&gt;/g, (_m, href: string) => linkHtml(href, href));
  s = s.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__/g, (_m, a?: string, b?: string) => `<strong>${a ?? b}</strong>`);
  s = s.replace(
    /(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?!\*)|(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g,
    (_m, p1?: string, a?: string, p2?: string, b?: string) => `${p1 ?? p2 ?? ''}<em>${a ?? b}</em>`,
  );
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<del>$1</del>');
  s = s.replace(/ {2,}\n|\\\n/g, '<br>');
  return s;
}

function linkHtml(label: string, href: string): string {
  // `href` is already escaped; only web links are offered (opened by the extension, after VS Code's own check).
  if (!/^https?:\/\//i.test(href.replace(/&amp;/g, '&'))) return `${label} <span class="md-url">(${href})</span>`;
  return `<a href="#" class="md-link" data-action="openExternal" data-url="${href}" title="${href}">${label}</a>`;
}

interface ListState {
  readonly ordered: boolean;
  items: string[][];
}

/** Block-level Markdown to HTML. Bounded: input above `maxChars` is rendered as preformatted text. */
export function renderMarkdown(text: string, maxChars = 512 * 1024): string {
  if (text.length > maxChars) return `<pre>${escapeHtml(text)}</pre>`;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: ListState | undefined;
  let quote: string[] | undefined;
  const flushPara = () => {
    if (para.length) out.push(`<p>${renderInline(para.join('\n'))}</p>`);
    para = [];
  };
  const flushList = () => {
    if (!list) return;
    const tag = list.ordered ? 'ol' : 'ul';
    out.push(
      `<${tag}>${list.items.map((item) => `<li>${item.length > 1 ? renderMarkdown(item.join('\n'), maxChars) : renderInline(item[0] ?? '')}</li>`).join('')}</${tag}>`,
    );
    list = undefined;
  };
  const flushQuote = () => {
    if (!quote) return;
    out.push(`<blockquote>${renderMarkdown(quote.join('\n'), maxChars)}</blockquote>`);
    quote = undefined;
  };
  const flushAll = () => {
    flushPara();
    flushList();
    flushQuote();
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/.exec(line);
    if (fence) {
      flushAll();
      const close = new RegExp(`^ {0,3}${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      const body: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]); i++) body.push(lines[i]);
      out.push(
        `<pre class="md-code"${fence[2] ? ` data-lang="${escapeHtml(fence[2])}"` : ''}><code>${escapeHtml(body.join('\n'))}</code></pre>`,
      );
      continue;
    }
    if (quote && /^ {0,3}>/.test(line)) {
      quote.push(line.replace(/^ {0,3}> ?/, ''));
      continue;
    }
    const item = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (list && !item && /^\s{2,}\S/.test(line)) {
      list.items[list.items.length - 1].push(line.replace(/^\s{2,4}/, ''));
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      if (quote) flushQuote();
      if (list && !/^\s*([-*+]|\d{1,9}[.)])\s+/.test(lines[i + 1] ?? '') && !/^\s{2,}\S/.test(lines[i + 1] ?? '')) flushList();
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushAll();
      const level = heading[1].length;
      out.push(`<h${level + 1 > 6 ? 6 : level + 1} class="md-h">${renderInline(heading[2])}</h${level + 1 > 6 ? 6 : level + 1}>`);
      continue;
    }
    if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line) && !para.length) {
      flushAll();
      out.push('<hr>');
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      flushPara();
      flushList();
      quote = [line.replace(/^ {0,3}> ?/, '')];
      continue;
    }
    if (item) {
      flushPara();
      flushQuote();
      const ordered = /\d/.test(item[1]);
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push([item[2]]);
      continue;
    }
    if (/^\|.*\|\s*$/.test(line) && /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')) {
      flushAll();
      const cells = (l: string) =>
        l
          .trim()
          .replace(/^\|/, '')
          .replace(/\|$/, '')
          .split('|')
          .map((c) => c.trim());
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && /^\|.*\|\s*$/.test(lines[i]); i++) rows.push(cells(lines[i]));
      i--;
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${renderInline(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${renderInline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
      );
      continue;
    }
    if (/^ {4,}\S/.test(line) && !para.length && !list) {
      flushAll();
      const body: string[] = [];
      for (; i < lines.length && (/^ {4}/.test(lines[i]) || lines[i].trim() === ''); i++) body.push(lines[i].slice(4));
      i--;
      out.push(`<pre class="md-code"><code>${escapeHtml(body.join('\n').replace(/\n+$/, ''))}</code></pre>`);
      continue;
    }
    if (list) {
      // A lazy continuation line of the last item.
      list.items[list.items.length - 1].push(line.trim());
      continue;
    }
    para.push(line);
  }
  flushAll();
  return out.join('\n');
}
