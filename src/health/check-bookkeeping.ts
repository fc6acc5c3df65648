// What one scheduled check does to a key's counters (ROUTING.md "Scheduled health checks").
// Pure: the checker applies the verdict to HealthState and persists the record.

/** The effective `health_check_configs` row. */
export interface CheckSettings {
  readonly enabled: boolean;
  readonly intervalMinutes: number;
  readonly maxErrorCount: number;
  readonly retryAfterHours: number;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = Object.freeze({
  enabled: true,
  intervalMinutes: 5,
  maxErrorCount: 5,
  retryAfterHours: 1,
});

/** A key's check history; times are epoch ms. */
export interface CheckRecord {
  readonly errorCount: number;
  readonly consecutiveSuccesses: number;
  /** The current problem: set by a failure, cleared by a success (a passed check, a closed breaker). */
  readonly lastError?: string;
  /** The most recent failure's message, kept after a success as history (with `lastFailureAt`). */
  readonly lastFailure?: string;
  readonly lastStatusCode?: number;
  readonly lastCheckAt?: number;
  readonly lastSuccessAt?: number;
  readonly lastFailureAt?: number;
  /** Unhealthy by the checks until then: neither routed to nor checked before. */
  readonly nextRetryAt?: number;
}

export const EMPTY_RECORD: CheckRecord = Object.freeze({ errorCount: 0, consecutiveSuccesses: 0 });

/** How one probe went. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  /** Redacted, at most 500 characters; only for failures. */
  readonly error?: string;
  readonly latencyMs: number;
  /** 401/403: the key itself is bad. */
  readonly invalidatesKey: boolean;
}

export type CheckVerdict = 'passed' | 'failed' | 'unhealthy';

export interface CheckOutcome {
  readonly record: CheckRecord;
  readonly verdict: CheckVerdict;
}

const HOUR_MS = 3_600_000;

/** Is the key due a check at `now`? An unhealthy key waits for its `nextRetryAt`. */
export function isDueForCheck(record: CheckRecord | undefined, now: number): boolean {
  return record?.nextRetryAt === undefined || now >= record.nextRetryAt;
}

export function applyCheckResult(
  record: CheckRecord,
  result: ProbeResult,
  settings: CheckSettings,
  now: number,
): CheckOutcome {
  if (result.ok) {
    return {
      verdict: 'passed',
      record: {
        ...record,
        errorCount: 0,
        consecutiveSuccesses: record.consecutiveSuccesses + 1,
        lastError: undefined,
        lastStatusCode: result.status,
        lastCheckAt: now,
        lastSuccessAt: now,
        nextRetryAt: undefined,
      },
    };
  }
  const errorCount = record.errorCount + 1;
  const unhealthy = errorCount >= settings.maxErrorCount;
  const error = result.error ?? (result.status === undefined ? 'check failed' : `HTTP ${result.status}`);
  return {
    verdict: unhealthy ? 'unhealthy' : 'failed',
    record: {
      ...record,
      errorCount,
      consecutiveSuccesses: 0,
      lastError: error,
      lastFailure: error,
      lastStatusCode: result.status,
      lastCheckAt: now,
      lastFailureAt: now,
      nextRetryAt: unhealthy ? now + Math.round(settings.retryAfterHours * HOUR_MS) : undefined,
    },
  };
}
