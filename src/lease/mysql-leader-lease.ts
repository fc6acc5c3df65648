import { createHash } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import type { LeaderLease } from './leader-lease.js';

// MySQL lock names are global to the server (every database on it), at most 64 characters.
const LOCK_NAME_LENGTH = 64;
const MIN_WAIT_TIMEOUT_SECONDS = 5;

/**
 * `GET_LOCK` on a connection of its own: the lock lives as long as that session, so a replica that
 * dies (its socket closes) frees it at once, and one that hangs loses its session, and the lock,
 * after a short `wait_timeout` that the renewals keep from expiring while it is alive.
 */
export class MysqlLeaderLease implements LeaderLease {
  private session?: QueryRunner;
  private lockName?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
  ) {}

  async hold(ttlMs: number): Promise<boolean> {
    if (this.session) {
      try {
        const [row] = await this.session.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [
          this.lockName,
        ]);
        if (Number(row.mine) === 1) return true;
      } catch {
        // the session broke: so did the lock; try for a new one below
      }
      await this.dropSession();
    }
    const session = this.dataSource.createQueryRunner();
    try {
      this.lockName ??= await this.serverWideName(session);
      const [row] = await session.query('SELECT GET_LOCK(?, 0) AS got', [this.lockName]);
      if (Number(row.got) === 1) {
        const waitTimeout = Math.max(MIN_WAIT_TIMEOUT_SECONDS, Math.ceil((3 * ttlMs) / 1000));
        await session.query(`SET SESSION wait_timeout = ${waitTimeout}`);
        this.session = session;
        return true;
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    // Not ours: give the connection back to the pool as it was (it holds no lock).
    await session.release();
    return false;
  }

  async release(): Promise<void> {
    if (!this.session) return;
    try {
      await this.session.query('SELECT RELEASE_LOCK(?)', [this.lockName]);
      // Back to the pool with the server's idle timeout, not the lease's short one.
      await this.session.query('SET SESSION wait_timeout = @@GLOBAL.wait_timeout');
    } finally {
      await this.dropSession();
    }
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release().catch(() => undefined);
  }

  // Two gateways on two databases of one server must not share a lock.
  private async serverWideName(session: QueryRunner): Promise<string> {
    const [row] = await session.query('SELECT DATABASE() AS db');
    const name = `switchyard:${String(row.db)}:${this.name}`;
    if (name.length <= LOCK_NAME_LENGTH) return name;
    return `switchyard:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
  }
}
