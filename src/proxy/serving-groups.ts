import type { RoutableGroup } from '../routing/routing-snapshot.js';
import { PROVIDER_TYPES } from '../upstream/provider-type.js';
import type { UpstreamEndpoint } from '../upstream/adapter.js';
import { adapterForRequest } from './adapter-for-request.js';
import { ProxyError } from './proxy-error.js';

/**
 * The candidate groups whose provider type serves the endpoint (Anthropic has no embeddings, for
 * one). When the model's groups all lack it, a 404 says which provider types would serve it.
 */
export function groupsServing(
  groups: readonly RoutableGroup[],
  endpoint: UpstreamEndpoint,
  model: string,
): readonly RoutableGroup[] {
  const serving = groups.filter((group) => adapterForRequest(group.providerType, endpoint) !== undefined);
  if (serving.length > 0 || groups.length === 0) return serving.length === groups.length ? groups : serving;
  const types = [...new Set(groups.map((group) => group.providerType))].join(', ');
  const able = PROVIDER_TYPES.filter((type) => adapterForRequest(type, endpoint) !== undefined).join(', ');
  throw new ProxyError(
    'model_not_found',
    `The model "${model}" is served only by ${types} groups, which do not offer ${endpoint} (served by ${able} groups).`,
    {},
    'model',
  );
}
