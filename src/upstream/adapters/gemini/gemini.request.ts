import type { ProbeSettings } from '../../provider-type.js';
import {
  HttpRequestSpec,
  UntranslatableRequestError,
  UpstreamEndpoint,
  UpstreamTarget,
} from '../../adapter.js';
import {
  chatMessages,
  functionTools,
  jsonFormatOf,
  maxTokensOf,
  numberField,
  stopSequencesOf,
  ToolChoice,
  toolChoiceOf,
} from '../common/chat-request.js';
import { groupHeaders } from '../openai/openai.request.js';
import { toGeminiConversation } from './gemini.contents.js';
import { toBatchEmbedBody } from './gemini.embeddings.js';

// An OpenAI request → the Gemini API (https://ai.google.dev/api/generate-content). The key travels
// in `x-goog-api-key`, never in the URL (where it would end up in access logs).

const GENERATION_FIELDS: ReadonlyArray<[openAi: string, gemini: string]> = [
  ['temperature', 'temperature'],
  ['top_p', 'topP'],
  ['n', 'candidateCount'],
  ['seed', 'seed'],
  ['presence_penalty', 'presencePenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
];

export function buildGeminiRequest(
  endpoint: UpstreamEndpoint,
  body: Readonly<Record<string, unknown>>,
  target: UpstreamTarget,
): HttpRequestSpec {
  if (endpoint === 'models')
    return { method: 'GET', url: `${target.baseUrl}/models`, headers: geminiHeaders(target, false) };
  const model = geminiModel(body.model);
  if (endpoint === 'embeddings')
    return post(
      `${target.baseUrl}/models/${model}:batchEmbedContents`,
      target,
      toBatchEmbedBody(body, model),
    );
  if (endpoint !== 'chat') throw new UntranslatableRequestError(`Gemini upstreams do not serve ${endpoint}`);
  const method = body.stream === true ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return post(`${target.baseUrl}/models/${model}:${method}`, target, toGeminiBody(body));
}

/** `GET /models`, or a 1-token generateContent on `probe.model` (else `model`). */
export function buildGeminiProbe(
  target: UpstreamTarget,
  probe: ProbeSettings,
  model: string,
): HttpRequestSpec {
  if (probe.kind === 'models') return buildGeminiRequest('models', {}, target);
  return post(`${target.baseUrl}/models/${geminiModel(probe.model ?? model)}:generateContent`, target, {
    contents: [{ role: 'user', parts: [{ text: 'ping' }] }],
    generationConfig: { maxOutputTokens: 1 },
  });
}

export function toGeminiBody(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { systemInstruction, contents } = toGeminiConversation(chatMessages(body));
  const out: Record<string, unknown> = { contents };
  if (systemInstruction) out.systemInstruction = systemInstruction;
  const tools = functionTools(body);
  if (tools && tools.length > 0) {
    out.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          // Full JSON Schema, as OpenAI tools carry it (`parameters` takes only an OpenAPI subset).
          ...(tool.parameters ? { parametersJsonSchema: tool.parameters } : {}),
        })),
      },
    ];
    const choice = toolChoiceOf(body);
    if (choice) out.toolConfig = { functionCallingConfig: functionCallingConfig(choice) };
  }
  const config = generationConfig(body);
  if (Object.keys(config).length > 0) out.generationConfig = config;
  return out;
}

function generationConfig(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [openAi, gemini] of GENERATION_FIELDS) {
    const value = numberField(body, openAi);
    if (value !== undefined) config[gemini] = value;
  }
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stop = stopSequencesOf(body);
  if (stop) config.stopSequences = stop;
  const json = jsonFormatOf(body);
  if (json) {
    config.responseMimeType = 'application/json';
    if (json.schema) config.responseJsonSchema = json.schema;
  }
  return config;
}

function functionCallingConfig(choice: ToolChoice): Record<string, unknown> {
  switch (choice.mode) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'function':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

/** The model's path segment: `models/` prefix tolerated, anything else escaped. */
function geminiModel(model: unknown): string {
  const name = typeof model === 'string' ? model.replace(/^models\//, '') : '';
  if (name === '') throw new UntranslatableRequestError('a model is required', 'model');
  return encodeURIComponent(name);
}

function post(url: string, target: UpstreamTarget, body: unknown): HttpRequestSpec {
  return { method: 'POST', url, headers: geminiHeaders(target, true), body: JSON.stringify(body) };
}

function geminiHeaders(target: UpstreamTarget, withBody: boolean): Record<string, string> {
  const headers = groupHeaders(target);
  headers['x-goog-api-key'] = target.apiKey;
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}
