import type { ParsedResponse, UpstreamEndpoint } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import {
  chatCompletion,
  count,
  FinishReason,
  nowSeconds,
  OutputToolCall,
  tokenUsage,
  UsageCounts,
} from '../common/chat-response.js';

// An Anthropic Messages answer → an OpenAI chat completion
// (https://docs.anthropic.com/en/api/messages, "Response").

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function parseAnthropicResponse(
  endpoint: UpstreamEndpoint,
  status: number,
  body: unknown,
): ParsedResponse {
  if (status < 200 || status >= 300 || !isObject(body)) return { body };
  if (endpoint === 'models') return { body: toModelList(body) };
  if (endpoint === 'count_tokens') return { body };
  if (endpoint === 'messages') return { body, usage: tokenUsage(anthropicUsage(body.usage)) };
  const text: string[] = [];
  const toolCalls: OutputToolCall[] = [];
  for (const block of Array.isArray(body.content) ? (body.content as Array<Record<string, unknown>>) : []) {
    if (block?.type === 'text' && typeof block.text === 'string') text.push(block.text);
    else if (block?.type === 'tool_use')
      toolCalls.push({
        id: String(block.id),
        name: String(block.name),
        arguments: JSON.stringify(block.input ?? {}),
      });
    // thinking and server-tool blocks have no OpenAI chat equivalent: left out.
  }
  const usage = anthropicUsage(body.usage);
  return {
    body: chatCompletion(
      { id: String(body.id ?? 'msg'), model: String(body.model ?? ''), created: nowSeconds() },
      [
        {
          content: text.length > 0 ? text.join('') : toolCalls.length > 0 ? null : '',
          toolCalls,
          finishReason: anthropicFinishReason(body.stop_reason),
        },
      ],
      usage,
    ),
    usage: tokenUsage(usage),
  };
}

export function anthropicFinishReason(reason: unknown): FinishReason | null {
  return typeof reason === 'string' ? (FINISH_REASONS[reason] ?? 'stop') : null;
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; OpenAI's prompt includes them. */
export function anthropicUsage(raw: unknown): UsageCounts | undefined {
  if (!isObject(raw)) return undefined;
  const cached = count(raw.cache_read_input_tokens);
  return {
    prompt: count(raw.input_tokens) + cached + count(raw.cache_creation_input_tokens),
    completion: count(raw.output_tokens),
    cached,
  };
}

function toModelList(body: Record<string, unknown>): Record<string, unknown> {
  const models = Array.isArray(body.data) ? (body.data as Array<Record<string, unknown>>) : [];
  return {
    object: 'list',
    data: models.map((model) => ({
      id: String(model.id),
      object: 'model',
      created:
        typeof model.created_at === 'string' ? Math.floor(Date.parse(model.created_at) / 1000) || 0 : 0,
      owned_by: 'anthropic',
    })),
  };
}
