import { PROVIDER_TYPES } from './provider-type.js';
import { adapterFor, isProviderTypeSupported } from './adapter-registry.js';

describe(adapterFor.name, () => {
  it.each(PROVIDER_TYPES)('has an adapter of type %s', (type) => {
    expect(adapterFor(type).type).toBe(type);
    expect(isProviderTypeSupported(type)).toBe(true);
  });

  it('passes OpenAI-type bytes through and translates the others', () => {
    expect(PROVIDER_TYPES.filter((type) => adapterFor(type).passthrough)).toEqual([
      'openai',
      'azure',
      'openai-compatible',
    ]);
  });

  it.each([
    ['anthropic', ['chat', 'count_tokens', 'messages', 'models']],
    ['gemini', ['chat', 'embeddings', 'models']],
    ['openai', ['chat', 'completions', 'embeddings', 'models', 'responses']],
    ['azure', ['chat', 'completions', 'embeddings', 'models', 'responses']],
    ['openai-compatible', ['chat', 'completions', 'embeddings', 'models']],
  ] as const)('names the endpoints type %s serves', (type, endpoints) => {
    expect([...adapterFor(type).endpoints].sort()).toEqual(endpoints);
  });
});
