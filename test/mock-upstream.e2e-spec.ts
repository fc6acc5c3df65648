import { getEventListeners } from 'node:events';
import OpenAI from 'openai';
import { errors as undiciErrors } from 'undici';
import type { AppConfig } from '../src/config/app-config.js';
import type { SseEvent, UpstreamTarget } from '../src/upstream/adapter.js';
import { azureAdapter } from '../src/upstream/adapters/azure/azure.adapter.js';
import { openAiAdapter } from '../src/upstream/adapters/openai/openai.adapter.js';
import { SseParser } from '../src/upstream/sse-parser.js';
import { UpstreamClient, UpstreamDeadlines, UpstreamResponse } from '../src/upstream/upstream-client.js';
import {
  classifyAttempt,
  ClientAbortError,
  isClientAbort,
  UpstreamTimeoutError,
} from '../src/upstream/upstream-error.js';
import { UpstreamUrlRefusedError } from '../src/upstream/upstream-url-guard.js';
import { MockUpstream } from './support/mock-upstream.js';

const jsonOf = async (response: UpstreamResponse): Promise<unknown> => JSON.parse(await response.text());

// UpstreamClient against the mock upstream: real sockets on 127.0.0.1, no database.

const DEADLINES: UpstreamDeadlines = { connectMs: 1000, firstByteMs: 5000, idleMs: 5000, totalMs: 10_000 };
const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

const clientConfig = (upstreamDenyPrivate: boolean): AppConfig => ({ upstreamDenyPrivate }) as AppConfig;

async function readEvents(response: UpstreamResponse, arrivals?: number[]): Promise<SseEvent[]> {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for await (const chunk of response.body) {
    const completed = parser.push(chunk);
    if (completed.length > 0) arrivals?.push(Date.now());
    events.push(...completed);
  }
  return [...events, ...parser.end()];
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe(UpstreamClient.name, () => {
  let mock: MockUpstream;
  let sut: UpstreamClient;
  let target: UpstreamTarget;
  const chat = (body: Record<string, unknown> = CHAT, key = 'sk-upstream-1') =>
    openAiAdapter.buildRequest('chat', body, { ...target, apiKey: key });

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = new UpstreamClient(clientConfig(false));
    target = { baseUrl: mock.baseUrl, apiKey: 'sk-upstream-1', headers: { 'X-Group': 'g1' } };
  });
  afterEach(() => mock.reset());
  afterAll(async () => {
    await sut.onModuleDestroy();
    await mock.stop();
  });

  it('sends a chat request and returns the JSON answer with usage', async () => {
    const response = await sut.send(chat(), DEADLINES);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ message: { role: 'assistant', content: 'Hello from the mock upstream.' } }],
    });
    expect(openAiAdapter.parseResponse('chat', 200, body).usage).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
    });
    expect(mock.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/chat/completions',
        key: 'sk-upstream-1',
        body: CHAT,
      }),
    ]);
    expect(mock.requests[0].headers['x-group']).toBe('g1');
  });

  it('delivers stream chunks as they arrive, not at the end', async () => {
    mock.script('*', { kind: 'slow-stream', chunkDelayMs: 80, chunks: 4 });
    const response = await sut.send(chat({ ...CHAT, stream: true }), DEADLINES);
    expect(response.headers['content-type']).toContain('text/event-stream');
    const arrivals: number[] = [];
    const events = await readEvents(response, arrivals);
    expect(events.at(-1)).toEqual({ data: '[DONE]' });
    expect(events).toHaveLength(1 + 4 + 1 + 1); // role, 4 content chunks, finish, [DONE]
    expect(arrivals.length).toBeGreaterThanOrEqual(6);
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThanOrEqual(300);
  });

  it('times out waiting for the first byte', async () => {
    mock.script('*', { kind: 'first-byte-delay', delayMs: 3000 });
    const started = Date.now();
    const error = await settle(sut.send(chat(), { ...DEADLINES, firstByteMs: 200 }));
    expect(error).toBeInstanceOf(undiciErrors.HeadersTimeoutError);
    expect(classifyAttempt({ error }).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out on an idle gap inside a stream', async () => {
    mock.script('*', { kind: 'slow-stream', chunkDelayMs: 3000, chunks: 3 });
    const started = Date.now();
    const response = await sut.send(chat({ ...CHAT, stream: true }), { ...DEADLINES, idleMs: 200 });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000); // the headers came at once; the body stalls
    const error = await settle(readEvents(response));
    expect(error).toBeInstanceOf(undiciErrors.BodyTimeoutError);
    expect(classifyAttempt({ error }).kind).toBe('timeout');
  });

  it('enforces the total deadline before the headers, and tells the upstream by closing the connection', async () => {
    mock.script('*', { kind: 'hang' });
    const error = await settle(sut.send(chat(), { ...DEADLINES, totalMs: 300 }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ phase: 'total' });
    expect(classifyAttempt({ error }).kind).toBe('timeout');
    expect(isClientAbort(error)).toBe(false);
    await expect(mock.waitForAbort(1000)).resolves.toBeUndefined();
  });

  it('enforces the total deadline while a stream is still flowing', async () => {
    mock.script('*', { kind: 'slow-stream', chunkDelayMs: 100, chunks: 30 });
    const response = await sut.send(chat({ ...CHAT, stream: true }), { ...DEADLINES, totalMs: 500 });
    const error = await settle(readEvents(response));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
  });

  it('never follows a redirect: the 302 comes back as it is', async () => {
    mock.script('*', { kind: 'redirect', location: `${mock.baseUrl}/models` });
    const response = await sut.send(chat(), DEADLINES);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${mock.baseUrl}/models`);
    await response.discard();
    expect(mock.requests).toHaveLength(1);
    expect(classifyAttempt({ status: response.status }).kind).toBe('server_error');
  });

  it('reports a connection reset before the answer as a network failure', async () => {
    mock.script('*', { kind: 'reset' });
    const error = await settle(sut.send(chat(), DEADLINES));
    expect(error).toBeInstanceOf(Error);
    expect(classifyAttempt({ error }).kind).toBe('network');
  });

  it('reports a stream cut mid-way as a network failure after the chunks already sent', async () => {
    mock.script('*', { kind: 'cut-stream', afterChunks: 2 });
    const response = await sut.send(chat({ ...CHAT, stream: true }), DEADLINES);
    const parser = new SseParser();
    const received: SseEvent[] = [];
    const error = await settle(
      (async () => {
        for await (const chunk of response.body) received.push(...parser.push(chunk));
      })(),
    );
    expect(received).toHaveLength(2);
    expect(classifyAttempt({ error }).kind).toBe('network');
  });

  it('refuses connections to an unreachable port as a network failure', async () => {
    const closed = await MockUpstream.start();
    const baseUrl = closed.baseUrl;
    await closed.stop();
    const error = await settle(
      sut.send(openAiAdapter.buildRequest('chat', CHAT, { ...target, baseUrl }), DEADLINES),
    );
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(classifyAttempt({ error }).kind).toBe('network');
  });

  it('aborts the upstream request within a second when the caller aborts before the headers', async () => {
    mock.script('*', { kind: 'hang' });
    const caller = new AbortController();
    const pending = settle(sut.send(chat(), DEADLINES, caller.signal));
    await until(() => mock.requests.length === 1);
    caller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(ClientAbortError);
    expect(isClientAbort(error)).toBe(true);
    expect(classifyAttempt({ error }).kind).toBe('client_abort');
    await expect(mock.waitForAbort(1000)).resolves.toBeUndefined();
  });

  it('aborts a flowing stream when the caller aborts after the first chunk', async () => {
    mock.script('*', { kind: 'slow-stream', chunkDelayMs: 100, chunks: 50 });
    const caller = new AbortController();
    const response = await sut.send(chat({ ...CHAT, stream: true }), DEADLINES, caller.signal);
    const error = await settle(
      (async () => {
        for await (const _chunk of response.body) caller.abort();
      })(),
    );
    expect(isClientAbort(error)).toBe(true);
    await expect(mock.waitForAbort(1000)).resolves.toBeUndefined();
  });

  it("leaves no listener on the caller's signal once the body is consumed", async () => {
    const caller = new AbortController();
    const response = await sut.send(chat(), DEADLINES, caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    await jsonOf(response);
    await new Promise((resolve) => setImmediate(resolve)); // the body's 'close' follows its end
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('refuses to send when the caller already aborted', async () => {
    const caller = new AbortController();
    caller.abort();
    await expect(sut.send(chat(), DEADLINES, caller.signal)).rejects.toBeInstanceOf(ClientAbortError);
    expect(mock.requests).toHaveLength(0);
  });

  it('reuses keep-alive connections for sequential requests, also after a discarded error body', async () => {
    mock.script('*', { kind: 'status', status: 500 });
    const failed = await sut.send(chat(), DEADLINES);
    expect(failed.status).toBe(500);
    await failed.discard();
    for (let i = 0; i < 6; i += 1) {
      const response = await sut.send(chat(), DEADLINES);
      await jsonOf(response);
    }
    expect(mock.requests).toHaveLength(7);
    expect(mock.connectionCount).toBeLessThanOrEqual(2);
  });

  it('refuses private upstreams when UPSTREAM_DENY_PRIVATE is on, before any connection', async () => {
    const guarded = new UpstreamClient(clientConfig(true));
    await expect(guarded.send(chat(), DEADLINES)).rejects.toBeInstanceOf(UpstreamUrlRefusedError);
    await guarded.onModuleDestroy();
    expect(mock.requests).toHaveLength(0);
  });
});

describe(MockUpstream.name, () => {
  let sut: MockUpstream;
  let client: UpstreamClient;
  const send = (spec: Parameters<UpstreamClient['send']>[0]) => client.send(spec, DEADLINES);

  beforeAll(async () => {
    sut = await MockUpstream.start({ models: ['gpt-4o-mini', 'text-embedding-3-small'] });
    client = new UpstreamClient(clientConfig(false));
  });
  afterEach(() => sut.reset());
  afterAll(async () => {
    await client.onModuleDestroy();
    await sut.stop();
  });

  const target = (apiKey = 'key-a'): UpstreamTarget => ({ baseUrl: sut.baseUrl, apiKey, headers: {} });

  it('plays scripted behaviors per key in order, then the key default, then ok', async () => {
    sut.script(
      'key-a',
      { kind: 'status', status: 429, headers: { 'retry-after': '3' } },
      { kind: 'status', status: 401 },
    );
    sut.setDefault('key-a', { kind: 'status', status: 503 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await send(openAiAdapter.buildRequest('chat', CHAT, target('key-a')));
      statuses.push(response.status);
      if (i === 0)
        expect(
          classifyAttempt({ status: 429, retryAfterHeader: response.headers['retry-after'] }).retryAfterMs,
        ).toBe(3000);
      if (i === 1)
        await expect(jsonOf(response)).resolves.toMatchObject({
          error: { code: 'invalid_api_key', type: 'invalid_request_error' },
        });
      else await response.discard();
    }
    const other = await send(openAiAdapter.buildRequest('chat', CHAT, target('key-b')));
    expect([...statuses, other.status]).toEqual([429, 401, 503, 200]);
    await other.discard();
  });

  it('streams usage only when the client asked for it, and the translator strips it on request', async () => {
    const plain = await send(openAiAdapter.buildRequest('chat', { ...CHAT, stream: true }, target()));
    expect((await readEvents(plain)).some((event) => event.data.includes('prompt_tokens'))).toBe(false);

    const withUsage = await send(
      openAiAdapter.buildRequest(
        'chat',
        { ...CHAT, stream: true, stream_options: { include_usage: true } },
        target(),
      ),
    );
    const translator = openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const forwarded = (await readEvents(withUsage)).flatMap((event) => translator.push(event));
    expect(translator.usage).toEqual({ promptTokens: 10, completionTokens: 5, totalTokens: 15 });
    expect(translator.done).toBe(true);
    expect(forwarded.some((event) => event.data.includes('prompt_tokens'))).toBe(false);
  });

  it('answers a request with tools by a tool call, and the tool result by text', async () => {
    const tools = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
    ];
    const call = await send(openAiAdapter.buildRequest('chat', { ...CHAT, tools }, target()));
    await expect(jsonOf(call)).resolves.toMatchObject({
      choices: [
        {
          finish_reason: 'tool_calls',
          message: {
            tool_calls: [
              { type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
            ],
          },
        },
      ],
    });
    const streamed = await send(
      openAiAdapter.buildRequest('chat', { ...CHAT, tools, stream: true }, target()),
    );
    const deltas = (await readEvents(streamed))
      .filter((event) => event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data).choices[0].delta);
    expect(deltas.map((delta) => delta.tool_calls?.[0]?.function?.arguments ?? '').join('')).toBe(
      '{"location":"Paris"}',
    );
    const messages = [
      ...CHAT.messages,
      { role: 'assistant', tool_calls: [] },
      { role: 'tool', tool_call_id: 'c', content: '18°C' },
    ];
    const answer = await send(
      openAiAdapter.buildRequest('chat', { model: 'gpt-4o-mini', messages, tools }, target()),
    );
    await expect(jsonOf(answer)).resolves.toMatchObject({
      choices: [{ finish_reason: 'stop', message: { content: expect.any(String) } }],
    });
  });

  it('serves completions, embeddings (floats and base64) and models', async () => {
    const completion = await send(
      openAiAdapter.buildRequest(
        'completions',
        { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' },
        target(),
      ),
    );
    await expect(jsonOf(completion)).resolves.toMatchObject({
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: expect.any(String) }],
    });

    const floats = await send(
      openAiAdapter.buildRequest(
        'embeddings',
        { model: 'text-embedding-3-small', input: ['a', 'b', 'c'] },
        target(),
      ),
    );
    const floatBody = (await jsonOf(floats)) as { data: Array<{ embedding: number[] }>; usage: unknown };
    expect(floatBody.data).toHaveLength(3);
    expect(floatBody.data[0].embedding).toHaveLength(8);
    const base64 = await send(
      openAiAdapter.buildRequest(
        'embeddings',
        { model: 'text-embedding-3-small', input: 'a', encoding_format: 'base64' },
        target(),
      ),
    );
    const encoded = ((await jsonOf(base64)) as { data: Array<{ embedding: string }> }).data[0].embedding;
    expect(Buffer.from(encoded, 'base64').byteLength).toBe(8 * 4);

    const models = await send(openAiAdapter.buildRequest('models', {}, target()));
    await expect(jsonOf(models)).resolves.toEqual({
      object: 'list',
      data: [
        expect.objectContaining({ id: 'gpt-4o-mini' }),
        expect.objectContaining({ id: 'text-embedding-3-small' }),
      ],
    });
  });

  it('speaks Azure paths with the api-key header, reporting the deployment as the model', async () => {
    const azure: UpstreamTarget = {
      baseUrl: sut.origin,
      apiKey: 'azure-key',
      headers: {},
      apiVersion: '2024-10-21',
    };
    const response = await send(
      azureAdapter.buildRequest('chat', { messages: CHAT.messages, model: 'my-deployment' }, azure),
    );
    await expect(jsonOf(response)).resolves.toMatchObject({ model: 'my-deployment' });
    const embeddings = await send(
      azureAdapter.buildRequest('embeddings', { model: 'emb', input: 'x' }, azure),
    );
    expect(embeddings.status).toBe(200);
    await embeddings.discard();
    expect(sut.requests.map((r) => [r.path, r.query, r.key])).toEqual([
      ['/openai/deployments/my-deployment/chat/completions', 'api-version=2024-10-21', 'azure-key'],
      ['/openai/deployments/emb/embeddings', 'api-version=2024-10-21', 'azure-key'],
    ]);
  });

  it('is understood by the official openai SDK: chat, tool-call stream with usage, embeddings, models', async () => {
    const openai = new OpenAI({ baseURL: sut.baseUrl, apiKey: 'sdk-key', maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0].message.content).toBe('Hello from the mock upstream.');
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather?' }],
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let usage: unknown;
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(args).toBe('{"location":"Paris"}');
    expect(usage).toEqual({ prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 });
    const embedded = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(embedded.data.map((item) => item.embedding.length)).toEqual([8, 8]);
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
    expect(sut.requests.every((request) => request.key === 'sdk-key')).toBe(true);
  });

  it('rejects a wait for a client abort that never comes', async () => {
    await expect(sut.waitForAbort(50)).rejects.toThrow('no client abort');
    expect(sut.aborted).toBe(0);
  });
});
