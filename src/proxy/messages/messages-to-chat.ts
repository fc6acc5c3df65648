import { UntranslatableRequestError } from '../../upstream/adapter.js';
import { isObject } from '../../upstream/adapters/common/chat-request.js';

// An Anthropic Messages request (https://docs.anthropic.com/en/api/messages) as an OpenAI chat
// request, for `/v1/messages` served by a group that speaks OpenAI's format or is translated from it.

type Block = Record<string, unknown>;
type ChatMessage = Record<string, unknown>;

export function messagesToChat(
  body: Readonly<Record<string, unknown>>,
  tokenLimitField: 'max_tokens' | 'max_completion_tokens',
): Record<string, unknown> {
  const messages: ChatMessage[] = [];
  const system = systemText(body.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  if (!Array.isArray(body.messages))
    throw new UntranslatableRequestError('messages must be an array', 'messages');
  body.messages.forEach((message: unknown, i) => messages.push(...toChatMessages(message, `messages[${i}]`)));
  const out: Record<string, unknown> = { model: body.model, messages };
  if (typeof body.max_tokens === 'number') out[tokenLimitField] = body.max_tokens;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) out.stop = body.stop_sequences;
  for (const name of ['temperature', 'top_p'] as const)
    if (typeof body[name] === 'number') out[name] = body[name];
  const userId = isObject(body.metadata) ? body.metadata.user_id : undefined;
  if (typeof userId === 'string') out.user = userId;
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.tools = body.tools.filter(isObject).map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
        parameters: isObject(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} },
      },
    }));
    Object.assign(out, toolChoice(body.tool_choice));
  }
  if (body.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true }; // Anthropic clients always get the usage
  }
  return out;
}

function toChatMessages(message: unknown, at: string): ChatMessage[] {
  if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant'))
    throw new UntranslatableRequestError(`${at} must have the role user or assistant`, 'messages');
  const blocks: Block[] =
    typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : Array.isArray(message.content)
        ? message.content.filter(isObject)
        : [];
  return message.role === 'user' ? userMessages(blocks, at) : [assistantMessage(blocks, at)];
}

// Tool results become `tool` messages, which OpenAI wants right after the assistant's calls.
function userMessages(blocks: Block[], at: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: Block[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: resultText(block.content, at) });
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: block.text });
    } else if (block.type === 'image') {
      parts.push({ type: 'image_url', image_url: { url: imageUrl(block.source, at) } });
    } else {
      throw new UntranslatableRequestError(
        `${at}: ${String(block.type)} blocks need an Anthropic group`,
        'messages',
      );
    }
  }
  if (parts.length > 0)
    out.push({
      role: 'user',
      content: parts.every((part) => part.type === 'text') ? joinText(parts) : parts,
    });
  return out;
}

function assistantMessage(blocks: Block[], at: string): ChatMessage {
  const text: Block[] = [];
  const toolCalls: Block[] = [];
  for (const block of blocks) {
    if (block.type === 'text') text.push(block);
    else if (block.type === 'tool_use')
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    else if (block.type !== 'thinking' && block.type !== 'redacted_thinking')
      throw new UntranslatableRequestError(
        `${at}: ${String(block.type)} blocks need an Anthropic group`,
        'messages',
      );
  }
  return {
    role: 'assistant',
    content: text.length > 0 ? joinText(text) : null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function toolChoice(choice: unknown): Record<string, unknown> {
  if (!isObject(choice)) return {};
  const single = choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...single };
    case 'any':
      return { tool_choice: 'required', ...single };
    case 'none':
      return { tool_choice: 'none' };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: choice.name } }, ...single };
    default:
      return {};
  }
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system
    .filter(isObject)
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .join('\n\n');
}

function resultText(content: unknown, at: string): string {
  if (content === undefined || typeof content === 'string') return content ?? '';
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((block) => {
      if (block.type !== 'text')
        throw new UntranslatableRequestError(`${at}: tool results must be text here`, 'messages');
      return String(block.text);
    })
    .join('\n');
}

function imageUrl(source: unknown, at: string): string {
  if (isObject(source) && source.type === 'base64')
    return `data:${String(source.media_type)};base64,${String(source.data)}`;
  if (isObject(source) && source.type === 'url' && typeof source.url === 'string') return source.url;
  throw new UntranslatableRequestError(`${at}: images must have a base64 or url source here`, 'messages');
}

function joinText(blocks: Block[]): string {
  return blocks.map((block) => String(block.text ?? '')).join('');
}
