import type { Redis } from 'ioredis';
import type { LeaderLease } from './leader-lease.js';

// Renew and release only a lease this replica still holds: compare the token, then act, in one
// atomic script (a holder that paused past its expiry must not extend or delete a successor's).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** `SET key token NX PX ttl` to take the lease, a compare-and-`PEXPIRE` to renew it. */
export class RedisLeaderLease implements LeaderLease {
  private holding = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly token: string,
  ) {}

  async hold(ttlMs: number): Promise<boolean> {
    if (this.holding) {
      this.holding = (await this.redis.eval(RENEW, 1, this.key, this.token, ttlMs)) === 1;
      if (this.holding) return true;
    }
    this.holding = (await this.redis.set(this.key, this.token, 'PX', ttlMs, 'NX')) === 'OK';
    return this.holding;
  }

  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
