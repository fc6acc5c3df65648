import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bool, double, id, integer, text, timestamps, varchar } from './columns.js';

export class CreateProviderGroups1763769700000 implements MigrationInterface {
  name = 'CreateProviderGroups1763769700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'provider_groups',
        columns: [
          id(),
          varchar('group_name', 64, { isUnique: true }),
          varchar('provider_type', 32),
          varchar('base_url', 2048, { isNullable: true }),
          text('models', { isNullable: false }),
          text('model_map'),
          varchar('balance_policy', 32),
          integer('retry_count'),
          integer('timeout_seconds'),
          integer('priority'),
          double('weight'),
          bool('enabled', true),
          text('parameters'),
          text('sealed_headers'),
          text('probe'),
          varchar('api_version', 32, { isNullable: true }),
          ...timestamps(),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'provider_keys',
        columns: [
          id(),
          integer('group_id'),
          text('ciphertext', { isNullable: false }),
          varchar('iv', 32),
          varchar('auth_tag', 32),
          varchar('hint', 16),
          bool('enabled', true),
          double('weight'),
          ...timestamps(),
        ],
        indices: [{ name: 'IDX_provider_keys_group_id', columnNames: ['group_id'] }],
        foreignKeys: [
          {
            name: 'FK_provider_keys_group',
            columnNames: ['group_id'],
            referencedTableName: 'provider_groups',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('provider_keys');
    await queryRunner.dropTable('provider_groups');
  }
}
