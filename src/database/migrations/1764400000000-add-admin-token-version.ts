import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { integer } from './columns.js';

/** Admin tokens carry the user's token version; a password change bumps it and revokes them. */
export class AddAdminTokenVersion1764400000000 implements MigrationInterface {
  name = 'AddAdminTokenVersion1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('admin_users', new TableColumn(integer('token_version', { default: 0 })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('admin_users', 'token_version');
  }
}
