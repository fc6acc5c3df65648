import type { MockReply, ReplyOptions } from './mock-openai-routes.js';
import { DEFAULT_CONTENT } from './mock-openai-wire.js';

// OpenAI's Responses API as the mock upstream speaks it (https://platform.openai.com/docs/api-reference/responses):
// a text answer, streamed as typed events ending in `response.completed` (no `[DONE]`).

let sequence = 0;

export function responsesReplyTo(body: Record<string, unknown>, options: ReplyOptions): MockReply {
  if (typeof body.model !== 'string' || body.input === undefined)
    return json(
      400,
      JSON.stringify({
        error: {
          message: 'model and input are required (mock upstream)',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      }),
    );
  sequence += 1;
  const id = `resp_mock_${sequence}`;
  const text = options.content ?? DEFAULT_CONTENT;
  const input = options.usage?.prompt_tokens ?? 10;
  const output = options.usage?.completion_tokens ?? text.split(' ').length;
  const response = (status: string, withOutput: boolean) => ({
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: body.model,
    output: withOutput
      ? [
          {
            type: 'message',
            id: `msg_${id}`,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text, annotations: [] }],
          },
        ]
      : [],
    usage: withOutput ? { input_tokens: input, output_tokens: output, total_tokens: input + output } : null,
  });
  if (body.stream !== true) return json(200, JSON.stringify(response('completed', true)));
  let n = 0;
  const event = (type: string, data: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}`;
  const payloads = [
    event('response.created', { response: response('in_progress', false) }),
    ...text.split(/(?= )/).map((delta) =>
      event('response.output_text.delta', {
        item_id: `msg_${id}`,
        output_index: 0,
        content_index: 0,
        delta,
      }),
    ),
    event('response.completed', { response: response('completed', true) }),
  ];
  return { status: 200, payloads, stream: true };
}

function json(status: number, payload: string): MockReply {
  return { status, payloads: [payload], stream: false };
}
