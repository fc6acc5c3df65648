import { describeMySqlError, targetOf } from './database-preflight.js';

const target = targetOf('mysql://switchyard:s3cret@db.example:3307/switchyard');
const error = (code: string) => Object.assign(new Error(`boom ${code}`), { code });

describe(targetOf.name, () => {
  it('reads host, user and database, never the password', () => {
    expect(target).toEqual({ host: 'db.example:3307', user: 'switchyard', database: 'switchyard' });
    expect(targetOf('mysql://root@127.0.0.1/sy')).toEqual({
      host: '127.0.0.1:3306',
      user: 'root',
      database: 'sy',
    });
  });
});

describe(describeMySqlError.name, () => {
  it('says how to create a missing database', () => {
    expect(describeMySqlError(error('ER_BAD_DB_ERROR'), target)).toBe(
      'MySQL at db.example:3307 has no database "switchyard". Create it once (as an administrator): ' +
        'CREATE DATABASE `switchyard` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; ' +
        `(the README's "MySQL / MariaDB" section also shows the user and its grant)`,
    );
  });

  it.each([
    ['ER_DBACCESS_DENIED_ERROR', /GRANT ALL PRIVILEGES ON `switchyard`\.\* TO 'switchyard'@'%';/],
    ['ER_ACCESS_DENIED_ERROR', /refused user "switchyard".*CREATE USER 'switchyard'@'%'/],
    ['ECONNREFUSED', /connection refused/],
    ['ENOTFOUND', /cannot be resolved/],
    ['ETIMEDOUT', /did not answer within 5 s/],
  ])('%s: one line with the fix, no password', (code, pattern) => {
    const message = describeMySqlError(error(code), target);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('leaves unexpected errors to the normal start-up report', () => {
    expect(describeMySqlError(error('ER_SOMETHING_ELSE'), target)).toBeUndefined();
    expect(describeMySqlError('not an error', target)).toBeUndefined();
  });
});
