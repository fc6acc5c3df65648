import type { ProbeSettings } from '../../provider-type.js';
import type {
  HttpRequestSpec,
  ParsedResponse,
  StreamTranslator,
  StreamTranslatorOptions,
  UpstreamAdapter,
  UpstreamEndpoint,
  UpstreamErrorReading,
  UpstreamTarget,
} from '../../adapter.js';
import { readGeminiError } from './gemini.errors.js';
import { buildGeminiProbe, buildGeminiRequest } from './gemini.request.js';
import { parseGeminiResponse } from './gemini.response.js';
import { GeminiStreamTranslator } from './gemini.stream.js';

/** The Gemini API behind the OpenAI chat and embeddings formats. */
export const geminiAdapter: UpstreamAdapter = {
  type: 'gemini',
  passthrough: false,
  endpoints: new Set<UpstreamEndpoint>(['chat', 'embeddings', 'models']),
  buildRequest(
    endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
  ): HttpRequestSpec {
    return buildGeminiRequest(endpoint, body, target);
  },
  parseResponse(
    endpoint: UpstreamEndpoint,
    status: number,
    body: unknown,
    request?: Readonly<Record<string, unknown>>,
  ): ParsedResponse {
    return parseGeminiResponse(endpoint, status, body, request);
  },
  readError(_endpoint, status: number, _headers, body: unknown): UpstreamErrorReading {
    return readGeminiError(status, body);
  },
  createStreamTranslator(options?: StreamTranslatorOptions): StreamTranslator {
    return new GeminiStreamTranslator(options?.stripUsageOnlyChunk !== true);
  },
  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec {
    return buildGeminiProbe(target, probe, model);
  },
};
