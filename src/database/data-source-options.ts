import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

const SQLITE_BUSY_TIMEOUT_MS = 5000;
const MYSQL_CONNECT_TIMEOUT_MS = 5000;
/** After start (migrations may run longer): a MySQL statement unanswered this long is cut. */
export const MYSQL_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The one TypeORM configuration, used by the app and by the migration CLI (`ormconfig.ts`).
 * Schema changes only ever come from migrations, which run at start.
 */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      charset: 'utf8mb4',
      timezone: 'Z',
      connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
      // The mysql2 pool drops dead connections and dials new ones, so a MySQL restart heals
      // without restarting the gateway; keep-alive notices half-open sockets sooner.
      extra: { connectionLimit: 10, enableKeepAlive: true, keepAliveInitialDelay: 10_000 },
    };
  }
  mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    enableWAL: true,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
  };
}
