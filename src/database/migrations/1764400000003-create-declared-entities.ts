import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { datetime, id, integer, varchar } from './columns.js';

// What the configuration file last applied to each group and proxy key it declares: a keyed hash
// of the entity's state right after, so a later start can tell an administrator's change from the
// file's own (docs/configuration.md, "Declared groups and proxy keys").
export class CreateDeclaredEntities1764400000003 implements MigrationInterface {
  name = 'CreateDeclaredEntities1764400000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'declared_entities',
        columns: [
          id(),
          varchar('kind', 16),
          varchar('name', 128),
          integer('entity_id'),
          varchar('applied_hash', 64),
          datetime('applied_at'),
        ],
        uniques: [{ name: 'UQ_declared_entities_kind_name', columnNames: ['kind', 'name'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('declared_entities');
  }
}
