import { isObject } from '../../upstream/adapters/common/chat-request.js';
import { count } from '../../upstream/adapters/common/chat-response.js';

// OpenAI chat answers as Anthropic Messages answers (https://docs.anthropic.com/en/api/messages).

const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export function anthropicStopReason(finishReason: unknown): string | null {
  return typeof finishReason === 'string' ? (STOP_REASONS[finishReason] ?? 'end_turn') : null;
}

/** OpenAI's prompt count includes the cached part; Anthropic counts cache reads apart. */
export function anthropicUsageOf(usage: unknown): Record<string, number> {
  if (!isObject(usage)) return { input_tokens: 0, output_tokens: 0 };
  const cached = isObject(usage.prompt_tokens_details) ? count(usage.prompt_tokens_details.cached_tokens) : 0;
  return {
    input_tokens: Math.max(0, count(usage.prompt_tokens) - cached),
    output_tokens: count(usage.completion_tokens),
    ...(cached > 0 ? { cache_read_input_tokens: cached } : {}),
  };
}

export function chatToMessage(completion: unknown): Record<string, unknown> {
  const body = isObject(completion) ? completion : {};
  const choice = Array.isArray(body.choices) && isObject(body.choices[0]) ? body.choices[0] : {};
  const message = isObject(choice.message) ? choice.message : {};
  const content: Array<Record<string, unknown>> = [];
  if (typeof message.content === 'string' && message.content !== '')
    content.push({ type: 'text', text: message.content });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : []) {
    const fn = isObject(call.function) ? call.function : {};
    content.push({ type: 'tool_use', id: call.id, name: fn.name, input: parseInput(fn.arguments) });
  }
  return {
    id: `msg_${String(body.id ?? 'switchyard').replace(/^chatcmpl-/, '')}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: anthropicStopReason(choice.finish_reason) ?? 'end_turn',
    stop_sequence: null,
    usage: anthropicUsageOf(body.usage),
  };
}

export function parseInput(args: unknown): unknown {
  if (typeof args !== 'string' || args === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    return {}; // a model's malformed arguments; Anthropic's shape needs an object
  }
}
