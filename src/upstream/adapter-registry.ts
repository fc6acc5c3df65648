import type { ProviderType } from './provider-type.js';
import type { UpstreamAdapter } from './adapter.js';
import { anthropicAdapter } from './adapters/anthropic/anthropic.adapter.js';
import { azureAdapter } from './adapters/azure/azure.adapter.js';
import { geminiAdapter } from './adapters/gemini/gemini.adapter.js';
import { openAiAdapter, openAiCompatibleAdapter } from './adapters/openai/openai.adapter.js';

// One line per provider type; a new type is a new folder under adapters/ and a line here.
const ADAPTERS: Partial<Record<ProviderType, UpstreamAdapter>> = {
  openai: openAiAdapter,
  'openai-compatible': openAiCompatibleAdapter,
  azure: azureAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export class UnsupportedProviderTypeError extends Error {
  constructor(readonly providerType: string) {
    super(`provider type ${providerType} is not supported yet`);
    this.name = 'UnsupportedProviderTypeError';
  }
}

export function isProviderTypeSupported(type: ProviderType): boolean {
  return ADAPTERS[type] !== undefined;
}

export function adapterFor(type: ProviderType): UpstreamAdapter {
  const adapter = ADAPTERS[type];
  if (adapter === undefined) throw new UnsupportedProviderTypeError(type);
  return adapter;
}
