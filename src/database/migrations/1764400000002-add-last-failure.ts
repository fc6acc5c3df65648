import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// provider_validations.last_failure: `last_error` is now the current problem (a success clears
// it) and the most recent failure is kept here as history. request_logs.request_id gets an index:
// gateway error messages name the request id to look a request up by.
export class AddLastFailure1764400000002 implements MigrationInterface {
  name = 'AddLastFailure1764400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'provider_validations',
      new TableColumn({ name: 'last_failure', type: 'varchar', length: '500', isNullable: true }),
    );
    await queryRunner.query(
      'UPDATE provider_validations SET last_failure = last_error WHERE last_error IS NOT NULL',
    );
    // A key whose last word was a success no longer shows the old error as current.
    await queryRunner.query(
      `UPDATE provider_validations SET last_error = NULL
        WHERE last_success_at IS NOT NULL AND (last_failure_at IS NULL OR last_success_at > last_failure_at)`,
    );
    await queryRunner.createIndex(
      'request_logs',
      new TableIndex({ name: 'IDX_request_logs_request_id', columnNames: ['request_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('request_logs', 'IDX_request_logs_request_id');
    await queryRunner.dropColumn('provider_validations', 'last_failure');
  }
}
