import { toDbDateTime } from '../db-values.js';
import { UsageBucket } from './usage-buckets.js';

const KEY_COLUMNS = ['hour_start', 'group_id', 'upstream_key_id', 'model', 'proxy_key_id'];
const NAME_COLUMNS = ['group_name', 'proxy_key_name'];
const SUM_COLUMNS = [
  'requests',
  'successes',
  'failures',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'latency_ms_sum',
];
const COLUMNS = [...KEY_COLUMNS, ...NAME_COLUMNS, ...SUM_COLUMNS];

export type SqlEngine = 'mysql' | 'sqlite';

/**
 * One multi-row upsert that adds the buckets' counts to whatever the hour already holds
 * (`ON DUPLICATE KEY UPDATE` on MySQL, `ON CONFLICT … DO UPDATE` on SQLite).
 */
export function buildUsageUpsert(
  engine: SqlEngine,
  buckets: readonly UsageBucket[],
): { sql: string; parameters: unknown[] } {
  if (buckets.length === 0) throw new RangeError('no buckets to upsert');
  const placeholders = `(${COLUMNS.map(() => '?').join(', ')})`;
  const parameters = buckets.flatMap((b) => [
    toDbDateTime(b.hourStart),
    b.groupId,
    b.upstreamKeyId,
    b.model,
    b.proxyKeyId,
    b.groupName,
    b.proxyKeyName,
    b.requests,
    b.successes,
    b.failures,
    b.promptTokens,
    b.completionTokens,
    b.totalTokens,
    b.latencyMsSum,
  ]);
  const incoming = (column: string) => (engine === 'mysql' ? `VALUES(${column})` : `excluded.${column}`);
  const updates = [
    ...NAME_COLUMNS.map((c) => `${c} = COALESCE(${incoming(c)}, ${c})`),
    ...SUM_COLUMNS.map((c) => `${c} = ${c} + ${incoming(c)}`),
  ].join(', ');
  const conflict =
    engine === 'mysql' ? 'ON DUPLICATE KEY UPDATE' : `ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET`;
  const sql = `INSERT INTO provider_usage_stats (${COLUMNS.join(', ')}) VALUES ${buckets.map(() => placeholders).join(', ')} ${conflict} ${updates}`;
  return { sql, parameters };
}
