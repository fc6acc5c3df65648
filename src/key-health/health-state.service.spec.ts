import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/load-config.js';
import { HealthClock, HealthState } from './health-state.service.js';
import { KeyOutcome, KeyTransition, UpstreamKeyRef } from './key-health.js';

// Given, so that loading the configuration writes no secrets file.
const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };

const REF: UpstreamKeyRef = { groupId: 1, groupName: 'openai-primary', keyId: 11, masked: 'sk-…abcd' };
const OTHER: UpstreamKeyRef = { groupId: 1, groupName: 'openai-primary', keyId: 12, masked: 'sk-…efgh' };

const FAILURE: KeyOutcome = {
  success: false,
  breakerFailure: true,
  invalidatesKey: false,
  kind: 'http_500',
  status: 500,
};
const SUCCESS: KeyOutcome = {
  success: true,
  breakerFailure: false,
  invalidatesKey: false,
  kind: 'ok',
  status: 200,
};
const rateLimited = (retryAfterMs?: number): KeyOutcome => ({
  success: false,
  breakerFailure: false,
  invalidatesKey: false,
  kind: 'rate_limited',
  status: 429,
  retryAfterMs,
});

describe(HealthState.name, () => {
  const start = 1_700_000_000_000;
  let clock: HealthClock & { t: number };
  let sut: HealthState;
  let transitions: KeyTransition[];
  let logged: string[];

  beforeEach(() => {
    // Seed 003's defaults, from the real parser; random 0.5 means no jitter.
    const config = loadConfig(TEST_SECRETS);
    clock = { t: start, now: () => clock.t, random: () => 0.5 };
    sut = new HealthState(config, clock);
    transitions = [];
    sut.onTransition((t) => transitions.push(t));
    logged = [];
    const capture = (message: unknown) =>
      void logged.push(typeof message === 'string' ? message : JSON.stringify(message));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(capture);
  });

  afterEach(() => jest.restoreAllMocks());

  const fail = (ref = REF) => sut.recordOutcome(ref, FAILURE, 100);

  it('treats unknown keys as healthy and idle', () => {
    expect(sut.availability(99)).toEqual({ available: true, reason: 'ok' });
    expect(sut.isAvailable(99)).toBe(true);
    expect(sut.inFlight(99)).toBe(0);
    expect(sut.latencyMs(99)).toBeUndefined();
    expect(sut.stateOf(99)).toBeUndefined();
  });

  it('takes a key out of rotation on 401 until a health check passes, without leaking the secret', () => {
    sut.recordOutcome(
      REF,
      {
        success: false,
        breakerFailure: false,
        invalidatesKey: true,
        kind: 'auth',
        status: 401,
        message: 'bad key sk-live1234567890',
      },
      50,
    );

    expect(sut.availability(REF.keyId)).toEqual({ available: false, reason: 'invalid_credentials' });
    expect(sut.tryBegin(REF)).toBeUndefined();
    expect(logged).toContain('key sk-…abcd of openai-primary marked invalid (401)');
    expect(transitions).toEqual([
      expect.objectContaining({
        ref: REF,
        from: 'closed',
        to: 'invalid',
        reason: 'marked_invalid',
        status: 401,
      }),
    ]);
    expect(transitions[0].message).toBe('bad key [redacted]');

    sut.checkPassed(REF);

    expect(sut.availability(REF.keyId)).toEqual({ available: true, reason: 'ok' });
    expect(transitions[1]).toMatchObject({ from: 'invalid', to: 'closed', reason: 'marked_valid' });
  });

  it('cools a key down after a 429 for Retry-After, then brings it back', () => {
    sut.recordOutcome(REF, rateLimited(5_000), 20);

    expect(sut.availability(REF.keyId)).toEqual({
      available: false,
      reason: 'cooling_down_429',
      availableAt: start + 5_000,
    });
    clock.t = start + 4_999;
    expect(sut.isAvailable(REF.keyId)).toBe(false);
    clock.t = start + 5_000;
    expect(sut.availability(REF.keyId)).toEqual({ available: true, reason: 'ok' });
    expect(sut.stateOf(REF.keyId)?.breaker.consecutiveFailures).toBe(0);
    // One failover event for the cooldown; the key's condition never changed.
    expect(transitions).toEqual([
      expect.objectContaining({
        from: 'closed',
        to: 'closed',
        reason: 'rate_limited',
        status: 429,
        nextRetryAt: start + 5_000,
      }),
    ]);
  });

  it('reports a burst of 429s on a cooling key as one cooldown', () => {
    sut.recordOutcome(REF, rateLimited(5_000), 20);
    clock.t = start + 1_000;
    sut.recordOutcome(REF, rateLimited(5_000), 20);

    expect(sut.availability(REF.keyId).availableAt).toBe(start + 6_000);
    expect(transitions.map((t) => t.reason)).toEqual(['rate_limited']);
  });

  it('uses 2 s without Retry-After and never more than 60 s', () => {
    sut.recordOutcome(REF, rateLimited(undefined), 20);
    sut.recordOutcome(OTHER, rateLimited(3_600_000), 20);

    expect(sut.availability(REF.keyId).availableAt).toBe(start + 2_000);
    expect(sut.availability(OTHER.keyId).availableAt).toBe(start + 60_000);
  });

  it('opens the breaker after 3 failures, half-opens after the back-off, closes after 2 successes', () => {
    fail();
    fail();
    fail();

    expect(logged).toContain(
      'circuit opened for openai-primary/sk-…abcd (3 consecutive failures), retry in 60s',
    );
    expect(sut.availability(REF.keyId)).toEqual({
      available: false,
      reason: 'breaker_open',
      availableAt: start + 60_000,
    });
    expect(transitions[0]).toMatchObject({
      from: 'closed',
      to: 'open',
      consecutiveFailures: 3,
      nextRetryAt: start + 60_000,
      status: 500,
    });

    clock.t = start + 60_000;
    expect(sut.availability(REF.keyId)).toEqual({ available: true, reason: 'half_open' });
    const trial = sut.tryBegin(REF)!;
    expect(trial.trial).toBeGreaterThan(0);
    expect(logged).toContain('circuit half-open for openai-primary/sk-…abcd');
    expect(sut.availability(REF.keyId)).toEqual({ available: false, reason: 'half_open' });
    expect(sut.tryBegin(REF)).toBeUndefined();

    sut.end(trial, SUCCESS, 120);
    sut.end(sut.tryBegin(REF)!, SUCCESS, 80);

    expect(logged).toContain('circuit closed for openai-primary/sk-…abcd (2 consecutive successes)');
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
      'closed>open',
      'open>half_open',
      'half_open>closed',
    ]);
    expect(sut.stateOf(REF.keyId)).toMatchObject({ condition: 'closed', inFlight: 0, trialsInFlight: 0 });
  });

  it('re-opens at the next back-off level when the trial fails', () => {
    fail();
    fail();
    fail();
    clock.t = start + 60_000;
    sut.end(sut.tryBegin(REF)!, FAILURE, 10);

    expect(logged).toContain(
      'circuit opened for openai-primary/sk-…abcd (half-open trial failed), retry in 120s',
    );
    expect(sut.availability(REF.keyId).availableAt).toBe(start + 60_000 + 120_000);
  });

  it('admits a fail-open attempt on an open breaker as a trial', () => {
    fail();
    fail();
    fail();

    const permit = sut.tryBegin(REF, clock.t, true);

    expect(permit).toBeDefined();
    expect(transitions.at(-1)).toMatchObject({ from: 'open', to: 'half_open', reason: 'forced_trial' });
    sut.end(permit!, SUCCESS);
    sut.end(sut.tryBegin(REF, clock.t, true)!, SUCCESS);
    expect(sut.stateOf(REF.keyId)?.condition).toBe('closed');
  });

  it('reports the most severe reason and the time every block has passed', () => {
    fail();
    fail();
    fail();
    clock.t = start + 10_000;
    sut.coolDown(REF, 90_000); // capped at 60 s: outlasts the breaker's back-off by 10 s
    sut.coolDown(OTHER, 10_000);
    sut.markUnhealthy(OTHER, start + 3_600_000);

    expect(sut.availability(REF.keyId)).toEqual({
      available: false,
      reason: 'breaker_open',
      availableAt: start + 70_000,
    });
    expect(sut.availability(OTHER.keyId)).toEqual({
      available: false,
      reason: 'unhealthy_by_checks',
      availableAt: start + 3_600_000,
    });
    expect(logged).toContain(
      'key sk-…efgh of openai-primary marked unhealthy by health checks, retry in 60m',
    );
    expect(sut.retryDueAt(REF.keyId)).toBe(start + 70_000);

    sut.markRecovered(OTHER);

    expect(sut.availability(OTHER.keyId).reason).toBe('cooling_down_429');
    expect(transitions.at(-1)).toMatchObject({
      ref: OTHER,
      from: 'unhealthy',
      to: 'closed',
      reason: 'recovered',
    });
  });

  it('counts requests in flight, recent requests and the latency average of successes', () => {
    const first = sut.tryBegin(REF)!;
    const second = sut.tryBegin(REF)!;
    expect(sut.inFlight(REF.keyId)).toBe(2);

    clock.t += 100;
    sut.end(first, SUCCESS, 100);
    sut.end(first, SUCCESS, 100); // a second end is ignored
    sut.end(second, SUCCESS, 200);
    sut.end(sut.tryBegin(REF)!, FAILURE, 5_000);

    expect(sut.inFlight(REF.keyId)).toBe(0);
    expect(sut.latencyMs(REF.keyId)).toBeCloseTo(130);
    expect(sut.recentRequests(REF.keyId)).toBeCloseTo(3, 1);
    clock.t += 60_000;
    expect(sut.recentRequests(REF.keyId)).toBeCloseTo(1.5, 1);
  });

  it('leaves the key alone when the request, not the key, was wrong', () => {
    sut.recordOutcome(
      REF,
      { success: false, breakerFailure: false, invalidatesKey: false, kind: 'client_error', status: 400 },
      5,
    );

    expect(sut.stateOf(REF.keyId)).toMatchObject({ condition: 'closed', availability: { available: true } });
    expect(sut.stateOf(REF.keyId)?.breaker.consecutiveFailures).toBe(0);
  });

  it('keeps working when a listener throws, and stops calling an unsubscribed one', () => {
    const unsubscribe = sut.onTransition(() => {
      throw new Error('boom');
    });
    sut.markInvalid(REF, 403);
    unsubscribe();
    sut.markValid(REF);

    expect(transitions).toHaveLength(2);
    expect(logged).toContain(JSON.stringify({ msg: 'transition listener failed', error: 'boom' }));
    expect(logged.filter((line) => line.includes('boom'))).toHaveLength(1);
  });

  it('forgets keys that left the configuration', () => {
    fail(REF);
    fail(OTHER);

    expect(sut.retainOnly(new Set([OTHER.keyId]))).toEqual([REF.keyId]);
    expect(sut.states().map((view) => view.ref.keyId)).toEqual([OTHER.keyId]);
  });

  it('restores a persisted breaker', () => {
    fail();
    fail();
    fail();
    const snapshot = sut.stateOf(REF.keyId)!.breaker;
    const other = new HealthState(loadConfig(TEST_SECRETS), clock);

    other.restore(REF, snapshot);

    expect(other.availability(REF.keyId)).toEqual({
      available: false,
      reason: 'breaker_open',
      availableAt: start + 60_000,
    });
  });

  describe('state shared with other replicas', () => {
    const openElsewhere = () => {
      const other = new HealthState(loadConfig(TEST_SECRETS), clock);
      for (let i = 0; i < 3; i += 1) other.recordOutcome(REF, FAILURE, 100);
      logged.length = 0; // that replica's own log lines
      return other.sharedStateOf(REF.keyId)!;
    };

    it("adopts another replica's open breaker, emitted as remote and not logged", () => {
      sut.adopt(REF, openElsewhere(), 'failure_threshold');

      expect(sut.isAvailable(REF.keyId)).toBe(false);
      expect(sut.availability(REF.keyId)).toMatchObject({
        reason: 'breaker_open',
        availableAt: start + 60_000,
      });
      expect(transitions).toEqual([
        expect.objectContaining({ from: 'closed', to: 'open', reason: 'failure_threshold', remote: true }),
      ]);
      expect(logged).toEqual([]);
    });

    it('keeps its own failure streak when the report is about a closed key, and never shortens a cooldown', () => {
      fail();
      sut.recordOutcome(REF, rateLimited(30_000), 10);
      const closed = {
        breaker: {
          state: 'closed',
          consecutiveFailures: 0,
          consecutiveSuccesses: 0,
          openedCount: 0,
          recentFailureAt: [],
        },
        cooldownUntil: start + 5_000,
        unhealthyUntil: 0,
      } as const;

      sut.adopt(REF, closed, 'rate_limited');

      expect(sut.stateOf(REF.keyId)!.breaker.consecutiveFailures).toBe(1);
      expect(sut.stateOf(REF.keyId)!.cooldownUntil).toBe(start + 30_000);
    });

    it('takes an invalid mark and its lifting from another replica', () => {
      const invalid = { ...openElsewhere(), invalid: { status: 401, since: start } };
      sut.adopt(REF, invalid, 'marked_invalid');
      expect(sut.availability(REF.keyId).reason).toBe('invalid_credentials');

      sut.adopt(REF, { ...invalid, invalid: undefined }, 'marked_valid');
      expect(sut.availability(REF.keyId).reason).toBe('breaker_open');
    });

    it('holds back the trial of a due open breaker while another replica has it', () => {
      sut.adopt(REF, openElsewhere(), 'failure_threshold');
      sut.holdTrial(REF.keyId, start + 75_000);
      clock.t = start + 61_000;

      expect(sut.isAvailable(REF.keyId)).toBe(false);
      expect(sut.tryBegin(REF)).toBeUndefined();
      expect(sut.availability(REF.keyId)).toEqual({
        available: false,
        reason: 'breaker_open',
        availableAt: start + 75_000,
      });

      sut.holdTrial(REF.keyId, 0);
      expect(sut.tryBegin(REF)?.trial).toBeGreaterThan(0);
    });

    it('lets a fail-open attempt through a held trial, as through the back-off', () => {
      sut.adopt(REF, openElsewhere(), 'failure_threshold');
      sut.holdTrial(REF.keyId, start + 75_000);

      expect(sut.tryBegin(REF, start + 1_000, true)).toBeDefined();
    });
  });
});
