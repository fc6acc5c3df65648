import OpenAI from 'openai';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { DEFAULT_CONTENT } from './support/mock-openai-wire.js';
import { startTestApp, TestApp } from './support/test-app.js';

const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

interface LogRow {
  status: number;
  groupName: string;
  stream: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  attempts: number;
  errorType: string | null;
}

describeEachEngine('Anthropic and Gemini groups behind the OpenAI API', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  const groupIds = new Map<string, number>();

  const logsOf = async (proxyKeyId: number): Promise<LogRow[]> => {
    await sut.app.get(UsageRecorder).flush();
    const res = await gw.admin().get(`/admin/logs?proxyKeyId=${proxyKeyId}&pageSize=50`).expect(200);
    return res.body.items;
  };
  const client = async (): Promise<{ openai: OpenAI; id: number; key: string }> => {
    const created = await gw.createProxyKey();
    return { openai: gw.openai(created.key), id: created.id, key: created.key };
  };
  // A tool round trip is three requests: the call, the call streamed, the answer to the result.
  const toolRoundTripRows = async (proxyKeyId: number) =>
    (await logsOf(proxyKeyId))
      .map((row) => [row.groupName, row.stream, row.promptTokens, row.completionTokens])
      .sort((a, b) => Number(a[1]) - Number(b[1]));
  const toolRoundTripExpected = (groupName: string) => [
    [groupName, false, USAGE.prompt_tokens, USAGE.completion_tokens],
    [groupName, false, USAGE.prompt_tokens, USAGE.completion_tokens],
    [groupName, true, USAGE.prompt_tokens, USAGE.completion_tokens],
  ];
  const collect = async (stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) => {
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return chunks;
  };

  beforeAll(async () => {
    mock = await MockUpstream.start({ models: ['claude-mock', 'gemini-mock'] });
    sut = await startTestApp({ engine });
    gw = await GatewayFixture.for(sut);
    const add = async (spec: Parameters<GatewayFixture['createGroup']>[0]) =>
      groupIds.set(spec.groupName, (await gw.createGroup(spec)).id);
    await add({
      groupName: 'claude',
      providerType: 'anthropic',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-ant-a', 'sk-ant-b'],
      models: ['claude-mock'],
      retryCount: 1,
    });
    await add({
      groupName: 'gemini',
      providerType: 'gemini',
      baseUrl: `${mock.origin}/v1beta`,
      apiKeys: ['AIza-gem-a', 'AIza-gem-b'],
      models: ['gemini-mock', 'gemini-embed'],
      retryCount: 1,
    });
    // One model, two provider types: Anthropic preferred, OpenAI behind it.
    await add({
      groupName: 'cross-anthropic',
      providerType: 'anthropic',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-ant-cross'],
      models: ['cross-model'],
      priority: 0,
      retryCount: 0,
      // Anthropic requires max_tokens: the group's default stands in when the client sends none.
      parameters: { max_tokens: 256 },
    });
    await add({
      groupName: 'cross-openai',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-openai-cross'],
      models: ['cross-model'],
      priority: 1,
      retryCount: 0,
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

  describe('an Anthropic group', () => {
    it('answers a chat completion, with the credentials and version Anthropic wants and a log row with tokens', async () => {
      const { openai, id } = await client();
      const answer = await openai.chat.completions.create({
        model: 'claude-mock',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello' },
        ],
      });
      expect(answer.choices[0]).toMatchObject({
        message: { role: 'assistant', content: DEFAULT_CONTENT },
        finish_reason: 'stop',
      });
      expect(answer.usage).toMatchObject(USAGE);
      const upstream = mock.requests[0];
      expect(upstream).toMatchObject({ method: 'POST', path: '/v1/messages' });
      expect(upstream.headers).toMatchObject({ 'anthropic-version': '2023-06-01' });
      expect(upstream.headers.authorization).toBeUndefined();
      expect(upstream.body).toMatchObject({ system: 'Be brief.', max_tokens: 4096 });
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({
          status: 200,
          groupName: 'claude',
          promptTokens: 11,
          completionTokens: 7,
          totalTokens: 18,
        }),
      ]);
    });

    it('streams, counting the usage for the log even though the client did not ask for it', async () => {
      const { openai, id } = await client();
      const chunks = await collect(
        await openai.chat.completions.create({
          model: 'claude-mock',
          messages: [{ role: 'user', content: 'hello' }],
          stream: true,
        }),
      );
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(DEFAULT_CONTENT);
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
      expect(chunks.some((chunk) => chunk.usage)).toBe(false);
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({ status: 200, stream: true, promptTokens: 11, completionTokens: 7 }),
      ]);
    });

    it('hands the usage chunk to a stream client that asks for it', async () => {
      const { openai } = await client();
      const chunks = await collect(
        await openai.chat.completions.create({
          model: 'claude-mock',
          messages: [{ role: 'user', content: 'hello' }],
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: USAGE });
    });

    it('runs a tool round trip, the call streamed or not, each with its log row', async () => {
      const { openai, id } = await client();
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Weather in Paris?' },
      ];
      const first = await openai.chat.completions.create({
        model: 'claude-mock',
        messages,
        tools: [WEATHER_TOOL],
      });
      const call = first.choices[0].message.tool_calls?.[0];
      expect(first.choices[0].finish_reason).toBe('tool_calls');
      expect(call).toMatchObject({
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
      });

      const streamed = await collect(
        await openai.chat.completions.create({
          model: 'claude-mock',
          messages,
          tools: [WEATHER_TOOL],
          stream: true,
        }),
      );
      const args = streamed
        .map((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '')
        .join('');
      expect(JSON.parse(args)).toEqual({ location: 'Paris' });
      expect(streamed.at(-1)?.choices[0].finish_reason).toBe('tool_calls');

      messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call!.id, content: '18°C' });
      const second = await openai.chat.completions.create({
        model: 'claude-mock',
        messages,
        tools: [WEATHER_TOOL],
      });
      expect(second.choices[0].message.content).toBe(DEFAULT_CONTENT);
      expect(mock.requests.at(-1)?.body).toMatchObject({
        messages: [
          { role: 'user' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: call!.id, name: 'get_weather', input: { location: 'Paris' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: '18°C' }] },
        ],
      });
      expect(await toolRoundTripRows(id)).toEqual(toolRoundTripExpected('claude'));
    });

    it("passes a client error back as a 400 in OpenAI's shape with Anthropic's message, without failover", async () => {
      const { key } = await client();
      mock.script('*', { kind: 'status', status: 400 });
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send({ model: 'claude-mock', messages: [{ role: 'user', content: 'x' }] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: {
          message: 'invalid_request_error (mock upstream)',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      expect(mock.requests).toHaveLength(1);
    });

    it('fails over from a 529 overloaded to the other key at once', async () => {
      const { key } = await client();
      mock.script('*', { kind: 'status', status: 529 });
      mock.setDefault('*', { kind: 'ok' });
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send({ model: 'claude-mock', messages: [{ role: 'user', content: 'x' }] })
        .expect(200);
      expect(res.headers['x-switchyard-attempts']).toBe('2');
      expect(new Set(mock.requests.map((request) => request.key)).size).toBe(2);
    });

    it('refuses embeddings for a model only Anthropic groups serve, naming the provider type', async () => {
      const { openai } = await client();
      await expect(openai.embeddings.create({ model: 'claude-mock', input: 'x' })).rejects.toMatchObject({
        status: 404,
        code: 'model_not_found',
        message: expect.stringContaining('only by anthropic groups'),
      });
      expect(mock.requests).toHaveLength(0);
    });

    it('refuses what Anthropic cannot express with a clear 400', async () => {
      const { openai } = await client();
      await expect(
        openai.chat.completions.create({
          model: 'claude-mock',
          messages: [{ role: 'user', content: 'x' }],
          n: 2,
        }),
      ).rejects.toMatchObject({ status: 400, code: 'invalid_request', param: 'n' });
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('a Gemini group', () => {
    it('answers a chat completion with the key in x-goog-api-key and a log row with tokens', async () => {
      const { openai, id } = await client();
      const answer = await openai.chat.completions.create({
        model: 'gemini-mock',
        messages: [{ role: 'user', content: 'hello' }],
        max_tokens: 50,
      });
      expect(answer.choices[0]).toMatchObject({
        message: { content: DEFAULT_CONTENT },
        finish_reason: 'stop',
      });
      const upstream = mock.requests[0];
      expect(upstream.path).toBe('/v1beta/models/gemini-mock:generateContent');
      expect(upstream.query).toBe('');
      expect(upstream.key).toBe('AIza-gem-a');
      expect(upstream.body).toMatchObject({ generationConfig: { maxOutputTokens: 50 } });
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({
          status: 200,
          groupName: 'gemini',
          promptTokens: 11,
          completionTokens: 7,
          totalTokens: 18,
        }),
      ]);
    });

    it('streams through streamGenerateContent?alt=sse with the usage counted', async () => {
      const { openai, id } = await client();
      const chunks = await collect(
        await openai.chat.completions.create({
          model: 'gemini-mock',
          messages: [{ role: 'user', content: 'hello' }],
          stream: true,
        }),
      );
      expect(mock.requests[0]).toMatchObject({
        path: '/v1beta/models/gemini-mock:streamGenerateContent',
        query: 'alt=sse',
      });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(DEFAULT_CONTENT);
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({ status: 200, stream: true, promptTokens: 11, completionTokens: 7 }),
      ]);
    });

    it('runs a tool round trip, the call streamed or not, each with its log row', async () => {
      const { openai, id } = await client();
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Weather in Paris?' },
      ];
      const first = await openai.chat.completions.create({
        model: 'gemini-mock',
        messages,
        tools: [WEATHER_TOOL],
      });
      const call = first.choices[0].message.tool_calls?.[0];
      expect(first.choices[0].finish_reason).toBe('tool_calls');
      expect(call).toMatchObject({ function: { name: 'get_weather', arguments: '{"location":"Paris"}' } });

      const streamed = await collect(
        await openai.chat.completions.create({
          model: 'gemini-mock',
          messages,
          tools: [WEATHER_TOOL],
          stream: true,
        }),
      );
      expect(streamed[0].choices[0].delta.tool_calls?.[0]).toMatchObject({
        index: 0,
        function: { name: 'get_weather' },
      });
      expect(streamed.at(-1)?.choices[0].finish_reason).toBe('tool_calls');

      messages.push(first.choices[0].message, {
        role: 'tool',
        tool_call_id: call!.id,
        content: '{"celsius":18}',
      });
      const second = await openai.chat.completions.create({
        model: 'gemini-mock',
        messages,
        tools: [WEATHER_TOOL],
      });
      expect(second.choices[0].message.content).toBe(DEFAULT_CONTENT);
      expect((mock.requests.at(-1)?.body as { contents: unknown[] }).contents).toEqual([
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { location: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 18 } } }] },
      ]);
      expect(await toolRoundTripRows(id)).toEqual(toolRoundTripExpected('gemini'));
    });

    it('embeds through batchEmbedContents, in the base64 form the SDK asks for by default', async () => {
      const { openai, id } = await client();
      const res = await openai.embeddings.create({
        model: 'gemini-embed',
        input: ['a', 'b c'],
        dimensions: 4,
      });
      expect(res.data).toHaveLength(2);
      expect(res.data[1].embedding.map((value) => Math.round(value * 7))).toEqual([2, 4, 6, 1]);
      expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
      expect(mock.requests[0].path).toBe('/v1beta/models/gemini-embed:batchEmbedContents');
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({
          status: 200,
          groupName: 'gemini',
          promptTokens: 3,
          completionTokens: 0,
          totalTokens: 3,
        }),
      ]);
    });

    it('takes a key reported invalid out of rotation and answers from the other one', async () => {
      const { key } = await client();
      mock.script('AIza-gem-a', {
        kind: 'status',
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
          },
        },
      });
      const send = () =>
        sut
          .http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key}`)
          .send({ model: 'gemini-mock', messages: [{ role: 'user', content: 'x' }] })
          .expect(200);
      expect((await send()).headers['x-switchyard-attempts']).toBe('2');
      await send();
      await send();
      expect(mock.requests.map((request) => request.key)).toEqual([
        'AIza-gem-a',
        'AIza-gem-b',
        'AIza-gem-b',
        'AIza-gem-b',
      ]);
    });

    it("passes an INVALID_ARGUMENT back as a 400 in OpenAI's shape", async () => {
      const { openai } = await client();
      mock.script('*', { kind: 'status', status: 400 });
      await expect(
        openai.chat.completions.create({ model: 'gemini-mock', messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({
        status: 400,
        code: 'invalid_argument',
        message: expect.stringContaining('INVALID_ARGUMENT (mock upstream)'),
      });
      expect(mock.requests).toHaveLength(1);
    });
  });

  describe('failover across provider types', () => {
    it('goes from a failing Anthropic group to the OpenAI one inside one request', async () => {
      const { openai, id } = await client();
      mock.script('sk-ant-cross', { kind: 'status', status: 500 });
      const { data, response } = await openai.chat.completions
        .create({ model: 'cross-model', messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      expect(data.choices[0].message.content).toBe(DEFAULT_CONTENT);
      expect(response.headers.get('x-switchyard-backend')).toBe('cross-openai');
      expect(response.headers.get('x-switchyard-attempts')).toBe('2');
      expect(mock.requests.map((request) => request.path)).toEqual(['/v1/messages', '/v1/chat/completions']);
      expect(mock.requests[0].body).toMatchObject({ max_tokens: 256 });
      expect(await logsOf(id)).toEqual([
        expect.objectContaining({ status: 200, groupName: 'cross-openai', attempts: 2, totalTokens: 18 }),
      ]);
    });

    it('fails over a stream before its first byte: a cut, or an Anthropic error event', async () => {
      const { openai } = await client();
      const overloaded =
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_x","model":"m","usage":{"input_tokens":3}}}\n\n' +
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
      mock.script(
        'sk-ant-cross',
        { kind: 'cut-stream', afterChunks: 1 },
        { kind: 'status', status: 200, body: overloaded, headers: { 'content-type': 'text/event-stream' } },
      );
      for (let i = 0; i < 2; i += 1) {
        const { data, response } = await openai.chat.completions
          .create({ model: 'cross-model', messages: [{ role: 'user', content: 'x' }], stream: true })
          .withResponse();
        expect(response.headers.get('x-switchyard-backend')).toBe('cross-openai');
        const chunks = await collect(data);
        expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(DEFAULT_CONTENT);
      }
      expect(mock.requests.map((request) => request.key)).toEqual([
        'sk-ant-cross',
        'sk-openai-cross',
        'sk-ant-cross',
        'sk-openai-cross',
      ]);
    });
  });

  describe('probes and models', () => {
    it('tests Anthropic and Gemini keys with their own calls', async () => {
      for (const name of ['claude', 'gemini']) {
        const res = await gw
          .admin()
          .post(`/admin/groups/${groupIds.get(name)}/test`)
          .expect(200);
        expect(res.body).toMatchObject({ groupName: name, ok: true });
        expect(res.body.results).toHaveLength(2);
      }
      expect(mock.requests.map((request) => `${request.method} ${request.path} ${request.key}`)).toEqual([
        'GET /v1/models sk-ant-a',
        'GET /v1/models sk-ant-b',
        'GET /v1beta/models AIza-gem-a',
        'GET /v1beta/models AIza-gem-b',
      ]);
      expect(mock.requests[0].headers['anthropic-version']).toBe('2023-06-01');
    });

    it('forces a health check of a Gemini group through the health API and reports a bad key', async () => {
      mock.script('AIza-gem-b', { kind: 'status', status: 403 });
      const res = await gw
        .admin()
        .post(`/api/health-check/force/${groupIds.get('gemini')}`)
        .expect(200);
      expect(JSON.stringify(res.body.data)).toContain('403');
    });

    it('lists the models of Anthropic and Gemini groups in GET /v1/models', async () => {
      const { openai } = await client();
      const ids = [];
      for await (const model of openai.models.list()) ids.push(model.id);
      expect(ids).toEqual(
        expect.arrayContaining(['claude-mock', 'gemini-mock', 'gemini-embed', 'cross-model']),
      );
      const claude = await openai.models.retrieve('claude-mock');
      expect(claude.owned_by).toBe('anthropic');
    });
  });
});
