import type { ParsedResponse, TokenUsage, UpstreamEndpoint } from '../../adapter.js';
import { ENDPOINTS } from '../../endpoints.js';

/** A non-stream OpenAI response is already in the client's shape; only its usage is read. */
export function parseOpenAiResponse(
  endpoint: UpstreamEndpoint,
  status: number,
  body: unknown,
): ParsedResponse {
  const reads = ENDPOINTS[endpoint].usage;
  if (reads === 'none' || status < 200 || status >= 300 || typeof body !== 'object' || body === null)
    return { body };
  const usage = (body as { usage?: unknown }).usage;
  return { body, usage: reads === 'responses' ? responsesUsage(usage) : toTokenUsage(usage) };
}

/** OpenAI's `usage` object (chat, completions, embeddings) as TokenUsage; undefined when it holds no counts. */
export function toTokenUsage(raw: unknown): TokenUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
  } = raw as Record<string, unknown>;
  if (!isCount(prompt) && !isCount(completion) && !isCount(total)) return undefined;
  const promptTokens = isCount(prompt) ? prompt : 0;
  const completionTokens = isCount(completion) ? completion : 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: isCount(total) ? total : promptTokens + completionTokens,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** The Responses API's `usage`: `input_tokens`, `output_tokens`, `total_tokens`. */
export function responsesUsage(raw: unknown): TokenUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { input_tokens: input, output_tokens: output, total_tokens: total } = raw as Record<string, unknown>;
  return toTokenUsage({ prompt_tokens: input, completion_tokens: output, total_tokens: total });
}
