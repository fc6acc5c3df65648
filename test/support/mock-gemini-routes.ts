import type { MockReply, ReplyOptions } from './mock-openai-routes.js';
import { DEFAULT_CONTENT, DEFAULT_TOOL_ARGUMENTS, MockUsage } from './mock-openai-wire.js';

// The Gemini API as the mock upstream speaks it (https://ai.google.dev/api/generate-content,
// https://ai.google.dev/api/embeddings, https://ai.google.dev/api/models): generateContent,
// streamGenerateContent?alt=sse, batchEmbedContents and the models listing, under /v1beta.

type Body = Record<string, unknown>;
interface Content {
  role?: string;
  parts?: Array<Record<string, unknown>>;
}

const PROMPT_TOKENS = 10;
const STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;
let sequence = 0;

export function geminiErrorBody(status: number, message?: string): string {
  const name = STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
  return JSON.stringify({
    error: { code: status, message: message ?? `${name} (mock upstream)`, status: name },
  });
}

export function geminiReplyTo(
  method: string,
  path: string,
  query: string,
  body: Body,
  options: ReplyOptions,
): MockReply {
  if (method === 'GET' && path === '/v1beta/models') {
    const models = options.models.map((id) => ({
      name: `models/${id}`,
      displayName: id,
      supportedGenerationMethods: ['generateContent'],
    }));
    return json(200, JSON.stringify({ models }));
  }
  const route = method === 'POST' ? ROUTE.exec(path) : null;
  if (!route) return json(404, geminiErrorBody(404, `Unknown path ${method} ${path} (mock upstream)`));
  const model = decodeURIComponent(route[1]);
  if (route[2] === 'batchEmbedContents') return embed(body, model);
  if (route[2] === 'streamGenerateContent' && !/(^|&)alt=sse(&|$)/.test(query))
    return json(400, geminiErrorBody(400, 'the mock upstream streams only with alt=sse'));
  const problem = invalidRequest(body);
  if (problem) return json(400, geminiErrorBody(400, problem));
  sequence += 1;
  const responseId = `mock-gemini-${sequence}`;
  const tool = requestedTool(body);
  const pieces = tool
    ? []
    : options.chunks !== undefined
      ? Array.from({ length: options.chunks }, (_, i) => (i === 0 ? 'chunk0' : ` chunk${i}`))
      : (options.content ?? DEFAULT_CONTENT).split(/(?= )/);
  const usage = usageOf(options.usage, Math.max(pieces.length, 1));
  const candidate = (parts: object[], finishReason?: string) => ({
    content: { role: 'model', parts },
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  });
  const response = (parts: object[], finishReason?: string, usageMetadata: object = usage) =>
    JSON.stringify({
      candidates: [candidate(parts, finishReason)],
      usageMetadata,
      modelVersion: model,
      responseId,
    });
  const callPart = tool && { functionCall: { name: tool, args: JSON.parse(DEFAULT_TOOL_ARGUMENTS) } };
  if (route[2] === 'generateContent')
    return json(200, response(callPart ? [callPart] : [{ text: pieces.join('') }], 'STOP'));
  const promptOnly = { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount };
  const payloads = callPart
    ? [response([callPart], 'STOP')]
    : [
        ...pieces.map((piece) => response([{ text: piece }], undefined, promptOnly)),
        response([{ text: '' }], 'STOP'),
      ];
  return { status: 200, payloads, stream: true };
}

function embed(body: Body, model: string): MockReply {
  const requests = body.requests as
    Array<{ model?: string; content?: Content; outputDimensionality?: number }> | undefined;
  if (!Array.isArray(requests) || requests.length === 0)
    return json(400, geminiErrorBody(400, '* BatchEmbedContentsRequest.requests: requests is not specified'));
  if (requests.some((request) => request.model !== `models/${model}`))
    return json(400, geminiErrorBody(400, `every request must name models/${model}`));
  const embeddings = requests.map((request, index) => ({
    values: Array.from(
      { length: request.outputDimensionality ?? 8 },
      (_, j) => (((index + 1) * (j + 1)) % 7) / 7,
    ),
  }));
  // EmbeddingUsageMetadata: the prompt tokens of the whole batch (one per word here).
  const promptTokenCount = requests.reduce(
    (sum, request) => sum + String(request.content?.parts?.[0]?.text ?? '').split(/\s+/).length,
    0,
  );
  return json(200, JSON.stringify({ embeddings, usageMetadata: { promptTokenCount } }));
}

function invalidRequest(body: Body): string | undefined {
  const contents = body.contents as Content[] | undefined;
  if (!Array.isArray(contents) || contents.length === 0)
    return '* GenerateContentRequest.contents: contents is not specified';
  for (const [i, content] of contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model')
      return `* contents[${i}].role: must be user or model`;
    if (!Array.isArray(content.parts) || content.parts.length === 0)
      return `* contents[${i}].parts: must not be empty`;
  }
  return undefined;
}

// A function call unless the last content answers one (second leg of a round trip).
function requestedTool(body: Body): string | undefined {
  const declarations = (
    body.tools as Array<{ functionDeclarations?: Array<{ name?: string }> }> | undefined
  )?.flatMap((tool) => tool.functionDeclarations ?? []);
  const config = (
    body.toolConfig as
      { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } } | undefined
  )?.functionCallingConfig;
  if (!declarations || declarations.length === 0 || config?.mode === 'NONE') return undefined;
  const last = (body.contents as Content[]).at(-1);
  if (last?.parts?.some((part) => part.functionResponse !== undefined)) return undefined;
  return config?.allowedFunctionNames?.[0] ?? declarations[0].name ?? 'tool';
}

function usageOf(usage: Partial<MockUsage> | undefined, completion: number) {
  const prompt = usage?.prompt_tokens ?? PROMPT_TOKENS;
  const candidates = usage?.completion_tokens ?? completion;
  return { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates };
}

function json(status: number, payload: string): MockReply {
  return { status, payloads: [payload], stream: false };
}
