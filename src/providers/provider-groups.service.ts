import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Changes, diffChanges, REDACTED, updateAction } from '../audit/audit-changes.js';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { readConsistently } from '../database/consistent-read.js';
import { CONFIG_CHANGED, ConfigChangedEvent } from '../routing/config-changed.event.js';
import { GroupDto, PatchGroupDto } from './dto/group.dto.js';
import { GroupViewDto } from './dto/group-view.dto.js';
import { assertGroupConsistent, assertKeysFit, GROUP_DEFAULTS } from './group-config.js';
import { toGroupView } from './group-view.js';
import { HealthState } from '../key-health/health-state.service.js';
import { explainKey } from '../key-health/routability.js';
import { ProviderGroup } from './provider-group.entity.js';
import { UpstreamKeyCipher } from './upstream-key-cipher.js';
import { UpstreamKey } from './upstream-key.entity.js';
import { findGroup, keySetOf, UpstreamKeysService } from './upstream-keys.service.js';
import { AdminError } from '../common/admin-error.js';

type GroupFields = Omit<GroupDto, 'apiKeys'>;
type FieldName = keyof GroupFields;

// What an omitted (POST, PUT) or null (PATCH) field becomes; required fields have no entry.
const FIELD_DEFAULTS: Partial<Record<FieldName, unknown>> = {
  baseUrl: null,
  modelMap: {},
  parameters: {},
  headers: {},
  apiVersion: null,
  ...GROUP_DEFAULTS,
};
const FIELDS: FieldName[] = [
  'groupName',
  'providerType',
  'models',
  'baseUrl',
  'modelMap',
  'balancePolicy',
  'retryCount',
  'timeout',
  'priority',
  'weight',
  'enabled',
  'parameters',
  'headers',
  'probe',
  'apiVersion',
];

/** `/admin/groups`: every change is one audited transaction, then the routing table rebuilds. */
@Injectable()
export class ProviderGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly upstreamKeys: UpstreamKeysService,
    private readonly cipher: UpstreamKeyCipher,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
    private readonly health: HealthState,
  ) {}

  // Reads see committed groups with all their keys, never a half-written create or replace.
  async list(): Promise<GroupViewDto[]> {
    const [groups, keys] = await readConsistently(this.dataSource, (manager) =>
      Promise.all([
        manager.find(ProviderGroup, { order: { priority: 'ASC', id: 'ASC' } }),
        manager.find(UpstreamKey),
      ]),
    );
    return groups.map((group) =>
      this.view(
        group,
        keys.filter((key) => key.groupId === group.id),
      ),
    );
  }

  async get(id: number): Promise<GroupViewDto> {
    const [group, keys] = await readConsistently(this.dataSource, (manager) =>
      Promise.all([findGroup(manager, id), manager.findBy(UpstreamKey, { groupId: id })]),
    );
    return this.view(group, keys);
  }

  async create(body: GroupDto, actor: string): Promise<GroupViewDto> {
    const id = await this.audit.transaction(async (manager) => {
      const group = this.withFields(manager.create(ProviderGroup), body, 'replace');
      assertKeysFit(group, body.apiKeys);
      await this.assertNameFree(manager, group.groupName);
      const saved = await manager.save(group);
      await this.audit.record(manager, {
        actor,
        action: 'create',
        entity: 'group',
        entityId: saved.id,
        changes: { ...this.fieldsOf(saved), apiKeys: REDACTED },
      });
      await this.upstreamKeys.insert(manager, saved.id, keySetOf(body.apiKeys), actor, {
        weight: 1,
        enabled: true,
      });
      return saved.id;
    });
    return this.changed(id);
  }

  /**
   * PUT: the body replaces every field; keys already held (same secret) keep their id and state.
   * `note` is added to the audit row of a change, e.g. why the configuration file made it.
   */
  async replace(id: number, body: GroupDto, actor: string, note: Changes = {}): Promise<GroupViewDto> {
    await this.audit.transaction(async (manager) => {
      const group = await findGroup(manager, id);
      const before = this.fieldsOf(group);
      this.withFields(group, body, 'replace');
      assertKeysFit(group, body.apiKeys);
      const { added, removed } = await this.upstreamKeys.reconcile(
        manager,
        id,
        keySetOf(body.apiKeys),
        actor,
      );
      const keyChanges =
        added.length + removed.length > 0
          ? { keysAdded: added.map((key) => key.hint), keysRemoved: removed.map((key) => key.hint) }
          : {};
      await this.save(manager, group, before, actor, keyChanges, note);
    });
    return this.changed(id);
  }

  async patch(id: number, body: PatchGroupDto, actor: string): Promise<GroupViewDto> {
    await this.audit.transaction(async (manager) => {
      const group = await findGroup(manager, id);
      const before = this.fieldsOf(group);
      await this.save(manager, this.withFields(group, body, 'patch'), before, actor, {});
    });
    return this.changed(id);
  }

  /** Deletes the group and (by cascade) its keys; request logs keep their rows. */
  async remove(id: number, actor: string): Promise<void> {
    await this.audit.transaction(async (manager) => {
      const group = await findGroup(manager, id);
      const keyCount = await manager.countBy(UpstreamKey, { groupId: id });
      await manager.delete(ProviderGroup, { id });
      await this.audit.record(manager, {
        actor,
        action: 'delete',
        entity: 'group',
        entityId: id,
        changes: { ...this.fieldsOf(group), keyCount },
      });
    });
    await this.events.emitAsync(CONFIG_CHANGED, { entity: 'group', id } satisfies ConfigChangedEvent);
  }

  private async save(
    manager: EntityManager,
    group: ProviderGroup,
    before: Record<string, unknown>,
    actor: string,
    keyChanges: Record<string, unknown>,
    note: Changes = {},
  ): Promise<void> {
    await this.assertNameFree(manager, group.groupName, group.id);
    const changes = { ...diffChanges(before, this.fieldsOf(group)), ...keyChanges };
    if (Object.keys(changes).length === 0) return;
    await manager.save(group);
    await this.audit.record(manager, {
      actor,
      action: updateAction(changes),
      entity: 'group',
      entityId: group.id,
      changes: { ...changes, ...note },
    });
  }

  private withFields(
    group: ProviderGroup,
    body: Partial<GroupFields>,
    mode: 'replace' | 'patch',
  ): ProviderGroup {
    const target = group as unknown as Record<FieldName, unknown>;
    for (const field of FIELDS) {
      const value = body[field];
      if (mode === 'patch' && value === undefined) continue;
      if (field === 'headers') group.sealedHeaders = this.cipher.sealHeaders(body.headers ?? {});
      else target[field] = value ?? structuredClone(FIELD_DEFAULTS[field]);
    }
    // Class instances from the DTO (the probe) are stored as plain JSON.
    group.probe = { ...group.probe };
    if (group.baseUrl) group.baseUrl = group.baseUrl.replace(/\/+$/, '');
    assertGroupConsistent(group, { denyPrivate: this.config.upstreamDenyPrivate });
    return group;
  }

  // Case-insensitive on every engine (MySQL's collation already is), so `backend` names never clash.
  private async assertNameFree(manager: EntityManager, name: string, exceptId?: number): Promise<void> {
    const query = manager
      .createQueryBuilder(ProviderGroup, 'g')
      .where('LOWER(g.group_name) = LOWER(:name)', { name });
    if (exceptId !== undefined) query.andWhere('g.id <> :exceptId', { exceptId });
    if (await query.getExists()) throw new AdminError('conflict', `A group named "${name}" already exists`);
  }

  private async changed(id: number): Promise<GroupViewDto> {
    await this.events.emitAsync(CONFIG_CHANGED, { entity: 'group', id } satisfies ConfigChangedEvent);
    return this.get(id);
  }

  private view(group: ProviderGroup, keys: UpstreamKey[]): GroupViewDto {
    return toGroupView(group, this.cipher.openHeaders(group), keys, (key) => {
      const usable = this.cipher.open(key) !== undefined;
      const explained = explainKey({
        groupEnabled: group.enabled,
        keyEnabled: key.enabled && usable,
        availability: this.health.availability(key.id),
        condition: this.health.stateOf(key.id)?.condition,
      });
      const availableAt =
        explained.availableAt === undefined ? null : new Date(explained.availableAt).toISOString();
      return { usable, health: { status: explained.status, reason: explained.reason, availableAt } };
    });
  }

  /** The group as its body would state it, headers opened: what audit rows compare. */
  private fieldsOf(group: ProviderGroup): Record<string, unknown> {
    const fields = group as unknown as Record<FieldName, unknown>;
    return Object.fromEntries(
      FIELDS.map((field) => [field, field === 'headers' ? this.cipher.openHeaders(group) : fields[field]]),
    );
  }
}
