import fc from 'fast-check';
import type { CheckRecord } from './check-bookkeeping.js';
import type { BreakerSnapshot } from '../key-health/circuit-breaker.js';
import type { KeyHealthView } from '../key-health/key-health.js';
import type { ProviderValidation } from './provider-validation.entity.js';
import { fromValidationRow, isCleanBreaker, toValidationRow } from './validation-row.js';

const REF = { groupId: 2, groupName: 'g', keyId: 21, masked: 'sk-…abcd' };
// MySQL keeps datetimes to the second: the round trip must survive that.
const seconds = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map((s) => s * 1000);

const snapshotArb: fc.Arbitrary<BreakerSnapshot> = fc.oneof(
  fc.record({
    state: fc.constant('closed' as const),
    consecutiveFailures: fc.integer({ min: 0, max: 2 }),
    consecutiveSuccesses: fc.integer({ min: 0, max: 5 }),
    openedCount: fc.constant(0),
    recentFailureAt: fc.array(seconds, { maxLength: 2 }),
  }),
  fc.record({
    state: fc.constant('open' as const),
    consecutiveFailures: fc.integer({ min: 3, max: 50 }),
    consecutiveSuccesses: fc.constant(0),
    openedCount: fc.integer({ min: 1, max: 8 }),
    nextAttemptAt: seconds,
    recentFailureAt: fc.constant([]),
  }),
  fc.record({
    state: fc.constant('half_open' as const),
    consecutiveFailures: fc.integer({ min: 0, max: 50 }),
    consecutiveSuccesses: fc.integer({ min: 0, max: 1 }),
    openedCount: fc.integer({ min: 1, max: 8 }),
    recentFailureAt: fc.constant([]),
  }),
);

const recordArb: fc.Arbitrary<CheckRecord> = fc.record(
  {
    errorCount: fc.integer({ min: 0, max: 99 }),
    consecutiveSuccesses: fc.integer({ min: 0, max: 999 }),
    lastError: fc.string({ maxLength: 500 }),
    lastStatusCode: fc.integer({ min: 100, max: 599 }),
    lastCheckAt: seconds,
    lastSuccessAt: seconds,
    lastFailureAt: seconds,
    nextRetryAt: seconds,
  },
  { requiredKeys: ['errorCount', 'consecutiveSuccesses'] },
);

function view(breaker: BreakerSnapshot, invalidStatus?: number): KeyHealthView {
  return {
    ref: REF,
    condition: invalidStatus ? 'invalid' : breaker.state,
    availability: { available: true, reason: 'ok' },
    breaker,
    trialsInFlight: 0,
    invalid: invalidStatus ? { status: invalidStatus, since: 0 } : undefined,
    inFlight: 0,
    recentRequests: 0,
  };
}

describe('provider_validations rows', () => {
  it('survive a write and a read: the check record and the breaker come back as they were', () => {
    fc.assert(
      fc.property(
        recordArb,
        snapshotArb,
        fc.option(fc.constantFrom(401, 403), { nil: undefined }),
        (record, breaker, invalid) => {
          const row = toValidationRow(REF, record, view(breaker, invalid)) as ProviderValidation;
          const back = fromValidationRow(row);
          expect(back.record).toEqual({ ...record });
          expect(back.breaker).toEqual({
            ...breaker,
            nextAttemptAt: breaker.state === 'open' ? breaker.nextAttemptAt : undefined,
          });
          expect(row.invalidStatus).toBe(invalid ?? null);
          expect(row.isHealthy).toBe(!invalid && breaker.state === 'closed');
        },
      ),
    );
  });

  it('describes a key HealthState never saw as healthy and closed', () => {
    const row = toValidationRow(REF, { errorCount: 0, consecutiveSuccesses: 3 });
    expect(row).toMatchObject({
      status: 'healthy',
      isHealthy: true,
      breakerState: 'closed',
      backoffLevel: 0,
      invalidStatus: null,
      consecutiveSuccesses: 3,
    });
    expect(isCleanBreaker(fromValidationRow(row as ProviderValidation).breaker)).toBe(true);
  });
});
