import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions, MYSQL_STATEMENT_TIMEOUT_MS } from './data-source-options.js';
import { initializeDataSource } from './initialize-data-source.js';
import { timeOutStalledMysqlStatements } from './mysql-statement-timeout.js';
import { serializeSqliteTransactions } from './serialize-sqlite-transactions.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // One attempt at boot: a database that is down at start is an operator's problem to see
      // at once, not to hide behind retries (the pool heals later outages by itself).
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.database), retryAttempts: 0 }),
      dataSourceFactory: async (options) =>
        serializeSqliteTransactions(
          timeOutStalledMysqlStatements(await initializeDataSource(options!), MYSQL_STATEMENT_TIMEOUT_MS),
        ),
    }),
  ],
})
export class DatabaseModule {}
