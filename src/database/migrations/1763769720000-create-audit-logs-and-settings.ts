import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { datetime, id, text, varchar } from './columns.js';

export class CreateAuditLogsAndSettings1763769720000 implements MigrationInterface {
  name = 'CreateAuditLogsAndSettings1763769720000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_logs',
        columns: [
          id(),
          datetime('at'),
          varchar('actor', 64),
          varchar('action', 32),
          varchar('entity', 32),
          varchar('entity_id', 64, { isNullable: true }),
          text('changes'),
        ],
        indices: [
          { name: 'IDX_audit_logs_at', columnNames: ['at'] },
          { name: 'IDX_audit_logs_entity_at', columnNames: ['entity', 'at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'settings',
        columns: [
          id(),
          varchar('key', 128, { isUnique: true }),
          text('value', { isNullable: false }),
          datetime('updated_at', { default: 'CURRENT_TIMESTAMP' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('settings');
    await queryRunner.dropTable('audit_logs');
  }
}
