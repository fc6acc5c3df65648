import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

export const LOGIN_LIMITERS = Symbol('LOGIN_LIMITERS');

const WINDOW_SECONDS = 15 * 60;
/** Wrong passwords for one username from one address before that pair is locked out. */
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
/** Failed attempts from one address, across usernames, before the address is locked out. */
export const MAX_FAILURES_PER_IP = 20;
export const LOCKOUT_SECONDS = 15 * 60;

export interface LoginLimiters {
  readonly perAccountAndIp: RateLimiterAbstract;
  readonly perIp: RateLimiterAbstract;
}

const ACCOUNT_AND_IP = { keyPrefix: 'login-account-ip', points: MAX_FAILURES_PER_ACCOUNT_AND_IP };
const IP = { keyPrefix: 'login-ip', points: MAX_FAILURES_PER_IP };
const WINDOW = { duration: WINDOW_SECONDS, blockDuration: LOCKOUT_SECONDS };

/** Counts in this process only: one replica, or the fallback while Redis is unreachable. */
export function memoryLoginLimiters(): LoginLimiters {
  return {
    perAccountAndIp: new RateLimiterMemory({ ...WINDOW, ...ACCOUNT_AND_IP }),
    perIp: new RateLimiterMemory({ ...WINDOW, ...IP }),
  };
}

/**
 * With Redis, failures are counted across all replicas, so a guesser gains nothing by spreading
 * attempts over them; while Redis is unreachable each replica counts its own.
 */
export function loginLimiters(redis: Redis | undefined, keyPrefix: (name: string) => string): LoginLimiters {
  const local = memoryLoginLimiters();
  if (!redis) return local;
  const shared = (limit: typeof IP, insuranceLimiter: RateLimiterAbstract) =>
    new RateLimiterRedis({
      ...WINDOW,
      points: limit.points,
      keyPrefix: keyPrefix(limit.keyPrefix),
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter,
    });
  return {
    perAccountAndIp: shared(ACCOUNT_AND_IP, local.perAccountAndIp),
    perIp: shared(IP, local.perIp),
  };
}
