import type { BalancePolicy } from '../config/app-config.js';
import {
  assertAllowedUpstreamUrl,
  UpstreamUrlRefusedError,
  UrlGuardOptions,
} from '../upstream/upstream-url-guard.js';
import { AZURE_DEFAULT_API_VERSION } from '../upstream/adapters/azure/azure.adapter.js';
import type { ProbeSettings, ProviderType } from '../upstream/provider-type.js';
import { AdminError } from '../common/admin-error.js';

// A group's defaults and the rules that span several fields; single-field rules live in the DTO.

export const GROUP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

export const GROUP_DEFAULTS = {
  balancePolicy: 'round_robin' as BalancePolicy,
  retryCount: 3,
  timeout: 60,
  priority: 1,
  weight: 1,
  enabled: true,
  probe: { kind: 'models' } as ProbeSettings,
};

// OpenAI-compatible servers (OpenAI, vLLM, Ollama, LM Studio…) serve the API under `/v1`.
const OPENAI_TYPES: ReadonlySet<ProviderType> = new Set(['openai', 'openai-compatible']);

/**
 * The URL a group talks to: its own, else its provider type's default (no trailing slash). An
 * OpenAI-type URL without a path (`http://127.0.0.1:11434`) means the server's `/v1`: sending
 * `/chat/completions` to its root would only ever answer 404.
 */
export function effectiveBaseUrl(providerType: ProviderType, baseUrl: string | null | undefined): string {
  const url = (baseUrl ?? DEFAULT_BASE_URLS[providerType] ?? '').replace(/\/+$/, '');
  return OPENAI_TYPES.has(providerType) && /^https?:\/\/[^/]+$/i.test(url) ? `${url}/v1` : url;
}

export function effectiveApiVersion(
  providerType: ProviderType,
  apiVersion: string | null | undefined,
): string | undefined {
  return apiVersion ?? (providerType === 'azure' ? AZURE_DEFAULT_API_VERSION : undefined);
}

/** Why a base URL is malformed, or undefined. Where it may point is the upstream URL guard's call. */
export function baseUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials; use the group keys or headers';
  if (raw.includes('?') || raw.includes('#')) return 'must not contain a query or fragment';
  return undefined;
}

/** Cross-field rules, checked on the whole group after defaults and patches are applied. */
export function assertGroupConsistent(
  group: { providerType: ProviderType; baseUrl: string | null; models: string[]; probe: ProbeSettings },
  urlGuard: UrlGuardOptions,
): void {
  if (!group.baseUrl && !DEFAULT_BASE_URLS[group.providerType]) {
    throw new AdminError('invalid', `baseUrl is required for providerType ${group.providerType}`);
  }
  try {
    assertAllowedUpstreamUrl(effectiveBaseUrl(group.providerType, group.baseUrl), urlGuard);
  } catch (error) {
    if (error instanceof UpstreamUrlRefusedError) throw new AdminError('invalid', `baseUrl ${error.message}`);
    throw error;
  }
  if (group.probe.kind === 'chat' && !group.probe.model && /[*?]/.test(group.models[0] ?? '')) {
    throw new AdminError(
      'invalid',
      'probe.model is required for a chat probe when the first model is a glob',
    );
  }
}

/**
 * A group without keys is a local model server that needs none (Ollama, vLLM…): it must name its
 * own OpenAI-type server, never a cloud provider's default URL, where no key means only 401s.
 */
export function assertKeysFit(
  group: { providerType: ProviderType; baseUrl: string | null },
  apiKeys: readonly string[],
): void {
  if (apiKeys.length > 0) return;
  if (!OPENAI_TYPES.has(group.providerType) || !group.baseUrl)
    throw new AdminError(
      'invalid',
      'apiKeys may be empty only for an openai or openai-compatible group with its own baseUrl (a local model server that needs no key)',
    );
}
