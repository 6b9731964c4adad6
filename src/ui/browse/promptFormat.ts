// A prompt's arguments and its prompts/get result as Markdown. Pure (no `vscode`): the commands
// ask for the arguments with input boxes and documents.ts shows the text under mcpm-prompt:.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/client';
import { base64Bytes, fence, formatBytes, utf8Bytes, type MediaItem } from '../toolCall/resultFormat';
import { documentType, inlineCode } from './resourceFormat';

export interface PromptField {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
}

/** The arguments to ask for, in the server's order; junk entries (no name) are skipped. */
export function promptFields(prompt: Pick<Prompt, 'arguments'>): PromptField[] {
  const args = Array.isArray(prompt.arguments) ? prompt.arguments : [];
  return args
    .filter((a) => a && typeof a.name === 'string' && a.name !== '')
    .map((a) => ({
      name: a.name,
      required: a.required === true,
      description: typeof a.description === 'string' && a.description.trim() ? a.description.trim() : undefined,
    }));
}

/** The input box's prompt line for one argument: "name (required) — description". */
export function promptFieldText(field: PromptField): string {
  return `${field.name} (${field.required ? 'required' : 'optional: leave empty to skip'})${field.description ? ` — ${field.description.replace(/\s+/g, ' ')}` : ''}`;
}

/** The problem with a value typed for an argument, or undefined when it is fine. */
export function checkPromptValue(field: PromptField, value: string): string | undefined {
  if (field.required && value.trim() === '') return `"${field.name}" is required (Escape cancels).`;
  return undefined;
}

/** The arguments to send: optional ones left empty are left out. */
export function promptArguments(fields: readonly PromptField[], values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (v !== undefined && (f.required || v !== '')) out[f.name] = v;
  }
  return out;
}

export function promptLabel(prompt: Pick<Prompt, 'name' | 'title'>): string {
  return typeof prompt.title === 'string' && prompt.title.trim() ? prompt.title.trim() : prompt.name;
}

export interface RenderedPrompt {
  readonly text: string;
  readonly media: readonly MediaItem[];
}

type Message = GetPromptResult['messages'][number];
type Content = Message['content'];

const ROLE: Record<string, string> = { user: 'User', assistant: 'Assistant' };

/**
 * The messages of a prompts/get result as one Markdown document: a heading per message with its
 * role, text as the server wrote it (prompt text is usually Markdown already), embedded resources
 * in fenced blocks, images and audio as notes (and in the media panel), resource links as notes
 * saying how to read them.
 */
export function renderPrompt(
  result: GetPromptResult,
  o: {
    readonly server: string;
    readonly prompt: Pick<Prompt, 'name' | 'title' | 'description'>;
    readonly args: Readonly<Record<string, string>>;
  },
): RenderedPrompt {
  const messages: Message[] = Array.isArray(result.messages) ? result.messages : [];
  const media: MediaItem[] = [];
  const label = promptLabel(o.prompt);
  const meta = [
    `Prompt ${inlineCode(o.prompt.name)} from server ${inlineCode(o.server)}`,
    messages.length === 1 ? '1 message' : `${messages.length} messages`,
  ];
  let out = `# ${label.replace(/\s+/g, ' ')}\n\n${meta.join(' · ')}\n`;
  const args = Object.entries(o.args);
  if (args.length) out += `\nArguments:\n\n${args.map(([k, v]) => `- ${inlineCode(k)}: ${inlineCode(v)}`).join('\n')}\n`;
  const description = typeof result.description === 'string' && result.description.trim() ? result.description : o.prompt.description;
  if (typeof description === 'string' && description.trim())
    out += `\n${description
      .trim()
      .split(/\r?\n/)
      .map((l) => `> ${l}`)
      .join('\n')}\n`;
  if (messages.length === 0) out += '\nThe server returned no messages.\n';
  messages.forEach((m, i) => {
    const role = ROLE[m.role] ?? String(m.role);
    out += `\n## ${i + 1}. ${role}\n\n${contentMarkdown(m.content, `${i + 1}. ${role}`, media)}`;
  });
  return { text: out, media };
}

function contentMarkdown(c: Content, where: string, media: MediaItem[]): string {
  switch (c.type) {
    case 'text':
      return `${c.text.replace(/\s+$/, '')}\n`;
    case 'image':
    case 'audio': {
      const size = base64Bytes(c.data);
      media.push({
        kind: c.type,
        mimeType: c.mimeType,
        data: c.data,
        bytes: size,
        label: `${where}: ${c.type} (${c.mimeType}, ${formatBytes(size)})`,
      });
      return `_${c.type === 'image' ? 'Image' : 'Audio'} (${c.mimeType}, ${formatBytes(size)}), shown in the media panel beside this document._\n`;
    }
    case 'resource': {
      const r = c.resource;
      if ('text' in r && typeof r.text === 'string') {
        const type = documentType(r.mimeType, r.uri);
        return `_Embedded resource_ ${inlineCode(r.uri)} (${r.mimeType ?? 'text'}, ${formatBytes(utf8Bytes(r.text))}):\n\n${fence(r.text, type.languageId && type.languageId !== 'plaintext' ? type.languageId : '')}`;
      }
      const size = 'blob' in r && typeof r.blob === 'string' ? base64Bytes(r.blob) : 0;
      return `_Embedded binary resource_ ${inlineCode(r.uri)} (${r.mimeType ?? 'application/octet-stream'}, ${formatBytes(size)}), not shown.\n`;
    }
    case 'resource_link': {
      const extra = [c.title ?? c.name, c.mimeType].filter((x) => typeof x === 'string' && x).join(', ');
      return `_Resource link_ ${inlineCode(c.uri)}${extra ? ` (${extra})` : ''}${c.description ? `: ${c.description.replace(/\s+/g, ' ')}` : ''}. Read it with "MCP Manager: Read Resource...".\n`;
    }
    default:
      return fence(JSON.stringify(c, null, 2), 'json');
  }
}
