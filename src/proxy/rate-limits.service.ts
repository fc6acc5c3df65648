import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RoutableProxyKey } from '../routing/routing-snapshot.js';
import { UsageStatsService } from '../stats/usage/usage-stats.service.js';
import { ProxyError } from './proxy-error.js';

const MINUTE_SECONDS = 60;

/** Tokens held for one admitted request until it ends; settle it exactly once. */
export interface TokenReservation {
  readonly key: RoutableProxyKey;
  readonly tokens: number;
}

export interface Admission {
  /** The `x-ratelimit-*` headers to send. */
  readonly headers?: Record<string, string>;
  readonly reservation?: TokenReservation;
}

/**
 * Per proxy key limits: requests per minute (consumed when a request is admitted, after it passed
 * authentication and validation), tokens per minute and the lifetime token budget. Tokens are
 * reserved when a request is admitted (an estimate) and settled to the real usage when it ends,
 * so concurrent requests cannot together overrun a budget or TPM: a request is admitted only when
 * its reservation fits beside the others'. A request alone in flight is admitted while anything is
 * left (its real usage, unknown in advance, may pass the limit by its own size, as one request can).
 */
@Injectable()
export class RateLimitsService implements OnApplicationBootstrap {
  private readonly requestLimiters = new Map<number, RateLimiterMemory>();
  private readonly tokenLimiters = new Map<number, RateLimiterMemory>();
  private readonly tokensSpent = new Map<number, number>();
  /** Tokens reserved by requests in flight, per proxy key. */
  private readonly tokensReserved = new Map<number, number>();

  constructor(private readonly usageStats: UsageStatsService) {}

  /** Budgets count every token ever spent: start from what the hourly aggregates hold. */
  async onApplicationBootstrap(): Promise<void> {
    for (const [keyId, tokens] of await this.usageStats.tokensByProxyKey())
      this.tokensSpent.set(keyId, tokens);
  }

  /**
   * Admits one request or throws 429. `estimate` (called only when the key has a budget or TPM)
   * is what the request may spend; it stays reserved until `settle`.
   */
  async admit(key: RoutableProxyKey, estimate: () => number): Promise<Admission> {
    const tokens = key.tokenBudget !== undefined || key.tpm ? Math.max(0, estimate()) : 0;
    // Checked and reserved synchronously, so concurrent admissions see each other's reservations.
    const othersReserved = this.tokensReserved.get(key.id) ?? 0;
    if (key.tokenBudget !== undefined) this.assertBudgetLeft(key, key.tokenBudget, othersReserved, tokens);
    const reservation = tokens > 0 ? this.reserve(key, tokens) : undefined;
    try {
      if (key.tpm) await this.assertTokensLeft(key, key.tpm, othersReserved, tokens);
      const headers = key.rpm ? await this.consumeRequest(key, key.rpm) : undefined;
      return { headers, reservation };
    } catch (error) {
      this.release(reservation);
      throw error;
    }
  }

  /** A request ended: its reservation is replaced by the tokens it really spent (0 when it failed). */
  settle(key: RoutableProxyKey, reservation: TokenReservation | undefined, spentTokens: number): void {
    this.release(reservation);
    if (spentTokens <= 0) return;
    // Counted for every key: a budget set later applies to what was already spent.
    this.tokensSpent.set(key.id, (this.tokensSpent.get(key.id) ?? 0) + spentTokens);
    if (key.tpm) void limiterFor(this.tokenLimiters, key.id, key.tpm).penalty(key.id, spentTokens);
  }

  private reserve(key: RoutableProxyKey, tokens: number): TokenReservation {
    this.tokensReserved.set(key.id, (this.tokensReserved.get(key.id) ?? 0) + tokens);
    return { key, tokens };
  }

  private release(reservation: TokenReservation | undefined): void {
    if (!reservation) return;
    const id = reservation.key.id;
    const left = (this.tokensReserved.get(id) ?? 0) - reservation.tokens;
    if (left > 0) this.tokensReserved.set(id, left);
    else this.tokensReserved.delete(id);
  }

  private assertBudgetLeft(key: RoutableProxyKey, budget: number, reserved: number, tokens: number): void {
    const committed = (this.tokensSpent.get(key.id) ?? 0) + reserved;
    if (committed >= budget || (reserved > 0 && committed + tokens > budget)) {
      throw new ProxyError(
        'budget_exceeded',
        reserved > 0 && committed < budget
          ? `This API key's token budget of ${budget} is held by requests in flight; retry when they finish.`
          : `This API key has used its token budget of ${budget}.`,
      );
    }
  }

  private async assertTokensLeft(
    key: RoutableProxyKey,
    tpm: number,
    reserved: number,
    tokens: number,
  ): Promise<void> {
    const used = await limiterFor(this.tokenLimiters, key.id, tpm).get(key.id);
    const consumed = (used?.consumedPoints ?? 0) + reserved;
    if (consumed >= tpm || (reserved > 0 && consumed + tokens > tpm)) {
      throw new ProxyError(
        'tokens_rate_limit_exceeded',
        `Rate limit reached: ${tpm} tokens per minute for this API key.`,
        {
          'retry-after': String(used ? retryAfterSeconds(used) : 1),
          'x-ratelimit-limit-tokens': String(tpm),
          'x-ratelimit-remaining-tokens': '0',
        },
      );
    }
  }

  private async consumeRequest(key: RoutableProxyKey, rpm: number): Promise<Record<string, string>> {
    const limiter = limiterFor(this.requestLimiters, key.id, rpm);
    try {
      return requestHeaders(rpm, await limiter.consume(key.id, 1));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const headers = {
        ...requestHeaders(rpm, rejection),
        'retry-after': String(retryAfterSeconds(rejection)),
      };
      throw new ProxyError(
        'rate_limit_exceeded',
        `Rate limit reached: ${rpm} requests per minute for this API key.`,
        headers,
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
