import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, bool, datetime, id, integer, text, timestamps, varchar } from './columns.js';

export class CreateProxyKeys1763769710000 implements MigrationInterface {
  name = 'CreateProxyKeys1763769710000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'proxy_keys',
        columns: [
          id(),
          varchar('name', 128),
          text('description'),
          varchar('key_hash', 64, { isUnique: true }),
          varchar('prefix', 32),
          integer('rpm', { isNullable: true }),
          integer('tpm', { isNullable: true }),
          bool('enabled', true),
          datetime('expires_at', { isNullable: true }),
          text('allowed_models'),
          text('allowed_groups'),
          bigint('token_budget', { isNullable: true }),
          ...timestamps(),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('proxy_keys');
  }
}
