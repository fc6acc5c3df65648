import { PROVIDER_TYPES } from '../providers/routing-snapshot.js';
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

  it('names the endpoints each type serves', () => {
    expect([...adapterFor('anthropic').endpoints].sort()).toEqual(['chat', 'models']);
    expect([...adapterFor('gemini').endpoints].sort()).toEqual(['chat', 'embeddings', 'models']);
    expect([...adapterFor('openai').endpoints].sort()).toEqual([
      'chat',
      'completions',
      'embeddings',
      'models',
    ]);
  });
});
