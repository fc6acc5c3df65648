import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CancelSignal, onCancel } from '../common/abort-latch.js';
import { describeError } from '../common/describe-error.js';
import type { SseEvent, UpstreamAdapter, UpstreamEndpoint } from '../upstream/adapter.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import {
  classifyAttempt,
  isClientAbort,
  UpstreamResponseTooLargeError,
  UpstreamTimeoutError,
} from '../upstream/upstream-error.js';
import { formatSse, SseParser } from '../upstream/sse-parser.js';
import { attemptFailure, AttemptReport } from './attempt-report.js';
import { errorFormatOf, SSE_HEADERS, sendProxyError, writeChunk } from './client-response.js';
import { ProxyError } from './proxy-error.js';
import type { SecretRedactor } from '../common/logging/known-secrets.js';

class StreamCutError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('the upstream stream ended before its final event');
  }
}

/** The shutdown grace period ended while the stream was running. */
class ShutdownCutError extends Error {
  constructor() {
    super('the gateway is shutting down');
  }
}

export interface StreamRelayOptions {
  /** The gateway added `include_usage`: hide the usage-only chunk from the client. */
  readonly stripUsageOnlyChunk: boolean;
  readonly headers: Record<string, string>;
  /** Applied to every upstream-derived text the report keeps. */
  readonly redactor: SecretRedactor;
  /** The most one event may hold before it is complete (UPSTREAM_MAX_RESPONSE_BYTES). */
  readonly maxEventChars: number;
  /** Aborts when the shutdown grace period is over: the stream ends with an error event. */
  readonly shutdown: CancelSignal;
  /** The body sent upstream and its endpoint, for translators that need them (tool names, Messages). */
  readonly request?: Readonly<Record<string, unknown>>;
  readonly endpoint?: UpstreamEndpoint;
}

/**
 * Pipes an upstream SSE stream to the client event by event, with backpressure, never buffering it
 * whole (only the event being received, bounded). Until the first byte reaches the client a
 * failure still fails over; after that it ends the stream with an OpenAI-style error event (never
 * a clean end). Cuts of the gateway's own (the maximum stream duration, shutdown) say nothing
 * about the key.
 */
export async function relayStream(
  res: ServerResponse,
  upstream: UpstreamResponse,
  adapter: UpstreamAdapter,
  options: StreamRelayOptions,
): Promise<AttemptReport> {
  const { headers, redactor } = options;
  const parser = new SseParser();
  const translator = adapter.createStreamTranslator({
    stripUsageOnlyChunk: options.stripUsageOnlyChunk,
    request: options.request,
    endpoint: options.endpoint,
  });
  let firstByteAt: number | undefined;
  const send = async (events: readonly SseEvent[]) => {
    let out = '';
    for (const event of events) for (const translated of translator.push(event)) out += formatSse(translated);
    if (out === '') return;
    if (firstByteAt === undefined) {
      res.writeHead(200, { ...headers, ...SSE_HEADERS });
      firstByteAt = performance.now();
    }
    await writeChunk(res, out);
  };
  const stopWatchingShutdown = onCancel(options.shutdown, () =>
    upstream.body.destroy(new ShutdownCutError()),
  );

  try {
    for await (const chunk of upstream.body) {
      await send(parser.push(chunk));
      if (parser.buffered > options.maxEventChars)
        throw new UpstreamResponseTooLargeError(options.maxEventChars);
    }
    await send(parser.end());
    const trailer = translator.end();
    if (!translator.done) throw new StreamCutError();
    let out = '';
    for (const event of trailer) out += formatSse(event);
    res.end(out);
    return { answered: true, status: 200, usage: translator.usage, firstByteAt };
  } catch (error) {
    const usage = translator.usage;
    if (isClientAbort(error) || res.destroyed)
      return { answered: true, keyNeutral: true, clientGone: true, usage, firstByteAt };
    upstream.body.destroy();
    const cut = cutOf(error);
    const failure = attemptFailure(
      classifyAttempt({ error }),
      `upstream stream failed: ${describeError(error)}`,
      redactor,
    );
    if (firstByteAt === undefined) {
      if (cut?.code !== 'shutting_down')
        return { answered: false, failure, keyNeutral: cut !== undefined, usage };
      const refusal = new ProxyError('shutting_down', cut.message);
      sendProxyError(res, refusal, headers, errorFormatOf(options.endpoint ?? 'chat'));
      return {
        answered: true,
        failure,
        keyNeutral: true,
        usage,
        status: refusal.status,
        clientError: { type: refusal.code, message: refusal.message },
      };
    }
    // Too late to fail over: tell the client in-band, so SDKs raise instead of seeing a clean end.
    const code = cut?.code ?? 'stream_interrupted';
    const message = cut?.message ?? 'The upstream stream failed before it finished.';
    // A translating surface (Anthropic's Messages) says it in its own error event.
    const events = translator.failureEvents?.(message) ?? [
      { data: JSON.stringify({ error: { message, type: 'upstream_error', param: null, code } }) },
    ];
    res.end(events.map(formatSse).join(''));
    return {
      answered: true,
      failure,
      keyNeutral: cut !== undefined,
      usage,
      firstByteAt,
      status: cut ? cut.status : 502,
      clientError: { type: code, message: cut ? cut.message : failure.message },
    };
  } finally {
    stopWatchingShutdown();
  }
}

interface GatewayCut {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** A stream the gateway itself cut (not the upstream's failure), as the client is told. */
function cutOf(error: unknown): GatewayCut | undefined {
  if (error instanceof ShutdownCutError)
    return {
      code: 'shutting_down',
      status: 503,
      message: 'The gateway is shutting down; the stream was cut.',
    };
  if (error instanceof UpstreamTimeoutError && error.phase === 'total')
    return {
      code: 'stream_max_duration',
      status: 504,
      message: `The stream reached the gateway's maximum duration of ${Math.round(error.timeoutMs / 1000)} s.`,
    };
  if (error instanceof UpstreamResponseTooLargeError)
    return {
      code: 'upstream_response_too_large',
      status: 502,
      message: `An upstream stream event is larger than the gateway's limit of ${error.maxBytes} bytes.`,
    };
  return undefined;
}
