import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { diffChanges, REDACTED, updateAction } from '../audit/audit-changes.js';
import { AuditService } from '../audit/audit.service.js';
import { CONFIG_CHANGED, ConfigChangedEvent } from '../routing/config-changed.event.js';
import { AddUpstreamKeysDto, PatchUpstreamKeyDto } from './dto/upstream-key.dto.js';
import { ProviderGroup } from './provider-group.entity.js';
import { NO_KEY_SECRET, UpstreamKeyCipher } from './upstream-key-cipher.js';
import { UpstreamKey } from './upstream-key.entity.js';
import { AdminError } from '../common/admin-error.js';

export interface KeyChanges {
  added: UpstreamKey[];
  removed: UpstreamKey[];
}

/** A group's upstream keys: the `/keys` sub-resources, and the key set of a group body. */
@Injectable()
export class UpstreamKeysService {
  constructor(
    private readonly audit: AuditService,
    private readonly cipher: UpstreamKeyCipher,
    private readonly events: EventEmitter2,
  ) {}

  async add(groupId: number, body: AddUpstreamKeysDto, actor: string): Promise<void> {
    if (body.apiKey !== undefined && body.apiKeys !== undefined)
      throw new AdminError('invalid', 'Send either apiKey or apiKeys, not both');
    const secrets = body.apiKeys ?? [body.apiKey as string];
    await this.audit.transaction(async (manager) => {
      await findGroup(manager, groupId);
      const existing = await manager.findBy(UpstreamKey, { groupId });
      const opened = existing.map((key) => ({ key, secret: this.cipher.open(key) }));
      if (opened.some(({ secret }) => secret !== undefined && secrets.includes(secret)))
        throw new AdminError('conflict', 'The group already holds this key');
      await this.insert(manager, groupId, secrets, actor, {
        weight: body.weight ?? 1,
        enabled: body.enabled ?? true,
      });
      // A keyless group that gets real keys is no longer keyless.
      const slot = opened.find(({ secret }) => secret === NO_KEY_SECRET)?.key;
      if (slot) await this.deleteKey(manager, groupId, slot, actor);
    });
    await this.changed(groupId);
  }

  async update(groupId: number, keyId: number, body: PatchUpstreamKeyDto, actor: string): Promise<void> {
    await this.audit.transaction(async (manager) => {
      const key = await findKey(manager, groupId, keyId);
      const changes = diffChanges(
        { enabled: key.enabled, weight: key.weight },
        { enabled: body.enabled ?? key.enabled, weight: body.weight ?? key.weight },
      );
      if (Object.keys(changes).length === 0) return;
      await manager.update(
        UpstreamKey,
        { id: keyId },
        { enabled: body.enabled ?? key.enabled, weight: body.weight ?? key.weight },
      );
      await this.audit.record(manager, {
        actor,
        action: updateAction(changes),
        entity: 'upstream_key',
        entityId: keyId,
        changes: { groupId, masked: key.hint, ...changes },
      });
    });
    await this.changed(groupId);
  }

  async remove(groupId: number, keyId: number, actor: string): Promise<void> {
    await this.audit.transaction(async (manager) => {
      const key = await findKey(manager, groupId, keyId);
      await manager.delete(UpstreamKey, { id: keyId });
      await this.audit.record(manager, {
        actor,
        action: 'delete',
        entity: 'upstream_key',
        entityId: keyId,
        changes: { groupId, masked: key.hint },
      });
    });
    await this.changed(groupId);
  }

  /** Makes the group's key set exactly `secrets`: keys already held keep their id, state and weight. */
  async reconcile(
    manager: EntityManager,
    groupId: number,
    secrets: readonly string[],
    actor: string,
  ): Promise<KeyChanges> {
    const existing = await manager.findBy(UpstreamKey, { groupId });
    const held = new Map(existing.map((key) => [this.cipher.open(key), key]));
    const removed = existing.filter((key) => {
      const secret = this.cipher.open(key);
      return secret === undefined || !secrets.includes(secret);
    });
    for (const key of removed) await this.deleteKey(manager, groupId, key, actor);
    const added = await this.insert(
      manager,
      groupId,
      secrets.filter((secret) => !held.has(secret)),
      actor,
      { weight: 1, enabled: true },
    );
    return { added, removed };
  }

  private async deleteKey(
    manager: EntityManager,
    groupId: number,
    key: UpstreamKey,
    actor: string,
  ): Promise<void> {
    await manager.delete(UpstreamKey, { id: key.id });
    await this.audit.record(manager, {
      actor,
      action: 'delete',
      entity: 'upstream_key',
      entityId: key.id,
      changes: { groupId, masked: key.hint },
    });
  }

  async insert(
    manager: EntityManager,
    groupId: number,
    secrets: readonly string[],
    actor: string,
    state: { weight: number; enabled: boolean },
  ): Promise<UpstreamKey[]> {
    const keys: UpstreamKey[] = [];
    for (const secret of secrets) {
      const key = await manager.save(
        manager.create(UpstreamKey, { groupId, ...this.cipher.seal(secret), ...state }),
      );
      await this.audit.record(manager, {
        actor,
        action: 'create',
        entity: 'upstream_key',
        entityId: key.id,
        changes: { groupId, masked: key.hint, ...state, apiKey: REDACTED },
      });
      keys.push(key);
    }
    return keys;
  }

  private async changed(groupId: number): Promise<void> {
    await this.events.emitAsync(CONFIG_CHANGED, {
      entity: 'group',
      id: groupId,
    } satisfies ConfigChangedEvent);
  }
}

/** A group body's keys: none means the one keyless slot. */
export function keySetOf(apiKeys: readonly string[]): readonly string[] {
  return apiKeys.length === 0 ? [NO_KEY_SECRET] : apiKeys;
}

export async function findGroup(manager: EntityManager, id: number): Promise<ProviderGroup> {
  const group = await manager.findOneBy(ProviderGroup, { id });
  if (!group) throw new AdminError('not_found', `Group ${id} not found`);
  return group;
}

async function findKey(manager: EntityManager, groupId: number, keyId: number): Promise<UpstreamKey> {
  await findGroup(manager, groupId);
  const key = await manager.findOneBy(UpstreamKey, { id: keyId, groupId });
  if (!key) throw new AdminError('not_found', `Key ${keyId} not found in group ${groupId}`);
  return key;
}
