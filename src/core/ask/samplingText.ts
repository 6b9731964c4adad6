// A sampling request as text: what the CLI's `--sample-with` command reads on stdin and what the
// editor shows for review. Non-text content is named, never dumped.
import type { CreateMessageRequestParams } from '@modelcontextprotocol/client';

type Block = { type: string; text?: string; mimeType?: string; data?: string; name?: string; input?: unknown; content?: unknown };

function blockText(block: Block): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'image' || block.type === 'audio')
    return `[${block.type}${block.mimeType ? ` ${block.mimeType}` : ''}, ${Math.floor(((block.data?.length ?? 0) * 3) / 4)} bytes]`;
  if (block.type === 'tool_use') return `[calls the tool ${block.name ?? ''} with ${JSON.stringify(block.input ?? {})}]`;
  if (block.type === 'tool_result') return `[tool result]\n${contentText(block.content ?? [])}`;
  return `[${block.type}]`;
}

/** The text of one message's content (a block or a list of blocks). */
export function contentText(content: unknown): string {
  const blocks = (Array.isArray(content) ? content : [content]) as Block[];
  return blocks.map(blockText).join('\n');
}

/**
 * The system prompt and the messages, each under a line naming its role:
 *
 *     [system]
 *     You are ...
 *
 *     [user]
 *     What is ...
 */
export function samplingTranscript(params: CreateMessageRequestParams): string {
  const parts: string[] = [];
  if (params.systemPrompt) parts.push(`[system]\n${params.systemPrompt}`);
  if (params.tools?.length && params.toolChoice?.mode !== 'none')
    parts.push(
      `[tools the model may call${params.toolChoice?.mode === 'required' ? ', one at least' : ''}]\n${params.tools.map((t) => t.name).join(', ')}`,
    );
  for (const m of params.messages) parts.push(`[${m.role}]\n${contentText(m.content)}`);
  return parts.join('\n\n') + '\n';
}
