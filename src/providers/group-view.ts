import { maskSecret } from '../common/masking.js';
import { isSecretName } from '../audit/audit-changes.js';
import { GroupViewDto, KeyHealthViewDto, UpstreamKeyViewDto } from './dto/group-view.dto.js';
import { effectiveApiVersion, effectiveBaseUrl } from './group-config.js';
import { ProviderGroup } from './provider-group.entity.js';
import { UpstreamKey } from './upstream-key.entity.js';

// How groups and keys leave the API: keys masked (never the secret), credential-like header
// values masked, defaults resolved.

/** What the view needs to know about a key beyond its row: can it be decrypted, is it routable. */
export interface KeyStanding {
  readonly usable: boolean;
  readonly health: KeyHealthViewDto;
}

export function toUpstreamKeyView(key: UpstreamKey, standing: KeyStanding): UpstreamKeyViewDto {
  return {
    id: key.id,
    masked: key.hint,
    enabled: key.enabled,
    weight: key.weight,
    usable: standing.usable,
    health: standing.health,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
  };
}

export function toGroupView(
  group: ProviderGroup,
  headers: Record<string, string>,
  keys: readonly UpstreamKey[],
  standingOf: (key: UpstreamKey) => KeyStanding,
): GroupViewDto {
  const apiVersion = effectiveApiVersion(group.providerType, group.apiVersion);
  return {
    id: group.id,
    groupName: group.groupName,
    providerType: group.providerType,
    baseUrl: effectiveBaseUrl(group.providerType, group.baseUrl),
    models: group.models,
    modelMap: group.modelMap,
    balancePolicy: group.balancePolicy,
    retryCount: group.retryCount,
    timeout: group.timeout,
    priority: group.priority,
    weight: group.weight,
    enabled: group.enabled,
    parameters: group.parameters,
    headers: maskedHeaders(headers),
    probe: group.probe,
    ...(apiVersion === undefined ? {} : { apiVersion }),
    keys: [...keys].sort((a, b) => a.id - b.id).map((key) => toUpstreamKeyView(key, standingOf(key))),
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretName(name) ? maskSecret(value) : value]),
  );
}
