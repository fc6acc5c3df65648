import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';
import { CheckRecord, isDueForCheck } from './check-bookkeeping.js';

// Which keys one scheduled run probes, and a small bounded worker pool to probe them. Pure.

export interface CheckTarget {
  readonly group: RoutableGroup;
  readonly key: RoutableKey;
}

export interface CheckPlan {
  readonly targets: readonly CheckTarget[];
  /** Unhealthy keys whose `next_retry_at` has not come yet. */
  readonly waiting: readonly CheckTarget[];
}

/** Every enabled key of every enabled group (the routing snapshot holds exactly those), unless waiting. */
export function planCheckRun(
  groups: readonly RoutableGroup[],
  recordOf: (keyId: number) => CheckRecord | undefined,
  now: number,
): CheckPlan {
  const targets: CheckTarget[] = [];
  const waiting: CheckTarget[] = [];
  for (const group of groups)
    for (const key of group.keys)
      (isDueForCheck(recordOf(key.id), now) ? targets : waiting).push({ group, key });
  return { targets, waiting };
}

/** Runs `worker` over `items` with at most `limit` at a time; results in input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
