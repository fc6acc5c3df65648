import type { RoutableGroup, RoutableProxyKey } from './routing-snapshot.js';

/** Where the routing table reads configuration from; implemented above the modules that own it. */
export interface RoutingSource {
  /** Enabled groups with their usable keys (decrypted), and every proxy key. */
  load(): Promise<{ groups: RoutableGroup[]; proxyKeys: RoutableProxyKey[] }>;
}

export const ROUTING_SOURCE = Symbol('RoutingSource');
