import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { loadConfig } from '../config/load-config.js';
import { HealthClock, HealthState } from '../key-health/health-state.service.js';
import type { KeyOutcome, UpstreamKeyRef } from '../key-health/key-health.js';
import { TRIAL_LEASE_MS, TrialClaims } from './trial-claims.js';

const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };
const REF: UpstreamKeyRef = { groupId: 1, groupName: 'primary', keyId: 7, masked: 'sk-…abcd' };
const FAILURE: KeyOutcome = { success: false, breakerFailure: true, invalidatesKey: false, kind: 'http_500' };

/** The three commands TrialClaims uses, over one map, as Redis answers them (NX, PX, PTTL). */
class FakeRedis {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  down = false;

  constructor(private readonly clock: { now(): number }) {}

  async set(key: string, value: string, _px: 'PX', ms: number, _nx: 'NX'): Promise<'OK' | null> {
    this.check();
    if (this.live(key)) return null;
    this.values.set(key, { value, expiresAt: this.clock.now() + ms });
    return 'OK';
  }

  async get(key: string): Promise<string | null> {
    this.check();
    return this.live(key)?.value ?? null;
  }

  async pttl(key: string): Promise<number> {
    this.check();
    const entry = this.live(key);
    return entry ? entry.expiresAt - this.clock.now() : -2;
  }

  private live(key: string) {
    const entry = this.values.get(key);
    return entry && entry.expiresAt > this.clock.now() ? entry : undefined;
  }

  private check(): void {
    if (this.down) throw new Error('Connection is closed.');
  }
}

describe(TrialClaims.name, () => {
  const start = 1_700_000_000_000;
  // Jest's fake timers move Date.now too: one clock for the timers, HealthState and the fake Redis.
  const clock: HealthClock = { now: () => Date.now(), random: () => 0.5 };
  let redis: FakeRedis;

  const replica = (id: string) => {
    const health = new HealthState(loadConfig(TEST_SECRETS), clock);
    return { health, claims: new TrialClaims(health, redis as unknown as Redis, (name) => `p:${name}`, id) };
  };
  const openBreaker = (health: HealthState) => {
    for (let i = 0; i < 3; i += 1) health.recordOutcome(REF, FAILURE, 10);
  };
  beforeEach(() => {
    jest.useFakeTimers({ now: start });
    redis = new FakeRedis(clock);
  });
  afterEach(() => jest.useRealTimers());

  it('lets one replica of two send the trial once the back-off is over', async () => {
    const a = replica('a');
    const b = replica('b');
    openBreaker(a.health);
    openBreaker(b.health);
    a.claims.follow(REF.keyId);
    b.claims.follow(REF.keyId);
    const due = start + 60_000;

    await jest.advanceTimersByTimeAsync(60_000);

    const admitted = [a, b].filter((r) => r.health.tryBegin(REF, due) !== undefined);
    expect(admitted).toHaveLength(1);
    expect(redis.values.get(`p:trial:${REF.keyId}:1`)?.value).toBe(admitted[0] === a ? 'a' : 'b');
  });

  it('holds the trial until the back-off is over, even before the claim', () => {
    const a = replica('a');
    openBreaker(a.health);
    a.claims.follow(REF.keyId);

    expect(a.health.availability(REF.keyId).availableAt).toBe(start + 60_000 + TRIAL_LEASE_MS);
  });

  it('takes the trial over when the other replica’s lease lapses', async () => {
    const a = replica('a');
    openBreaker(a.health);
    await redis.set(`p:trial:${REF.keyId}:1`, 'b', 'PX', 60_000 + 5_000, 'NX'); // b claimed, then went away
    a.claims.follow(REF.keyId);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(a.health.isAvailable(REF.keyId, start + 60_000)).toBe(false);

    await jest.advanceTimersByTimeAsync(5_000);
    expect(a.health.isAvailable(REF.keyId, start + 65_000)).toBe(true);
  });

  it('decides alone when Redis cannot answer', async () => {
    const a = replica('a');
    openBreaker(a.health);
    redis.down = true;
    a.claims.follow(REF.keyId);

    await jest.advanceTimersByTimeAsync(60_000);

    expect(a.health.isAvailable(REF.keyId, start + 60_000)).toBe(true);
  });

  it('forgets the claim when the breaker closes', () => {
    const a = replica('a');
    openBreaker(a.health);
    a.claims.follow(REF.keyId);
    a.health.checkPassed(REF);
    a.claims.follow(REF.keyId);

    expect(jest.getTimerCount()).toBe(0);
    expect(a.health.isAvailable(REF.keyId)).toBe(true);
  });
});
