import Anthropic from '@anthropic-ai/sdk';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { DEFAULT_CONTENT } from './support/mock-openai-wire.js';
import { startTestApp, TestApp } from './support/test-app.js';

const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

interface LogRow {
  status: number;
  groupName: string;
  endpoint: string;
  stream: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  attempts: number;
}

describeEachEngine('the Anthropic Messages and OpenAI Responses APIs inbound', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;

  const anthropic = async (options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) => {
    const created = await gw.createProxyKey();
    const client = new Anthropic({ apiKey: created.key, baseURL: sut.url, maxRetries: 0, ...options });
    return { client, id: created.id, key: created.key };
  };
  const logsOf = async (proxyKeyId: number): Promise<LogRow[]> => {
    await sut.app.get(UsageRecorder).flush();
    return (await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKeyId}&pageSize=50`).expect(200)).body.items;
  };
  /** Each request's group, stream flag and tokens, the non-stream ones first. */
  const tokenRows = async (proxyKeyId: number) =>
    (await logsOf(proxyKeyId))
      .map((row) => [row.groupName, row.stream, row.promptTokens, row.completionTokens])
      .sort((a, b) => Number(a[1]) - Number(b[1]));
  const textOf = (message: Anthropic.Message) =>
    message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

  beforeAll(async () => {
    mock = await MockUpstream.start();
    // A small answer cap, so one test can see the too-large refusal on the Messages surface.
    sut = await startTestApp({ engine, env: { UPSTREAM_MAX_RESPONSE_BYTES: '64kb' } });
    gw = await GatewayFixture.for(sut);
    const base = { retryCount: 0 };
    await gw.createGroup({
      ...base,
      groupName: 'claude',
      providerType: 'anthropic',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-ant-1'],
      models: ['claude-mock'],
    });
    await gw.createGroup({
      ...base,
      groupName: 'gpt',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-gpt-1'],
      models: ['gpt-mock'],
    });
    await gw.createGroup({
      ...base,
      groupName: 'gem',
      providerType: 'gemini',
      baseUrl: `${mock.origin}/v1beta`,
      apiKeys: ['AIza-1'],
      models: ['gemini-mock'],
    });
    await gw.createGroup({
      ...base,
      groupName: 'cross-claude',
      providerType: 'anthropic',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-ant-cross'],
      models: ['cross'],
      priority: 0,
    });
    await gw.createGroup({
      ...base,
      groupName: 'cross-gpt',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-gpt-cross'],
      models: ['cross'],
      priority: 1,
    });
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  beforeEach(() => {
    mock.reset();
    mock.setDefault('*', { kind: 'ok', usage: USAGE });
  });

  describe('POST /v1/messages', () => {
    it('passes an Anthropic group the request as sent, version and beta headers included', async () => {
      const { client, id } = await anthropic({
        defaultHeaders: { 'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14' },
      });
      const params: Anthropic.MessageCreateParams = {
        model: 'claude-mock',
        max_tokens: 64,
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'hello' }],
      };
      const message = await client.messages.create(params);
      expect(textOf(message)).toBe(DEFAULT_CONTENT);
      expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 7 });
      expect(mock.requests[0]).toMatchObject({ path: '/v1/messages', key: 'sk-ant-1', body: params });
      expect(mock.requests[0].headers).toMatchObject({
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14',
      });
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({
          status: 200,
          groupName: 'claude',
          endpoint: '/v1/messages',
          promptTokens: 11,
          completionTokens: 7,
        }),
      ]);
    });

    it('streams from an Anthropic group, event by event, with the usage logged', async () => {
      const { client, id } = await anthropic();
      const stream = client.messages.stream({
        model: 'claude-mock',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const message = await stream.finalMessage();
      expect(textOf(message)).toBe(DEFAULT_CONTENT);
      expect(message.stop_reason).toBe('end_turn');
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({ stream: true, promptTokens: 11, completionTokens: 7 }),
      ]);
    });

    it.each([
      ['an OpenAI group', 'gpt-mock', '/v1/chat/completions'],
      ['a Gemini group', 'gemini-mock', '/v1beta/models/gemini-mock:generateContent'],
    ])('translates to and from %s', async (_name, model, path) => {
      const { client, id } = await anthropic();
      const message = await client.messages.create({
        model,
        max_tokens: 64,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        stop_reason: 'end_turn',
        usage: { input_tokens: 11, output_tokens: 7 },
      });
      expect(textOf(message)).toBe(DEFAULT_CONTENT);
      expect(mock.requests[0].path).toBe(path);
      const streamed = await client.messages
        .stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage();
      expect(textOf(streamed)).toBe(DEFAULT_CONTENT);
      expect(streamed.usage.output_tokens).toBe(7);
      expect((await logsOf(id)).map((row) => [row.stream, row.promptTokens, row.completionTokens])).toEqual(
        expect.arrayContaining([
          [false, 11, 7],
          [true, 11, 7],
        ]),
      );
    });

    it('runs a tool round trip through an Anthropic group, the call streamed too, each with its log row', async () => {
      const { client, id } = await anthropic();
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const params = { model: 'claude-mock', max_tokens: 64, tools: [WEATHER_TOOL] };
      const first = await client.messages.create({ ...params, messages });
      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
      expect(call).toMatchObject({ name: 'get_weather', input: { location: 'Paris' } });

      const streamed = await client.messages.stream({ ...params, messages }).finalMessage();
      expect(streamed.stop_reason).toBe('tool_use');
      expect(streamed.content.find((block) => block.type === 'tool_use')).toMatchObject({
        name: 'get_weather',
        input: { location: 'Paris' },
      });

      messages.push(
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: '18°C' }] },
      );
      const second = await client.messages.create({ ...params, messages });
      expect(textOf(second)).toBe(DEFAULT_CONTENT);
      // Passed through as sent: the tool_use and tool_result blocks reach Anthropic untouched.
      expect(mock.requests.map((request) => request.path)).toEqual([
        '/v1/messages',
        '/v1/messages',
        '/v1/messages',
      ]);
      expect((mock.requests[2].body as { messages: unknown[] }).messages).toEqual(messages);
      expect(await tokenRows(id)).toEqual([
        ['claude', false, 11, 7],
        ['claude', false, 11, 7],
        ['claude', true, 11, 7],
      ]);
    });

    it('runs a tool round trip through an OpenAI group, the call streamed too', async () => {
      const { client, id } = await anthropic();
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.messages.create({
        model: 'gpt-mock',
        max_tokens: 64,
        messages,
        tools: [WEATHER_TOOL],
      });
      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((block) => block.type === 'tool_use');
      expect(call).toMatchObject({ name: 'get_weather', input: { location: 'Paris' } });
      expect(mock.requests[0].body).toMatchObject({
        max_completion_tokens: 64,
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
      });

      const streamed = await client.messages
        .stream({ model: 'gpt-mock', max_tokens: 64, messages, tools: [WEATHER_TOOL] })
        .finalMessage();
      expect(streamed.content.find((block) => block.type === 'tool_use')).toMatchObject({
        input: { location: 'Paris' },
      });

      messages.push(
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: '18°C' },
          ],
        },
      );
      const second = await client.messages.create({
        model: 'gpt-mock',
        max_tokens: 64,
        messages,
        tools: [WEATHER_TOOL],
      });
      expect(textOf(second)).toBe(DEFAULT_CONTENT);
      expect((mock.requests.at(-1)?.body as { messages: unknown[] }).messages.slice(1)).toEqual([
        expect.objectContaining({
          role: 'assistant',
          tool_calls: [expect.objectContaining({ id: (call as Anthropic.ToolUseBlock).id })],
        }),
        { role: 'tool', tool_call_id: (call as Anthropic.ToolUseBlock).id, content: '18°C' },
      ]);
      expect(await tokenRows(id)).toEqual([
        ['gpt', false, 11, 7],
        ['gpt', false, 11, 7],
        ['gpt', true, 11, 7],
      ]);
    });

    it('answers errors in Anthropic’s shape: unknown model, bad key, an upstream client error', async () => {
      const { client } = await anthropic();
      await expect(
        client.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({
        status: 404,
        error: { type: 'error', error: { type: 'not_found_error' } },
      });
      const stranger = new Anthropic({ apiKey: 'sk-sy-wrong', baseURL: sut.url, maxRetries: 0 });
      await expect(
        stranger.messages.create({
          model: 'gpt-mock',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      mock.script('*', { kind: 'status', status: 400 }, { kind: 'status', status: 400 });
      await expect(
        client.messages.create({
          model: 'gpt-mock',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toMatchObject({
        status: 400,
        error: {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'Invalid request (mock upstream)' },
        },
      });
      await expect(
        client.messages.create({
          model: 'claude-mock',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toMatchObject({
        status: 400,
        error: {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'invalid_request_error (mock upstream)' },
        },
      });
      const ask = () =>
        client.messages.create({
          model: 'claude-mock',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        });
      // Bodies the gateway wraps or refuses itself keep the Messages surface's shape too.
      mock.script('*', {
        kind: 'status',
        status: 400,
        body: '<html><body>Bad Request</body></html>',
        headers: { 'content-type': 'text/html' },
      });
      await expect(ask()).rejects.toMatchObject({
        status: 400,
        error: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'The upstream answered 400: <html><body>Bad Request</body></html>.',
          },
        },
      });
      mock.script('*', { kind: 'ok', content: 'x'.repeat(70_000) });
      await expect(ask()).rejects.toMatchObject({
        status: 502,
        error: {
          type: 'error',
          error: { type: 'api_error', message: expect.stringContaining('larger than') },
        },
      });
    });

    it('fails over from an overloaded Anthropic group to an OpenAI one, streams included', async () => {
      const { client } = await anthropic();
      mock.script('sk-ant-cross', { kind: 'status', status: 529 }, { kind: 'status', status: 529 });
      const message = await client.messages.create({
        model: 'cross',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(textOf(message)).toBe(DEFAULT_CONTENT);
      const streamed = await client.messages
        .stream({ model: 'cross', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .finalMessage();
      expect(textOf(streamed)).toBe(DEFAULT_CONTENT);
      expect(mock.requests.map((request) => request.key)).toEqual([
        'sk-ant-cross',
        'sk-gpt-cross',
        'sk-ant-cross',
        'sk-gpt-cross',
      ]);
    });

    it('takes the proxy key as a bearer token too', async () => {
      const { key } = await anthropic();
      const res = await sut
        .http()
        .post('/v1/messages')
        .set('Authorization', `Bearer ${key}`)
        .send({ model: 'claude-mock', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .expect(200);
      expect(res.body.type).toBe('message');
      const bad = await sut
        .http()
        .post('/v1/messages')
        .send({ model: 'claude-mock', messages: [] })
        .expect(401);
      expect(bad.body).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: expect.any(String) },
      });
    });
  });

  describe('POST /v1/messages/count_tokens', () => {
    it('passes through to Anthropic groups and refuses models no Anthropic group serves', async () => {
      const { client } = await anthropic();
      const counted = await client.messages.countTokens({
        model: 'claude-mock',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(counted.input_tokens).toBeGreaterThan(0);
      expect(mock.requests[0].path).toBe('/v1/messages/count_tokens');
      await expect(
        client.messages.countTokens({ model: 'gpt-mock', messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({
        status: 404,
        error: {
          error: { type: 'not_found_error', message: expect.stringContaining('served by anthropic groups') },
        },
      });
    });
  });

  describe('POST /v1/responses', () => {
    it('passes through to an OpenAI group, stream too, with the usage from response.completed', async () => {
      const created = await gw.createProxyKey();
      const openai = gw.openai(created.key);
      const response = await openai.responses.create({ model: 'gpt-mock', input: 'hello' });
      expect(response.output_text).toBe(DEFAULT_CONTENT);
      const events = [];
      for await (const event of await openai.responses.create({
        model: 'gpt-mock',
        input: 'hello',
        stream: true,
      }))
        events.push(event);
      expect(events.at(-1)).toMatchObject({
        type: 'response.completed',
        response: { usage: { input_tokens: 11, output_tokens: 7 } },
      });
      expect(mock.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
      expect((mock.requests[1].body as Record<string, unknown>).stream_options).toBeUndefined();
      expect(
        (await logsOf(created.id)).map((row) => [
          row.endpoint,
          row.stream,
          row.promptTokens,
          row.completionTokens,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['/v1/responses', false, 11, 7],
          ['/v1/responses', true, 11, 7],
        ]),
      );
    });

    it('skips the groups of other types for a model they share with an OpenAI group', async () => {
      const openai = gw.openai((await gw.createProxyKey()).key);
      const { data, response } = await openai.responses
        .create({ model: 'cross', input: 'hello' })
        .withResponse();
      expect(data.output_text).toBe(DEFAULT_CONTENT);
      expect(response.headers.get('x-switchyard-backend')).toBe('cross-gpt');
      expect(response.headers.get('x-switchyard-attempts')).toBe('1');
      expect(mock.requests.map((request) => request.key)).toEqual(['sk-gpt-cross']);
    });

    it('refuses a model no OpenAI or Azure group serves, naming the types that would', async () => {
      const openai = gw.openai((await gw.createProxyKey()).key);
      await expect(openai.responses.create({ model: 'claude-mock', input: 'x' })).rejects.toMatchObject({
        status: 404,
        code: 'model_not_found',
        message: expect.stringContaining('served by openai, azure groups'),
      });
      expect(mock.requests).toHaveLength(0);
    });
  });
});
