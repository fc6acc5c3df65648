import { AdminError } from '../common/admin-error.js';
import { assertKeysFit, effectiveBaseUrl } from './group-config.js';

describe(effectiveBaseUrl.name, () => {
  it.each([
    ['openai', null, 'https://api.openai.com/v1'],
    ['openai-compatible', 'http://127.0.0.1:11434', 'http://127.0.0.1:11434/v1'],
    ['openai-compatible', 'http://127.0.0.1:11434/', 'http://127.0.0.1:11434/v1'],
    ['openai', 'http://127.0.0.1:8000/v1/', 'http://127.0.0.1:8000/v1'],
    ['openai-compatible', 'https://api.groq.com/openai/v1', 'https://api.groq.com/openai/v1'],
    ['azure', 'https://res.openai.azure.com', 'https://res.openai.azure.com'],
  ] as const)('%s with %s → %s', (type, baseUrl, expected) => {
    expect(effectiveBaseUrl(type, baseUrl)).toBe(expected);
  });
});

describe(assertKeysFit.name, () => {
  it('lets an OpenAI-type group with its own base URL go without keys', () => {
    expect(() =>
      assertKeysFit({ providerType: 'openai-compatible', baseUrl: 'http://h:1' }, []),
    ).not.toThrow();
    expect(() => assertKeysFit({ providerType: 'openai', baseUrl: 'http://h:1' }, [])).not.toThrow();
  });

  it('refuses no keys for a cloud default URL or another provider type', () => {
    expect(() => assertKeysFit({ providerType: 'openai', baseUrl: null }, [])).toThrow(AdminError);
    expect(() => assertKeysFit({ providerType: 'azure', baseUrl: 'https://r.openai.azure.com' }, [])).toThrow(
      /apiKeys may be empty only/,
    );
    expect(() => assertKeysFit({ providerType: 'openai', baseUrl: null }, ['sk-x'])).not.toThrow();
  });
});
