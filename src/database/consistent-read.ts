import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs several reads as one consistent view of committed data: a group never shows with only
 * part of the keys a concurrent transaction is writing. On MySQL the reads share one
 * REPEATABLE READ snapshot; on SQLite they take their turn with the transactions (see
 * serialize-sqlite-transactions.ts), because a read on the shared connection in the middle of
 * another transaction would see its uncommitted rows. Never call it inside a transaction.
 */
export function readConsistently<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type === 'mysql') return dataSource.transaction('REPEATABLE READ', work);
  return dataSource.transaction(work);
}
