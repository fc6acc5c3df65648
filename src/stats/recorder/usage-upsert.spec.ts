import { buildUsageUpsert } from './usage-upsert.js';
import type { UsageBucket } from './usage-buckets.js';

const bucket: UsageBucket = {
  hourStart: new Date(Date.UTC(2026, 0, 1, 10)),
  groupId: 1,
  upstreamKeyId: 2,
  model: 'm',
  proxyKeyId: 3,
  groupName: 'g',
  proxyKeyName: 'p',
  requests: 4,
  successes: 3,
  failures: 1,
  promptTokens: 10,
  completionTokens: 20,
  totalTokens: 30,
  latencyMsSum: 400,
};

// Several replicas write the same hour: each count must be added by the database in one
// statement, never read by the gateway and written back.
describe(buildUsageUpsert.name, () => {
  it('adds to the stored counts with ON DUPLICATE KEY UPDATE on MySQL', () => {
    const { sql, parameters } = buildUsageUpsert('mysql', [bucket, bucket]);
    expect(sql).toMatch(
      /^INSERT INTO provider_usage_stats \(.+\) VALUES \(.+\), \(.+\) ON DUPLICATE KEY UPDATE /,
    );
    for (const column of [
      'requests',
      'successes',
      'failures',
      'prompt_tokens',
      'completion_tokens',
      'total_tokens',
      'latency_ms_sum',
    ])
      expect(sql).toContain(`${column} = ${column} + VALUES(${column})`);
    expect(parameters).toHaveLength(28);
  });

  it('adds to the stored counts with ON CONFLICT … DO UPDATE on SQLite, on the bucket key', () => {
    const { sql } = buildUsageUpsert('sqlite', [bucket]);
    expect(sql).toContain(
      'ON CONFLICT (hour_start, group_id, upstream_key_id, model, proxy_key_id) DO UPDATE SET',
    );
    expect(sql).toContain('requests = requests + excluded.requests');
    expect(sql).toContain('latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum');
    expect(sql).not.toMatch(/SELECT/i);
  });

  it('refuses an empty batch', () => {
    expect(() => buildUsageUpsert('mysql', [])).toThrow(RangeError);
  });
});
