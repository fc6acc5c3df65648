import { CreateAdminUsers1763769600000 } from './1763769600000-create-admin-users.js';
import { CreateProviderGroups1763769700000 } from './1763769700000-create-provider-groups.js';
import { CreateProxyKeys1763769710000 } from './1763769710000-create-proxy-keys.js';
import { CreateAuditLogsAndSettings1763769720000 } from './1763769720000-create-audit-logs-and-settings.js';
import { CreateHealthTables1763769800000 } from './1763769800000-create-health-tables.js';
import { CreateRequestLogs1763769900000 } from './1763769900000-create-request-logs.js';
import { CreateProviderUsageStats1763769900001 } from './1763769900001-create-provider-usage-stats.js';
import { AddAdminTokenVersion1764400000000 } from './1764400000000-add-admin-token-version.js';
import { CreateConfigVersion1764400000001 } from './1764400000001-create-config-version.js';
import { AddLastFailure1764400000002 } from './1764400000002-add-last-failure.js';
import { CreateDeclaredEntities1764400000003 } from './1764400000003-create-declared-entities.js';

/**
 * Every migration; they run at start on SQLite and MySQL alike, ordered by the timestamp in
 * their names. One line per migration.
 */
export const MIGRATIONS = [
  CreateAdminUsers1763769600000,
  CreateProviderGroups1763769700000,
  CreateProxyKeys1763769710000,
  CreateAuditLogsAndSettings1763769720000,
  CreateHealthTables1763769800000,
  CreateRequestLogs1763769900000,
  CreateProviderUsageStats1763769900001,
  AddAdminTokenVersion1764400000000,
  CreateConfigVersion1764400000001,
  AddLastFailure1764400000002,
  CreateDeclaredEntities1764400000003,
];
