import { isGlob, matchesAny } from '../common/glob.js';
import type { RoutableProxyKey, RoutingSnapshot } from '../routing/routing-snapshot.js';
import { isGroupAllowed } from './proxy-key-auth.js';

export interface ModelEntry {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

/**
 * The models this key may use: every exact model name and `modelMap` alias of the groups it may
 * use (glob patterns cannot be listed, though requests matching them are served).
 */
export function listModels(snapshot: RoutingSnapshot, key: RoutableProxyKey): ModelEntry[] {
  const created = Math.floor(snapshot.builtAt.getTime() / 1000);
  const seen = new Map<string, ModelEntry>();
  for (const group of snapshot.groups) {
    if (!isGroupAllowed(key, group)) continue;
    for (const id of [...group.models, ...Object.keys(group.modelMap)]) {
      if (isGlob(id) || seen.has(id)) continue;
      if (key.allowedModels.length > 0 && !matchesAny(key.allowedModels, id)) continue;
      seen.set(id, { id, object: 'model', created, owned_by: group.providerType });
    }
  }
  return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** One model, if the key may use it and some group it may use serves it (globs included). */
export function findModel(
  snapshot: RoutingSnapshot,
  key: RoutableProxyKey,
  id: string,
): ModelEntry | undefined {
  if (key.allowedModels.length > 0 && !matchesAny(key.allowedModels, id)) return undefined;
  const group = snapshot.groupsForModel(id).find((candidate) => isGroupAllowed(key, candidate));
  return (
    group && {
      id,
      object: 'model',
      created: Math.floor(snapshot.builtAt.getTime() / 1000),
      owned_by: group.providerType,
    }
  );
}
