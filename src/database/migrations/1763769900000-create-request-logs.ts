import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, datetime, id, integer, text, varchar } from './columns.js';

export class CreateRequestLogs1763769900000 implements MigrationInterface {
  name = 'CreateRequestLogs1763769900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'request_logs',
        columns: [
          id(),
          datetime('created_at', { precision: 3 }),
          varchar('request_id', 128),
          varchar('endpoint', 64),
          integer('proxy_key_id', { isNullable: true }),
          varchar('proxy_key_name', 128, { isNullable: true }),
          varchar('model', 200),
          varchar('upstream_model', 200, { isNullable: true }),
          integer('group_id', { isNullable: true }),
          varchar('group_name', 128, { isNullable: true }),
          integer('upstream_key_id', { isNullable: true }),
          bool('pinned', false),
          bool('stream', false),
          integer('status'),
          varchar('error_type', 64, { isNullable: true }),
          varchar('error_message', 500, { isNullable: true }),
          integer('attempts'),
          integer('latency_ms'),
          integer('ttfb_ms', { isNullable: true }),
          integer('prompt_tokens', { isNullable: true }),
          integer('completion_tokens', { isNullable: true }),
          integer('total_tokens', { isNullable: true }),
          varchar('client_ip', 64, { isNullable: true }),
          varchar('user_agent', 300, { isNullable: true }),
          text('request_body'),
          text('response_body'),
        ],
        // SQLite index names are global to the database, hence the table prefix. Every index is
        // paid for on each insert (one per proxied request): no index on `status`, which filters
        // by range with too few distinct values to help.
        indices: ['created_at', 'proxy_key_id', 'group_id', 'model'].map(
          (column) => new TableIndex({ name: `IDX_request_logs_${column}`, columnNames: [column] }),
        ),
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('request_logs');
  }
}
