// The one table of the API endpoints the gateway speaks. An endpoint is declared here once; the
// `/v1` entry, the request checks, the usage record, the adapters and the OpenAPI document read it.

export interface EndpointSpec {
  /** The client-facing path. */
  readonly path: string;
  readonly method: 'GET' | 'POST';
  /** The path under an OpenAI-compatible base URL, for the endpoints OpenAI's API has. */
  readonly openAiPath?: string;
  /** The body names a model and is routed by it; false: the gateway answers itself. */
  readonly takesModel: boolean;
  /** The body field a request must carry besides `model`; `array`: it must be an array. */
  readonly requiredField?: { readonly name: string; readonly array: boolean };
  /** `stream: true` is honoured. */
  readonly streams: boolean;
  /** Where the token usage is read: OpenAI's `usage` object, the Responses API's, Anthropic's, or nowhere. */
  readonly usage: 'openai' | 'responses' | 'anthropic' | 'none';
  readonly openApi: {
    readonly summary: string;
    readonly description?: string;
    /** The body fields the document marks required. */
    readonly required?: readonly string[];
    /** The error shape of the endpoint's surface (default OpenAI's). */
    readonly errors?: 'openai' | 'anthropic';
  };
}

export const ENDPOINTS = {
  chat: {
    path: '/v1/chat/completions',
    method: 'POST',
    openAiPath: '/chat/completions',
    takesModel: true,
    requiredField: { name: 'messages', array: true },
    streams: true,
    usage: 'openai',
    openApi: {
      summary: 'Chat Completions (stream or not; tools, response_format … pass through)',
      description: 'OpenAI Chat Completions, routed with failover.',
      required: ['model', 'messages'],
    },
  },
  completions: {
    path: '/v1/completions',
    method: 'POST',
    openAiPath: '/completions',
    takesModel: true,
    requiredField: { name: 'prompt', array: false },
    streams: true,
    usage: 'openai',
    openApi: {
      summary: 'Legacy completions',
      description: 'OpenAI legacy completions (OpenAI-type groups).',
      required: ['model', 'prompt'],
    },
  },
  embeddings: {
    path: '/v1/embeddings',
    method: 'POST',
    openAiPath: '/embeddings',
    takesModel: true,
    requiredField: { name: 'input', array: false },
    streams: false,
    usage: 'openai',
    openApi: {
      summary: 'Embeddings',
      description: 'OpenAI embeddings (OpenAI-type and Gemini groups).',
      required: ['model', 'input'],
    },
  },
  responses: {
    path: '/v1/responses',
    method: 'POST',
    openAiPath: '/responses',
    takesModel: true,
    streams: true,
    usage: 'responses',
    openApi: {
      summary: 'Responses API (stream or not)',
      description:
        'OpenAI Responses API, passed through to openai and azure groups only (404 model_not_found otherwise).',
      required: ['model', 'input'],
    },
  },
  messages: {
    path: '/v1/messages',
    method: 'POST',
    takesModel: true,
    requiredField: { name: 'messages', array: true },
    streams: true,
    usage: 'anthropic',
    openApi: {
      summary: 'Anthropic Messages (stream or not)',
      description:
        'Anthropic Messages API: passed through to anthropic groups, translated for the other types; key in x-api-key or Authorization: Bearer; errors as {"type":"error","error":{"type","message"}}.',
      required: ['model', 'messages', 'max_tokens'],
      errors: 'anthropic',
    },
  },
  count_tokens: {
    path: '/v1/messages/count_tokens',
    method: 'POST',
    takesModel: true,
    requiredField: { name: 'messages', array: true },
    streams: false,
    usage: 'none',
    openApi: {
      summary: 'Anthropic token counting',
      description: 'Passed through to anthropic groups only.',
      required: ['model', 'messages'],
      errors: 'anthropic',
    },
  },
  models: {
    path: '/v1/models',
    method: 'GET',
    openAiPath: '/models',
    takesModel: false,
    streams: false,
    usage: 'none',
    openApi: { summary: 'The models this key may use' },
  },
} as const satisfies Record<string, EndpointSpec>;

export type Endpoint = keyof typeof ENDPOINTS;

/** The endpoints routed by the body's model. */
export type ModelEndpoint = {
  [K in Endpoint]: (typeof ENDPOINTS)[K]['takesModel'] extends true ? K : never;
}[Endpoint];

export const MODEL_ENDPOINTS: readonly ModelEndpoint[] = (Object.keys(ENDPOINTS) as Endpoint[]).filter(
  (name): name is ModelEndpoint => ENDPOINTS[name].takesModel,
);

/** The spec of an endpoint, typed as the interface (for reading optional fields). */
export function endpointSpec(endpoint: Endpoint): EndpointSpec {
  return ENDPOINTS[endpoint];
}
