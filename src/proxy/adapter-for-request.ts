import type { ProviderType } from '../upstream/provider-type.js';
import type { UpstreamAdapter, UpstreamEndpoint } from '../upstream/adapter.js';
import { adapterFor } from '../upstream/adapter-registry.js';
import { MessagesBridgeAdapter } from './messages/messages-bridge.adapter.js';

const bridges = new Map<ProviderType, UpstreamAdapter>();

/**
 * The adapter that carries `endpoint` to a group of this type: its own when the type serves the
 * endpoint, a bridge over its chat when an inbound API can be expressed as chat (Anthropic's
 * `/v1/messages`), else none (the group is no candidate).
 */
export function adapterForRequest(
  type: ProviderType,
  endpoint: UpstreamEndpoint,
): UpstreamAdapter | undefined {
  const adapter = adapterFor(type);
  if (adapter.endpoints.has(endpoint)) return adapter;
  if (endpoint !== 'messages' || !adapter.endpoints.has('chat')) return undefined;
  let bridge = bridges.get(type);
  if (bridge === undefined) {
    bridge = new MessagesBridgeAdapter(adapter);
    bridges.set(type, bridge);
  }
  return bridge;
}
