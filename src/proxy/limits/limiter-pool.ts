import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { replicaShare } from './replica-share.js';

/** The window of every RPM and TPM counter. */
export const WINDOW_SECONDS = 60;

/** Where the shared limiters keep their counters, and what each replica allows without them. */
export interface SharedStore {
  readonly client: Redis;
  /** e.g. `switchyard:limits:rpm`; a key's counter is `<prefix>:<key id>:<limit>`. */
  readonly keyPrefix: string;
  readonly replicasExpected: number;
}

export interface PooledLimiter {
  readonly points: number;
  /** The limiter to use: in memory, or in Redis falling back to `local` when Redis fails. */
  readonly limiter: RateLimiterAbstract;
  /** This replica's own limiter, for a caller that stopped waiting on Redis. */
  readonly local: RateLimiterAbstract;
  /** The name the key is counted under. */
  readonly counter: string;
}

/** One limiter per proxy key and limit: a changed limit starts a fresh window. */
export class LimiterPool {
  private readonly limiters = new Map<number, PooledLimiter>();

  /** Without `shared`, in-memory limiters (one replica); with it, Redis ones insured by memory. */
  constructor(private readonly shared?: SharedStore) {}

  limiterFor(keyId: number, points: number): PooledLimiter {
    let pooled = this.limiters.get(keyId);
    if (!pooled || pooled.points !== points) {
      pooled = this.shared ? sharedLimiter(this.shared, keyId, points) : localLimiter(keyId, points);
      this.limiters.set(keyId, pooled);
    }
    return pooled;
  }
}

function localLimiter(keyId: number, points: number): PooledLimiter {
  const limiter = new RateLimiterMemory({ points, duration: WINDOW_SECONDS });
  return { points, limiter, local: limiter, counter: String(keyId) };
}

function sharedLimiter(shared: SharedStore, keyId: number, points: number): PooledLimiter {
  // While Redis is unreachable (not connected, or a command fails) each replica counts alone,
  // allowing its share of the limit, so the replicas together still stay within it.
  const local = new RateLimiterMemory({
    points: replicaShare(points, shared.replicasExpected),
    duration: WINDOW_SECONDS,
  });
  const limiter = new RateLimiterRedis({
    storeClient: shared.client,
    keyPrefix: shared.keyPrefix,
    points,
    duration: WINDOW_SECONDS,
    rejectIfRedisNotReady: true,
    insuranceLimiter: local,
  });
  // The limit is part of the counter's name: a new limit starts a fresh window on every replica.
  return { points, limiter, local, counter: `${keyId}:${points}` };
}
