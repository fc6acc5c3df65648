import { keyLevel } from '../key-health/health-levels.js';
import type { CheckRecord } from './check-bookkeeping.js';
import type { BreakerSnapshot } from '../key-health/circuit-breaker.js';
import type { KeyHealthView, UpstreamKeyRef } from '../key-health/key-health.js';
import type { ProviderValidation } from './provider-validation.entity.js';

// provider_validations rows to and from memory. Pure.

export type ValidationFields = Omit<ProviderValidation, 'id' | 'updatedAt'>;

const CLOSED: BreakerSnapshot = {
  state: 'closed',
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  openedCount: 0,
  recentFailureAt: [],
};

/** The row for a key now: its check record and what HealthState holds (a key it never saw is closed). */
export function toValidationRow(
  ref: UpstreamKeyRef,
  record: CheckRecord,
  view?: KeyHealthView,
): ValidationFields {
  const breaker = view?.breaker ?? CLOSED;
  const status = keyLevel(view?.condition);
  return {
    upstreamKeyId: ref.keyId,
    groupId: ref.groupId,
    status,
    isHealthy: status === 'healthy',
    errorCount: record.errorCount,
    consecutiveFailures: breaker.consecutiveFailures,
    consecutiveSuccesses: record.consecutiveSuccesses,
    lastError: record.lastError?.slice(0, 500) ?? null,
    lastFailure: record.lastFailure?.slice(0, 500) ?? null,
    lastStatusCode: record.lastStatusCode ?? null,
    lastCheckAt: dateOrNull(record.lastCheckAt),
    lastSuccessAt: dateOrNull(record.lastSuccessAt),
    lastFailureAt: dateOrNull(record.lastFailureAt),
    nextRetryAt: dateOrNull(record.nextRetryAt),
    breakerState: breaker.state,
    backoffLevel: breaker.openedCount,
    breakerNextAttemptAt: dateOrNull(breaker.nextAttemptAt),
    breakerSuccesses: breaker.consecutiveSuccesses,
    breakerRecentFailures:
      breaker.recentFailureAt.length === 0 ? null : JSON.stringify(breaker.recentFailureAt),
    invalidStatus: view?.invalid?.status ?? null,
  };
}

/** What a stored row brings back: the check record and the breaker to restore. */
export function fromValidationRow(row: ProviderValidation): {
  record: CheckRecord;
  breaker: BreakerSnapshot;
} {
  const record: CheckRecord = {
    errorCount: row.errorCount,
    consecutiveSuccesses: row.consecutiveSuccesses,
    lastError: row.lastError ?? undefined,
    lastFailure: row.lastFailure ?? undefined,
    lastStatusCode: row.lastStatusCode ?? undefined,
    lastCheckAt: msOrUndefined(row.lastCheckAt),
    lastSuccessAt: msOrUndefined(row.lastSuccessAt),
    lastFailureAt: msOrUndefined(row.lastFailureAt),
    nextRetryAt: msOrUndefined(row.nextRetryAt),
  };
  const breaker: BreakerSnapshot = {
    state: row.breakerState,
    consecutiveFailures: row.consecutiveFailures,
    consecutiveSuccesses: row.breakerSuccesses,
    openedCount: row.backoffLevel,
    nextAttemptAt: row.breakerState === 'open' ? (msOrUndefined(row.breakerNextAttemptAt) ?? 0) : undefined,
    recentFailureAt: parseTimes(row.breakerRecentFailures),
  };
  return { record, breaker };
}

/** A breaker worth restoring: anything but a clean closed one. */
export function isCleanBreaker(snapshot: BreakerSnapshot): boolean {
  return snapshot.state === 'closed' && snapshot.consecutiveFailures === 0;
}

function parseTimes(text: string | null): number[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
  } catch {
    return [];
  }
}

function dateOrNull(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}

function msOrUndefined(date: Date | null): number | undefined {
  return date === null ? undefined : date.getTime();
}
