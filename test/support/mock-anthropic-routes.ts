import type { MockReply, ReplyOptions } from './mock-openai-routes.js';
import { DEFAULT_CONTENT, DEFAULT_TOOL_ARGUMENTS, MockUsage } from './mock-openai-wire.js';

// The Anthropic Messages API as the mock upstream speaks it (https://docs.anthropic.com/en/api/messages,
// https://docs.anthropic.com/en/docs/build-with-claude/streaming, https://docs.anthropic.com/en/api/errors).
// It checks what the real API refuses (no max_tokens, roles that do not alternate), so a
// translation mistake fails a test instead of passing silently.

type Body = Record<string, unknown>;
interface Turn {
  role?: string;
  content?: unknown;
}

const PROMPT_TOKENS = 10;
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
let sequence = 0;

export function anthropicErrorBody(status: number, message?: string): string {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return JSON.stringify({ type: 'error', error: { type, message: message ?? `${type} (mock upstream)` } });
}

export function anthropicReplyTo(method: string, path: string, body: Body, options: ReplyOptions): MockReply {
  if (method === 'GET' && path === '/v1/models') {
    const data = options.models.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2025-01-01T00:00:00Z',
    }));
    return json(
      200,
      JSON.stringify({ data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id }),
    );
  }
  if (method === 'POST' && path === '/v1/messages/count_tokens') {
    const problem = invalidRequest({ max_tokens: 1, ...body });
    if (problem) return json(400, anthropicErrorBody(400, problem));
    return json(200, JSON.stringify({ input_tokens: JSON.stringify(body.messages).length }));
  }
  if (method !== 'POST' || path !== '/v1/messages')
    return json(404, anthropicErrorBody(404, `Unknown path ${method} ${path} (mock upstream)`));
  const problem = invalidRequest(body);
  if (problem) return json(400, anthropicErrorBody(400, problem));
  sequence += 1;
  const id = `msg_mock_${sequence}`;
  const model = String(body.model);
  const tool = requestedTool(body);
  const pieces = tool
    ? []
    : options.chunks !== undefined
      ? Array.from({ length: options.chunks }, (_, i) => (i === 0 ? 'chunk0' : ` chunk${i}`))
      : (options.content ?? DEFAULT_CONTENT).split(/(?= )/);
  const usage = usageOf(options.usage, Math.max(pieces.length, 1));
  const stopReason = tool ? 'tool_use' : 'end_turn';
  const toolUse = tool && {
    type: 'tool_use',
    id: `toolu_mock_${sequence}`,
    name: tool,
    input: JSON.parse(DEFAULT_TOOL_ARGUMENTS),
  };
  if (body.stream !== true) {
    const content = toolUse ? [toolUse] : [{ type: 'text', text: pieces.join('') }];
    return json(
      200,
      JSON.stringify({
        id,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      }),
    );
  }
  const events: string[] = [
    event('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
  ];
  if (toolUse) {
    events.push(
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { ...toolUse, input: {} },
      }),
    );
    const middle = Math.ceil(DEFAULT_TOOL_ARGUMENTS.length / 2);
    for (const part of [DEFAULT_TOOL_ARGUMENTS.slice(0, middle), DEFAULT_TOOL_ARGUMENTS.slice(middle)])
      events.push(
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: part },
        }),
      );
  } else {
    events.push(
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    );
    events.push(event('ping', { type: 'ping' }));
    for (const piece of pieces)
      events.push(
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: piece },
        }),
      );
  }
  events.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  events.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
  );
  events.push(event('message_stop', { type: 'message_stop' }));
  return { status: 200, payloads: events, stream: true };
}

function invalidRequest(body: Body): string | undefined {
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  const messages = body.messages as Turn[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  for (let i = 0; i < messages.length; i += 1) {
    const { role, content } = messages[i];
    if (role !== 'user' && role !== 'assistant')
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (i > 0 && messages[i - 1].role === role)
      return 'messages: roles must alternate between "user" and "assistant"';
    if (
      Array.isArray(content) &&
      content.some((block: { type?: string; text?: string }) => block.type === 'text' && !block.text)
    )
      return `messages.${i}: text content blocks must be non-empty`;
  }
  return undefined;
}

// A tool call unless the last turn carries a tool's result (second leg of a round trip).
function requestedTool(body: Body): string | undefined {
  const tools = body.tools as Array<{ name?: string }> | undefined;
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  if (!Array.isArray(tools) || tools.length === 0 || choice?.type === 'none') return undefined;
  const last = (body.messages as Turn[]).at(-1);
  if (
    Array.isArray(last?.content) &&
    last.content.some((block: { type?: string }) => block.type === 'tool_result')
  )
    return undefined;
  return choice?.name ?? tools[0].name ?? 'tool';
}

function usageOf(usage: Partial<MockUsage> | undefined, completion: number) {
  return {
    input_tokens: usage?.prompt_tokens ?? PROMPT_TOKENS,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: usage?.completion_tokens ?? completion,
  };
}

// Pre-framed with its event line (the mock sends payloads that start with `event:` as they are).
function event(name: string, data: object): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}`;
}

function json(status: number, payload: string): MockReply {
  return { status, payloads: [payload], stream: false };
}
