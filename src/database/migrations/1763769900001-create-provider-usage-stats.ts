import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, datetime, id, integer, varchar } from './columns.js';

export class CreateProviderUsageStats1763769900001 implements MigrationInterface {
  name = 'CreateProviderUsageStats1763769900001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'provider_usage_stats',
        columns: [
          id(),
          datetime('hour_start'),
          // 0 rather than NULL for "none": the unique key below must match on every column.
          integer('group_id', { default: 0 }),
          integer('upstream_key_id', { default: 0 }),
          varchar('model', 200),
          integer('proxy_key_id', { default: 0 }),
          varchar('group_name', 128, { isNullable: true }),
          varchar('proxy_key_name', 128, { isNullable: true }),
          integer('requests', { default: 0 }),
          integer('successes', { default: 0 }),
          integer('failures', { default: 0 }),
          bigint('prompt_tokens', { default: 0 }),
          bigint('completion_tokens', { default: 0 }),
          bigint('total_tokens', { default: 0 }),
          bigint('latency_ms_sum', { default: 0 }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_provider_usage_stats_bucket',
            columnNames: ['hour_start', 'group_id', 'upstream_key_id', 'model', 'proxy_key_id'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('provider_usage_stats');
  }
}
