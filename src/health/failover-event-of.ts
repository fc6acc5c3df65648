import type { KeyTransition, TransitionReason } from '../key-health/key-health.js';

// How a HealthState transition is written to failover_events (seed 003). Pure.

export const FAILOVER_EVENT_TYPES = [
  'breaker_open',
  'breaker_half_open',
  'breaker_closed',
  'key_invalid',
  'key_valid',
  'unhealthy',
  'recovered',
  'rate_limited',
] as const;
export type FailoverEventType = (typeof FAILOVER_EVENT_TYPES)[number];

const TYPE_OF_REASON: Record<TransitionReason, FailoverEventType> = {
  failure_threshold: 'breaker_open',
  trial_failed: 'breaker_open',
  backoff_elapsed: 'breaker_half_open',
  forced_trial: 'breaker_half_open',
  success_threshold: 'breaker_closed',
  reset: 'breaker_closed',
  marked_invalid: 'key_invalid',
  marked_valid: 'key_valid',
  marked_unhealthy: 'unhealthy',
  recovered: 'recovered',
  rate_limited: 'rate_limited',
};

/** The row's fields (the entity's, without id). */
export interface FailoverEventFields {
  readonly at: Date;
  readonly groupId: number;
  readonly groupName: string;
  readonly upstreamKeyId: number;
  readonly keyMasked: string;
  readonly eventType: FailoverEventType;
  readonly fromState: string;
  readonly toState: string;
  readonly reason: string;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly consecutiveFailures: number;
  readonly nextRetrySeconds: number | null;
}

export function failoverEventOf(t: KeyTransition): FailoverEventFields {
  return {
    at: new Date(t.at),
    groupId: t.ref.groupId,
    groupName: t.ref.groupName.slice(0, 128),
    upstreamKeyId: t.ref.keyId,
    keyMasked: t.ref.masked.slice(0, 32),
    eventType: TYPE_OF_REASON[t.reason],
    fromState: t.from,
    toState: t.to,
    reason: t.reason,
    statusCode: t.status ?? null,
    error: t.message?.slice(0, 500) ?? null,
    consecutiveFailures: t.consecutiveFailures,
    nextRetrySeconds:
      t.nextRetryAt === undefined ? null : Math.max(0, Math.ceil((t.nextRetryAt - t.at) / 1000)),
  };
}
