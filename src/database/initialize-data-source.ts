import { createHash } from 'node:crypto';
import { DataSource, DataSourceOptions } from 'typeorm';

// How long a replica waits for another one's migrations before giving up (and being restarted).
const MIGRATION_LOCK_WAIT_SECONDS = 120;

/**
 * Connects and runs the pending migrations. On MySQL, replicas that start together against the
 * same database take turns through a named lock: the first migrates, the others then find
 * nothing left to do (TypeORM itself does not guard against two migrating at once).
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'mysql') return new DataSource(options).initialize();
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  const session = dataSource.createQueryRunner();
  try {
    const [{ db }] = await session.query('SELECT DATABASE() AS db');
    const lock = `switchyard:migrations:${createHash('sha256').update(String(db)).digest('hex').slice(0, 32)}`;
    const [{ got }] = await session.query('SELECT GET_LOCK(?, ?) AS got', [
      lock,
      MIGRATION_LOCK_WAIT_SECONDS,
    ]);
    if (Number(got) !== 1)
      throw new Error(`Another replica held the migration lock for over ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    try {
      await dataSource.runMigrations({ transaction: options.migrationsTransactionMode ?? 'each' });
    } finally {
      await session.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } catch (error) {
    await session.release();
    await dataSource.destroy();
    throw error;
  }
  await session.release();
  return dataSource;
}
