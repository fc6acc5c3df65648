import type { Timeseries } from '../api/types.js';
import { bucketAxis, isolatedIndices, seriesName, valuesOn } from './series.js';

const point = (start: string, requests: number, avgLatencyMs: number | null) => ({
  start,
  requests,
  successes: requests,
  failures: 0,
  successRate: 1,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  avgLatencyMs,
});

describe('chart series', () => {
  const ts: Timeseries = {
    from: '2026-01-01T10:00:00.000Z',
    to: '2026-01-01T13:30:00.000Z',
    bucket: 'hour',
    series: [{ key: 'all', points: [point('2026-01-01T11:00:00.000Z', 4, 120)] }],
  };

  it('lays every bucket of the window on the axis, empty ones included', () => {
    expect(bucketAxis(ts).map((s) => new Date(s * 1000).toISOString().slice(11, 16))).toEqual([
      '10:00',
      '11:00',
      '12:00',
      '13:00',
    ]);
  });

  it('fills empty buckets with 0 for counts and null for latency', () => {
    const axis = bucketAxis(ts);
    expect(valuesOn(axis, ts.series[0], (p) => p.requests, 0)).toEqual([0, 4, 0, 0]);
    expect(valuesOn(axis, ts.series[0], (p) => p.avgLatencyMs, null)).toEqual([null, 120, null, null]);
  });

  it('names a series after what it is grouped by', () => {
    expect(seriesName({ key: 'gpt-4o', model: 'gpt-4o', points: [] })).toBe('gpt-4o');
    expect(seriesName({ key: 'group:1', groupId: 1, groupName: 'primary', points: [] })).toBe('primary');
    expect(seriesName({ key: 'proxyKey:2', proxyKeyId: 2, proxyKeyName: 'app', points: [] })).toBe('app');
    expect(seriesName({ key: 'proxyKey:0', proxyKeyId: null, proxyKeyName: null, points: [] })).toBe(
      'no key',
    );
  });

  it('finds the values no line can reach, so the chart draws them as points', () => {
    expect(isolatedIndices([null, 120, null, null])).toEqual([1]);
    expect(isolatedIndices([80, null, 90, 95, null, 70])).toEqual([0, 5]);
    expect(isolatedIndices([1, 2, 3])).toEqual([]);
    expect(isolatedIndices([null, null])).toEqual([]);
    expect(isolatedIndices([0])).toEqual([0]);
  });
});
