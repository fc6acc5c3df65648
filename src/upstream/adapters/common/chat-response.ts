import type { SseEvent, TokenUsage } from '../../adapter.js';

// Writing OpenAI chat answers (completions, stream chunks, usage) from other providers' answers.

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface OutputToolCall {
  readonly id: string;
  readonly name: string;
  /** JSON text, as OpenAI carries it. */
  readonly arguments: string;
}

export interface OutputChoice {
  readonly content: string | null;
  readonly toolCalls: readonly OutputToolCall[];
  readonly finishReason: FinishReason | null;
}

/** Token counts as providers report them; `prompt` includes the cached part. */
export interface UsageCounts {
  readonly prompt: number;
  readonly completion: number;
  readonly cached?: number;
}

/** Identifies one answer across its chunks. */
export interface AnswerIdentity {
  readonly id: string;
  readonly model: string;
  readonly created: number;
}

export function chatCompletion(
  identity: AnswerIdentity,
  choices: readonly OutputChoice[],
  usage: UsageCounts | undefined,
): Record<string, unknown> {
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: choices.map((choice, index) => ({
      index,
      message: {
        role: 'assistant',
        content: choice.content,
        ...(choice.toolCalls.length > 0 ? { tool_calls: choice.toolCalls.map(toolCallJson) } : {}),
        refusal: null,
      },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    ...(usage ? { usage: openAiUsage(usage) } : {}),
  };
}

/** One `chat.completion.chunk` event. */
export function chunkEvent(
  identity: AnswerIdentity,
  delta: Record<string, unknown>,
  finishReason: FinishReason | null = null,
  index = 0,
): SseEvent {
  return {
    data: JSON.stringify({
      id: identity.id,
      object: 'chat.completion.chunk',
      created: identity.created,
      model: identity.model,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    }),
  };
}

/** The chunk with empty `choices` that carries the usage (what `include_usage` asks for). */
export function usageEvent(identity: AnswerIdentity, usage: UsageCounts): SseEvent {
  return {
    data: JSON.stringify({
      id: identity.id,
      object: 'chat.completion.chunk',
      created: identity.created,
      model: identity.model,
      choices: [],
      usage: openAiUsage(usage),
    }),
  };
}

export const DONE_EVENT: SseEvent = { data: '[DONE]' };

/** A streamed tool call's opening delta (id and name; arguments follow). */
export function toolCallStartDelta(
  index: number,
  id: string,
  name: string,
  args = '',
): Record<string, unknown> {
  return { tool_calls: [{ index, id, type: 'function', function: { name, arguments: args } }] };
}

export function toolArgumentsDelta(index: number, args: string): Record<string, unknown> {
  return { tool_calls: [{ index, function: { arguments: args } }] };
}

export function openAiUsage(usage: UsageCounts): Record<string, unknown> {
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
    ...(usage.cached ? { prompt_tokens_details: { cached_tokens: usage.cached } } : {}),
  };
}

export function tokenUsage(usage: UsageCounts | undefined): TokenUsage | undefined {
  return (
    usage && {
      promptTokens: usage.prompt,
      completionTokens: usage.completion,
      totalTokens: usage.prompt + usage.completion,
    }
  );
}

/** OpenAI's error envelope, for a provider's client error passed back. */
export function openAiError(
  message: string,
  type: string,
  code: string | null = null,
): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

/** A non-negative count, else 0. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function toolCallJson(call: OutputToolCall): Record<string, unknown> {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}
