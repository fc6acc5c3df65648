import fc from 'fast-check';
import {
  applyCheckResult,
  CheckRecord,
  DEFAULT_CHECK_SETTINGS,
  EMPTY_RECORD,
  isDueForCheck,
  ProbeResult,
} from './check-bookkeeping.js';

const NOW = 1_700_000_000_000;
const PASS: ProbeResult = { ok: true, status: 200, latencyMs: 12, invalidatesKey: false };
const FAIL: ProbeResult = {
  ok: false,
  status: 503,
  error: 'upstream answered 503: overloaded',
  latencyMs: 40,
  invalidatesKey: false,
};

describe('applyCheckResult', () => {
  it('counts a failed check and keeps its error and status', () => {
    const { record, verdict } = applyCheckResult(
      { ...EMPTY_RECORD, consecutiveSuccesses: 7 },
      FAIL,
      DEFAULT_CHECK_SETTINGS,
      NOW,
    );

    expect(verdict).toBe('failed');
    expect(record).toEqual({
      errorCount: 1,
      consecutiveSuccesses: 0,
      lastError: 'upstream answered 503: overloaded',
      lastFailure: 'upstream answered 503: overloaded',
      lastStatusCode: 503,
      lastCheckAt: NOW,
      lastFailureAt: NOW,
      nextRetryAt: undefined,
    });
  });

  it('makes the key unhealthy at max_error_count, with its retry retry_after_hours later', () => {
    const settings = { ...DEFAULT_CHECK_SETTINGS, maxErrorCount: 3, retryAfterHours: 0.5 };
    let record: CheckRecord = EMPTY_RECORD;
    const verdicts = [0, 1, 2].map((i) => {
      const outcome = applyCheckResult(record, FAIL, settings, NOW + i);
      record = outcome.record;
      return outcome.verdict;
    });

    expect(verdicts).toEqual(['failed', 'failed', 'unhealthy']);
    expect(record.nextRetryAt).toBe(NOW + 2 + 30 * 60_000);
    expect(isDueForCheck(record, NOW + 2 + 30 * 60_000 - 1)).toBe(false);
    expect(isDueForCheck(record, NOW + 2 + 30 * 60_000)).toBe(true);
  });

  it('resets the counters, the retry and the current error on a passed check, keeping the last failure as history', () => {
    const failing: CheckRecord = {
      errorCount: 5,
      consecutiveSuccesses: 0,
      lastError: 'boom',
      lastFailure: 'boom',
      lastFailureAt: NOW - 10,
      lastStatusCode: 500,
      nextRetryAt: NOW - 1,
    };
    const { record, verdict } = applyCheckResult(failing, PASS, DEFAULT_CHECK_SETTINGS, NOW);

    expect(verdict).toBe('passed');
    expect(record.lastError).toBeUndefined();
    expect(record).toMatchObject({
      errorCount: 0,
      consecutiveSuccesses: 1,
      lastFailure: 'boom',
      lastFailureAt: NOW - 10,
      lastStatusCode: 200,
      lastSuccessAt: NOW,
      nextRetryAt: undefined,
    });
  });

  it('names a failure without a message by its status', () => {
    expect(
      applyCheckResult(
        EMPTY_RECORD,
        { ok: false, status: 502, latencyMs: 1, invalidatesKey: false },
        DEFAULT_CHECK_SETTINGS,
        NOW,
      ).record.lastError,
    ).toBe('HTTP 502');
  });

  // Seed 002: consecutive-failure counting resets on success.
  it('keeps error_count equal to the failures since the last pass, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (passes, maxErrorCount) => {
          const settings = { ...DEFAULT_CHECK_SETTINGS, maxErrorCount };
          let record: CheckRecord = EMPTY_RECORD;
          let failuresSincePass = 0;
          let successesSinceFail = 0;
          passes.forEach((passed, i) => {
            const outcome = applyCheckResult(record, passed ? PASS : FAIL, settings, NOW + i);
            record = outcome.record;
            failuresSincePass = passed ? 0 : failuresSincePass + 1;
            successesSinceFail = passed ? successesSinceFail + 1 : 0;
            expect(outcome.verdict).toBe(
              passed ? 'passed' : failuresSincePass >= maxErrorCount ? 'unhealthy' : 'failed',
            );
          });
          expect(record.errorCount).toBe(failuresSincePass);
          expect(record.consecutiveSuccesses).toBe(successesSinceFail);
          expect(record.nextRetryAt !== undefined).toBe(failuresSincePass >= maxErrorCount);
        },
      ),
    );
  });
});

describe('isDueForCheck', () => {
  it('checks keys it knows nothing about and keys that are not unhealthy', () => {
    expect(isDueForCheck(undefined, NOW)).toBe(true);
    expect(isDueForCheck({ errorCount: 2, consecutiveSuccesses: 0 }, NOW)).toBe(true);
  });
});
