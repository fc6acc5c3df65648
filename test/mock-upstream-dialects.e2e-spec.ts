import type { AppConfig } from '../src/config/app-config.js';
import type { SseEvent, UpstreamAdapter, UpstreamTarget } from '../src/upstream/adapter.js';
import { anthropicAdapter } from '../src/upstream/adapters/anthropic/anthropic.adapter.js';
import { geminiAdapter } from '../src/upstream/adapters/gemini/gemini.adapter.js';
import { SseParser } from '../src/upstream/sse-parser.js';
import { UpstreamClient, UpstreamResponse } from '../src/upstream/upstream-client.js';
import { classifyReply } from '../src/upstream/upstream-reply.js';
import { MockUpstream } from './support/mock-upstream.js';
import { DEFAULT_CONTENT } from './support/mock-openai-wire.js';

const jsonOf = async (response: UpstreamResponse): Promise<unknown> => JSON.parse(await response.text());

// The mock upstream's Anthropic and Gemini dialects, driven through the real adapters and client.

const DEADLINES = { connectMs: 1000, firstByteMs: 5000, idleMs: 5000, totalMs: 10_000 };
const CHAT = { model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] };

async function readEvents(response: UpstreamResponse): Promise<SseEvent[]> {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for await (const chunk of response.body) events.push(...parser.push(chunk));
  return [...events, ...parser.end()];
}

describe('MockUpstream dialects', () => {
  let mock: MockUpstream;
  let client: UpstreamClient;
  const targets = (): Array<[string, UpstreamAdapter, UpstreamTarget]> => [
    ['anthropic', anthropicAdapter, { baseUrl: mock.baseUrl, apiKey: 'key-a', headers: {} }],
    ['gemini', geminiAdapter, { baseUrl: `${mock.origin}/v1beta`, apiKey: 'key-a', headers: {} }],
  ];

  beforeAll(async () => {
    mock = await MockUpstream.start({ models: ['mock-model'] });
    client = new UpstreamClient({ upstreamDenyPrivate: false } as AppConfig);
  });
  afterEach(() => mock.reset());
  afterAll(async () => {
    await client.onModuleDestroy();
    await mock.stop();
  });

  it.each(['anthropic', 'gemini'])(
    'answers %s chat, streamed or not, with the usage asked for',
    async (name) => {
      const [, adapter, target] = targets().find(([type]) => type === name)!;
      mock.setDefault('key-a', { kind: 'ok', usage: { prompt_tokens: 4, completion_tokens: 2 } });
      const json = await client.send(adapter.buildRequest('chat', CHAT, target), DEADLINES);
      const parsed = adapter.parseResponse('chat', json.status, await jsonOf(json));
      expect(parsed.usage).toEqual({ promptTokens: 4, completionTokens: 2, totalTokens: 6 });
      expect(mock.requests[0].key).toBe('key-a');

      const stream = await client.send(
        adapter.buildRequest('chat', { ...CHAT, stream: true }, target),
        DEADLINES,
      );
      const translator = adapter.createStreamTranslator({ stripUsageOnlyChunk: true });
      const out = (await readEvents(stream)).flatMap((event) => translator.push(event));
      out.push(...translator.end());
      const text = out
        .filter((event) => event.data !== '[DONE]')
        .map((event) => JSON.parse(event.data).choices[0]?.delta?.content ?? '')
        .join('');
      expect(text).toBe(DEFAULT_CONTENT);
      expect(translator.done).toBe(true);
      expect(translator.usage).toEqual({ promptTokens: 4, completionTokens: 2, totalTokens: 6 });
    },
  );

  it.each([
    ['anthropic', 529, 'overloaded'],
    ['anthropic', 401, 'auth'],
    ['gemini', 429, 'rate_limited'],
    ['gemini', 400, 'client_error'],
  ])('answers an %s fault %i with its error body, read as %s', async (name, status, kind) => {
    const [, adapter, target] = targets().find(([type]) => type === name)!;
    mock.script('*', { kind: 'status', status });
    const res = await client.send(adapter.buildRequest('chat', CHAT, target), DEADLINES);
    expect(res.status).toBe(status);
    expect(classifyReply(adapter, 'chat', res.status, res.headers, await res.text()).outcome.kind).toBe(kind);
  });

  it.each(['anthropic', 'gemini'])('cuts an %s stream after the chunks it was told to send', async (name) => {
    const [, adapter, target] = targets().find(([type]) => type === name)!;
    mock.script('*', { kind: 'cut-stream', afterChunks: 2 });
    const res = await client.send(adapter.buildRequest('chat', { ...CHAT, stream: true }, target), DEADLINES);
    await expect(readEvents(res)).rejects.toThrow();
  });

  it.each(['anthropic', 'gemini'])(
    'drips an %s stream in the pieces it was told to send, after the first-byte delay',
    async (name) => {
      const [, adapter, target] = targets().find(([type]) => type === name)!;
      mock.script(
        '*',
        { kind: 'slow-stream', chunkDelayMs: 30, chunks: 3 },
        { kind: 'first-byte-delay', delayMs: 150 },
      );
      const translate = async () => {
        const started = Date.now();
        const res = await client.send(
          adapter.buildRequest('chat', { ...CHAT, stream: true }, target),
          DEADLINES,
        );
        const translator = adapter.createStreamTranslator({ stripUsageOnlyChunk: true });
        const text = (await readEvents(res))
          .flatMap((event) => translator.push(event))
          .filter((event) => event.data !== '[DONE]')
          .map((event) => JSON.parse(event.data).choices[0]?.delta?.content ?? '')
          .join('');
        return { text, ms: Date.now() - started, done: translator.done };
      };
      const slow = await translate();
      expect(slow).toMatchObject({ text: 'chunk0 chunk1 chunk2', done: true });
      expect(slow.ms).toBeGreaterThanOrEqual(60);
      const delayed = await translate();
      expect(delayed).toMatchObject({ text: DEFAULT_CONTENT, done: true });
      expect(delayed.ms).toBeGreaterThanOrEqual(140);
    },
  );

  it('lists models and embeds in the providers’ shapes', async () => {
    const [[, anthropic, anthropicTarget], [, gemini, geminiTarget]] = targets();
    for (const [adapter, target] of [
      [anthropic, anthropicTarget],
      [gemini, geminiTarget],
    ] as const) {
      const res = await client.send(adapter.buildRequest('models', {}, target), DEADLINES);
      expect(adapter.parseResponse('models', res.status, await jsonOf(res)).body).toMatchObject({
        data: [{ id: 'mock-model', object: 'model' }],
      });
    }
    const embed = { model: 'mock-model', input: ['a', 'b'], dimensions: 3 };
    const res = await client.send(gemini.buildRequest('embeddings', embed, geminiTarget), DEADLINES);
    expect(gemini.parseResponse('embeddings', res.status, await jsonOf(res), embed).body).toMatchObject({
      data: [{ index: 0, embedding: expect.any(Array) }, { index: 1 }],
    });
  });
});
