import { readFileSync } from 'node:fs';
import { UntranslatableRequestError, type UpstreamTarget } from '../../adapter.js';
import { openAiAdapter, openAiCompatibleAdapter } from './openai.adapter.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const TARGET: UpstreamTarget = {
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-fixture-upstream-key',
  // A group may add headers, never replace the credentials or the framing.
  headers: {
    'OpenAI-Organization': 'org-fixture',
    'X-Trace': 'fixture-trace',
    Authorization: 'Bearer sk-someone-else',
    Host: 'evil.example',
    'Content-Length': '1',
    'content-type': 'text/plain',
    'Accept-Encoding': 'gzip',
  },
};

describe('OpenAiAdapter', () => {
  const sut = openAiAdapter;

  it('turns the chat-tools request into the recorded upstream request, every field passed through', () => {
    const request = fixture('chat-tools.request.json') as Record<string, unknown>;
    const spec = sut.buildRequest('chat', request, TARGET);
    expect({ ...spec, body: JSON.parse(spec.body ?? 'null') }).toEqual(fixture('chat-tools.upstream.json'));
  });

  it.each([
    ['completions', 'https://api.openai.com/v1/completions'],
    ['embeddings', 'https://api.openai.com/v1/embeddings'],
  ] as const)('posts %s to %s', (endpoint, url) => {
    const spec = sut.buildRequest(endpoint, { model: 'm', input: 'x' }, { ...TARGET, headers: {} });
    expect(spec).toEqual({
      method: 'POST',
      url,
      headers: { authorization: 'Bearer sk-fixture-upstream-key', 'content-type': 'application/json' },
      body: '{"model":"m","input":"x"}',
    });
  });

  it('sends no credential header for a keyless group', () => {
    const spec = sut.buildRequest('chat', { model: 'm' }, { ...TARGET, apiKey: '', headers: {} });
    expect(spec.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('lists models with a bodiless GET', () => {
    expect(sut.buildRequest('models', {}, { ...TARGET, headers: {} })).toEqual({
      method: 'GET',
      url: 'https://api.openai.com/v1/models',
      headers: { authorization: 'Bearer sk-fixture-upstream-key' },
    });
  });

  it('probes with GET /models, or with a 1-token chat on the probe model else the given one', () => {
    const target = { ...TARGET, headers: {} };
    expect(sut.buildProbe(target, { kind: 'models' }, 'gpt-4o')).toMatchObject({
      method: 'GET',
      url: 'https://api.openai.com/v1/models',
    });
    const chat = sut.buildProbe(target, { kind: 'chat' }, 'gpt-4o');
    expect(chat).toMatchObject({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions' });
    expect(JSON.parse(chat.body ?? '')).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'ping' }],
      max_completion_tokens: 1,
    });
    const pinned = sut.buildProbe(target, { kind: 'chat', model: 'gpt-4o-mini' }, 'gpt-4o');
    expect(JSON.parse(pinned.body ?? '')).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('returns a response body as is, with the usage it reports', () => {
    const body = {
      id: 'x',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    };
    const parsed = sut.parseResponse('chat', 200, body);
    expect(parsed.body).toBe(body);
    expect(parsed.usage).toEqual({ promptTokens: 12, completionTokens: 3, totalTokens: 15 });
    expect(sut.passthrough).toBe(true);
  });

  it('reads embeddings usage (no completion tokens) and ignores usage on errors and model lists', () => {
    expect(
      sut.parseResponse('embeddings', 200, { data: [], usage: { prompt_tokens: 8, total_tokens: 8 } }).usage,
    ).toEqual({ promptTokens: 8, completionTokens: 0, totalTokens: 8 });
    expect(sut.parseResponse('chat', 400, { error: {}, usage: { prompt_tokens: 1 } }).usage).toBeUndefined();
    expect(sut.parseResponse('chat', 200, { choices: [] }).usage).toBeUndefined();
    expect(sut.parseResponse('chat', 200, 'not an object')).toEqual({ body: 'not an object' });
  });

  it('openai-compatible is the same base with its own type and the older token limit for probes', () => {
    expect(openAiCompatibleAdapter.type).toBe('openai-compatible');
    const spec = openAiCompatibleAdapter.buildRequest(
      'chat',
      { model: 'llama3' },
      { baseUrl: 'http://10.0.0.5:8000/v1', apiKey: 'k', headers: {} },
    );
    expect(spec.url).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(spec.headers.authorization).toBe('Bearer k');
    const probe = openAiCompatibleAdapter.buildProbe(
      { baseUrl: 'http://h/v1', apiKey: 'k', headers: {} },
      { kind: 'chat' },
      'llama3',
    );
    expect(JSON.parse(probe.body ?? '')).toMatchObject({ max_tokens: 1 });
  });

  it('serves the Responses API on openai, not on openai-compatible', () => {
    const body = { model: 'gpt-4o', input: 'hi' };
    expect(sut.buildRequest('responses', body, TARGET).url).toBe('https://api.openai.com/v1/responses');
    expect(() => openAiCompatibleAdapter.buildRequest('responses', body, TARGET)).toThrow(
      UntranslatableRequestError,
    );
    const parsed = sut.parseResponse('responses', 200, {
      usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 },
    });
    expect(parsed.usage).toEqual({ promptTokens: 5, completionTokens: 2, totalTokens: 7 });
  });
});
