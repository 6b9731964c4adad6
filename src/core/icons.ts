// Icons servers give their tools, resources, prompts and themselves (MCP `icons`): which one to
// show, and whether its bytes are safe to. Only images are accepted (PNG, JPEG, GIF, WebP, SVG),
// from `data:` URIs or `https:` (fetched by the host), at most MAX_ICON_BYTES; an SVG with script,
// event handlers, foreignObject or references outside itself is refused: an icon never runs code.

export interface IconLike {
  readonly src: string;
  readonly mimeType?: string;
  readonly sizes?: readonly string[];
  readonly theme?: 'light' | 'dark';
}

export const MAX_ICON_BYTES = 256 * 1024;
export const ICON_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

/** The icon to show for a theme: one made for it, else one for any theme; sizes nearest 32 px (or "any") first. */
export function pickIcon(icons: unknown, theme: 'light' | 'dark'): IconLike | undefined {
  if (!Array.isArray(icons)) return undefined;
  const usable = icons.filter(
    (i): i is IconLike =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as IconLike).src === 'string' &&
      /^(data:|https:)/i.test((i as IconLike).src) &&
      ((i as IconLike).mimeType === undefined || (i as IconLike).mimeType!.toLowerCase() in ICON_TYPES),
  );
  const rank = (i: IconLike) => {
    const themeRank = i.theme === theme ? 0 : i.theme === undefined ? 1 : 2;
    const sizes = (i.sizes ?? [])
      .map((s) => (s === 'any' ? 32 : Number(/^(\d+)x\d+$/.exec(s)?.[1] ?? NaN)))
      .filter((n) => !Number.isNaN(n));
    const sizeRank = sizes.length ? Math.min(...sizes.map((n) => Math.abs(n - 32))) : 16;
    return themeRank * 10_000 + sizeRank;
  };
  return [...usable].sort((a, b) => rank(a) - rank(b))[0];
}

/** A `data:` URI's type and bytes; undefined when it is not base64 or URL-encoded data. */
export function decodeDataUri(src: string): { mimeType: string; bytes: Buffer } | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is.exec(src);
  if (!m) return undefined;
  const mimeType = (m[1] || 'text/plain').toLowerCase();
  const base64 = /;base64/i.test(m[2] ?? '');
  try {
    return { mimeType, bytes: base64 ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8') };
  } catch {
    return undefined;
  }
}

/** Why these bytes may not be shown as an icon, or undefined when they may. */
export function iconProblem(bytes: Uint8Array, mimeType: string): string | undefined {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (!(type in ICON_TYPES)) return `"${type}" is not an image type we show (PNG, JPEG, GIF, WebP, SVG)`;
  if (bytes.length === 0) return 'it is empty';
  if (bytes.length > MAX_ICON_BYTES) return `it is ${bytes.length} bytes (at most ${MAX_ICON_BYTES})`;
  const b = Buffer.from(bytes);
  const magic: Record<string, (x: Buffer) => boolean> = {
    'image/png': (x) => x.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    'image/jpeg': (x) => x[0] === 0xff && x[1] === 0xd8,
    'image/gif': (x) => x.subarray(0, 4).toString('latin1') === 'GIF8',
    'image/webp': (x) => x.subarray(0, 4).toString('latin1') === 'RIFF' && x.subarray(8, 12).toString('latin1') === 'WEBP',
  };
  if (type !== 'image/svg+xml') return magic[type]!(b) ? undefined : `its bytes are not a ${ICON_TYPES[type]!.toUpperCase()} image`;
  const text = b.toString('utf8');
  if (!/<svg[\s>]/i.test(text)) return 'it is not an SVG image';
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:|<!ENTITY/i.test(text)) return 'the SVG contains script or event handlers';
  // Only references inside the image itself (#id) or data: URIs.
  if (/(?:xlink:)?href\s*=\s*["'](?!#|data:)/i.test(text) || /url\(\s*["']?(?!#|data:)/i.test(text))
    return 'the SVG refers to something outside itself';
  return undefined;
}
