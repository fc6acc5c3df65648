import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Changes, redactChanges } from './audit-changes.js';
import { AuditLog } from './audit-log.entity.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'rotate' | 'enable' | 'disable' | 'test';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  /** e.g. `group`, `upstream_key`, `proxy_key`, `setting`. */
  entity: string;
  entityId?: string | number;
  changes?: Changes;
  /** Field names to redact beyond the credential-like ones. */
  secretFields?: readonly string[];
}

export interface AuditLogView {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  changes: Changes;
}

export interface AuditPage {
  items: AuditLogView[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Audited changes: `transaction()` runs a change and `record()` writes its audit row in the same
 * transaction, so neither exists without the other.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>,
  ) {}

  // On SQLite, transactions take turns (see database/serialize-sqlite-transactions.ts).
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const changes = redactChanges(entry.changes ?? {}, entry.secretFields) as Changes;
    const entityId = entry.entityId === undefined ? null : String(entry.entityId);
    await manager.getRepository(AuditLog).save(
      manager.create(AuditLog, {
        at: new Date(),
        actor: entry.actor,
        action: entry.action,
        entity: entry.entity,
        entityId,
        changes,
      }),
    );
    this.logger.log(
      `audit: ${entry.actor} ${entry.action} ${entry.entity}${entityId === null ? '' : ` #${entityId}`}`,
    );
  }

  async list(query: {
    entity?: string;
    entityId?: string;
    page: number;
    pageSize: number;
  }): Promise<AuditPage> {
    const where = {
      ...(query.entity ? { entity: query.entity } : {}),
      ...(query.entityId ? { entityId: query.entityId } : {}),
    };
    const [rows, total] = await this.logs.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items: rows.map(toView), total, page: query.page, pageSize: query.pageSize };
  }
}

function toView(row: AuditLog): AuditLogView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    changes: row.changes,
  };
}
