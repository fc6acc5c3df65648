import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_USERNAME = 5;
const MAX_FAILURES_PER_IP = 20;

/**
 * Counts failed logins per username and per client IP; once either is used up, further attempts
 * (even correct ones) get 429 with `Retry-After` until the window passes.
 */
@Injectable()
export class LoginThrottleService {
  private readonly byUsername = new RateLimiterMemory({
    keyPrefix: 'login-user',
    points: MAX_FAILURES_PER_USERNAME,
    duration: WINDOW_SECONDS,
  });
  private readonly byIp = new RateLimiterMemory({
    keyPrefix: 'login-ip',
    points: MAX_FAILURES_PER_IP,
    duration: WINDOW_SECONDS,
  });

  async assertAllowed(username: string, ip: string): Promise<void> {
    const [user, client] = await Promise.all([this.byUsername.get(usernameKey(username)), this.byIp.get(ip)]);
    const blocked = [
      exhausted(user, MAX_FAILURES_PER_USERNAME),
      exhausted(client, MAX_FAILURES_PER_IP),
    ].filter((res): res is RateLimiterRes => res !== undefined);
    if (blocked.length === 0) return;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(Math.max(...blocked.map((res) => res.msBeforeNext)) / 1000),
    );
    throw new TooManyLoginAttempts(retryAfterSeconds);
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.byUsername.consume(usernameKey(username)).catch(() => undefined),
      this.byIp.consume(ip).catch(() => undefined),
    ]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.byUsername.delete(usernameKey(username));
  }
}

export class TooManyLoginAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed login attempts; retry in ${retryAfterSeconds}s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

function exhausted(res: RateLimiterRes | null, points: number): RateLimiterRes | undefined {
  return res && res.consumedPoints >= points ? res : undefined;
}

function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}
