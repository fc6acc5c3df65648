import { CreatedProxyKeyDto, ProxyKeyViewDto } from './dto/proxy-key.dto.js';
import { ProxyKey } from './proxy-key.entity.js';

export function toProxyKeyView(key: ProxyKey, now = Date.now()): ProxyKeyViewDto {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    keyPrefix: `${key.prefix}…`,
    rpm: key.rpm,
    tpm: key.tpm,
    enabled: key.enabled,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    expired: key.expiresAt !== null && key.expiresAt.getTime() <= now,
    allowedModels: key.allowedModels,
    allowedGroups: key.allowedGroups,
    tokenBudget: key.tokenBudget,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
  };
}

/** The only shape that carries the full key: create and rotate answers. */
export function toCreatedProxyKeyView(key: ProxyKey, secret: string): CreatedProxyKeyDto {
  return { ...toProxyKeyView(key), key: secret };
}
