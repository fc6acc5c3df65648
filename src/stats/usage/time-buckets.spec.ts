import { bucketStart, foldSeries, rangeWindow, SeriesRow } from './time-buckets.js';

const row = (hourStart: string, extra: Partial<SeriesRow> = {}): SeriesRow => ({
  hourStart: new Date(hourStart),
  requests: 2,
  successes: 1,
  failures: 1,
  promptTokens: 10,
  completionTokens: 6,
  totalTokens: 16,
  latencyMsSum: 300,
  ...extra,
});

describe(foldSeries.name, () => {
  it('keeps hourly points as they are, oldest first, with derived rates', () => {
    const sut = foldSeries([row('2025-01-01T11:00:00Z'), row('2025-01-01T10:00:00Z')], 'hour');
    expect(sut).toEqual([
      {
        key: 'all',
        points: [
          {
            start: '2025-01-01T10:00:00.000Z',
            requests: 2,
            successes: 1,
            failures: 1,
            successRate: 0.5,
            promptTokens: 10,
            completionTokens: 6,
            totalTokens: 16,
            avgLatencyMs: 150,
          },
          expect.objectContaining({ start: '2025-01-01T11:00:00.000Z', requests: 2 }),
        ],
      },
    ]);
  });

  it('folds hours into UTC days', () => {
    const sut = foldSeries(
      [
        row('2025-01-01T00:00:00Z'),
        row('2025-01-01T23:00:00Z'),
        row('2025-01-02T00:00:00Z', { requests: '5' }),
      ],
      'day',
    );
    expect(sut[0].points.map((p) => [p.start, p.requests])).toEqual([
      ['2025-01-01T00:00:00.000Z', 4],
      ['2025-01-02T00:00:00.000Z', 5],
    ]);
  });

  it('splits by dimension, busiest series first', () => {
    const rows = [
      row('2025-01-01T10:00:00Z', { groupId: 1, groupName: 'a', upstreamKeyId: 7 }),
      row('2025-01-01T10:00:00Z', { groupId: 2, groupName: 'b', upstreamKeyId: 8, requests: 9 }),
      row('2025-01-01T11:00:00Z', { groupId: 1, groupName: 'a', upstreamKeyId: 9 }),
    ];
    expect(foldSeries(rows, 'hour', 'group').map((s) => [s.key, s.groupName, s.points.length])).toEqual([
      ['group:2', 'b', 1],
      ['group:1', 'a', 2],
    ]);
    expect(foldSeries(rows, 'hour', 'key').map((s) => s.key)).toEqual(['key:2:8', 'key:1:7', 'key:1:9']);
  });
});

describe(rangeWindow.name, () => {
  it('starts on the hour so that every bucket is whole', () => {
    const now = new Date('2025-01-02T10:25:00Z');
    expect(rangeWindow('1h', now)).toEqual({ from: new Date('2025-01-02T09:00:00Z'), to: now });
    expect(rangeWindow('24h', now).from).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(rangeWindow('7d', now).from).toEqual(new Date('2024-12-26T10:00:00Z'));
  });
});

describe(bucketStart.name, () => {
  it('aligns to the UTC hour or day', () => {
    const at = new Date('2025-05-06T07:08:09Z');
    expect(bucketStart(at, 'hour')).toEqual(new Date('2025-05-06T07:00:00Z'));
    expect(bucketStart(at, 'day')).toEqual(new Date('2025-05-06T00:00:00Z'));
  });
});
