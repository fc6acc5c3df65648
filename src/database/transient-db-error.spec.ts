import { QueryFailedError } from 'typeorm';
import { STATEMENT_TIMEOUT_CODE } from './mysql-statement-timeout.js';
import { isTransientDatabaseError } from './transient-db-error.js';

const driverError = (code: string, extra: object = {}) =>
  Object.assign(new Error(`${code}: something`), { code, ...extra });
const wrapped = (error: Error) => new QueryFailedError('INSERT …', [], error);

describe(isTransientDatabaseError.name, () => {
  it.each([
    'SQLITE_BUSY',
    'SQLITE_LOCKED',
    'SQLITE_BUSY_SNAPSHOT',
    'ER_LOCK_WAIT_TIMEOUT',
    'ER_LOCK_DEADLOCK',
    'PROTOCOL_CONNECTION_LOST',
    'ECONNRESET',
    STATEMENT_TIMEOUT_CODE,
  ])('retries %s, bare or wrapped by TypeORM', (code) => {
    expect(isTransientDatabaseError(driverError(code))).toBe(true);
    expect(isTransientDatabaseError(wrapped(driverError(code)))).toBe(true);
  });

  it('retries any error mysql2 marks fatal (the connection broke)', () => {
    const closed = Object.assign(new Error("Can't add new command when connection is in closed state"), {
      fatal: true,
    });
    expect(isTransientDatabaseError(wrapped(closed))).toBe(true);
  });

  it.each(['ER_DATA_TOO_LONG', 'ER_PARSE_ERROR', 'SQLITE_CONSTRAINT', 'SQLITE_ERROR', 'ER_BAD_NULL_ERROR'])(
    'does not retry %s forever: the database refused the statement itself',
    (code) => {
      expect(isTransientDatabaseError(wrapped(driverError(code)))).toBe(false);
    },
  );

  it('does not retry an error without a code', () => {
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});
