import { UsageRecord } from '../usage-record.js';
import { aggregateHourly, isSuccess, startOfHour } from './usage-buckets.js';
import { buildUsageUpsert } from './usage-upsert.js';

const record = (at: string, extra: Partial<UsageRecord> = {}): UsageRecord => ({
  requestId: 'r',
  at: new Date(at),
  model: 'gpt-4o',
  groupId: 1,
  groupName: 'main',
  upstreamKeyId: 7,
  proxyKeyId: 2,
  pinned: false,
  stream: false,
  status: 200,
  attempts: 1,
  latencyMs: 100,
  promptTokens: 10,
  completionTokens: 5,
  endpoint: '/v1/chat/completions',
  ...extra,
});

describe(aggregateHourly.name, () => {
  it('folds records of the same hour and dimensions into one bucket', () => {
    const sut = aggregateHourly([
      record('2025-01-01T10:00:00Z'),
      record('2025-01-01T10:59:59.999Z', { status: 502, latencyMs: 50, totalTokens: 100 }),
      record('2025-01-01T11:00:00Z'),
    ]);
    expect(sut).toHaveLength(2);
    expect(sut[0]).toEqual({
      hourStart: new Date('2025-01-01T10:00:00Z'),
      groupId: 1,
      upstreamKeyId: 7,
      model: 'gpt-4o',
      proxyKeyId: 2,
      groupName: 'main',
      proxyKeyName: null,
      requests: 2,
      successes: 1,
      failures: 1,
      promptTokens: 20,
      completionTokens: 10,
      totalTokens: 115,
      latencyMsSum: 150,
    });
    expect(sut[1].hourStart).toEqual(new Date('2025-01-01T11:00:00Z'));
  });

  it('splits by group, upstream key, proxy key and model, with 0 for a missing id', () => {
    const sut = aggregateHourly([
      record('2025-01-01T10:00:00Z'),
      record('2025-01-01T10:00:00Z', { groupId: undefined, upstreamKeyId: undefined, status: 404 }),
      record('2025-01-01T10:00:00Z', { proxyKeyId: 3 }),
      record('2025-01-01T10:00:00Z', { model: 'claude' }),
    ]);
    expect(sut.map((b) => [b.groupId, b.upstreamKeyId, b.proxyKeyId, b.model, b.requests])).toEqual([
      [1, 7, 2, 'gpt-4o', 1],
      [0, 0, 2, 'gpt-4o', 1],
      [1, 7, 3, 'gpt-4o', 1],
      [1, 7, 2, 'claude', 1],
    ]);
  });

  it('counts 2xx and 3xx as successes, everything else (499 included) as failures', () => {
    expect([200, 304, 399, 400, 429, 499, 500].map(isSuccess)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('aligns any instant to the start of its UTC hour', () => {
    expect(startOfHour(new Date('2025-03-04T05:06:07.890Z'))).toEqual(new Date('2025-03-04T05:00:00.000Z'));
  });
});

describe(buildUsageUpsert.name, () => {
  const buckets = aggregateHourly([record('2025-01-01T10:00:00Z'), record('2025-01-01T11:00:00Z')]);

  it('adds to existing counts on MySQL with ON DUPLICATE KEY UPDATE', () => {
    const sut = buildUsageUpsert('mysql', buckets);
    expect(sut.sql).toContain('ON DUPLICATE KEY UPDATE');
    expect(sut.sql).toContain('requests = requests + VALUES(requests)');
    expect(sut.parameters).toHaveLength(2 * 14);
    expect(sut.parameters[0]).toBe('2025-01-01 10:00:00.000');
  });

  it('adds to existing counts on SQLite with ON CONFLICT on the bucket key', () => {
    const sut = buildUsageUpsert('sqlite', buckets);
    expect(sut.sql).toContain(
      'ON CONFLICT (hour_start, group_id, upstream_key_id, model, proxy_key_id) DO UPDATE SET',
    );
    expect(sut.sql).toContain('latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum');
    expect(sut.sql).toContain('group_name = COALESCE(excluded.group_name, group_name)');
  });

  it('refuses an empty batch', () => {
    expect(() => buildUsageUpsert('sqlite', [])).toThrow(RangeError);
  });
});
