import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RoutableProxyKey } from '../routing/routing-snapshot.js';
import { UsageStatsService } from '../stats/usage/usage-stats.service.js';
import { ProxyError } from './proxy-error.js';

const MINUTE_SECONDS = 60;

/**
 * Per proxy key limits: requests per minute (consumed when a request is admitted, after it passed
 * authentication and validation), tokens per minute (charged with the real usage after the
 * response) and the lifetime token budget.
 */
@Injectable()
export class RateLimitsService implements OnApplicationBootstrap {
  private readonly requestLimiters = new Map<number, RateLimiterMemory>();
  private readonly tokenLimiters = new Map<number, RateLimiterMemory>();
  private readonly tokensSpent = new Map<number, number>();

  constructor(private readonly usageStats: UsageStatsService) {}

  /** Budgets count every token ever spent: start from what the hourly aggregates hold. */
  async onApplicationBootstrap(): Promise<void> {
    for (const [keyId, tokens] of await this.usageStats.tokensByProxyKey())
      this.tokensSpent.set(keyId, tokens);
  }

  /** Admits one request or throws 429; returns the `x-ratelimit-*` headers to send. */
  async admit(key: RoutableProxyKey): Promise<Record<string, string> | undefined> {
    if (key.tokenBudget !== undefined && (this.tokensSpent.get(key.id) ?? 0) >= key.tokenBudget) {
      throw new ProxyError(
        'budget_exceeded',
        `This API key has used its token budget of ${key.tokenBudget}.`,
      );
    }
    if (key.tpm) await this.assertTokensLeft(key, key.tpm);
    if (!key.rpm) return undefined;
    const limiter = limiterFor(this.requestLimiters, key.id, key.rpm);
    try {
      const res = await limiter.consume(key.id, 1);
      return requestHeaders(key.rpm, res);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const headers = {
        ...requestHeaders(key.rpm, rejection),
        'retry-after': String(retryAfterSeconds(rejection)),
      };
      throw new ProxyError(
        'rate_limit_exceeded',
        `Rate limit reached: ${key.rpm} requests per minute for this API key.`,
        headers,
      );
    }
  }

  /** Charges a finished request's tokens to the key's TPM window and budget. */
  chargeTokens(key: RoutableProxyKey, tokens: number): void {
    if (tokens <= 0) return;
    // Counted for every key: a budget set later applies to what was already spent.
    this.tokensSpent.set(key.id, (this.tokensSpent.get(key.id) ?? 0) + tokens);
    if (key.tpm) void limiterFor(this.tokenLimiters, key.id, key.tpm).penalty(key.id, tokens);
  }

  private async assertTokensLeft(key: RoutableProxyKey, tpm: number): Promise<void> {
    const used = await limiterFor(this.tokenLimiters, key.id, tpm).get(key.id);
    if (used && used.consumedPoints >= tpm) {
      throw new ProxyError(
        'tokens_rate_limit_exceeded',
        `Rate limit reached: ${tpm} tokens per minute for this API key.`,
        {
          'retry-after': String(retryAfterSeconds(used)),
          'x-ratelimit-limit-tokens': String(tpm),
          'x-ratelimit-remaining-tokens': '0',
        },
      );
    }
  }
}

// One limiter per key and limit: a changed limit starts a fresh window.
function limiterFor(
  limiters: Map<number, RateLimiterMemory>,
  keyId: number,
  points: number,
): RateLimiterMemory {
  let limiter = limiters.get(keyId);
  if (!limiter || limiter.points !== points) {
    limiter = new RateLimiterMemory({ points, duration: MINUTE_SECONDS });
    limiters.set(keyId, limiter);
  }
  return limiter;
}

function requestHeaders(limit: number, res: RateLimiterRes): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(Math.max(0, res.remainingPoints)),
    'x-ratelimit-reset-requests': `${retryAfterSeconds(res)}s`,
  };
}

function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
