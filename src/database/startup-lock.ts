import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

// How long a replica waits for another one's start-up step before giving up (and being restarted).
export const STARTUP_LOCK_WAIT_SECONDS = 120;

/**
 * Runs `work` while holding a MySQL named lock for this database, so that replicas starting
 * together against one database take turns: the first does the step (migrating, creating the
 * first admin, applying the configuration file), the others then find it done. The lock belongs
 * to one connection, held apart from the pool for the duration. SQLite serves one process: no lock.
 */
export async function withStartupLock<T>(
  dataSource: DataSource,
  purpose: string,
  work: () => Promise<T>,
  waitSeconds = STARTUP_LOCK_WAIT_SECONDS,
): Promise<T> {
  if (dataSource.options.type !== 'mysql') return work();
  const session = dataSource.createQueryRunner();
  try {
    const [{ db }] = (await session.query('SELECT DATABASE() AS db')) as Array<{ db: unknown }>;
    // MySQL lock names are server-wide (and at most 64 characters): one per database and purpose.
    const lock = `switchyard:${purpose}:${createHash('sha256').update(String(db)).digest('hex').slice(0, 32)}`;
    const [{ got }] = (await session.query('SELECT GET_LOCK(?, ?) AS got', [lock, waitSeconds])) as Array<{
      got: unknown;
    }>;
    if (Number(got) !== 1)
      throw new Error(`Another replica held the ${purpose} lock for over ${waitSeconds} s`);
    try {
      return await work();
    } finally {
      await session.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await session.release();
  }
}
