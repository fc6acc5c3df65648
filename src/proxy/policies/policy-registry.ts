import type { BalancePolicy } from '../../config/app-config.js';
import { Balancer } from './balancer.js';
import { lowestLatency } from './latency.policy.js';
import { leastUsed } from './least-used.policy.js';
import { randomPolicy } from './random.policy.js';
import { roundRobin } from './round-robin.policy.js';
import { weighted } from './weighted.policy.js';

const BALANCERS: Readonly<Record<BalancePolicy, Balancer>> = {
  round_robin: roundRobin,
  random: randomPolicy,
  least_used: leastUsed,
  weighted,
  latency: lowestLatency,
};

/** The balancer of a configured policy name; unknown names fall back to round robin. */
export function policyFor(name: BalancePolicy): Balancer {
  return BALANCERS[name] ?? roundRobin;
}
