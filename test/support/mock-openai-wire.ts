// The OpenAI wire format as the mock upstream speaks it: response bodies and stream events for
// chat (text and tool calls), completions, embeddings and models. Plain data, no I/O.

export interface MockUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type OpenAiRequestBody = Record<string, unknown>;

export const DEFAULT_CONTENT = 'Hello from the mock upstream.';
export const DEFAULT_TOOL_ARGUMENTS = '{"location":"Paris"}';
const PROMPT_TOKENS = 10;
let sequence = 0;

/** What one answer says, before it is shaped as JSON or as stream chunks. */
export interface Answer {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  /** Content pieces (one per stream chunk); empty for a tool call. */
  readonly pieces: readonly string[];
  readonly toolCall?: { readonly id: string; readonly name: string; readonly arguments: string };
  readonly usage: MockUsage;
  readonly includeUsage: boolean;
}

export function planAnswer(
  body: OpenAiRequestBody,
  model: string,
  options: { content?: string; chunks?: number; usage?: Partial<MockUsage> },
): Answer {
  sequence += 1;
  const toolName = requestedTool(body);
  const pieces = toolName
    ? []
    : options.chunks !== undefined
      ? numberedPieces(options.chunks)
      : splitWords(options.content ?? DEFAULT_CONTENT);
  const completion = options.usage?.completion_tokens ?? Math.max(pieces.length, 1);
  const prompt = options.usage?.prompt_tokens ?? PROMPT_TOKENS;
  return {
    id: `mock-${sequence}`,
    created: Math.floor(Date.now() / 1000),
    model,
    pieces,
    toolCall: toolName
      ? { id: `call_mock_${sequence}`, name: toolName, arguments: DEFAULT_TOOL_ARGUMENTS }
      : undefined,
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: options.usage?.total_tokens ?? prompt + completion,
    },
    includeUsage: (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
  };
}

export function chatCompletion(answer: Answer): string {
  const message = answer.toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: answer.toolCall.id,
            type: 'function',
            function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
          },
        ],
        refusal: null,
      }
    : { role: 'assistant', content: answer.pieces.join(''), refusal: null };
  return JSON.stringify({
    id: `chatcmpl-${answer.id}`,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
    usage: answer.usage,
    system_fingerprint: null,
  });
}

/** The `data:` payloads of a chat stream, `[DONE]` included. */
export function chatChunks(answer: Answer): string[] {
  const chunk = (delta: object, finishReason: string | null): string =>
    JSON.stringify({
      id: `chatcmpl-${answer.id}`,
      object: 'chat.completion.chunk',
      created: answer.created,
      model: answer.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      // Real upstreams put "usage": null on every chunk once the client asked for usage.
      ...(answer.includeUsage ? { usage: null } : {}),
    });
  const chunks: string[] = [];
  const call = answer.toolCall;
  if (call) {
    chunks.push(
      chunk(
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        },
        null,
      ),
    );
    const middle = Math.ceil(call.arguments.length / 2);
    for (const part of [call.arguments.slice(0, middle), call.arguments.slice(middle)])
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }, null));
    chunks.push(chunk({}, 'tool_calls'));
  } else {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of answer.pieces) chunks.push(chunk({ content: piece }, null));
    chunks.push(chunk({}, 'stop'));
  }
  if (answer.includeUsage) chunks.push(usageChunk(answer, 'chat.completion.chunk', 'chatcmpl-'));
  chunks.push('[DONE]');
  return chunks;
}

export function textCompletion(answer: Answer): string {
  return JSON.stringify({
    id: `cmpl-${answer.id}`,
    object: 'text_completion',
    created: answer.created,
    model: answer.model,
    choices: [{ text: answer.pieces.join(''), index: 0, logprobs: null, finish_reason: 'stop' }],
    usage: answer.usage,
  });
}

export function textCompletionChunks(answer: Answer): string[] {
  const chunk = (text: string, finishReason: string | null): string =>
    JSON.stringify({
      id: `cmpl-${answer.id}`,
      object: 'text_completion',
      created: answer.created,
      model: answer.model,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }],
    });
  const chunks = answer.pieces.map((piece) => chunk(piece, null));
  chunks.push(chunk('', 'stop'));
  if (answer.includeUsage) chunks.push(usageChunk(answer, 'text_completion', 'cmpl-'));
  chunks.push('[DONE]');
  return chunks;
}

/** One vector per input; base64 when asked (the openai SDK asks by default). */
export function embeddings(body: OpenAiRequestBody, model: string): string {
  const inputs = embeddingInputs(body.input);
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((_, index) => {
    const vector = Array.from({ length: dimensions }, (__, j) => (((index + 1) * (j + 1)) % 7) / 7);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.length * 4;
  return JSON.stringify({
    object: 'list',
    data,
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

export function modelList(ids: readonly string[]): string {
  return JSON.stringify({ object: 'list', data: ids.map((id) => modelObject(id)) });
}

export function modelObject(id: string): { id: string; object: 'model'; created: number; owned_by: string } {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'mock-upstream' };
}

const ERROR_DEFAULTS: Record<number, [type: string, code: string | null, message: string]> = {
  400: ['invalid_request_error', null, 'Invalid request (mock upstream)'],
  401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided (mock upstream)'],
  403: ['invalid_request_error', 'unsupported_country_region_territory', 'Forbidden (mock upstream)'],
  404: ['invalid_request_error', 'model_not_found', 'Not found (mock upstream)'],
  429: ['requests', 'rate_limit_exceeded', 'Rate limit reached (mock upstream)'],
  500: ['server_error', null, 'The server had an error while processing your request (mock upstream)'],
  503: ['server_error', 'overloaded', 'The engine is currently overloaded (mock upstream)'],
};

export function errorBody(status: number, message?: string): string {
  const [type, code, fallback] = ERROR_DEFAULTS[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    null,
    `Mock upstream status ${status}`,
  ];
  return JSON.stringify({ error: { message: message ?? fallback, type, param: null, code } });
}

function usageChunk(answer: Answer, object: string, idPrefix: string): string {
  return JSON.stringify({
    id: `${idPrefix}${answer.id}`,
    object,
    created: answer.created,
    model: answer.model,
    choices: [],
    usage: answer.usage,
  });
}

// A tool call unless the conversation already carries the tool's result (second leg of a round trip).
function requestedTool(body: OpenAiRequestBody): string | undefined {
  const tools = body.tools as Array<{ function?: { name?: string } }> | undefined;
  if (!Array.isArray(tools) || tools.length === 0 || body.tool_choice === 'none') return undefined;
  const messages = body.messages as Array<{ role?: string }> | undefined;
  if (Array.isArray(messages) && messages.at(-1)?.role === 'tool') return undefined;
  const chosen = (body.tool_choice as { function?: { name?: string } } | undefined)?.function?.name;
  return chosen ?? tools[0].function?.name ?? 'tool';
}

function splitWords(content: string): string[] {
  return content.split(/(?= )/);
}

function numberedPieces(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'chunk0' : ` chunk${i}`));
}

function embeddingInputs(input: unknown): unknown[] {
  if (!Array.isArray(input)) return [input];
  // A flat array of numbers is one tokenised input; otherwise one vector per element.
  return input.length > 0 && typeof input[0] === 'number' ? [input] : input;
}
