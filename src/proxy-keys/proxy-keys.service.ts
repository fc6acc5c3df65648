import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Changes, diffChanges, REDACTED, updateAction } from '../audit/audit-changes.js';
import { AuditService } from '../audit/audit.service.js';
import { CONFIG_CHANGED, ConfigChangedEvent } from '../routing/config-changed.event.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { CreatedProxyKeyDto, PatchProxyKeyDto, ProxyKeyDto, ProxyKeyViewDto } from './dto/proxy-key.dto.js';
import { generateProxyKey, hashProxyKey, proxyKeyPrefix } from './proxy-key-token.js';
import { ProxyKey } from './proxy-key.entity.js';
import { toCreatedProxyKeyView, toProxyKeyView } from './proxy-key-view.js';
import { AdminError } from '../common/admin-error.js';

type FieldName = keyof ProxyKeyDto;
const FIELDS: FieldName[] = [
  'name',
  'description',
  'rpm',
  'tpm',
  'enabled',
  'expiresAt',
  'allowedModels',
  'allowedGroups',
  'tokenBudget',
];
// What an omitted (POST, PUT) or null (PATCH) field becomes.
const FIELD_DEFAULTS: Partial<Record<FieldName, unknown>> = {
  description: null,
  rpm: null,
  tpm: null,
  enabled: true,
  expiresAt: null,
  allowedModels: [],
  allowedGroups: [],
  tokenBudget: null,
};

/**
 * `/admin/proxy-keys`. The full key exists only in the create and rotate answers; the routing
 * table is rebuilt before any answer, so a rotated or deleted key is refused at once.
 */
@Injectable()
export class ProxyKeysService {
  constructor(
    @InjectRepository(ProxyKey) private readonly keys: Repository<ProxyKey>,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async list(): Promise<ProxyKeyViewDto[]> {
    return (await this.keys.find({ order: { id: 'ASC' } })).map((key) => toProxyKeyView(key));
  }

  async get(id: number): Promise<ProxyKeyViewDto> {
    return toProxyKeyView(await find(this.keys.manager, id));
  }

  /** `secret`: a key chosen by the configuration file; otherwise a new one is drawn. */
  async create(body: ProxyKeyDto, actor: string, secret = generateProxyKey()): Promise<CreatedProxyKeyDto> {
    const key = await this.audit.transaction(async (manager) => {
      const entity = manager.create(ProxyKey, {
        keyHash: hashProxyKey(secret),
        prefix: proxyKeyPrefix(secret),
      });
      await this.applyFields(manager, entity, body, 'replace');
      const saved = await manager.save(entity);
      await this.audit.record(manager, {
        actor,
        action: 'create',
        entity: 'proxy_key',
        entityId: saved.id,
        changes: { ...fieldsOf(saved), keyPrefix: saved.prefix, key: REDACTED },
      });
      return saved;
    });
    await this.changed(key.id);
    return toCreatedProxyKeyView(key, secret);
  }

  /** `note`: added to the audit row of a change, e.g. why the configuration file made it. */
  replace(id: number, body: ProxyKeyDto, actor: string, note: Changes = {}): Promise<ProxyKeyViewDto> {
    return this.update(id, body, 'replace', actor, note);
  }

  patch(id: number, body: PatchProxyKeyDto, actor: string): Promise<ProxyKeyViewDto> {
    return this.update(id, body, 'patch', actor);
  }

  async rotate(
    id: number,
    actor: string,
    secret = generateProxyKey(),
    note: Changes = {},
  ): Promise<CreatedProxyKeyDto> {
    const key = await this.audit.transaction(async (manager) => {
      const entity = await find(manager, id);
      const from = entity.prefix;
      Object.assign(entity, { keyHash: hashProxyKey(secret), prefix: proxyKeyPrefix(secret) });
      const saved = await manager.save(entity);
      await this.audit.record(manager, {
        actor,
        action: 'rotate',
        entity: 'proxy_key',
        entityId: id,
        changes: { keyPrefix: { from, to: saved.prefix }, key: REDACTED, ...note },
      });
      return saved;
    });
    await this.changed(id);
    return toCreatedProxyKeyView(key, secret);
  }

  async remove(id: number, actor: string): Promise<void> {
    await this.audit.transaction(async (manager) => {
      const entity = await find(manager, id);
      await manager.delete(ProxyKey, { id });
      await this.audit.record(manager, {
        actor,
        action: 'delete',
        entity: 'proxy_key',
        entityId: id,
        changes: { ...fieldsOf(entity), keyPrefix: entity.prefix },
      });
    });
    await this.changed(id);
  }

  private async update(
    id: number,
    body: Partial<ProxyKeyDto>,
    mode: 'replace' | 'patch',
    actor: string,
    note: Changes = {},
  ): Promise<ProxyKeyViewDto> {
    const key = await this.audit.transaction(async (manager) => {
      const entity = await find(manager, id);
      const before = fieldsOf(entity);
      await this.applyFields(manager, entity, body, mode);
      const changes = diffChanges(before, fieldsOf(entity));
      if (Object.keys(changes).length === 0) return entity;
      const saved = await manager.save(entity);
      await this.audit.record(manager, {
        actor,
        action: updateAction(changes),
        entity: 'proxy_key',
        entityId: id,
        changes: { ...changes, ...note },
      });
      return saved;
    });
    await this.changed(id);
    return toProxyKeyView(key);
  }

  private async applyFields(
    manager: EntityManager,
    entity: ProxyKey,
    body: Partial<ProxyKeyDto>,
    mode: 'replace' | 'patch',
  ): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const field of FIELDS) {
      const value = body[field];
      if (mode === 'patch' && value === undefined) continue;
      values[field] = value ?? structuredClone(FIELD_DEFAULTS[field]);
    }
    if (typeof values.expiresAt === 'string') values.expiresAt = new Date(values.expiresAt);
    Object.assign(entity, values);
    await assertGroupsExist(manager, entity.allowedGroups);
  }

  private async changed(id: number): Promise<void> {
    await this.events.emitAsync(CONFIG_CHANGED, { entity: 'proxy_key', id } satisfies ConfigChangedEvent);
  }
}

async function find(manager: EntityManager, id: number): Promise<ProxyKey> {
  const key = await manager.findOneBy(ProxyKey, { id });
  if (!key) throw new AdminError('not_found', `Proxy key ${id} not found`);
  return key;
}

// A typo in an allowlist would silently lock a client out: only existing groups are accepted.
async function assertGroupsExist(manager: EntityManager, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const found = new Set(
    (
      await manager.find(ProviderGroup, { select: { groupName: true }, where: { groupName: In([...names]) } })
    ).map((group) => group.groupName),
  );
  const unknown = names.filter((name) => !found.has(name));
  if (unknown.length > 0)
    throw new AdminError('invalid', `allowedGroups names unknown groups: ${unknown.join(', ')}`);
}

function fieldsOf(key: ProxyKey): Record<string, unknown> {
  return Object.fromEntries(
    FIELDS.map((field) => [
      field,
      field === 'expiresAt' ? (key.expiresAt?.toISOString() ?? null) : key[field],
    ]),
  );
}
