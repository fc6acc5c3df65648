import type { ServerResponse } from 'node:http';
import type { UpstreamAdapter, UpstreamEndpoint } from '../upstream/adapter.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { classifyAttempt, UpstreamResponseTooLargeError } from '../upstream/upstream-error.js';
import type { ReplyVerdict } from '../upstream/upstream-reply.js';
import { describeError } from '../common/describe-error.js';
import type { SecretRedactor } from '../common/logging/known-secrets.js';
import { attemptFailure, AttemptReport, failedAttempt } from './attempt-report.js';
import { ErrorFormat, errorFormatOf, sendJson, sendProxyError } from './client-response.js';
import { anthropicError } from './messages/anthropic-errors.js';
import { ProxyError } from './proxy-error.js';

/** How much of a non-JSON upstream error body the client sees inside the wrapping error. */
const WRAPPED_TEXT_MAX = 1000;

/**
 * A successful non-stream answer: read it whole (a failure while reading still fails over, since
 * nothing reached the client yet), count its usage, forward it. OpenAI-type upstreams' bytes go
 * out unchanged; other adapters' translated bodies are serialised. A body over
 * UPSTREAM_MAX_RESPONSE_BYTES is cut off and answered with a 502.
 */
export async function relayJson(
  res: ServerResponse,
  upstream: UpstreamResponse,
  adapter: UpstreamAdapter,
  endpoint: UpstreamEndpoint,
  headers: Record<string, string>,
  redactor: SecretRedactor,
  request?: Readonly<Record<string, unknown>>,
): Promise<AttemptReport> {
  let raw: string;
  let parsed: unknown;
  try {
    raw = await upstream.text();
    parsed = JSON.parse(raw);
  } catch (error) {
    if (error instanceof UpstreamResponseTooLargeError)
      return answerTooLarge(res, error, headers, redactor, errorFormatOf(endpoint));
    const outcome =
      error instanceof SyntaxError ? classifyAttempt({ status: 502 }) : classifyAttempt({ error });
    return failedAttempt(
      outcome,
      `reading the upstream answer failed: ${describeError(error)}`,
      redactor,
      upstream.status,
    );
  }
  const translated = adapter.parseResponse(endpoint, upstream.status, parsed, request);
  const body = adapter.passthrough ? raw : JSON.stringify(translated.body);
  sendJson(res, upstream.status, body, headers);
  return { answered: true, status: upstream.status, usage: translated.usage, body };
}

/**
 * An upstream client error (400, 404, 422 …): the request is at fault; pass it back with its
 * status, known secrets redacted, in the client's error shape when the adapter translated it
 * (Anthropic and Gemini errors). A JSON body keeps its shape; anything else (an HTML error page)
 * is wrapped in the client's error envelope (`format`), so it is never served as markup from the
 * gateway's origin.
 */
export function relayClientError(
  res: ServerResponse,
  status: number,
  verdict: ReplyVerdict,
  headers: Record<string, string>,
  redactor: SecretRedactor,
  format: ErrorFormat = 'openai',
): AttemptReport {
  const raw = redactor.redact(verdict.clientBody);
  const body = verdict.translated || isJsonObject(raw) ? raw : wrappedUpstreamError(status, raw, format);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return {
    answered: true,
    keyNeutral: true,
    status,
    clientError: { type: 'upstream_client_error', message: raw },
  };
}

export function answerTooLarge(
  res: ServerResponse,
  error: UpstreamResponseTooLargeError,
  headers: Record<string, string>,
  redactor: SecretRedactor,
  format: ErrorFormat = 'openai',
): AttemptReport {
  const proxyError = new ProxyError(
    'upstream_response_too_large',
    `The upstream response is larger than the gateway's limit of ${error.maxBytes} bytes.`,
  );
  sendProxyError(res, proxyError, headers, format);
  const failure = attemptFailure(classifyAttempt({ error }), error.message, redactor, 502);
  return {
    answered: true,
    failure,
    keyNeutral: true,
    status: proxyError.status,
    clientError: { type: proxyError.code, message: proxyError.message },
  };
}

function isJsonObject(text: string): boolean {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function wrappedUpstreamError(status: number, text: string, format: ErrorFormat): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const excerpt = clean.length > WRAPPED_TEXT_MAX ? `${clean.slice(0, WRAPPED_TEXT_MAX - 1)}…` : clean;
  const message = `The upstream answered ${status}${excerpt ? `: ${excerpt}` : ' with an empty body'}.`;
  if (format === 'anthropic') return JSON.stringify(anthropicError(status, message));
  return JSON.stringify({
    error: { message, type: 'invalid_request_error', param: null, code: 'upstream_client_error' },
  });
}
