import { DataSource, DataSourceOptions } from 'typeorm';
import { withStartupLock } from './startup-lock.js';

/**
 * Connects and runs the pending migrations. On MySQL, replicas that start together against the
 * same database take turns through a named lock: the first migrates, the others then find
 * nothing left to do (TypeORM itself does not guard against two migrating at once).
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'mysql') return new DataSource(options).initialize();
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    await withStartupLock(dataSource, 'migrations', () =>
      dataSource.runMigrations({ transaction: options.migrationsTransactionMode ?? 'each' }),
    );
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
