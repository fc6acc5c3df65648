import type { ServerResponse } from 'node:http';
import type { UpstreamAdapter, UpstreamEndpoint } from '../upstream/adapter.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { classifyAttempt } from '../upstream/upstream-error.js';
import type { ReplyVerdict } from '../upstream/upstream-reply.js';
import { describeError } from '../common/describe-error.js';
import { ANSWERED, AttemptResult, failedAttempt } from './attempt-result.js';
import { sendJson } from './client-response.js';
import type { RequestTrace } from './request-trace.js';

/**
 * A successful non-stream answer: read it whole (a failure while reading still fails over, since
 * nothing reached the client yet), count its usage, forward it. OpenAI-type upstreams' bytes go
 * out unchanged; other adapters' translated bodies are serialised.
 */
export async function relayJson(
  res: ServerResponse,
  upstream: UpstreamResponse,
  adapter: UpstreamAdapter,
  endpoint: UpstreamEndpoint,
  headers: Record<string, string>,
  trace: RequestTrace,
  request?: Readonly<Record<string, unknown>>,
): Promise<AttemptResult> {
  let raw: string;
  let parsed: unknown;
  try {
    raw = await upstream.text();
    parsed = JSON.parse(raw);
  } catch (error) {
    const outcome =
      error instanceof SyntaxError ? classifyAttempt({ status: 502 }) : classifyAttempt({ error });
    return failedAttempt(
      outcome,
      `reading the upstream answer failed: ${describeError(error)}`,
      upstream.status,
    );
  }
  const translated = adapter.parseResponse(endpoint, upstream.status, parsed, request);
  const body = adapter.passthrough ? raw : JSON.stringify(translated.body);
  trace.usage = translated.usage;
  trace.status = upstream.status;
  if (trace.captureBodies) trace.responseBody = body;
  sendJson(res, upstream.status, body, headers);
  return ANSWERED;
}

/**
 * An upstream client error (400, 404, 422 …): the request is at fault; pass it back unchanged, or
 * in the client's error shape when the adapter translated it (Anthropic and Gemini errors).
 */
export function relayClientError(
  res: ServerResponse,
  upstream: UpstreamResponse,
  verdict: ReplyVerdict,
  headers: Record<string, string>,
  trace: RequestTrace,
): AttemptResult {
  const raw = verdict.clientBody;
  const contentType = verdict.translated ? undefined : upstream.headers['content-type'];
  trace.failed(upstream.status, 'upstream_client_error', raw);
  res.writeHead(upstream.status, {
    ...headers,
    'content-type': typeof contentType === 'string' ? contentType : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(raw),
  });
  res.end(raw);
  return ANSWERED;
}
