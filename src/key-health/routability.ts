import { groupLevel, HealthLevel, keyLevel } from './health-levels.js';
import type { Availability, AvailabilityReason, KeyCondition } from './key-health.js';

// The routability explainer: why a key is or is not taking traffic, and when that changes, so an
// operator never has to guess. Pure; the health API feeds it the configuration and HealthState.

export type RoutabilityReason = AvailabilityReason | 'disabled' | 'group_disabled';

/** Every RoutabilityReason and HealthStatus, for API documentation. */
export const ROUTABILITY_REASONS: readonly RoutabilityReason[] = [
  'ok',
  'breaker_open',
  'half_open',
  'cooling_down_429',
  'invalid_credentials',
  'unhealthy_by_checks',
  'disabled',
  'group_disabled',
];
export const HEALTH_STATUSES: readonly HealthStatus[] = ['healthy', 'recovering', 'unhealthy', 'disabled'];

/** ROUTING.md's status words; `disabled` is the configuration's, the rest the breaker's. */
export type HealthStatus = HealthLevel | 'disabled';

export interface KeyRoutability {
  /** Would the proxy pick this key now? */
  readonly available: boolean;
  readonly reason: RoutabilityReason;
  /** When a time-bound block ends (epoch ms); absent when nothing but a check or an admin lifts it. */
  readonly availableAt?: number;
  readonly status: HealthStatus;
}

export interface KeyFacts {
  readonly groupEnabled: boolean;
  readonly keyEnabled: boolean;
  /** From HealthState; a key it never saw is available. */
  readonly availability: Availability;
  readonly condition?: KeyCondition;
}

/** Configuration first (an admin switched it off), then HealthState's reason. */
export function explainKey(facts: KeyFacts): KeyRoutability {
  if (!facts.groupEnabled) return { available: false, reason: 'group_disabled', status: 'disabled' };
  if (!facts.keyEnabled) return { available: false, reason: 'disabled', status: 'disabled' };
  const { available, reason, availableAt } = facts.availability;
  // An open breaker whose back-off is over takes its trial with the next request: recovering.
  const condition = facts.condition === 'open' && reason === 'half_open' ? 'half_open' : facts.condition;
  return { available, reason, availableAt, status: keyLevel(condition) };
}

/**
 * ROUTING.md: `healthy` (≥ 1 key closed), `recovering` (none closed, ≥ 1 half-open), `unhealthy`
 * (all open or invalid, or no enabled key), `disabled` (the group is).
 */
export function groupStatus(groupEnabled: boolean, keyStatuses: readonly HealthStatus[]): HealthStatus {
  if (!groupEnabled) return 'disabled';
  const levels = keyStatuses.filter((status): status is HealthLevel => status !== 'disabled');
  return groupLevel(levels);
}
