import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import { CONFIG_CHANGED } from './config-changed.event.js';
import { effectiveApiVersion, effectiveBaseUrl } from '../providers/group-config.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { buildRoutingSnapshot } from './routing-snapshot-builder.js';
import type { RoutableGroup, RoutableKey, RoutableProxyKey, RoutingSnapshot } from './routing-snapshot.js';
import { UpstreamKeyCipher } from '../providers/upstream-key-cipher.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';

/**
 * The in-memory routing view: built at boot, rebuilt after every committed admin change
 * (`config.changed`), swapped atomically. The hot path only ever calls `current()`.
 */
@Injectable()
export class RoutingTable implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingTable.name);
  private snapshot: RoutingSnapshot = buildRoutingSnapshot({ version: 0, groups: [], proxyKeys: [] });
  private running?: Promise<void>;
  private queued?: Promise<void>;
  /** False until the first build from the database has finished (readiness). */
  loaded = false;

  constructor(
    @InjectRepository(ProviderGroup) private readonly groups: Repository<ProviderGroup>,
    @InjectRepository(UpstreamKey) private readonly keys: Repository<UpstreamKey>,
    @InjectRepository(ProxyKey) private readonly proxyKeys: Repository<ProxyKey>,
    private readonly cipher: UpstreamKeyCipher,
  ) {}

  current(): RoutingSnapshot {
    return this.snapshot;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  @OnEvent(CONFIG_CHANGED)
  async onConfigChanged(): Promise<void> {
    try {
      await this.rebuild();
    } catch (error) {
      this.logger.error(
        `Routing table rebuild failed; still serving version ${this.snapshot.version}: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Resolves once a build that started after this call has been installed. Calls arriving while
   * a build runs share one follow-up build, so a slow, older read never overwrites a newer one.
   */
  rebuild(): Promise<void> {
    if (this.queued) return this.queued;
    const next: Promise<void> = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.build();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }

  private async build(): Promise<void> {
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
    this.snapshot = buildRoutingSnapshot({
      version: this.snapshot.version + 1,
      groups: groups.map((group) =>
        toRoutableGroup(group, this.cipher.openHeaders(group), keysByGroup.get(group.id) ?? []),
      ),
      proxyKeys: proxyKeys.map(toRoutableProxyKey),
    });
    this.loaded = true;
    this.logger.debug(
      `Routing table version ${this.snapshot.version}: ${this.snapshot.groups.length} groups, ${this.snapshot.proxyKeysByHash.size} proxy keys`,
    );
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
