import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SseEvent, UpstreamAdapter, UpstreamEndpoint } from '../upstream/adapter.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { classifyAttempt, isClientAbort } from '../upstream/upstream-error.js';
import { formatSse, SseParser } from '../upstream/sse-parser.js';
import { describeError } from '../common/describe-error.js';
import { ANSWERED, AttemptResult, failedAttempt } from './attempt-result.js';
import { SSE_HEADERS, writeChunk } from './client-response.js';
import type { RequestTrace } from './request-trace.js';

class StreamCutError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('the upstream stream ended before its final event');
  }
}

/**
 * Pipes an upstream SSE stream to the client event by event, with backpressure, never buffering it
 * whole. Until the first byte reaches the client a failure still fails over; after that it ends
 * the stream with an OpenAI-style error event (never a clean end) and counts as a failed attempt.
 */
export async function relayStream(
  res: ServerResponse,
  upstream: UpstreamResponse,
  adapter: UpstreamAdapter,
  stripUsageOnlyChunk: boolean,
  headers: Record<string, string>,
  trace: RequestTrace,
  request?: Readonly<Record<string, unknown>>,
  endpoint?: UpstreamEndpoint,
): Promise<AttemptResult> {
  const parser = new SseParser();
  const translator = adapter.createStreamTranslator({ stripUsageOnlyChunk, request, endpoint });
  let committed = false;
  const send = async (events: readonly SseEvent[]) => {
    let out = '';
    for (const event of events) for (const translated of translator.push(event)) out += formatSse(translated);
    if (out === '') return;
    if (!committed) {
      res.writeHead(200, { ...headers, ...SSE_HEADERS });
      committed = true;
      trace.ttfbMs = performance.now() - trace.startedAt;
    }
    await writeChunk(res, out);
  };

  try {
    for await (const chunk of upstream.body) await send(parser.push(chunk));
    await send(parser.end());
    const trailer = translator.end();
    if (!translator.done) throw new StreamCutError();
    let out = '';
    for (const event of trailer) out += formatSse(event);
    trace.usage = translator.usage;
    trace.status = 200;
    res.end(out);
    return ANSWERED;
  } catch (error) {
    trace.usage = translator.usage;
    if (isClientAbort(error) || res.destroyed) throw error;
    const failure = failedAttempt(
      classifyAttempt({ error }),
      `upstream stream failed: ${describeError(error)}`,
    );
    if (!committed) return failure;
    // Too late to fail over: tell the client in-band, so SDKs raise instead of seeing a clean end.
    const message = 'The upstream stream failed before it finished.';
    const events = translator.failureEvents?.(message) ?? [
      {
        data: JSON.stringify({
          error: { message, type: 'upstream_error', param: null, code: 'stream_interrupted' },
        }),
      },
    ];
    res.end(events.map(formatSse).join(''));
    trace.failed(502, 'stream_interrupted', failure.failure?.message ?? message);
    return { answered: true, failure: failure.failure };
  }
}
