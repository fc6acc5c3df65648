import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { loadConfig } from '../config/load-config.js';
import { HealthClock, HealthState } from './health-state.service.js';
import type { KeyOutcome, UpstreamKeyRef } from './key-health.js';
import { explainKey, groupStatus, HealthStatus } from './routability.js';

// Given, so that loading the configuration writes no secrets file.
const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };

const START = 1_700_000_000_000;
const FAILURE: KeyOutcome = {
  success: false,
  breakerFailure: true,
  invalidatesKey: false,
  kind: 'server_error',
  status: 500,
};
const SUCCESS: KeyOutcome = {
  success: true,
  breakerFailure: false,
  invalidatesKey: false,
  kind: 'success',
  status: 200,
};
const ref = (keyId: number): UpstreamKeyRef => ({
  groupId: 1,
  groupName: 'g',
  keyId,
  masked: `sk-…${keyId}`,
});

describe('explainKey', () => {
  let clock: HealthClock & { t: number };
  let health: HealthState;

  beforeEach(() => {
    for (const level of ['log', 'warn'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    clock = { t: START, now: () => clock.t, random: () => 0.5 };
    health = new HealthState(loadConfig(TEST_SECRETS), clock);
  });

  afterEach(() => jest.restoreAllMocks());

  const explain = (keyId: number, config = { groupEnabled: true, keyEnabled: true }) =>
    explainKey({
      ...config,
      availability: health.availability(keyId),
      condition: health.stateOf(keyId)?.condition,
    });

  it('says why for every state, and when it changes', () => {
    for (let i = 0; i < 3; i += 1) health.recordOutcome(ref(2), FAILURE, 10);
    health.recordOutcome(
      ref(3),
      { ...FAILURE, breakerFailure: false, invalidatesKey: true, kind: 'auth', status: 401 },
      10,
    );
    health.coolDown(ref(4), 5_000);
    health.markUnhealthy(ref(5), START + 3_600_000);

    expect(explain(1)).toEqual({ available: true, reason: 'ok', availableAt: undefined, status: 'healthy' });
    expect(explain(2)).toEqual({
      available: false,
      reason: 'breaker_open',
      availableAt: START + 60_000,
      status: 'unhealthy',
    });
    expect(explain(3)).toEqual({
      available: false,
      reason: 'invalid_credentials',
      availableAt: undefined,
      status: 'unhealthy',
    });
    expect(explain(4)).toEqual({
      available: false,
      reason: 'cooling_down_429',
      availableAt: START + 5_000,
      status: 'healthy',
    });
    expect(explain(5)).toEqual({
      available: false,
      reason: 'unhealthy_by_checks',
      availableAt: START + 3_600_000,
      status: 'unhealthy',
    });
    expect(explain(1, { groupEnabled: true, keyEnabled: false })).toEqual({
      available: false,
      reason: 'disabled',
      status: 'disabled',
    });
    expect(explain(2, { groupEnabled: false, keyEnabled: true })).toEqual({
      available: false,
      reason: 'group_disabled',
      status: 'disabled',
    });

    clock.t = START + 60_000;
    expect(explain(2)).toEqual({
      available: true,
      reason: 'half_open',
      availableAt: undefined,
      status: 'recovering',
    });
    health.tryBegin(ref(2)); // the trial takes the only half-open slot
    expect(explain(2)).toEqual({
      available: false,
      reason: 'half_open',
      availableAt: undefined,
      status: 'recovering',
    });
  });

  // Seed 002: the healthy list is exactly the keys the router does not exclude.
  it('calls a key available exactly when the proxy may route to it', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('fail' as const), key: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('succeed' as const), key: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('invalid' as const), key: fc.integer({ min: 1, max: 4 }) }),
      fc.record({
        kind: fc.constant('cool' as const),
        key: fc.integer({ min: 1, max: 4 }),
        ms: fc.integer({ min: 0, max: 90_000 }),
      }),
      fc.record({
        kind: fc.constant('unhealthy' as const),
        key: fc.integer({ min: 1, max: 4 }),
        ms: fc.integer({ min: 1, max: 7_200_000 }),
      }),
      fc.record({ kind: fc.constant('pass' as const), key: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('trial' as const), key: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 700_000 }) }),
    );
    const config = fc.array(fc.record({ groupEnabled: fc.boolean(), keyEnabled: fc.boolean() }), {
      minLength: 4,
      maxLength: 4,
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), config, (ops, flags) => {
        clock.t = START;
        health = new HealthState(loadConfig(TEST_SECRETS), clock);
        for (const o of ops) {
          if (o.kind === 'wait') clock.t += o.ms;
          else if (o.kind === 'fail') health.recordOutcome(ref(o.key), FAILURE, 10);
          else if (o.kind === 'succeed') health.recordOutcome(ref(o.key), SUCCESS, 10);
          else if (o.kind === 'invalid') health.markInvalid(ref(o.key), 403);
          else if (o.kind === 'cool') health.coolDown(ref(o.key), o.ms);
          else if (o.kind === 'unhealthy') health.markUnhealthy(ref(o.key), clock.t + o.ms);
          else if (o.kind === 'pass') health.checkPassed(ref(o.key));
          else health.tryBegin(ref(o.key));
        }
        flags.forEach((flag, i) => {
          const keyId = i + 1;
          const explained = explain(keyId, flag);
          expect(explained.available).toBe(flag.groupEnabled && flag.keyEnabled && health.isAvailable(keyId));
          if (explained.available) expect(['ok', 'half_open']).toContain(explained.reason);
          if (explained.reason === 'ok')
            expect(explained.available && explained.status === 'healthy').toBe(true);
          if (explained.availableAt !== undefined) expect(explained.availableAt).toBeGreaterThan(clock.t);
        });
      }),
    );
  });
});

describe('groupStatus', () => {
  const cases: Array<[boolean, HealthStatus[], HealthStatus]> = [
    [true, ['unhealthy', 'healthy'], 'healthy'],
    [true, ['unhealthy', 'recovering'], 'recovering'],
    [true, ['unhealthy', 'unhealthy'], 'unhealthy'],
    [true, ['disabled', 'unhealthy'], 'unhealthy'],
    [true, ['disabled'], 'unhealthy'],
    [true, [], 'unhealthy'],
    [false, ['healthy'], 'disabled'],
  ];

  it.each(cases)('enabled %s with keys %j is %s', (enabled, keys, expected) => {
    expect(groupStatus(enabled, keys)).toBe(expected);
  });
});
