// MIME decisions shared by the CLI and the editor: which blobs are text worth printing or showing.

/** MIME types whose bytes are text (a resource blob may still carry text: text/*, JSON, XML, YAML, ...). */
export function isTextMime(mimeType: string | undefined): boolean {
  const m = mimeType?.split(';')[0].trim().toLowerCase() ?? '';
  return (
    m.startsWith('text/') || /^application\/(json|xml|yaml|x-yaml|javascript|x-sh|toml|sql|graphql)$/.test(m) || /\+(json|xml)$/.test(m)
  );
}

/** UTF-8 text of base64 data (invalid sequences become U+FFFD). */
export function decodeBase64Text(data: string): string {
  return Buffer.from(data, 'base64').toString('utf8');
}
