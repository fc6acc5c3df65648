/** The Redis calls on a request's path wait at most this long; past it the replica decides alone. */
export const REDIS_DEADLINE_MS = 250;

/**
 * What one replica may allow on its own while the limits cannot be shared: its share of `limit`,
 * never more than the limit, never nothing. Rounded down, so N replicas together stay within it.
 */
export function replicaShare(limit: number, replicas: number): number {
  return Math.max(1, Math.floor(limit / Math.max(1, replicas)));
}

/**
 * The tokens a budget is checked against. `shared` is the replicas' total as last read from Redis;
 * `pending` is what this replica spent since and has not added to it yet. While Redis is up that
 * is only the additions in flight. While it is down every replica is assumed to spend as much as
 * this one, so each gets its share of what was left of the budget when Redis went away.
 */
export function budgetSpent(shared: number, pending: number, replicas: number, redisUp: boolean): number {
  return shared + pending * (redisUp ? 1 : Math.max(1, replicas));
}
