import type { ProxyRequest } from './proxy-request.js';

/** Completion tokens reserved when the request sets no `max_tokens`. */
export const DEFAULT_COMPLETION_ESTIMATE = 16;
const CHARS_PER_TOKEN = 4;

/**
 * What a request may spend, reserved against its key's budget and TPM while it runs: the prompt
 * at about four characters a token, plus `max_tokens` (`max_completion_tokens`) or a default.
 */
export function estimateTokens(request: Pick<ProxyRequest, 'endpoint' | 'body'>): number {
  const { body } = request;
  const prompt =
    request.endpoint === 'chat'
      ? body.messages
      : request.endpoint === 'completions'
        ? body.prompt
        : body.input;
  const promptTokens = Math.ceil(textLength(prompt) / CHARS_PER_TOKEN);
  if (request.endpoint === 'embeddings') return promptTokens;
  const limit = body.max_completion_tokens ?? body.max_tokens;
  const completion =
    typeof limit === 'number' && Number.isFinite(limit) && limit >= 0
      ? Math.ceil(limit)
      : DEFAULT_COMPLETION_ESTIMATE;
  return promptTokens + completion;
}

/** The characters of the text in a prompt value (strings, arrays, message objects' fields). */
function textLength(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 8 || typeof value !== 'object' || value === null) return 0;
  let total = 0;
  if (Array.isArray(value)) for (const item of value) total += textLength(item, depth + 1);
  else for (const item of Object.values(value)) total += textLength(item, depth + 1);
  return total;
}
