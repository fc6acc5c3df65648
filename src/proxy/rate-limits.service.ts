import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { RoutableProxyKey } from '../routing/routing-snapshot.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { UsageStatsService } from '../stats/usage/usage-stats.service.js';
import { LimiterPool, PooledLimiter, WINDOW_SECONDS } from './limits/limiter-pool.js';
import { LimitsBackend, watchLimitsBackend } from './limits/limits-backend.js';
import { TIMED_OUT, withinDeadline } from '../common/deadline.js';
import { REDIS_DEADLINE_MS } from './limits/replica-share.js';
import { SharedAdmission, SharedCounters, WindowCount } from './limits/shared-counters.js';
import { SpentTokens } from './limits/spent-tokens.js';
import { ProxyError } from './proxy-error.js';
import { describeError } from '../common/describe-error.js';

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

/** What a limiter counted in its current minute. */
type WindowUsage = Pick<RateLimiterRes, 'consumedPoints' | 'msBeforeNext'>;

interface RequestOutcome {
  readonly admitted: boolean;
  readonly res: RateLimiterRes;
  /** The limiter that counted it, to give the request back if another limit refuses it. */
  readonly by: PooledLimiter['limiter'];
  readonly counter: string;
}

/**
 * Per proxy key limits: requests per minute (consumed when a request is admitted, after it passed
 * authentication and validation), tokens per minute and the lifetime token budget. Tokens are
 * reserved when a request is admitted (an estimate) and settled to the real usage when it ends,
 * so concurrent requests cannot together overrun a budget or TPM: a request is admitted only when
 * its reservation fits beside the others'. A request alone in flight is admitted while anything is
 * left (its real usage, unknown in advance, may pass the limit by its own size, as one request can).
 *
 * With Redis (`REDIS_URL`) the replicas share the counters (see SharedCounters: one script per
 * proxy key and event-loop turn before the requests, one after; none for a key without limits):
 * - RPM is exact across replicas: each request is counted by an atomic increment in Redis.
 * - TPM and budgets count tokens once requests end (added to Redis after the response); the
 *   reservations of requests in flight stay per replica. So across replicas they are exact for
 *   what was spent, approximate for what is in flight: replicas may together overrun a limit by
 *   the requests they have in flight at the same moment, as one replica alone may by one request.
 * - While Redis is unreachable, or slower than REDIS_DEADLINE_MS, each replica counts alone with
 *   its share (1/REPLICAS_EXPECTED) of each limit and of what was left of each budget.
 */
@Injectable()
export class RateLimitsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RateLimitsService.name);
  private readonly requestLimiters: LimiterPool;
  private readonly tokenLimiters: LimiterPool;
  private readonly spent: SpentTokens;
  private readonly counters?: SharedCounters;
  /** Tokens reserved by requests in flight on this replica, per proxy key. */
  private readonly tokensReserved = new Map<number, number>();

  constructor(
    private readonly usageStats: UsageStatsService,
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    const client = redis.client;
    const replicasExpected = config.replicasExpected;
    const store = (name: string) => client && { client, keyPrefix: redis.key(name), replicasExpected };
    this.requestLimiters = new LimiterPool(store('limits:rpm'));
    this.tokenLimiters = new LimiterPool(store('limits:tpm'));
    this.spent = new SpentTokens(
      client && { client, replicasExpected, counterOf: (id) => this.spentKey(id) },
    );
    this.counters = client && new SharedCounters(client);
    metrics.trackRateLimitBackend(() => this.backend);
  }

  /** Where the limits are counted right now. */
  get backend(): LimitsBackend {
    return this.spent.redisUp ? 'redis' : 'memory';
  }

  /** Budgets count every token ever spent: start from what the hourly aggregates hold. */
  async onApplicationBootstrap(): Promise<void> {
    const client = this.redis.client;
    if (client) watchLimitsBackend(client, this.config.replicasExpected, () => void this.reseed());
    await this.spent.load(await this.usageStats.tokensByProxyKey()).catch((error: unknown) => {
      this.logger.warn({
        msg: 'Could not share the token budgets through Redis yet',
        error: describeError(error),
      });
    });
    if (client?.status === 'wait') void client.connect().catch(() => undefined); // logged by the connection
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
      const headers = this.spent.shared
        ? await this.admitShared(key, othersReserved, tokens)
        : await this.admitAlone(key, othersReserved, tokens);
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
    const tokens = Math.ceil(spentTokens); // Redis counts whole tokens
    const tpm = key.tpm ? this.tokenLimiters.limiterFor(key.id, key.tpm) : undefined;
    const counters = this.counters;
    // Counted for every key: a budget set later applies to what was already spent. With Redis the
    // TPM counter is counted in the same command, and on this replica's own when Redis did not.
    const shared = this.spent.add(
      key.id,
      tokens,
      counters && ((spentKey) => counters.record(spentKey, tokens, tpm && tpmKey(tpm), WINDOW_SECONDS)),
    );
    if (!tpm) return;
    if (!this.spent.shared) void tpm.limiter.penalty(tpm.counter, tokens).catch(() => undefined);
    else
      void shared.then((counted) => {
        if (!counted) void tpm.local.penalty(tpm.counter, tokens).catch(() => undefined);
      });
  }

  private async admitAlone(
    key: RoutableProxyKey,
    reserved: number,
    tokens: number,
  ): Promise<Record<string, string> | undefined> {
    if (key.tpm) {
      const { limiter, counter } = this.tokenLimiters.limiterFor(key.id, key.tpm);
      this.assertTokensLeft(key.tpm, await limiter.get(counter), reserved, tokens);
    }
    if (!key.rpm) return undefined;
    const { limiter, counter } = this.requestLimiters.limiterFor(key.id, key.rpm);
    return this.requestVerdict(key.rpm, await consumeOne(limiter, counter));
  }

  /**
   * The RPM increment and the reads of the TPM counter and the budget's total: one script, one
   * round trip; then the same checks, in the same order, as alone. A request refused by the TPM or
   * the budget gets its RPM point back.
   */
  private async admitShared(
    key: RoutableProxyKey,
    reserved: number,
    tokens: number,
  ): Promise<Record<string, string> | undefined> {
    if (!key.rpm && !key.tpm && key.tokenBudget === undefined) return undefined;
    const { request, tokensUsed } = await this.countShared(key);
    try {
      if (key.tokenBudget !== undefined) this.assertBudgetLeft(key, key.tokenBudget, reserved, tokens);
      if (key.tpm) this.assertTokensLeft(key.tpm, tokensUsed, reserved, tokens);
    } catch (error) {
      if (request?.admitted) void request.by.reward(request.counter, 1).catch(() => undefined);
      throw error;
    }
    return key.rpm && request ? this.requestVerdict(key.rpm, request) : undefined;
  }

  /**
   * Counts the request against the RPM and reads the TPM counter and the budget's total (brought
   * up to date here) in Redis; on this replica's own counters when Redis is away, fails or is
   * slower than the deadline.
   */
  private async countShared(
    key: RoutableProxyKey,
  ): Promise<{ request?: RequestOutcome; tokensUsed: WindowUsage | null }> {
    const rpm = key.rpm ? this.requestLimiters.limiterFor(key.id, key.rpm) : undefined;
    const tpm = key.tpm ? this.tokenLimiters.limiterFor(key.id, key.tpm) : undefined;
    const keys = { requests: rpm && rpm.limiter.getKey(rpm.counter), tokens: tpm && tpmKey(tpm) };
    const read: SharedAdmission | typeof TIMED_OUT =
      this.counters && this.redis.ready
        ? await withinDeadline(
            this.counters.admit({ ...keys, spent: this.spentKey(key.id) }, WINDOW_SECONDS),
            REDIS_DEADLINE_MS,
          ).catch(() => TIMED_OUT)
        : TIMED_OUT;
    if (read === TIMED_OUT)
      return {
        request: rpm && (await consumeOne(rpm.local, rpm.counter)),
        tokensUsed: tpm ? await tpm.local.get(tpm.counter) : null,
      };
    if (read.spent !== undefined && key.tokenBudget !== undefined) this.spent.observe(key.id, read.spent);
    return {
      request: rpm && read.requests && countedOutcome(rpm, read.requests),
      tokensUsed: read.tokens ?? null,
    };
  }

  private spentKey(keyId: number): string {
    return this.redis.key(`limits:spent:${keyId}`);
  }

  private reseed(): void {
    this.usageStats
      .tokensByProxyKey()
      .then((totals) => this.spent.seed(totals))
      .catch((error: unknown) =>
        this.logger.warn({
          msg: 'Could not share the token budgets through Redis',
          error: describeError(error),
        }),
      );
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
    const committed = this.spent.spentOf(key.id) + reserved;
    if (committed >= budget || (reserved > 0 && committed + tokens > budget)) {
      throw new ProxyError(
        'budget_exceeded',
        reserved > 0 && committed < budget
          ? `This API key's token budget of ${budget} is held by requests in flight; retry when they finish.`
          : `This API key has used its token budget of ${budget}.`,
      );
    }
  }

  private assertTokensLeft(tpm: number, used: WindowUsage | null, reserved: number, tokens: number): void {
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

  private requestVerdict(rpm: number, outcome: RequestOutcome): Record<string, string> {
    if (outcome.admitted) return requestHeaders(rpm, outcome.res);
    throw new ProxyError(
      'rate_limit_exceeded',
      `Rate limit reached: ${rpm} requests per minute for this API key.`,
      {
        ...requestHeaders(rpm, outcome.res),
        'retry-after': String(retryAfterSeconds(outcome.res)),
      },
    );
  }
}

/** Consumes one request on a limiter: admitted, or refused with the limiter's answer. */
function consumeOne(by: PooledLimiter['limiter'], counter: string): Promise<RequestOutcome> {
  return by.consume(counter, 1).then(
    (res): RequestOutcome => ({ admitted: true, res, by, counter }),
    (rejection: unknown): RequestOutcome => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { admitted: false, res: rejection, by, counter };
    },
  );
}

/** The outcome of a request counted in Redis by the admission script, as its limiter would give it. */
function countedOutcome(pooled: PooledLimiter, count: WindowCount): RequestOutcome {
  const { consumedPoints, msBeforeNext } = count;
  const res = new RateLimiterRes(
    Math.max(0, pooled.points - consumedPoints),
    msBeforeNext,
    consumedPoints,
    consumedPoints === 1,
  );
  return { admitted: consumedPoints <= pooled.points, res, by: pooled.limiter, counter: pooled.counter };
}

/** The Redis key of a TPM limiter's counter. */
function tpmKey(tpm: PooledLimiter): string {
  return tpm.limiter.getKey(tpm.counter);
}

function requestHeaders(limit: number, res: RateLimiterRes): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(Math.max(0, res.remainingPoints)),
    'x-ratelimit-reset-requests': `${retryAfterSeconds(res)}s`,
  };
}

function retryAfterSeconds(res: WindowUsage): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
