import { STATEMENT_TIMEOUT_CODE } from './mysql-statement-timeout.js';

// Errors that say "not now" rather than "never": a lock held by someone else, a connection
// lost or timed out. Retrying the same statement later will succeed once the cause is gone.
const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  STATEMENT_TIMEOUT_CODE,
]);

/** True when a failed statement may succeed if simply retried (TypeORM wraps the driver's error). */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 3 && typeof current === 'object' && current; depth += 1) {
    const { code, fatal } = current as { code?: unknown; fatal?: unknown };
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || /^SQLITE_(BUSY|LOCKED)_/.test(code)))
      return true;
    if (fatal === true) return true; // mysql2: the connection itself broke
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ??
      (current as { cause?: unknown }).cause;
  }
  return false;
}
