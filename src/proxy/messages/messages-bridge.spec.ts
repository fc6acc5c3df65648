import { UntranslatableRequestError, type SseEvent } from '../../upstream/adapter.js';
import { openAiAdapter } from '../../upstream/adapters/openai/openai.adapter.js';
import { chatToMessage } from './chat-to-message.js';
import { ChatToMessageStream } from './chat-to-message-stream.js';
import { messagesToChat } from './messages-to-chat.js';

describe(messagesToChat.name, () => {
  it('turns an Anthropic request into an OpenAI chat request, tool results first after the calls', () => {
    const sut = messagesToChat(
      {
        model: 'm',
        max_tokens: 100,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Use metric.' },
        ],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 's' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'And quickly.' },
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }] },
            ],
          },
        ],
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        stop_sequences: ['END'],
        temperature: 0.5,
        top_k: 5,
        metadata: { user_id: 'u-1' },
        stream: true,
      },
      'max_completion_tokens',
    );
    expect(sut).toEqual({
      model: 'm',
      max_completion_tokens: 100,
      messages: [
        { role: 'system', content: 'Be brief.\n\nUse metric.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'user', content: 'And quickly.' },
      ],
      stop: ['END'],
      temperature: 0.5,
      user: 'u-1',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('refuses blocks only an Anthropic group understands', () => {
    const body = {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x' } }] }],
    };
    expect(() => messagesToChat(body, 'max_tokens')).toThrow(UntranslatableRequestError);
  });
});

describe(chatToMessage.name, () => {
  it('turns a chat completion with text and tool calls into an Anthropic message', () => {
    expect(
      chatToMessage({
        id: 'chatcmpl-abc',
        model: 'gpt-4o',
        choices: [
          {
            message: {
              content: 'Checking.',
              tool_calls: [
                { id: 'call_1', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 30, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 20 } },
      }),
    ).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 9, cache_read_input_tokens: 20 },
    });
  });
});

describe(ChatToMessageStream.name, () => {
  const chunk = (delta: object, finish: string | null = null): SseEvent => ({
    data: JSON.stringify({
      id: 'chatcmpl-s',
      model: 'gpt-4o',
      choices: [{ index: 0, delta, finish_reason: finish }],
    }),
  });

  it('turns OpenAI chunks into Anthropic events, holding message_start until content and the usage until [DONE]', () => {
    const sut = new ChatToMessageStream(openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: false }));
    const upstream: SseEvent[] = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hi' }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({}, 'tool_calls'),
      {
        data: JSON.stringify({
          id: 'chatcmpl-s',
          choices: [],
          usage: { prompt_tokens: 5, completion_tokens: 3 },
        }),
      },
      { data: '[DONE]' },
    ];
    expect(sut.push(upstream[0])).toEqual([]);
    const out = upstream.slice(1).flatMap((event) => sut.push(event));
    expect(out.map((event) => [event.event, JSON.parse(event.data)])).toEqual([
      [
        'message_start',
        expect.objectContaining({ message: expect.objectContaining({ id: 'msg_s', model: 'gpt-4o' }) }),
      ],
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'content_block_start',
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
        },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { input_tokens: 5, output_tokens: 3 },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]);
    expect(sut.done).toBe(true);
    expect(sut.usage).toEqual({ promptTokens: 5, completionTokens: 3, totalTokens: 8 });
  });
});
