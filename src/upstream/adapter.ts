import type { Endpoint } from './endpoints.js';
import type { ProbeSettings, ProviderType } from './provider-type.js';

// The contract between the proxy and one provider type's wire format. Adapters are pure
// translation (data in, data out): no Nest, no HTTP client, no I/O. `UpstreamClient` does the HTTP.

/** An endpoint of the table in `endpoints.ts`. */
export type UpstreamEndpoint = Endpoint;

/** Where and as whom one attempt talks to the upstream: a group's base URL and one of its keys. */
export interface UpstreamTarget {
  /** Without a trailing slash, e.g. `https://api.openai.com/v1` (Azure: the resource origin). */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The group's extra headers; they never override the credentials or the framing headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Azure's `api-version` query parameter. */
  readonly apiVersion?: string;
}

export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** One server-sent event; `data` holds its data lines joined with `\n`. */
export interface SseEvent {
  readonly event?: string;
  readonly data: string;
}

/** A non-stream response in the OpenAI shape, with the usage it reports. */
export interface ParsedResponse {
  readonly body: unknown;
  readonly usage?: TokenUsage;
}

export interface StreamTranslatorOptions {
  /**
   * Drop the chunk with empty `choices` that carries the usage: set when the gateway added
   * `stream_options.include_usage` itself and the client did not ask for it.
   */
  readonly stripUsageOnlyChunk?: boolean;
}

/** Stateful, one per upstream stream. Turns upstream events into the OpenAI events the client gets. */
export interface StreamTranslator {
  /** The events to send to the client for this upstream event, in order (often one, maybe none). */
  push(event: SseEvent): SseEvent[];
  /** Call once the upstream body ended cleanly: trailing events to send (none for OpenAI). */
  end(): SseEvent[];
  /** The latest usage the stream reported, if any. */
  readonly usage?: TokenUsage;
  /** The stream reached its terminal event (`data: [DONE]` for OpenAI). */
  readonly done: boolean;
}

export interface UpstreamAdapter {
  readonly type: ProviderType;
  /**
   * True when the upstream already speaks the OpenAI format: response bytes (JSON or SSE) may be
   * forwarded to the client unchanged, and `parseResponse` returns the body as is.
   */
  readonly passthrough: boolean;
  /** `body` is the final client body (model already mapped, gateway-only fields removed); unused for `models`. */
  buildRequest(
    endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
  ): HttpRequestSpec;
  /** `body` is the parsed JSON of a non-stream response, of any status. */
  parseResponse(endpoint: UpstreamEndpoint, status: number, body: unknown): ParsedResponse;
  createStreamTranslator(options?: StreamTranslatorOptions): StreamTranslator;
  /** A cheap real call for the scheduled health check; `model` is used when `probe.model` is unset. */
  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec;
}
