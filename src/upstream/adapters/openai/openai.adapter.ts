import type { ProbeSettings, ProviderType } from '../../provider-type.js';
import type {
  HttpRequestSpec,
  ParsedResponse,
  StreamTranslator,
  StreamTranslatorOptions,
  UpstreamAdapter,
  UpstreamEndpoint,
  UpstreamTarget,
} from '../../adapter.js';
import { endpointSpec } from '../../endpoints.js';
import { buildOpenAiProbe, buildOpenAiRequest, type OpenAiDialect } from './openai.request.js';
import { parseOpenAiResponse } from './openai.response.js';
import { ResponsesStreamTranslator } from './openai.responses-stream.js';
import { OpenAiStreamTranslator } from './openai.stream.js';

const CLASSIC_ENDPOINTS: readonly UpstreamEndpoint[] = ['chat', 'completions', 'embeddings', 'models'];

/** The base of every OpenAI-compatible provider type; a type is a dialect (URL and auth header). */
export class OpenAiAdapter implements UpstreamAdapter {
  readonly type: ProviderType;
  readonly passthrough = true;
  readonly endpoints: ReadonlySet<UpstreamEndpoint>;

  constructor(private readonly dialect: OpenAiDialect) {
    this.type = dialect.type;
    this.endpoints = dialect.endpoints;
  }

  buildRequest(
    endpoint: UpstreamEndpoint,
    body: Readonly<Record<string, unknown>>,
    target: UpstreamTarget,
  ): HttpRequestSpec {
    return buildOpenAiRequest(this.dialect, endpoint, body, target);
  }

  parseResponse(endpoint: UpstreamEndpoint, status: number, body: unknown): ParsedResponse {
    return parseOpenAiResponse(endpoint, status, body);
  }

  createStreamTranslator(options?: StreamTranslatorOptions): StreamTranslator {
    if (options?.endpoint === 'responses') return new ResponsesStreamTranslator();
    return new OpenAiStreamTranslator(options?.stripUsageOnlyChunk === true);
  }

  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec {
    return buildOpenAiProbe(this.dialect, target, probe, model);
  }
}

export const OPENAI_DIALECT: OpenAiDialect = {
  type: 'openai',
  url: (endpoint, _model, target) => target.baseUrl + (endpointSpec(endpoint).openAiPath ?? ''),
  authHeader: 'authorization',
  authValue: (apiKey) => `Bearer ${apiKey}`,
  probeTokenLimit: 'max_completion_tokens',
  endpoints: new Set([...CLASSIC_ENDPOINTS, 'responses']),
};

export const openAiAdapter = new OpenAiAdapter(OPENAI_DIALECT);

// vLLM, Ollama, LM Studio, OpenRouter…: OpenAI's wire format, not always its newest fields.
export const openAiCompatibleAdapter = new OpenAiAdapter({
  ...OPENAI_DIALECT,
  type: 'openai-compatible',
  probeTokenLimit: 'max_tokens',
  endpoints: new Set(CLASSIC_ENDPOINTS),
});
