import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AdminError } from '../common/admin-error.js';
import { LOGIN_LIMITERS, type LoginLimiters } from './login-limiters.js';

/** One admitted login attempt: tell the throttle how it ended. */
export interface LoginAttempt {
  /** Right password: the pair's failures are forgiven and the address gets its point back. */
  succeeded(): Promise<void>;
  /** Not a guess after all (refused before the password was checked): both points come back. */
  abandoned(): Promise<void>;
}

/**
 * Login throttling that holds under concurrency: each attempt takes its point *before* the
 * password is checked, so parallel guesses cannot all slip past a count that only grows after
 * each failure. Locks are per (username, address) and per address, never per username alone, so
 * a stranger's wrong passwords cannot lock the real admin out from everywhere.
 */
@Injectable()
export class LoginThrottleService {
  constructor(@Inject(LOGIN_LIMITERS) private readonly limiters: LoginLimiters) {}

  async begin(username: string, ip: string): Promise<LoginAttempt> {
    const { perAccountAndIp, perIp } = this.limiters;
    const pair = `${username.trim().toLowerCase()}|${ip}`;
    await consumeOrRefuse(perAccountAndIp.consume(pair));
    try {
      await consumeOrRefuse(perIp.consume(ip));
    } catch (error) {
      await perAccountAndIp.reward(pair);
      throw error;
    }
    return {
      succeeded: async () => {
        await Promise.all([perAccountAndIp.delete(pair), perIp.reward(ip)]);
      },
      abandoned: async () => {
        await Promise.all([perAccountAndIp.reward(pair), perIp.reward(ip)]);
      },
    };
  }
}

export class TooManyLoginAttempts extends AdminError {
  constructor(retryAfterSeconds: number) {
    super(
      'too_many_requests',
      `Too many failed login attempts; retry in ${retryAfterSeconds}s`,
      retryAfterSeconds,
    );
  }
}

async function consumeOrRefuse(consumption: Promise<RateLimiterRes>): Promise<void> {
  try {
    await consumption;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new TooManyLoginAttempts(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
  }
}
