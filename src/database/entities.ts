import { AdminUser } from '../auth/admin-user.entity.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { ConfigVersion } from '../config-sync/config-version.entity.js';
import { DeclaredEntity } from '../declarative-config/declared-entity.entity.js';
import { FailoverEvent } from '../health/failover-event.entity.js';
import { HealthCheckConfig } from '../health/health-check-config.entity.js';
import { ProviderValidation } from '../health/provider-validation.entity.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import { Setting } from '../settings/setting.entity.js';
import { ProviderUsageStat } from '../stats/entities/provider-usage-stat.entity.js';
import { RequestLog } from '../stats/entities/request-log.entity.js';

/** Every TypeORM entity, for the app and the migration CLI alike. One line per entity. */
export const ENTITIES = [
  AdminUser,
  ProviderGroup,
  UpstreamKey,
  ProxyKey,
  AuditLog,
  Setting,
  RequestLog,
  ProviderUsageStat,
  ProviderValidation,
  HealthCheckConfig,
  FailoverEvent,
  ConfigVersion,
  DeclaredEntity,
];
