import { readFileSync } from 'node:fs';
import type { UpstreamTarget } from '../../adapter.js';
import { AZURE_DEFAULT_API_VERSION, azureAdapter } from './azure.adapter.js';

const read = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));
const REQUEST = read(new URL('../openai/__fixtures__/chat-tools.request.json', import.meta.url)) as Record<
  string,
  unknown
>;

const TARGET: UpstreamTarget = {
  baseUrl: 'https://fixture.openai.azure.com',
  apiKey: 'sk-fixture-upstream-key',
  headers: {
    'OpenAI-Organization': 'org-fixture',
    'X-Trace': 'fixture-trace',
    'api-key': 'someone-else',
    Authorization: 'Bearer sk-leak',
  },
  apiVersion: '2024-10-21',
};

describe('Azure adapter', () => {
  const sut = azureAdapter;

  it('sends the chat-tools request to the deployment URL with an api-key header and no Authorization', () => {
    const spec = sut.buildRequest('chat', REQUEST, TARGET);
    expect({ ...spec, body: JSON.parse(spec.body ?? 'null') }).toEqual(
      read(new URL('./__fixtures__/chat-tools.upstream.json', import.meta.url)),
    );
    expect(spec.headers).not.toHaveProperty('authorization');
  });

  it.each([
    [
      'completions',
      'https://fixture.openai.azure.com/openai/deployments/my%20deploy/completions?api-version=2025-01-01-preview',
    ],
    [
      'embeddings',
      'https://fixture.openai.azure.com/openai/deployments/my%20deploy/embeddings?api-version=2025-01-01-preview',
    ],
    ['models', 'https://fixture.openai.azure.com/openai/models?api-version=2025-01-01-preview'],
  ] as const)('builds the %s URL with the group api-version', (endpoint, url) => {
    expect(
      sut.buildRequest(endpoint, { model: 'my deploy' }, { ...TARGET, apiVersion: '2025-01-01-preview' }).url,
    ).toBe(url);
  });

  it('falls back to the default api-version when the group sets none', () => {
    const spec = sut.buildRequest('chat', { model: 'gpt-4o' }, { ...TARGET, apiVersion: undefined });
    expect(spec.url).toBe(
      `https://fixture.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`,
    );
  });

  it('probes the deployment with a 1-token chat', () => {
    const probe = sut.buildProbe(TARGET, { kind: 'chat' }, 'gpt-4o');
    expect(probe.url).toBe(
      'https://fixture.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    );
    expect(probe.headers['api-key']).toBe('sk-fixture-upstream-key');
    expect(JSON.parse(probe.body ?? '')).toMatchObject({ max_tokens: 1 });
  });

  it('sends the Responses API to the v1 surface, without deployment or api-version', () => {
    const spec = sut.buildRequest('responses', { model: 'gpt-4o', input: 'hi' }, TARGET);
    expect(spec.url).toBe('https://fixture.openai.azure.com/openai/v1/responses');
    expect(spec.headers['api-key']).toBe(TARGET.apiKey);
  });
});
