import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../config/app-config.js';

// Before the application is built: can the configured MySQL database be used at all? The common
// first-start mistakes (no database, no such user, nothing listening) get one line that says what
// is wrong and what to do, instead of three stack traces from the framework.

const PREFLIGHT_TIMEOUT_MS = 5000;

interface MySqlTarget {
  readonly host: string;
  readonly user: string;
  readonly database: string;
}

/** The problem with the configured database in one line, or undefined when it can be used. */
export async function databaseProblem(database: DatabaseConfig): Promise<string | undefined> {
  if (database.type !== 'mysql' || !database.url) return undefined;
  try {
    const connection = await createConnection({ uri: database.url, connectTimeout: PREFLIGHT_TIMEOUT_MS });
    await connection.end();
    return undefined;
  } catch (error) {
    return describeMySqlError(error, targetOf(database.url));
  }
}

/** Pure: a mysql2 connection error as one line with its fix; undefined for the unexpected ones. */
export function describeMySqlError(error: unknown, target: MySqlTarget): string | undefined {
  const code = (error as { code?: unknown }).code;
  const { host, user, database } = target;
  switch (code) {
    case 'ER_BAD_DB_ERROR':
      return (
        `MySQL at ${host} has no database "${database}". Create it once (as an administrator): ` +
        `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; ` +
        `(the README's "MySQL / MariaDB" section also shows the user and its grant)`
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return (
        `MySQL at ${host} does not let user "${user}" use database "${database}". Grant it (as an administrator): ` +
        `GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'%';`
      );
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
      return (
        `MySQL at ${host} refused user "${user}" (no such user, or a wrong password). Check DATABASE_URL, ` +
        `or create the user (as an administrator): CREATE USER '${user}'@'%' IDENTIFIED BY '<password>';`
      );
    case 'ECONNREFUSED':
      return `Nothing accepts MySQL connections at ${host} (connection refused): is the server running, and are DATABASE_URL's host and port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The MySQL host in DATABASE_URL (${host}) cannot be resolved: check its spelling.`;
    case 'ETIMEDOUT':
      return `MySQL at ${host} did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s: check DATABASE_URL's host and port, and any firewall.`;
    default:
      return undefined;
  }
}

/** Where DATABASE_URL points, without its password. */
export function targetOf(url: string): MySqlTarget {
  const parsed = new URL(url);
  return {
    host: `${parsed.hostname}:${parsed.port || '3306'}`,
    user: decodeURIComponent(parsed.username) || 'root',
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}
