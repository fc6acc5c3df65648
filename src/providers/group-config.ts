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

/** The URL a group talks to: its own, else its provider type's default (no trailing slash). */
export function effectiveBaseUrl(providerType: ProviderType, baseUrl: string | null | undefined): string {
  return (baseUrl ?? DEFAULT_BASE_URLS[providerType] ?? '').replace(/\/+$/, '');
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
