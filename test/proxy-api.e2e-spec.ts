import OpenAI from 'openai';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TestApp } from './support/test-app.js';

const chat = (model = 'gpt-4o', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user' as const, content: 'hello' }],
  ...extra,
});

describeEachEngine('the /v1 API', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let key: string;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine, env: { BODY_LIMIT: '64kb' } });
    gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'primary',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-primary'],
      models: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'claude-*'],
      modelMap: { 'my-alias': 'gpt-4o-mini' },
      parameters: { temperature: 0.2, max_tokens: 64 },
    });
    await gw.createGroup({
      groupName: 'other',
      baseUrl: mock.baseUrl,
      apiKeys: ['sk-upstream-other'],
      models: ['other-model'],
    });
    key = (await gw.createProxyKey({ name: 'app' })).key;
    client = gw.openai(key);
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  it('answers a chat completion through the OpenAI SDK, with the gateway headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toEqual(expect.any(String));
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-backend')).toBe('primary');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(mock.requests[0].key).toBe('sk-upstream-primary');
  });

  it('echoes the client request id', async () => {
    const res = await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .set('x-request-id', 'my-trace-1')
      .send(chat());
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('my-trace-1');
  });

  it('streams chunk by chunk and ends with [DONE], hiding the usage chunk the gateway asked for', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).not.toBe('');
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(mock.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const raw = await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .send(chat('gpt-4o', { stream: true }));
    expect(raw.headers['content-type']).toContain('text/event-stream');
    expect(raw.text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('keeps the usage chunk when the client asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('round-trips tool calls', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const first = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Beijing?' }],
      tools,
      tool_choice: 'auto',
    });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      tools,
      messages: [
        { role: 'user', content: 'Weather in Beijing?' },
        first.choices[0].message,
        { role: 'tool', tool_call_id: call!.id, content: '{"temp": 21}' },
      ],
    });
    expect(second.choices[0].message.content).toEqual(expect.any(String));
    expect(mock.requests[0].body).toMatchObject({ tools, tool_choice: 'auto' });
  });

  it('passes every client field through untouched except the gateway-only ones', async () => {
    const body = chat('gpt-4o', {
      response_format: { type: 'json_object' },
      logprobs: true,
      top_logprobs: 2,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
      ],
      vendor_extension: { anything: [1, 2, 3] },
      temperature: 0.9,
      backend: 'primary',
      api_base: 'http://evil.example',
      base_url: 'http://evil.example',
      api_key: 'sk-client-supplied',
    });
    await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .send(body)
      .expect(200);
    const sent = mock.requests[0].body as Record<string, unknown>;
    expect(sent).toMatchObject({
      response_format: { type: 'json_object' },
      logprobs: true,
      top_logprobs: 2,
      vendor_extension: { anything: [1, 2, 3] },
      temperature: 0.9,
      messages: body.messages,
    });
    for (const field of ['backend', 'api_base', 'base_url', 'api_key'])
      expect(sent).not.toHaveProperty(field);
    expect(mock.requests[0].key).toBe('sk-upstream-primary');
  });

  it("applies the group's modelMap and default parameters only where the client left them out", async () => {
    await client.chat.completions.create({
      model: 'my-alias',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 1,
    });
    expect(mock.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', temperature: 1, max_tokens: 64 });
  });

  it('routes glob models', async () => {
    await client.chat.completions.create({
      model: 'claude-3-haiku',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(mock.requests[0].body).toMatchObject({ model: 'claude-3-haiku' });
  });

  it('serves embeddings and legacy completions', async () => {
    const embeddings = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(embeddings.data).toHaveLength(2);
    expect(embeddings.data[0].embedding.length).toBeGreaterThan(0);
    const completion = await client.completions.create({ model: 'gpt-4o-mini', prompt: 'Say hi' });
    expect(completion.choices[0].text).toEqual(expect.any(String));
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/embeddings', '/v1/completions']);
  });

  it('lists the models this key may use and finds one', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'my-alias', 'other-model']),
    );
    expect(ids).not.toContain('claude-*');
    expect(models.data[0]).toMatchObject({
      object: 'model',
      created: expect.any(Number),
      owned_by: 'openai',
    });
    await expect(client.models.retrieve('claude-3-opus')).resolves.toMatchObject({ id: 'claude-3-opus' });
    await expect(client.models.retrieve('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('accepts the key in x-api-key and api-key headers', async () => {
    await sut.http().post('/v1/chat/completions').set('x-api-key', key).send(chat()).expect(200);
    await sut.http().post('/v1/chat/completions').set('api-key', key).send(chat()).expect(200);
  });

  describe('refusals in the OpenAI error shape', () => {
    it.each([
      ['no key', undefined],
      ['an unknown key', 'sk-sy-unknownunknownunknownunknownunknown12'],
      ['a malformed header', 'Basic abc'],
    ])('401 for %s, never echoing the key', async (_label, value) => {
      const req = sut.http().post('/v1/chat/completions').send(chat());
      if (value) req.set('Authorization', value.startsWith('Basic') ? value : `Bearer ${value}`);
      const res = await req.expect(401);
      expect(res.body).toEqual({
        error: {
          message: expect.any(String),
          type: 'authentication_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      if (value) expect(res.text).not.toContain(value);
    });

    it('401 for disabled and expired keys', async () => {
      const disabled = await gw.createProxyKey({ enabled: false });
      await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${disabled.key}`)
        .send(chat())
        .expect(401);
      const expired = await gw.createProxyKey({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
      await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${expired.key}`)
        .send(chat())
        .expect(401);
      expect(mock.requests).toHaveLength(0);
    });

    it('403 for a model or a backend outside the key allowlists', async () => {
      const limited = await gw.createProxyKey({ allowedModels: ['gpt-4o-*'], allowedGroups: ['primary'] });
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${limited.key}`)
        .send(chat('gpt-4o'))
        .expect(403);
      expect(res.body.error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed' });
      await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${limited.key}`)
        .send(chat('gpt-4o-mini'))
        .expect(200);
      const onlyOther = await gw.createProxyKey({ allowedGroups: ['other'] });
      const pinned = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${onlyOther.key}`)
        .send(chat('other-model', { backend: 'primary' }))
        .expect(403);
      expect(pinned.body.error.code).toBe('backend_not_allowed');
      const models = await gw.openai(limited.key).models.list();
      expect(models.data.map((m) => m.id).sort()).toEqual(['gpt-4o-mini']);
    });

    it('400 for an unknown backend, with no fallback', async () => {
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send(chat('gpt-4o', { backend: 'nope' }))
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'unknown_backend', param: 'backend' });
      expect(mock.requests).toHaveLength(0);
    });

    it('404 for a model no group serves', async () => {
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send(chat('unknown-model'))
        .expect(404);
      expect(res.body.error.code).toBe('model_not_found');
    });

    it.each([
      ['not JSON', '{"model":', 'invalid_json'],
      ['no model', JSON.stringify({ messages: [] }), 'invalid_request'],
      ['messages not an array', JSON.stringify({ model: 'gpt-4o', messages: 'hi' }), 'invalid_request'],
      [
        'stream not a boolean',
        JSON.stringify({ model: 'gpt-4o', messages: [], stream: 'yes' }),
        'invalid_request',
      ],
    ])('400 for a body with %s', async (_label, body, code) => {
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body.error.code).toBe(code);
    });

    it('413 for a body over BODY_LIMIT', async () => {
      const res = await sut
        .http()
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send(chat('gpt-4o', { padding: 'x'.repeat(70_000) }))
        .expect(413);
      expect(res.body.error.code).toBe('body_too_large');
    });

    it('404 for an unknown /v1 path', async () => {
      const res = await sut.http().get('/v1/nothing-here').set('Authorization', `Bearer ${key}`).expect(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });
});
