import type { Timeseries, UsageSeries, UsageTotals } from '../api/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every bucket start (unix seconds) from `from` to `to`: the API lists only buckets with traffic. */
export function bucketAxis(ts: Timeseries): number[] {
  const step = ts.bucket === 'day' ? DAY : HOUR;
  const first = Math.floor(Date.parse(ts.from) / step) * step;
  const end = Date.parse(ts.to);
  const axis: number[] = [];
  for (let at = first; at < end && axis.length < 2000; at += step) axis.push(at / 1000);
  return axis;
}

/** One series' metric on the axis; empty buckets are 0 for counts and null for latency. */
export function valuesOn(
  axis: number[],
  series: UsageSeries | undefined,
  metric: (point: UsageTotals) => number | null,
  empty: 0 | null,
): Array<number | null> {
  const byStart = new Map((series?.points ?? []).map((point) => [Date.parse(point.start) / 1000, point]));
  return axis.map((at) => {
    const point = byStart.get(at);
    return point ? metric(point) : empty;
  });
}

export function seriesName(series: UsageSeries): string {
  if (series.model !== undefined) return series.model;
  if (series.proxyKeyId !== undefined)
    return series.proxyKeyName ?? (series.proxyKeyId === null ? 'no key' : `key ${series.proxyKeyId}`);
  if (series.upstreamKeyId !== undefined)
    return `${series.groupName ?? 'no group'} / key ${series.upstreamKeyId ?? '–'}`;
  if (series.groupName !== undefined) return series.groupName ?? 'no group';
  return series.key;
}

/** Sum of a metric over a series' points (for ranking series). */
export function total(series: UsageSeries, metric: (point: UsageTotals) => number): number {
  return series.points.reduce((sum, point) => sum + metric(point), 0);
}

/**
 * Indices of values with no neighbour to draw a line to (a lone bucket with latency between empty
 * ones): the chart marks them with a point, or they would not show at all.
 */
export function isolatedIndices(values: ArrayLike<number | null | undefined>): number[] {
  const present = (i: number) => i >= 0 && i < values.length && values[i] !== null && values[i] !== undefined;
  const lone: number[] = [];
  for (let i = 0; i < values.length; i += 1)
    if (present(i) && !present(i - 1) && !present(i + 1)) lone.push(i);
  return lone;
}
