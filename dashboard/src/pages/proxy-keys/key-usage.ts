import type { ProxyKeyView } from '../../api/types.js';

/** One row of GET /admin/stats/proxy-keys (only keys that have had traffic are listed). */
export interface ProxyKeyUsage {
  proxyKeyId: number;
  tokensUsed: number;
  lastUsedAt: string | null;
}

/**
 * The keys with what their budget has spent and their last use. A key the usage list leaves out
 * has spent nothing and was never used; without the list (`undefined`: its call failed) the keys
 * stay as they are and the page shows a dash rather than a wrong zero.
 */
export function withUsage(keys: ProxyKeyView[], usage: ProxyKeyUsage[] | undefined): ProxyKeyView[] {
  if (!usage) return keys;
  const byId = new Map(usage.map((row) => [row.proxyKeyId, row]));
  return keys.map((key) => ({
    ...key,
    tokensUsed: byId.get(key.id)?.tokensUsed ?? 0,
    lastUsedAt: byId.get(key.id)?.lastUsedAt ?? null,
  }));
}
