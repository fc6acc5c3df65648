import { globMatcher } from '../common/glob.js';
import type { RoutableGroup, RoutableProxyKey, RoutingSnapshot } from './routing-snapshot.js';

// Pure: turns what the database holds into the immutable view the hot path reads.

// Clients choose model names freely; the memo must not grow with them without bound.
const MODEL_MEMO_LIMIT = 10_000;

export interface SnapshotInput {
  readonly version: number;
  /** Enabled groups, each with its usable keys (disabled or undecryptable ones already left out). */
  readonly groups: readonly RoutableGroup[];
  /** Every proxy key, disabled and expired ones included. */
  readonly proxyKeys: readonly RoutableProxyKey[];
  readonly builtAt?: Date;
}

export function buildRoutingSnapshot(input: SnapshotInput): RoutingSnapshot {
  const groups = input.groups
    .filter((group) => group.keys.length > 0)
    .sort((a, b) => a.priority - b.priority || a.id - b.id);
  const serves = new Map(groups.map((group) => [group, modelPredicate(group)]));
  const memo = new Map<string, readonly RoutableGroup[]>();

  return {
    version: input.version,
    builtAt: input.builtAt ?? new Date(),
    groups,
    groupsByName: new Map(groups.map((group) => [group.name, group])),
    proxyKeysByHash: new Map(input.proxyKeys.map((key) => [key.keyHash, key])),
    groupsForModel(model: string): readonly RoutableGroup[] {
      let found = memo.get(model);
      if (!found) {
        if (memo.size >= MODEL_MEMO_LIMIT) memo.clear();
        found = groups.filter((group) => serves.get(group)?.(model));
        memo.set(model, found);
      }
      return found;
    },
    upstreamModel(group: RoutableGroup, model: string): string {
      return Object.hasOwn(group.modelMap, model) ? group.modelMap[model] : model;
    },
  };
}

/** A group serves a model listed in `models` (exact or glob) or aliased in `modelMap`. */
function modelPredicate(group: RoutableGroup): (model: string) => boolean {
  const listed = globMatcher(group.models);
  const aliases = new Set(Object.keys(group.modelMap));
  return (model) => aliases.has(model) || listed(model);
}
