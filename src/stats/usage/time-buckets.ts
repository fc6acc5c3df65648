import { startOfHour } from '../recorder/usage-buckets.js';
import { RawSums, TotalsAccumulator, UsageTotals } from './usage-totals.js';

export const STATS_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type StatsRange = (typeof STATS_RANGES)[number];
export const TIME_BUCKETS = ['hour', 'day'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];
export const SERIES_DIMENSIONS = ['model', 'group', 'key', 'proxyKey'] as const;
export type SeriesDimension = (typeof SERIES_DIMENSIONS)[number];

const HOUR_MS = 3_600_000;
const RANGE_HOURS: Record<StatsRange, number> = { '1h': 1, '24h': 24, '7d': 168, '30d': 720 };

/**
 * The window of an overview range, aligned down to whole hours (the aggregates' grain) so that
 * the hourly buckets and the log rows cover exactly the same time.
 */
export function rangeWindow(range: StatsRange, now: Date): { from: Date; to: Date } {
  return { from: startOfHour(new Date(now.getTime() - RANGE_HOURS[range] * HOUR_MS)), to: now };
}

/** Start of the UTC hour or day containing `at`. */
export function bucketStart(at: Date, bucket: TimeBucket): Date {
  if (bucket === 'hour') return startOfHour(at);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** One hourly aggregate row, already grouped by the requested dimension. */
export interface SeriesRow extends RawSums {
  readonly hourStart: Date;
  readonly model?: string;
  readonly groupId?: number | null;
  readonly groupName?: string | null;
  readonly upstreamKeyId?: number | null;
  readonly proxyKeyId?: number | null;
  readonly proxyKeyName?: string | null;
}

export interface UsagePoint extends UsageTotals {
  readonly start: string;
}

export interface UsageSeries {
  /** `all`, the model name, `group:<id>`, `key:<groupId>:<keyId>` or `proxyKey:<id>`. */
  readonly key: string;
  readonly model?: string;
  readonly groupId?: number | null;
  readonly groupName?: string | null;
  readonly upstreamKeyId?: number | null;
  readonly proxyKeyId?: number | null;
  readonly proxyKeyName?: string | null;
  /** Only buckets with traffic, oldest first. */
  readonly points: UsagePoint[];
}

/** Folds hourly rows into series of hour or day points (days computed here, so engines agree). */
export function foldSeries(
  rows: readonly SeriesRow[],
  bucket: TimeBucket,
  groupBy?: SeriesDimension,
): UsageSeries[] {
  const series = new Map<
    string,
    { descriptor: Omit<UsageSeries, 'points'>; points: Map<number, TotalsAccumulator>; requests: number }
  >();
  for (const row of rows) {
    const descriptor = describe(row, groupBy);
    let entry = series.get(descriptor.key);
    if (!entry) {
      entry = { descriptor, points: new Map(), requests: 0 };
      series.set(descriptor.key, entry);
    }
    if (row.groupName) entry.descriptor = { ...entry.descriptor, groupName: row.groupName };
    if (row.proxyKeyName) entry.descriptor = { ...entry.descriptor, proxyKeyName: row.proxyKeyName };
    const start = bucketStart(row.hourStart, bucket).getTime();
    const point = entry.points.get(start) ?? new TotalsAccumulator();
    entry.points.set(start, point.add(row));
    entry.requests += Number(row.requests ?? 0);
  }
  return [...series.values()]
    .sort((a, b) => b.requests - a.requests || a.descriptor.key.localeCompare(b.descriptor.key))
    .map(({ descriptor, points }) => ({
      ...descriptor,
      points: [...points.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, totals]) => ({ start: new Date(start).toISOString(), ...totals.totals() })),
    }));
}

function describe(row: SeriesRow, groupBy?: SeriesDimension): Omit<UsageSeries, 'points'> {
  switch (groupBy) {
    case 'model':
      return { key: row.model ?? '', model: row.model };
    case 'group':
      return {
        key: `group:${row.groupId ?? 0}`,
        groupId: row.groupId ?? null,
        groupName: row.groupName ?? null,
      };
    case 'key':
      return {
        key: `key:${row.groupId ?? 0}:${row.upstreamKeyId ?? 0}`,
        groupId: row.groupId ?? null,
        groupName: row.groupName ?? null,
        upstreamKeyId: row.upstreamKeyId ?? null,
      };
    case 'proxyKey':
      return {
        key: `proxyKey:${row.proxyKeyId ?? 0}`,
        proxyKeyId: row.proxyKeyId ?? null,
        proxyKeyName: row.proxyKeyName ?? null,
      };
    case undefined:
      return { key: 'all' };
  }
}
