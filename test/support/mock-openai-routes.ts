import {
  chatChunks,
  chatCompletion,
  embeddings,
  errorBody,
  MockUsage,
  modelList,
  modelObject,
  OpenAiRequestBody,
  planAnswer,
  textCompletion,
  textCompletionChunks,
} from './mock-openai-wire.js';

// Which answer the mock upstream gives to a path (OpenAI `/v1/...` and Azure `/openai/...`).

/** The answer before delivery: one JSON payload, or the `data:` payloads of a stream. */
export interface MockReply {
  readonly status: number;
  readonly payloads: string[];
  readonly stream: boolean;
}

export interface ReplyOptions {
  readonly content?: string;
  readonly chunks?: number;
  readonly usage?: Partial<MockUsage>;
  readonly models: readonly string[];
}

type Endpoint = 'chat' | 'completions' | 'embeddings';
const V1_ROUTES: Record<string, Endpoint> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
};
const AZURE_ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;
const AZURE_ENDPOINTS: Record<string, Endpoint> = {
  'chat/completions': 'chat',
  completions: 'completions',
  embeddings: 'embeddings',
};

const json = (status: number, payload: string): MockReply => ({ status, payloads: [payload], stream: false });

export function replyTo(
  method: string,
  path: string,
  query: string,
  body: OpenAiRequestBody,
  options: ReplyOptions,
): MockReply {
  if (method === 'GET' && (path === '/v1/models' || path === '/openai/models')) {
    return json(200, modelList(options.models));
  }
  if (method === 'GET' && path.startsWith('/v1/models/')) {
    return json(200, JSON.stringify(modelObject(decodeURIComponent(path.slice('/v1/models/'.length)))));
  }
  let endpoint = method === 'POST' ? V1_ROUTES[path] : undefined;
  let model = typeof body.model === 'string' ? body.model : 'mock-model';
  const azure = method === 'POST' && endpoint === undefined ? AZURE_ROUTE.exec(path) : null;
  if (azure) {
    if (!/(^|&)api-version=[^&]+/.test(query)) {
      return json(400, errorBody(400, 'Missing required query parameter api-version (mock upstream)'));
    }
    endpoint = AZURE_ENDPOINTS[azure[2]];
    if (typeof body.model !== 'string') model = decodeURIComponent(azure[1]);
  }
  if (endpoint === undefined)
    return json(404, errorBody(404, `Unknown path ${method} ${path} (mock upstream)`));
  if (endpoint === 'embeddings') return json(200, embeddings(body, model));
  const answer = planAnswer(body, model, options);
  if (body.stream === true) {
    const payloads = endpoint === 'chat' ? chatChunks(answer) : textCompletionChunks(answer);
    return { status: 200, payloads, stream: true };
  }
  return json(200, endpoint === 'chat' ? chatCompletion(answer) : textCompletion(answer));
}
