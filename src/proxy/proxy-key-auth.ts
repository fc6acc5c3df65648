import type { IncomingHttpHeaders } from 'node:http';
import { matchesAny } from '../common/glob.js';
import type { RoutableGroup, RoutableProxyKey, RoutingSnapshot } from '../routing/routing-snapshot.js';
import { hashProxyKey } from '../proxy-keys/proxy-key-token.js';
import { ProxyError } from './proxy-error.js';

/** The key from `Authorization: Bearer`, `x-api-key` (Anthropic SDK) or `api-key` (Azure SDK). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const alternative = headers['x-api-key'] ?? headers['api-key'];
  return typeof alternative === 'string' && alternative !== '' ? alternative : undefined;
}

/** Unknown, disabled or expired → 401, never echoing what was presented. */
export function authenticate(
  headers: IncomingHttpHeaders,
  snapshot: RoutingSnapshot,
  now: number,
): RoutableProxyKey {
  const presented = presentedKey(headers);
  if (!presented)
    throw new ProxyError('invalid_api_key', 'Missing API key. Send it as "Authorization: Bearer <key>".');
  const key = snapshot.proxyKeysByHash.get(hashProxyKey(presented));
  if (!key || !key.enabled || (key.expiresAt !== undefined && key.expiresAt.getTime() <= now)) {
    throw new ProxyError('invalid_api_key', 'Incorrect, disabled or expired API key provided.');
  }
  return key;
}

export function assertModelAllowed(key: RoutableProxyKey, model: string): void {
  if (key.allowedModels.length > 0 && !matchesAny(key.allowedModels, model)) {
    throw new ProxyError(
      'model_not_allowed',
      `This API key is not allowed to use the model "${model}".`,
      {},
      'model',
    );
  }
}

export function isGroupAllowed(key: RoutableProxyKey, group: RoutableGroup): boolean {
  return key.allowedGroups.length === 0 || key.allowedGroups.includes(group.name);
}

/**
 * The groups this request may go to: the pinned `backend` alone (400 if unknown, 403 if this key
 * may not use it or it does not serve the model — never a fallback elsewhere), else every group
 * serving the model that the key may use (404 if none).
 */
export function candidateGroups(
  snapshot: RoutingSnapshot,
  key: RoutableProxyKey,
  model: string,
  backend: string | undefined,
): readonly RoutableGroup[] {
  if (backend !== undefined) {
    const pinned = snapshot.groupsByName.get(backend);
    if (!pinned)
      throw new ProxyError(
        'unknown_backend',
        `Unknown backend "${backend}": it is not a configured, enabled group.`,
        {},
        'backend',
      );
    if (!isGroupAllowed(key, pinned))
      throw new ProxyError(
        'backend_not_allowed',
        `This API key is not allowed to use the backend "${backend}".`,
        {},
        'backend',
      );
    if (!snapshot.groupsForModel(model).includes(pinned)) {
      throw new ProxyError(
        'model_not_found',
        `The backend "${backend}" does not serve the model "${model}".`,
        {},
        'model',
      );
    }
    return [pinned];
  }
  const serving = snapshot.groupsForModel(model);
  const allowed =
    key.allowedGroups.length === 0 ? serving : serving.filter((group) => isGroupAllowed(key, group));
  if (allowed.length > 0) return allowed;
  if (serving.length > 0)
    throw new ProxyError(
      'model_not_allowed',
      `This API key may not use any group serving "${model}".`,
      {},
      'model',
    );
  throw new ProxyError(
    'model_not_found',
    `The model "${model}" does not exist or no group serves it.`,
    {},
    'model',
  );
}
