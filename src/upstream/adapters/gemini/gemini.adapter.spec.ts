import { readFileSync } from 'node:fs';
import { UntranslatableRequestError, type UpstreamTarget } from '../../adapter.js';
import { classifyReply } from '../../upstream-reply.js';
import { geminiAdapter } from './gemini.adapter.js';

// Fixtures are free-form JSON.
type Json = ReturnType<typeof JSON.parse>;

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const TARGET: UpstreamTarget = {
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  apiKey: 'AIza-fixture-upstream-key',
  headers: { 'X-Trace': 'fixture-trace', 'X-Goog-Api-Key': 'AIza-someone-else' },
};

const withoutCreated = (body: Json) => ({ ...body, created: 0 });

describe('geminiAdapter', () => {
  const sut = geminiAdapter;

  it('turns an OpenAI chat request with images, a tool round trip and parameters into the Gemini request', () => {
    const spec = sut.buildRequest('chat', fixture('chat-tools.request.json'), TARGET);
    expect({ ...spec, body: JSON.parse(spec.body ?? 'null') }).toEqual(fixture('chat-tools.upstream.json'));
    expect(spec.url).not.toContain(TARGET.apiKey);
  });

  it('posts a non-stream request to :generateContent, a models/ prefix tolerated', () => {
    const spec = sut.buildRequest(
      'chat',
      { model: 'models/gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }], tool_choice: 'auto' },
      TARGET,
    );
    expect(spec.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent',
    );
    expect(JSON.parse(spec.body ?? '')).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
  ])('maps tool_choice %s', (choice, config) => {
    const body = {
      model: 'g',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: choice,
    };
    const upstream = JSON.parse(sut.buildRequest('chat', body, TARGET).body ?? '');
    expect(upstream.toolConfig).toEqual({ functionCallingConfig: config });
    expect(upstream.tools).toEqual([{ functionDeclarations: [{ name: 'f' }] }]);
  });

  it('refuses a tool result that answers no earlier call', () => {
    const body = { model: 'g', messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] };
    expect(() => sut.buildRequest('chat', body, TARGET)).toThrow(UntranslatableRequestError);
  });

  it.each([
    ['text', { promptTokens: 120, completionTokens: 50, totalTokens: 170 }],
    ['tools', { promptTokens: 60, completionTokens: 22, totalTokens: 82 }],
  ])('translates the %s answer, candidates and usage (thoughts counted as output)', (name, usage) => {
    const parsed = sut.parseResponse('chat', 200, fixture(`${name}.response.json`));
    expect(withoutCreated(parsed.body)).toEqual(fixture(`${name}.openai.json`));
    expect(parsed.usage).toEqual(usage);
  });

  it('answers a blocked prompt with a content_filter choice', () => {
    const parsed = sut.parseResponse('chat', 200, fixture('blocked.response.json'));
    expect((parsed.body as Json).choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
    expect(parsed.usage).toEqual({ promptTokens: 9, completionTokens: 0, totalTokens: 9 });
  });

  it.each([
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['MAX_TOKENS', 'length'],
    ['STOP', 'stop'],
    ['OTHER', 'stop'],
  ])('maps finishReason %s to %s', (reason, finish) => {
    const body = fixture('text.response.json');
    body.candidates = [{ ...body.candidates[0], finishReason: reason }];
    expect((sut.parseResponse('chat', 200, body).body as Json).choices[0].finish_reason).toBe(finish);
  });

  it('sends embeddings through :batchEmbedContents and answers in the OpenAI shape', () => {
    const request = fixture('embed.request.json');
    const spec = sut.buildRequest('embeddings', request, TARGET);
    expect({ ...spec, body: JSON.parse(spec.body ?? 'null') }).toEqual(fixture('embed.upstream.json'));
    const parsed = sut.parseResponse('embeddings', 200, fixture('embed.response.json'), request);
    expect(parsed.body).toEqual(fixture('embed.openai.json'));
    expect(parsed.usage).toEqual({ promptTokens: 6, completionTokens: 0, totalTokens: 6 });
  });

  it('records no embeddings usage when Gemini reports none, and answers zeros', () => {
    const { usageMetadata: _reported, ...unreported } = fixture('embed.response.json');
    const parsed = sut.parseResponse('embeddings', 200, unreported, fixture('embed.request.json'));
    expect((parsed.body as Json).usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
    expect(parsed.usage).toBeUndefined();
  });

  it('encodes embeddings as little-endian float32 base64 when asked, as the openai SDK does by default', () => {
    const request = { ...fixture('embed.request.json'), encoding_format: 'base64' };
    const body = sut.parseResponse('embeddings', 200, fixture('embed.response.json'), request).body as Json;
    const decoded = Buffer.from(body.data[0].embedding, 'base64');
    expect(Array.from(new Float32Array(decoded.buffer, decoded.byteOffset, decoded.length / 4))).toEqual([
      0.25, -0.5, 1,
    ]);
  });

  it('lists models and probes with GET /models, the key in a header', () => {
    expect(sut.parseResponse('models', 200, fixture('models.response.json')).body).toEqual({
      object: 'list',
      data: [
        { id: 'gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google' },
        { id: 'text-embedding-004', object: 'model', created: 0, owned_by: 'google' },
      ],
    });
    expect(sut.buildProbe(TARGET, { kind: 'models' }, 'g')).toEqual({
      method: 'GET',
      url: 'https://generativelanguage.googleapis.com/v1beta/models',
      headers: { 'x-trace': 'fixture-trace', 'x-goog-api-key': TARGET.apiKey },
    });
    const chat = sut.buildProbe(TARGET, { kind: 'chat' }, 'gemini-2.5-flash');
    expect(chat.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(JSON.parse(chat.body ?? '').generationConfig).toEqual({ maxOutputTokens: 1 });
  });

  describe('errors', () => {
    it.each(fixture('errors.json') as Json[])('$name', (example) => {
      const verdict = classifyReply(sut, 'chat', example.status, {}, JSON.stringify(example.body));
      expect(verdict.outcome).toMatchObject(example.expect);
      if (example.clientBody) {
        expect(verdict.translated).toBe(true);
        expect(JSON.parse(verdict.clientBody)).toEqual(example.clientBody);
      }
    });
  });
});
