import type { CheckRecord } from './check-bookkeeping.js';
import type { KeyHealthDto, ProviderHealthDto } from './dto/provider-health.dto.js';
import type { Availability, KeyHealthView } from '../key-health/key-health.js';
import { explainKey, groupStatus } from '../key-health/routability.js';

// The health API's rows from the configuration, HealthState, the check records and 24 h of
// traffic. Pure.

export interface Traffic {
  readonly requests: number;
  readonly successes: number;
}

export interface KeyInputs {
  readonly id: number;
  readonly masked: string;
  /** Enabled and decryptable: the routing table holds it. */
  readonly enabled: boolean;
  readonly view?: KeyHealthView;
  readonly availability: Availability;
  readonly record: CheckRecord;
  readonly traffic?: Traffic;
}

export interface GroupInputs {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly keys: readonly KeyInputs[];
  readonly traffic?: Traffic;
}

export function keyRow(groupEnabled: boolean, key: KeyInputs, now: number): KeyHealthDto {
  const explained = explainKey({
    groupEnabled,
    keyEnabled: key.enabled,
    availability: key.availability,
    condition: key.view?.condition,
  });
  const { record } = key;
  const checksRetry =
    record.nextRetryAt !== undefined && record.nextRetryAt > now ? record.nextRetryAt : undefined;
  return {
    id: key.id,
    masked: key.masked,
    enabled: key.enabled,
    status: explained.status,
    is_healthy: explained.status === 'healthy',
    available: explained.available,
    reason: explained.reason,
    available_at: iso(explained.availableAt),
    error_count: record.errorCount,
    consecutive_successes: record.consecutiveSuccesses,
    consecutive_failures: key.view?.breaker.consecutiveFailures ?? 0,
    last_error: record.lastError ?? null,
    last_failure: record.lastFailure ?? null,
    last_failure_at: iso(record.lastFailureAt),
    last_status_code: record.lastStatusCode ?? null,
    last_check_at: iso(record.lastCheckAt),
    last_success_at: iso(record.lastSuccessAt),
    next_retry_at: iso(explained.available ? undefined : (explained.availableAt ?? checksRetry)),
    breaker_state: key.view?.breaker.state ?? 'closed',
    ...trafficFields(key.traffic),
  };
}

/** A group row sums up its keys; see ProviderHealthDto for each field's rule. */
export function groupRow(group: GroupInputs, now: number): ProviderHealthDto {
  const keys = group.keys.map((key) => keyRow(group.enabled, key, now));
  const status = groupStatus(
    group.enabled,
    keys.map((key) => key.status),
  );
  const live = group.keys.filter((key) => key.enabled);
  const latestFailure = maxBy(group.keys, (key) => key.record.lastFailureAt);
  const latest = maxBy(group.keys, (key) =>
    Math.max(key.record.lastCheckAt ?? -1, key.record.lastFailureAt ?? -1),
  );
  const retries = keys.map((key) => key.next_retry_at).filter((at): at is string => at !== null);
  return {
    provider_id: group.id,
    provider_name: group.name,
    status,
    is_healthy: status === 'healthy',
    error_count: sum(group.keys.map((key) => key.record.errorCount)),
    consecutive_successes:
      live.length === 0 ? 0 : Math.min(...live.map((key) => key.record.consecutiveSuccesses)),
    consecutive_failures: Math.max(0, ...group.keys.map((key) => key.view?.breaker.consecutiveFailures ?? 0)),
    last_error: latestFailure?.record.lastError ?? null,
    last_failure: latestFailure?.record.lastFailure ?? null,
    last_failure_at: iso(latestFailure?.record.lastFailureAt),
    last_status_code: latest?.record.lastStatusCode ?? null,
    last_check_at: iso(maxOf(group.keys.map((key) => key.record.lastCheckAt))),
    // ISO strings of one format sort in time order.
    next_retry_at:
      status === 'healthy' || status === 'disabled' || retries.length === 0 ? null : retries.sort()[0],
    ...trafficFields(group.traffic),
    keys,
  };
}

/** Percent with two decimals (seed 000: `99.5`); null without traffic. */
export function successRate(traffic: Traffic | undefined): number | null {
  if (!traffic || traffic.requests === 0) return null;
  return Math.round((traffic.successes / traffic.requests) * 10_000) / 100;
}

function trafficFields(traffic: Traffic | undefined) {
  return { success_rate_24h: successRate(traffic), total_requests_24h: traffic?.requests ?? 0 };
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function maxOf(values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : Math.max(...present);
}

function maxBy<T>(items: readonly T[], score: (item: T) => number | undefined): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const item of items) {
    const value = score(item);
    if (value !== undefined && value >= 0 && value > bestScore) [best, bestScore] = [item, value];
  }
  return best;
}
