import type {
  EntityManager,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { ConfigVersion } from './config-version.entity.js';

/** The tables whose rows make up the configuration every replica must share. */
export const CONFIGURATION_TABLES: ReadonlySet<string> = new Set([
  'provider_groups',
  'provider_keys',
  'proxy_keys',
  'settings',
  'health_check_configs',
]);

/**
 * Notices every write to a configuration table, whoever makes it, and bumps `config_version` in
 * the same transaction, as its last statement (so the row lock is held only for the commit, and
 * two admin changes never wait on each other in opposite orders). After the commit, `committed`
 * tells the replica which version its change made (unknown for a write outside a transaction).
 */
export class ConfigChangeSubscriber implements EntitySubscriberInterface {
  private readonly dirty = new WeakSet<QueryRunner>();
  private readonly versions = new WeakMap<QueryRunner, number>();

  constructor(
    private readonly replicaId: string,
    private readonly committed: (version?: number) => void,
  ) {}

  afterInsert(event: InsertEvent<unknown>): Promise<void> {
    return this.changed(event.metadata.tableName, event.queryRunner, event.manager);
  }

  afterUpdate(event: UpdateEvent<unknown>): Promise<void> {
    return this.changed(event.metadata.tableName, event.queryRunner, event.manager);
  }

  afterRemove(event: RemoveEvent<unknown>): Promise<void> {
    return this.changed(event.metadata.tableName, event.queryRunner, event.manager);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    if (!this.dirty.has(event.queryRunner) || this.versions.has(event.queryRunner)) return;
    await this.bump(event.manager);
    // The row is locked by this transaction until it commits: what it reads is its own version.
    const row = await event.manager.findOneByOrFail(ConfigVersion, { id: 1 });
    this.versions.set(event.queryRunner, row.version);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint's commit leaves the transaction open: announce only the outermost commit.
    if (event.queryRunner.isTransactionActive || !this.dirty.has(event.queryRunner)) return;
    const version = this.versions.get(event.queryRunner);
    this.forget(event.queryRunner);
    this.committed(version);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.forget(event.queryRunner);
  }

  private async changed(table: string, queryRunner: QueryRunner, manager: EntityManager): Promise<void> {
    if (!CONFIGURATION_TABLES.has(table)) return;
    if (queryRunner.isTransactionActive) {
      this.dirty.add(queryRunner);
      return;
    }
    await this.bump(manager); // outside a transaction the write has already committed
    this.committed();
  }

  private async bump(manager: EntityManager): Promise<void> {
    await manager.update(
      ConfigVersion,
      { id: 1 },
      { version: () => 'version + 1', changedBy: this.replicaId },
    );
  }

  private forget(queryRunner: QueryRunner): void {
    this.dirty.delete(queryRunner);
    this.versions.delete(queryRunner);
  }
}
