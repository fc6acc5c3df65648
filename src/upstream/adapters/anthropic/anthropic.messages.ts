import { UntranslatableRequestError } from '../../adapter.js';
import { ChatMessage, ContentPart, contentParts, contentText, toolCallsOf } from '../common/chat-request.js';

// OpenAI chat messages → Anthropic's `system` and alternating user/assistant turns
// (https://docs.anthropic.com/en/api/messages).

export type AnthropicBlock = Record<string, unknown>;

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface AnthropicConversation {
  readonly system?: string;
  readonly messages: AnthropicTurn[];
}

export function toAnthropicConversation(messages: readonly ChatMessage[]): AnthropicConversation {
  const system: string[] = [];
  const turns: AnthropicTurn[] = [];
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(contentText(message.content, at));
        return;
      case 'user':
        return addTurn(turns, 'user', contentParts(message.content, at).map(toBlock));
      case 'assistant':
        return addTurn(turns, 'assistant', [
          ...contentParts(message.content, at).map(toBlock),
          ...toolCallsOf(message, at).map((call) => ({
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: call.input,
          })),
        ]);
      case 'tool':
        return addTurn(turns, 'user', [toolResult(message, at)]);
      default:
        throw new UntranslatableRequestError(
          `${at}: role ${message.role} is not supported by Anthropic`,
          'messages',
        );
    }
  });
  const text = system.filter((part) => part !== '').join('\n\n');
  return text === '' ? { messages: turns } : { system: text, messages: turns };
}

// Anthropic wants strictly alternating roles: consecutive messages of one role become one turn,
// with tool results first (they must open the turn that follows the tool calls).
function addTurn(turns: AnthropicTurn[], role: AnthropicTurn['role'], blocks: AnthropicBlock[]): void {
  if (blocks.length === 0) return; // Anthropic refuses empty content
  const last = turns.at(-1);
  if (last?.role !== role) {
    turns.push({ role, content: blocks });
    return;
  }
  const results = [...last.content, ...blocks].sort(
    (a, b) => Number(b.type === 'tool_result') - Number(a.type === 'tool_result'),
  );
  last.content = results;
}

function toolResult(message: ChatMessage, at: string): AnthropicBlock {
  if (typeof message.tool_call_id !== 'string')
    throw new UntranslatableRequestError(`${at}: a tool message needs a tool_call_id`, 'messages');
  const text = contentText(message.content, at);
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id,
    ...(text === '' ? {} : { content: text }),
  };
}

function toBlock(part: ContentPart): AnthropicBlock {
  switch (part.kind) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image-data':
      return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
    case 'image-url':
      return { type: 'image', source: { type: 'url', url: part.url } };
  }
}
