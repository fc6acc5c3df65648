import { PROVIDER_TYPES } from './provider-type.js';
import { adapterFor, isProviderTypeSupported, UnsupportedProviderTypeError } from './adapter-registry.js';

describe(adapterFor.name, () => {
  it.each(['openai', 'openai-compatible', 'azure'] as const)('has an adapter of type %s', (type) => {
    expect(adapterFor(type).type).toBe(type);
    expect(isProviderTypeSupported(type)).toBe(true);
  });

  it.each(['anthropic', 'gemini'] as const)('refuses %s clearly until its adapter exists', (type) => {
    expect(() => adapterFor(type)).toThrow(new UnsupportedProviderTypeError(type));
    expect(() => adapterFor(type)).toThrow(`provider type ${type} is not supported yet`);
    expect(isProviderTypeSupported(type)).toBe(false);
  });

  it('knows every provider type, supported or not', () => {
    expect(PROVIDER_TYPES.filter(isProviderTypeSupported)).toEqual(['openai', 'azure', 'openai-compatible']);
  });
});
