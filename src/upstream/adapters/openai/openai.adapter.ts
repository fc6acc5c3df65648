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
import { ENDPOINTS } from '../../endpoints.js';
import { buildOpenAiProbe, buildOpenAiRequest, type OpenAiDialect } from './openai.request.js';
import { parseOpenAiResponse } from './openai.response.js';
import { OpenAiStreamTranslator } from './openai.stream.js';

/** The base of every OpenAI-compatible provider type; a type is a dialect (URL and auth header). */
export class OpenAiAdapter implements UpstreamAdapter {
  readonly type: ProviderType;
  readonly passthrough = true;

  constructor(private readonly dialect: OpenAiDialect) {
    this.type = dialect.type;
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
    return new OpenAiStreamTranslator(options?.stripUsageOnlyChunk === true);
  }

  buildProbe(target: UpstreamTarget, probe: ProbeSettings, model: string): HttpRequestSpec {
    return buildOpenAiProbe(this.dialect, target, probe, model);
  }
}

export const OPENAI_DIALECT: OpenAiDialect = {
  type: 'openai',
  url: (endpoint, _model, target) => target.baseUrl + ENDPOINTS[endpoint].openAiPath,
  authHeader: 'authorization',
  authValue: (apiKey) => `Bearer ${apiKey}`,
  probeTokenLimit: 'max_completion_tokens',
};

export const openAiAdapter = new OpenAiAdapter(OPENAI_DIALECT);

// vLLM, Ollama, LM Studio, OpenRouter…: OpenAI's wire format, not always its newest fields.
export const openAiCompatibleAdapter = new OpenAiAdapter({
  ...OPENAI_DIALECT,
  type: 'openai-compatible',
  probeTokenLimit: 'max_tokens',
});
