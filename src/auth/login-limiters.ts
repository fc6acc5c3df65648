import { RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';

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

/**
 * The one place the login limiters are built: in memory, per process. A Redis-backed pair
 * (`RateLimiterRedis` with the same options) drops in here to share the counts between replicas.
 */
export function memoryLoginLimiters(): LoginLimiters {
  const options = { duration: WINDOW_SECONDS, blockDuration: LOCKOUT_SECONDS };
  return {
    perAccountAndIp: new RateLimiterMemory({
      ...options,
      keyPrefix: 'login-account-ip',
      points: MAX_FAILURES_PER_ACCOUNT_AND_IP,
    }),
    perIp: new RateLimiterMemory({ ...options, keyPrefix: 'login-ip', points: MAX_FAILURES_PER_IP }),
  };
}
