import { DataSource, EntityManager } from 'typeorm';

// TypeORM's SQLite driver runs every query on ONE shared connection, so two transactions that
// overlap in time (an admin change and a usage-record batch, say) collide: the second BEGIN fails
// with "cannot start a transaction within a transaction", or worse, one rolls back the other's
// writes. On SQLite, transactions therefore take turns. (MySQL has a pool: nothing to do.)
// Never call dataSource.transaction() from inside a transaction callback: it would wait on itself.
export function serializeSqliteTransactions(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => transaction(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
  return dataSource;
}
