import type { ProbeSettings } from '../../provider-type.js';
import type {
  ClientHeaders,
  HttpRequestSpec,
  ParsedResponse,
  ReplyHeaders,
  StreamTranslator,
  StreamTranslatorOptions,
  UpstreamAdapter,
  UpstreamEndpoint,
  UpstreamErrorReading,
  UpstreamTarget,
} from '../../adapter.js';
import { readAnthropicError } from './anthropic.errors.js';
import { buildAnthropicProbe, buildAnthropicRequest } from './anthropic.request.js';
import { parseAnthropicResponse } from './anthropic.response.js';
import { AnthropicPassthroughStream } from './anthropic.passthrough-stream.js';
import { AnthropicStreamTranslator } from './anthropic.stream.js';

/** Anthropic's Messages API behind the OpenAI chat format: requests, answers, streams and errors translated. */
export const anthropicAdapter: UpstreamAdapter = {
  type: 'anthropic',
  passthrough: false,
  endpoints: new Set<UpstreamEndpoint>(['chat', 'models', 'messages', 'count_tokens']),
  buildRequest(
    endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
    clientHeaders?: ClientHeaders,
  ): HttpRequestSpec {
    return buildAnthropicRequest(endpoint, body, target, clientHeaders);
  },
  parseResponse(endpoint: UpstreamEndpoint, status: number, body: unknown): ParsedResponse {
    return parseAnthropicResponse(endpoint, status, body);
  },
  readError(
    endpoint: UpstreamEndpoint,
    status: number,
    headers: ReplyHeaders,
    body: unknown,
    now: number,
  ): UpstreamErrorReading {
    return readAnthropicError(endpoint, status, headers, body, now);
  },
  createStreamTranslator(options?: StreamTranslatorOptions): StreamTranslator {
    if (options?.endpoint === 'messages') return new AnthropicPassthroughStream();
    return new AnthropicStreamTranslator(options?.stripUsageOnlyChunk !== true);
  },
  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec {
    return buildAnthropicProbe(target, probe, model);
  },
};
