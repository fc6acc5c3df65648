import { readFileSync } from 'node:fs';
import { UntranslatableRequestError, type UpstreamTarget } from '../../adapter.js';
import { classifyReply } from '../../upstream-reply.js';
import { anthropicAdapter } from './anthropic.adapter.js';

// Fixtures are free-form JSON.
type Json = ReturnType<typeof JSON.parse>;

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const TARGET: UpstreamTarget = {
  baseUrl: 'https://api.anthropic.com/v1',
  apiKey: 'sk-ant-fixture-upstream-key',
  headers: { 'X-Trace': 'fixture-trace', 'x-api-key': 'sk-ant-someone-else', Host: 'evil.example' },
};
const NOW = Date.parse('2026-01-01T00:00:00Z');

const withoutCreated = (body: Json) => ({ ...body, created: 0 });

describe('anthropicAdapter', () => {
  const sut = anthropicAdapter;

  it('turns an OpenAI chat request with images, tools and parameters into the Anthropic request', () => {
    const spec = sut.buildRequest('chat', fixture('chat-tools.request.json'), TARGET, {
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'x-other': 'not forwarded',
    });
    expect({ ...spec, body: JSON.parse(spec.body ?? 'null') }).toEqual(fixture('chat-tools.upstream.json'));
  });

  it('turns tool calls and their results into tool_use and tool_result blocks in alternating turns', () => {
    const spec = sut.buildRequest('chat', fixture('tool-round-trip.request.json'), TARGET);
    expect(JSON.parse(spec.body ?? 'null')).toEqual(fixture('tool-round-trip.upstream.json'));
    expect(spec.headers['anthropic-beta']).toBeUndefined();
  });

  it("takes max_tokens from the client, else the group's parameters merged into the body, else 4096", () => {
    const body = (extra: object) =>
      JSON.parse(
        sut.buildRequest('chat', { model: 'c', messages: [{ role: 'user', content: 'x' }], ...extra }, TARGET)
          .body ?? '',
      );
    expect(body({}).max_tokens).toBe(4096);
    expect(body({ max_tokens: 12 }).max_tokens).toBe(12);
    expect(body({ max_completion_tokens: 34 }).max_tokens).toBe(34);
  });

  it('states a JSON schema response format as an instruction', () => {
    const spec = sut.buildRequest(
      'chat',
      {
        model: 'c',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object' } } },
      },
      TARGET,
    );
    expect(JSON.parse(spec.body ?? '').system).toMatch(/JSON Schema: \{"type":"object"\}$/);
  });

  it.each([
    ['n above 1', { n: 2 }, 'n'],
    [
      'an audio part',
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages',
    ],
    [
      'an image that is no URL',
      {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] },
        ],
      },
      'messages',
    ],
    [
      'tool arguments that are not JSON',
      {
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      },
      'messages',
    ],
  ])('refuses %s as untranslatable', (_name, extra, param) => {
    const request = { model: 'c', messages: [{ role: 'user', content: 'x' }], ...extra };
    expect(() => sut.buildRequest('chat', request, TARGET)).toThrow(UntranslatableRequestError);
    try {
      sut.buildRequest('chat', request, TARGET);
    } catch (error) {
      expect((error as UntranslatableRequestError).param).toBe(param);
    }
  });

  it('serves no embeddings or completions', () => {
    expect(sut.endpoints.has('embeddings')).toBe(false);
    expect(() => sut.buildRequest('embeddings', { model: 'c', input: 'x' }, TARGET)).toThrow(
      UntranslatableRequestError,
    );
  });

  it.each([
    ['message-text', { promptTokens: 2095, completionTokens: 503, totalTokens: 2598 }],
    ['message-tools', { promptTokens: 1070, completionTokens: 80, totalTokens: 1150 }],
  ])('translates the %s answer and its usage, cache reads and writes included', (name, usage) => {
    const parsed = sut.parseResponse('chat', 200, fixture(`${name}.response.json`));
    expect(withoutCreated(parsed.body)).toEqual(fixture(`${name}.openai.json`));
    expect(parsed.usage).toEqual(usage);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
  ])('maps stop_reason %s to finish_reason %s', (reason, finish) => {
    const body = { ...fixture('message-text.response.json'), stop_reason: reason };
    expect((sut.parseResponse('chat', 200, body).body as Json).choices[0].finish_reason).toBe(finish);
  });

  it('lists models in the OpenAI shape and probes with GET /models', () => {
    expect(sut.parseResponse('models', 200, fixture('models.response.json')).body).toEqual({
      object: 'list',
      data: [
        { id: 'claude-sonnet-4-5-20250929', object: 'model', created: 1759104000, owned_by: 'anthropic' },
        { id: 'claude-3-5-haiku-20241022', object: 'model', created: 1729555200, owned_by: 'anthropic' },
      ],
    });
    expect(sut.buildProbe(TARGET, { kind: 'models' }, 'c')).toEqual({
      method: 'GET',
      url: 'https://api.anthropic.com/v1/models',
      headers: { 'x-trace': 'fixture-trace', 'x-api-key': TARGET.apiKey, 'anthropic-version': '2023-06-01' },
    });
  });

  describe('errors', () => {
    it.each(fixture('errors.json') as Json[])('$name', (example) => {
      const verdict = classifyReply(
        sut,
        'chat',
        example.status,
        example.headers,
        JSON.stringify(example.body),
        NOW,
      );
      expect(verdict.outcome).toMatchObject(example.expect);
      if (example.clientBody) {
        expect(verdict.translated).toBe(true);
        expect(JSON.parse(verdict.clientBody)).toEqual(example.clientBody);
      }
    });
  });
});
