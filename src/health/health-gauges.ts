import { MetricsService } from '../metrics/metrics.service.js';
import type { HealthState } from '../key-health/health-state.service.js';
import { explainKey, groupStatus } from '../key-health/routability.js';

// The Prometheus side of key health: circuit_breaker_state and consecutive_failures per key,
// backend_health per group and model (1 while the group is healthy).

/** What the gauges need of a group: the configuration's view (DB) or the routing snapshot's. */
export interface GaugedGroup {
  readonly name: string;
  readonly enabled: boolean;
  readonly models: readonly string[];
  readonly keys: ReadonlyArray<{ readonly id: number; readonly masked: string; readonly enabled: boolean }>;
}

export function updateGroupGauges(metrics: MetricsService, health: HealthState, group: GaugedGroup): void {
  const now = health.now();
  const statuses = group.keys.map((key) => {
    const view = health.stateOf(key.id, now);
    metrics.setBreakerState(group.name, key.masked, view?.breaker.state ?? 'closed');
    metrics.setConsecutiveFailures(group.name, key.masked, view?.breaker.consecutiveFailures ?? 0);
    return explainKey({
      groupEnabled: group.enabled,
      keyEnabled: key.enabled,
      availability: health.availability(key.id, now),
      condition: view?.condition,
    }).status;
  });
  const up = groupStatus(group.enabled, statuses) === 'healthy';
  for (const model of group.models) metrics.setBackendHealth(group.name, model, up);
}
