import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bool, datetime, double, id, integer, varchar } from './columns.js';

// Seed 000's health tables and seed 003's failover_events.
export class CreateHealthTables1763769800000 implements MigrationInterface {
  name = 'CreateHealthTables1763769800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'provider_validations',
        columns: [
          id(),
          integer('upstream_key_id'),
          integer('group_id'),
          varchar('status', 16),
          bool('is_healthy', true),
          integer('error_count', { default: 0 }),
          integer('consecutive_failures', { default: 0 }),
          integer('consecutive_successes', { default: 0 }),
          varchar('last_error', 500, { isNullable: true }),
          integer('last_status_code', { isNullable: true }),
          datetime('last_check_at', { isNullable: true }),
          datetime('last_success_at', { isNullable: true }),
          datetime('last_failure_at', { isNullable: true }),
          datetime('next_retry_at', { isNullable: true }),
          varchar('breaker_state', 16),
          integer('backoff_level', { default: 0 }),
          datetime('breaker_next_attempt_at', { isNullable: true }),
          integer('breaker_successes', { default: 0 }),
          varchar('breaker_recent_failures', 500, { isNullable: true }),
          integer('invalid_status', { isNullable: true }),
          datetime('updated_at', { default: 'CURRENT_TIMESTAMP' }),
        ],
        indices: [
          { name: 'UQ_provider_validations_key', columnNames: ['upstream_key_id'], isUnique: true },
          { name: 'IDX_provider_validations_group', columnNames: ['group_id'] },
          { name: 'IDX_provider_validations_healthy', columnNames: ['is_healthy'] },
          { name: 'IDX_provider_validations_checked', columnNames: ['last_check_at'] },
        ],
        // A key's health goes with the key (seed 002: cascade delete with its provider).
        foreignKeys: [
          {
            name: 'FK_provider_validations_key',
            columnNames: ['upstream_key_id'],
            referencedTableName: 'provider_keys',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'health_check_configs',
        columns: [
          id(),
          bool('enabled', true),
          integer('interval_minutes', { default: 5 }),
          integer('max_error_count', { default: 5 }),
          double('retry_after_hours', { default: 1 }),
          datetime('updated_at', { default: 'CURRENT_TIMESTAMP' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'failover_events',
        columns: [
          id(),
          datetime('at'),
          integer('group_id'),
          varchar('group_name', 128),
          integer('upstream_key_id'),
          varchar('key_masked', 32),
          varchar('event_type', 32),
          varchar('from_state', 16),
          varchar('to_state', 16),
          varchar('reason', 32),
          integer('status_code', { isNullable: true }),
          varchar('error', 500, { isNullable: true }),
          integer('consecutive_failures', { default: 0 }),
          integer('next_retry_seconds', { isNullable: true }),
        ],
        indices: [
          { name: 'IDX_failover_events_at', columnNames: ['at'] },
          { name: 'IDX_failover_events_group_at', columnNames: ['group_id', 'at'] },
          { name: 'IDX_failover_events_key_at', columnNames: ['upstream_key_id', 'at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('failover_events');
    await queryRunner.dropTable('health_check_configs');
    await queryRunner.dropTable('provider_validations');
  }
}
