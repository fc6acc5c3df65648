import type { UpstreamErrorReading } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import { openAiError } from '../common/chat-response.js';

// Gemini's errors (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes): the
// google.rpc Status shape `{error: {code, message, status, details: [...]}}`.

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED']);

export function readGeminiError(status: number, body: unknown): UpstreamErrorReading {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const details = Array.isArray(error?.details) ? error.details.filter(isObject) : [];
  // A bad key is a 400 INVALID_ARGUMENT whose ErrorInfo says so: the key's fault, not the request's.
  if (details.some((detail) => detail['@type'] === ERROR_INFO && KEY_REASONS.has(String(detail.reason))))
    return { status: 401 };
  if (status === 429) {
    const retry = details.find((detail) => detail['@type'] === RETRY_INFO);
    return { status, retryAfterMs: parseDuration(retry?.retryDelay) };
  }
  if (status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408) {
    const message = typeof error?.message === 'string' ? error.message : `Gemini answered ${status}`;
    const code = typeof error?.status === 'string' ? error.status.toLowerCase() : null;
    return { status, clientBody: openAiError(message, 'invalid_request_error', code) };
  }
  return { status };
}

/** A protobuf Duration in JSON, e.g. `"37s"` or `"1.5s"`, as milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
