// A sampling request run on a VS Code language model (vscode.lm), tools included: the request's
// messages become chat messages (a `tool_use` block an assistant call part, a `tool_result` block
// a user result part), its `tools` the model's tools (`toolChoice` "required" asks the model to
// call one, "none" offers none), and the model's stream becomes the result's content: its text,
// then a `tool_use` block per tool call (stopReason "toolUse"). The server runs the tools and asks
// again with their results, as the 2025-11-25 sampling-with-tools flow describes.
import * as vscode from 'vscode';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { contentText, errorMessage, type AskContext, type SamplingRequest } from '../../core';

type Block = { type: string; text?: string; id?: string; name?: string; input?: unknown; toolUseId?: string; content?: unknown };

/** What the model answered: its text and the tools it wants called. */
export interface ModelAnswer {
  readonly text: string;
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly input: Record<string, unknown> }[];
}

function blocksOf(content: unknown): Block[] {
  return (Array.isArray(content) ? content : [content]) as Block[];
}

/** One sampling message as a chat message: text, tool calls (assistant) and tool results (user). */
function chatMessage(role: 'user' | 'assistant', content: unknown): vscode.LanguageModelChatMessage {
  const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart)[] = [];
  const text: Block[] = [];
  const flush = () => {
    if (text.length) parts.push(new vscode.LanguageModelTextPart(contentText(text.splice(0))));
  };
  for (const b of blocksOf(content)) {
    if (b.type === 'tool_use' && role === 'assistant') {
      flush();
      parts.push(new vscode.LanguageModelToolCallPart(String(b.id), String(b.name), (b.input ?? {}) as object));
    } else if (b.type === 'tool_result' && role === 'user') {
      flush();
      parts.push(
        new vscode.LanguageModelToolResultPart(String(b.toolUseId), [new vscode.LanguageModelTextPart(contentText(b.content ?? []))]),
      );
    } else text.push(b);
  }
  flush();
  return role === 'assistant'
    ? vscode.LanguageModelChatMessage.Assistant(parts as never)
    : vscode.LanguageModelChatMessage.User(parts as never);
}

/** The request's messages for the model; the API has no system role, so the system prompt goes first as the user's. */
export function chatMessages(req: SamplingRequest): vscode.LanguageModelChatMessage[] {
  return [
    ...(req.systemPrompt ? [vscode.LanguageModelChatMessage.User(req.systemPrompt)] : []),
    ...req.messages.map((m) => chatMessage(m.role, m.content)),
  ];
}

/** The request's tools for the model (none when `toolChoice` is "none"). */
function chatTools(req: SamplingRequest): { tools?: vscode.LanguageModelChatTool[]; toolMode?: vscode.LanguageModelChatToolMode } {
  if (!req.tools?.length || req.toolChoice?.mode === 'none') return {};
  return {
    tools: req.tools.map((t) => ({ name: t.name, description: t.description ?? t.title ?? t.name, inputSchema: t.inputSchema })),
    ...(req.toolChoice?.mode === 'required' && { toolMode: vscode.LanguageModelChatToolMode.Required }),
  };
}

export async function askModel(model: vscode.LanguageModelChat, req: SamplingRequest, ctx: AskContext): Promise<ModelAnswer> {
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = () => cancel.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await model.sendRequest(
      chatMessages(req),
      { justification: `${ctx.server} asked for a completion (MCP sampling)`, ...chatTools(req) },
      cancel.token,
    );
    let text = '';
    const toolCalls: { id: string; name: string; input: Record<string, unknown> }[] = [];
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart)
        toolCalls.push({ id: part.callId, name: part.name, input: (part.input ?? {}) as Record<string, unknown> });
    }
    return { text, toolCalls };
  } catch (e) {
    throw new ProtocolError(ProtocolErrorCode.InternalError, `the language model ${model.name} failed: ${errorMessage(e)}`);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}

/** The answer as the user reviews it: the text, and each tool the model wants called with its input. */
export function answerText(answer: ModelAnswer): string {
  const calls = answer.toolCalls.map((c) => `[calls the tool ${c.name} with ${JSON.stringify(c.input)}]`);
  return [answer.text, ...calls].filter(Boolean).join('\n');
}

/** The answer as the sampling result's content: a text block alone, or the text then a tool_use block per call. */
export function resultContent(answer: ModelAnswer): { content: unknown; stopReason: string } {
  if (!answer.toolCalls.length) return { content: { type: 'text', text: answer.text }, stopReason: 'endTurn' };
  return {
    content: [
      ...(answer.text ? [{ type: 'text', text: answer.text }] : []),
      ...answer.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input })),
    ],
    stopReason: 'toolUse',
  };
}
