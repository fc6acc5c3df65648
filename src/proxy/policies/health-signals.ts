import type { HealthState } from '../../key-health/health-state.service.js';
import type { RoutableGroup, RoutableKey } from '../../routing/routing-snapshot.js';
import { BalanceSignals } from './balancer.js';

// What the policies read, taken from HealthState: per key directly, per group through its keys.

export function keySignalsOf(health: HealthState): BalanceSignals<RoutableKey> {
  return {
    weight: (key) => key.weight,
    inFlight: (key) => health.inFlight(key.id),
    recentRequests: (key) => health.recentRequests(key.id),
    latencyMs: (key) => health.latencyMs(key.id),
  };
}

/** The global policy sees a group through its keys: summed load, mean latency of the tried ones. */
export function groupSignals(keys: BalanceSignals<RoutableKey>): BalanceSignals<RoutableGroup> {
  return {
    weight: (group) => group.weight,
    inFlight: (group) => sumOver(group.keys, keys.inFlight),
    recentRequests: (group) => sumOver(group.keys, keys.recentRequests),
    latencyMs: (group) => {
      let total = 0;
      let tried = 0;
      for (const key of group.keys) {
        const latency = keys.latencyMs(key);
        if (latency === undefined) continue;
        total += latency;
        tried += 1;
      }
      return tried === 0 ? undefined : total / tried;
    },
  };
}

function sumOver(keys: readonly RoutableKey[], signal: (key: RoutableKey) => number): number {
  let sum = 0;
  for (const key of keys) sum += signal(key);
  return sum;
}
