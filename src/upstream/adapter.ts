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
  /** The endpoint streaming (default `chat`). */
  readonly endpoint?: UpstreamEndpoint;
  /** The OpenAI-shaped body the stream answers (what `buildRequest` got); translating adapters read it. */
  readonly request?: Readonly<Record<string, unknown>>;
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
  /**
   * The events that tell the client a stream failed after it started, in the client's format;
   * left out for OpenAI's (the relay's default error chunk).
   */
  failureEvents?(message: string): SseEvent[];
}

/** The client's request headers, as Node gives them (lower-case names). */
export type ClientHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Upstream response headers, as undici gives them (lower-case names). */
export type ReplyHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a non-2xx reply means, in the terms of the status-based classification (upstream-error.ts). */
export interface UpstreamErrorReading {
  /**
   * The status the classifier reads: the provider's own signal mapped to the generic one (e.g.
   * Anthropic's 529 "overloaded" → 503, Gemini's 400 `API_KEY_INVALID` → 401).
   */
  readonly status: number;
  /** The wait the provider asked for, from its headers or error body; wins over `Retry-After`. */
  readonly retryAfterMs?: number;
  /** For an error the client caused: the body it gets instead, in OpenAI's error shape. */
  readonly clientBody?: unknown;
}

/** The client's request cannot be expressed in this provider's format (answered as a 400). */
export class UntranslatableRequestError extends Error {
  constructor(
    message: string,
    /** The request field at fault, for OpenAI's `param`. */
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'UntranslatableRequestError';
  }
}

/** The upstream reported an error inside a 200 stream (e.g. Anthropic's `error` event). */
export class UpstreamStreamError extends Error {
  constructor(
    /** The HTTP status the same error has outside a stream, for classification. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamStreamError';
  }
}

export interface UpstreamAdapter {
  readonly type: ProviderType;
  /**
   * True when the upstream already speaks the OpenAI format: response bytes (JSON or SSE) may be
   * forwarded to the client unchanged, and `parseResponse` returns the body as is.
   */
  readonly passthrough: boolean;
  /** The endpoints this provider type serves; a group of this type is no candidate for the others. */
  readonly endpoints: ReadonlySet<UpstreamEndpoint>;
  /**
   * `body` is the final client body (model already mapped, gateway-only fields removed); unused for
   * `models`. Throws UntranslatableRequestError when the provider cannot express the request.
   */
  buildRequest(
    endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
    clientHeaders?: ClientHeaders,
  ): HttpRequestSpec;
  /** `body` is the parsed JSON of a non-stream response, of any status; `request` what `buildRequest` got. */
  parseResponse(
    endpoint: UpstreamEndpoint,
    status: number,
    body: unknown,
    request?: Readonly<Record<string, unknown>>,
  ): ParsedResponse;
  /**
   * Reads a non-2xx reply (`body`: parsed JSON, else the text) beyond its status. Left out by
   * adapters whose status codes and `Retry-After` say it all and whose errors clients understand.
   */
  readError?(
    endpoint: UpstreamEndpoint,
    status: number,
    headers: ReplyHeaders,
    body: unknown,
    now: number,
  ): UpstreamErrorReading;
  createStreamTranslator(options?: StreamTranslatorOptions): StreamTranslator;
  /** A cheap real call for the scheduled health check; `model` is used when `probe.model` is unset. */
  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec;
}
