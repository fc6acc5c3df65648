import type { ReplyHeaders, UpstreamEndpoint, UpstreamErrorReading } from '../../adapter.js';
import { parseRetryAfter } from '../../upstream-error.js';
import { isObject } from '../common/chat-request.js';
import { openAiError } from '../common/chat-response.js';

// Anthropic's errors (https://docs.anthropic.com/en/api/errors) in the gateway's terms; rate-limit
// headers from https://docs.anthropic.com/en/api/rate-limits.

const RESET_FAMILIES = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
/** Anthropic's own status: the API is temporarily overloaded. */
const OVERLOADED = 529;

export function readAnthropicError(
  endpoint: UpstreamEndpoint,
  status: number,
  headers: ReplyHeaders,
  body: unknown,
  now: number,
): UpstreamErrorReading {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  if (status === OVERLOADED || type === 'overloaded_error') return { status: 503 };
  if (status === 429) return { status, retryAfterMs: anthropicRetryAfter(headers, now) };
  // The Messages API's own clients get Anthropic's errors as they are.
  const native = endpoint === 'messages' || endpoint === 'count_tokens';
  if (!native && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408) {
    const message = typeof error?.message === 'string' ? error.message : `Anthropic answered ${status}`;
    return { status, clientBody: openAiError(message, type ?? 'invalid_request_error') };
  }
  return { status };
}

/**
 * `retry-after` when sent; else the latest `anthropic-ratelimit-*-reset` (RFC 3339) among the
 * limits that ran out (`-remaining: 0`), or among all of them when none says so.
 */
export function anthropicRetryAfter(headers: ReplyHeaders, now: number): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  let exhausted: number | undefined;
  let any: number | undefined;
  for (const family of RESET_FAMILIES) {
    const at = Date.parse(header(headers, `anthropic-ratelimit-${family}-reset`) ?? '');
    if (Number.isNaN(at)) continue;
    const wait = Math.max(0, at - now);
    any = Math.max(any ?? 0, wait);
    if (header(headers, `anthropic-ratelimit-${family}-remaining`)?.trim() === '0')
      exhausted = Math.max(exhausted ?? 0, wait);
  }
  return exhausted ?? any;
}

function header(headers: ReplyHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}
