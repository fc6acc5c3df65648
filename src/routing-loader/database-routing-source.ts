import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { effectiveApiVersion, effectiveBaseUrl } from '../providers/group-config.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { UpstreamKeyCipher } from '../providers/upstream-key-cipher.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import type { RoutableGroup, RoutableKey, RoutableProxyKey } from '../routing/routing-snapshot.js';
import type { RoutingSource } from '../routing/routing-source.js';

/** Reads enabled groups, their keys (decrypted) and every proxy key for the routing table. */
@Injectable()
export class DatabaseRoutingSource implements RoutingSource {
  constructor(
    @InjectRepository(ProviderGroup) private readonly groups: Repository<ProviderGroup>,
    @InjectRepository(UpstreamKey) private readonly keys: Repository<UpstreamKey>,
    @InjectRepository(ProxyKey) private readonly proxyKeys: Repository<ProxyKey>,
    private readonly cipher: UpstreamKeyCipher,
  ) {}

  async load(): Promise<{ groups: RoutableGroup[]; proxyKeys: RoutableProxyKey[] }> {
    const [groups, keys, proxyKeys] = await Promise.all([
      this.groups.findBy({ enabled: true }),
      this.keys.findBy({ enabled: true }),
      this.proxyKeys.find(),
    ]);
    const keysByGroup = new Map<number, RoutableKey[]>();
    for (const key of keys) {
      const secret = this.cipher.open(key);
      if (secret === undefined) continue;
      const list = keysByGroup.get(key.groupId) ?? [];
      list.push({ id: key.id, groupId: key.groupId, masked: key.hint, secret, weight: key.weight });
      keysByGroup.set(key.groupId, list);
    }
    return {
      groups: groups.map((group) =>
        toRoutableGroup(group, this.cipher.openHeaders(group), keysByGroup.get(group.id) ?? []),
      ),
      proxyKeys: proxyKeys.map(toRoutableProxyKey),
    };
  }
}

function toRoutableGroup(
  group: ProviderGroup,
  headers: Record<string, string>,
  keys: RoutableKey[],
): RoutableGroup {
  return {
    id: group.id,
    name: group.groupName,
    providerType: group.providerType,
    baseUrl: effectiveBaseUrl(group.providerType, group.baseUrl),
    models: group.models,
    modelMap: group.modelMap,
    balancePolicy: group.balancePolicy,
    retryCount: group.retryCount,
    timeoutSeconds: group.timeout,
    priority: group.priority,
    weight: group.weight,
    parameters: group.parameters,
    headers,
    probe: group.probe,
    apiVersion: effectiveApiVersion(group.providerType, group.apiVersion),
    keys: keys.sort((a, b) => a.id - b.id),
  };
}

function toRoutableProxyKey(key: ProxyKey): RoutableProxyKey {
  return {
    id: key.id,
    name: key.name,
    keyHash: key.keyHash,
    enabled: key.enabled,
    expiresAt: key.expiresAt ?? undefined,
    rpm: key.rpm ?? undefined,
    tpm: key.tpm ?? undefined,
    tokenBudget: key.tokenBudget ?? undefined,
    allowedModels: key.allowedModels,
    allowedGroups: key.allowedGroups,
  };
}
