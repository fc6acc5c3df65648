import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, integer, varchar } from './columns.js';

/** One row counting configuration changes, so replicas notice each other's (config-sync). */
export class CreateConfigVersion1764400000001 implements MigrationInterface {
  name = 'CreateConfigVersion1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'config_version',
        columns: [
          integer('id', { isPrimary: true }),
          bigint('version', { default: 0 }),
          varchar('changed_by', 128, { isNullable: true }),
        ],
      }),
    );
    await queryRunner.query('INSERT INTO config_version (id, version) VALUES (1, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('config_version');
  }
}
