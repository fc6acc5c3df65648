import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, timestamps, varchar } from './columns.js';

export class CreateAdminUsers1763769600000 implements MigrationInterface {
  name = 'CreateAdminUsers1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'admin_users',
        columns: [
          id(),
          varchar('username', 64, { isUnique: true }),
          varchar('password_hash', 100),
          ...timestamps(),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('admin_users');
  }
}
