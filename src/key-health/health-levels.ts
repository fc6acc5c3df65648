import type { KeyCondition } from './key-health.js';

export type HealthLevel = 'healthy' | 'recovering' | 'unhealthy';

export interface HealthCounts {
  total: number;
  healthy: number;
  recovering: number;
  unhealthy: number;
}

/** A key with no recorded health has never failed: healthy. */
export function keyLevel(condition: KeyCondition | undefined): HealthLevel {
  if (condition === undefined || condition === 'closed') return 'healthy';
  return condition === 'half_open' ? 'recovering' : 'unhealthy';
}

/** A group is as healthy as its best key: one healthy key is enough to serve. */
export function groupLevel(levels: readonly HealthLevel[]): HealthLevel {
  if (levels.includes('healthy')) return 'healthy';
  return levels.includes('recovering') ? 'recovering' : 'unhealthy';
}

export function countHealth(
  groups: readonly { readonly keys: readonly { readonly id: number }[] }[],
  conditionOf: (keyId: number) => KeyCondition | undefined,
): { groups: HealthCounts; keys: HealthCounts } {
  const result = { groups: emptyCounts(), keys: emptyCounts() };
  for (const group of groups) {
    const levels = group.keys.map((key) => keyLevel(conditionOf(key.id)));
    levels.forEach((level) => tally(result.keys, level));
    tally(result.groups, groupLevel(levels));
  }
  return result;
}

function emptyCounts(): HealthCounts {
  return { total: 0, healthy: 0, recovering: 0, unhealthy: 0 };
}

function tally(counts: HealthCounts, level: HealthLevel): void {
  counts.total += 1;
  counts[level] += 1;
}
