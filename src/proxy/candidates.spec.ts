import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { BalancePolicy } from '../config/app-config.js';
import { loadConfig } from '../config/load-config.js';
import { HealthClock, HealthState } from '../key-health/health-state.service.js';
import { KeyOutcome, refOf } from '../key-health/key-health.js';
import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';
import { Attempt, CandidatePlan, CandidatePlanner } from './candidates.js';

// Given, so that loading the configuration writes no secrets file.
const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };

const SERVER_ERROR: KeyOutcome = {
  success: false,
  breakerFailure: true,
  invalidatesKey: false,
  kind: 'http_500',
  status: 500,
};
const UNAVAILABLE: KeyOutcome = { ...SERVER_ERROR, kind: 'http_503', status: 503 };
const UNAUTHORIZED: KeyOutcome = {
  success: false,
  breakerFailure: false,
  invalidatesKey: true,
  kind: 'auth',
  status: 401,
};
const RATE_LIMITED: KeyOutcome = {
  success: false,
  breakerFailure: false,
  invalidatesKey: false,
  kind: 'rate_limited',
  status: 429,
  retryAfterMs: 1_000,
};

function group(
  id: number,
  priority: number,
  keyIds: number[],
  extra: Partial<RoutableGroup> = {},
): RoutableGroup {
  const keys: RoutableKey[] = keyIds.map((keyId) => ({
    id: keyId,
    groupId: id,
    masked: `sk-…${keyId}`,
    secret: `secret-${keyId}`,
    weight: 1,
  }));
  return {
    id,
    name: `group-${id}`,
    providerType: 'openai',
    baseUrl: 'http://127.0.0.1:1/v1',
    models: ['*'],
    modelMap: {},
    balancePolicy: 'round_robin',
    retryCount: 3,
    timeoutSeconds: 60,
    priority,
    weight: 1,
    parameters: {},
    headers: {},
    probe: { kind: 'models' },
    keys,
    ...extra,
  };
}

describe(CandidatePlanner.name, () => {
  const start = 1_700_000_000_000;
  let clock: HealthClock & { t: number };
  let health: HealthState;
  let sut: CandidatePlanner;

  function setUp(env: Record<string, string> = {}) {
    const config = loadConfig({ ...env, ...TEST_SECRETS });
    health = new HealthState(config, clock);
    sut = new CandidatePlanner(health, config);
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let draw = 0;
    clock = { t: start, now: () => clock.t, random: () => (draw++ * 0.618034) % 1 };
    setUp();
  });

  afterEach(() => jest.restoreAllMocks());

  /** Walks a plan, ending every attempt with `outcome` (none: the key is left as it was). */
  function walk(plan: CandidatePlan, outcome?: (attempt: Attempt) => KeyOutcome | undefined): number[] {
    const keys: number[] = [];
    for (let attempt = plan.next(); attempt && keys.length < 20; attempt = plan.next()) {
      keys.push(attempt.key.id);
      const result = outcome?.(attempt);
      health.end(attempt.permit, result);
      if (result?.status === 503) plan.avoid(attempt.key.id);
    }
    return keys;
  }

  const failTimes = (g: RoutableGroup, keyId: number, times: number) => {
    const key = g.keys.find((k) => k.id === keyId)!;
    for (let i = 0; i < times; i += 1) health.recordOutcome(refOf(g, key), SERVER_ERROR, 10);
  };

  it('walks tiers by priority, then groups, then keys, each key once', () => {
    const backup = group(2, 2, [21]);
    const primary = group(1, 1, [11, 12]);

    expect(walk(sut.plan([backup, primary]))).toEqual([11, 12, 21]);
  });

  it('makes at most global.retries + 1 attempts, and at most retryCount + 1 in one group', () => {
    const wide = group(1, 1, [11, 12, 13], { retryCount: 1 });
    const next = group(2, 1, [21, 22]);
    const last = group(3, 2, [31, 32]);

    const plan = sut.plan([wide, next, last]);
    const keys = walk(plan);

    expect(keys).toHaveLength(4);
    expect(plan.attempts).toBe(4);
    expect(keys.filter((id) => id < 20)).toHaveLength(2);
    setUp({ GLOBAL_RETRIES: '0' });
    expect(walk(sut.plan([wide, next]))).toHaveLength(1);
  });

  it('skips unavailable keys and drops a group with none left', () => {
    const broken = group(1, 1, [11]);
    const mixed = group(2, 1, [21, 22]);
    health.markInvalid(refOf(broken, broken.keys[0]), 401);
    health.coolDown(refOf(mixed, mixed.keys[0]), 5_000);

    // 22 is then the last key left, so it is tried again until its breaker opens.
    expect(walk(sut.plan([broken, mixed]), () => SERVER_ERROR)).toEqual([22, 22, 22]);
  });

  it('serves a pinned backend from its own keys only', () => {
    const pinned = group(7, 5, [71, 72]);

    expect(walk(sut.plan([pinned]), () => SERVER_ERROR)).toEqual([71, 72]);
  });

  it('repeats a key only when it is the last one left, until its breaker opens', () => {
    const single = group(1, 1, [11]);
    expect(walk(sut.plan([single]), () => SERVER_ERROR)).toEqual([11, 11, 11]);

    const pair = group(2, 1, [21, 22]);
    expect(walk(sut.plan([pair]), () => SERVER_ERROR)).toEqual([21, 22]);

    const other = group(3, 1, [31, 32]);
    const keys = walk(sut.plan([other]), (attempt) => (attempt.key.id === 31 ? UNAUTHORIZED : SERVER_ERROR));
    expect(keys).toEqual([31, 32, 32, 32]);
  });

  it('never repeats a key that answered 503', () => {
    expect(walk(sut.plan([group(1, 1, [11])]), () => UNAVAILABLE)).toEqual([11]);
  });

  it('fails open: one forced attempt on the key due soonest when nothing is available', () => {
    const a = group(1, 1, [11]);
    const b = group(2, 2, [21, 22]);
    failTimes(a, 11, 3); // open until +60 s
    health.markInvalid(refOf(b, b.keys[0]), 401); // never due
    clock.t += 30_000;
    health.coolDown(refOf(b, b.keys[1]), 10_000); // due at +40 s: the soonest

    const plan = sut.plan([a, b]);
    const attempt = plan.next();

    expect(attempt).toMatchObject({ failOpen: true, key: { id: 22 } });
    health.end(attempt!.permit, SERVER_ERROR);
    expect(plan.next()).toBeUndefined();
    expect(plan.attempts).toBe(1);
  });

  it('fails open to an invalid key when it is the only candidate, and has nothing without candidates', () => {
    const only = group(1, 1, [11]);
    health.markInvalid(refOf(only, only.keys[0]), 403);

    expect(sut.plan([only]).next()).toMatchObject({ failOpen: true, key: { id: 11 } });
    expect(sut.plan([]).next()).toBeUndefined();
  });

  it('checks half-open trial slots at the moment of the attempt', () => {
    const g = group(1, 1, [11, 12]);
    failTimes(g, 12, 3);
    clock.t += 60_000; // 12 is due a trial
    const plan = sut.plan([g]);
    const first = plan.next()!;
    expect(first.key.id).toBe(11);

    const trial = health.tryBegin(refOf(g, g.keys[1]))!; // another request takes 12's only slot
    health.end(first.permit, UNAVAILABLE);
    plan.avoid(11);

    expect(plan.next()).toBeUndefined();
    health.end(trial, { ...SERVER_ERROR, success: true, breakerFailure: false });
    const again = sut.plan([g]).next();
    expect(again?.key.id).toBe(12);
  });

  it('keeps a session on one key while it is available, across groups of a tier', () => {
    const a = group(1, 1, [11, 12, 13]);
    const b = group(2, 1, [21, 22, 23]);
    const first = (sessionId: string) => sut.plan([a, b], { sessionId }).next()!;
    const end = (attempt: Attempt) => health.end(attempt.permit);

    const sticky = first('conversation-1');
    end(sticky);
    for (let i = 0; i < 20; i += 1) {
      const again = first('conversation-1');
      expect(again.key.id).toBe(sticky.key.id);
      end(again);
    }
    const stickyGroup = sticky.group;
    health.coolDown(refOf(stickyGroup, sticky.key), 1_000);
    const elsewhere = first('conversation-1');
    expect(elsewhere.key.id).not.toBe(sticky.key.id);
    end(elsewhere);
    clock.t += 1_000;
    expect(first('conversation-1').key.id).toBe(sticky.key.id);
    const seen = new Set([...Array(12).keys()].map((i) => first(`conversation-${i}`).key.id));
    expect(seen.size).toBeGreaterThan(2);
  });

  it('does not repeat the sticky key later in the same plan', () => {
    const g = group(1, 1, [11, 12, 13]);

    const keys = walk(sut.plan([g], { sessionId: 's' }));

    expect([...keys].sort()).toEqual([11, 12, 13]);
  });

  it('orders the groups of a tier by the global policy', () => {
    const rotate = (a: RoutableGroup, b: RoutableGroup) =>
      [0, 1, 2, 3].map(() => sut.plan([a, b]).next()!.group.id);
    const a = group(1, 1, [11]);
    const b = group(2, 1, [21]);
    expect(rotate(a, b)).toEqual([1, 2, 1, 2]);

    setUp({ BALANCE_POLICY: 'weighted' });
    const heavy = group(2, 1, [21], { weight: 5 });
    const off = group(1, 1, [11], { weight: 0 });
    expect(rotate(off, heavy)).toEqual([2, 2, 2, 2]);
  });

  it.each<BalancePolicy>(['round_robin', 'random', 'least_used', 'weighted', 'latency'])(
    'orders keys with the group policy %s without repeating one',
    (balancePolicy) => {
      const g = group(1, 1, [11, 12, 13, 14], { balancePolicy, retryCount: 10 });
      setUp({ GLOBAL_RETRIES: '10' });

      expect([...walk(sut.plan([g]))].sort()).toEqual([11, 12, 13, 14]);
    },
  );

  it('starts a new pass after a 429 wait, the caps still counting', () => {
    const g = group(1, 1, [11]);
    const plan = sut.plan([g]);

    expect(walk(plan, () => RATE_LIMITED)).toEqual([11]);
    clock.t += 1_000;
    plan.restart();

    expect(plan.next()?.key.id).toBe(11);
    expect(plan.attempts).toBe(2);
  });
});
