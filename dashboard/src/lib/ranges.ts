// The range picker's choices and the stats query each one stands for.

export const RANGES = ['1h', '24h', '7d', '30d'] as const;
export type Range = (typeof RANGES)[number];

const HOUR = 3_600_000;
const SPAN: Record<Range, number> = {
  '1h': HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

export const RANGE_LABELS: Record<Range, string> = {
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
  '30d': '30 d',
};

/** The stats API aggregates by the hour, so 1 h shows the current and the previous hour. */
export function timeseriesQuery(range: Range, now = Date.now()) {
  const from = new Date(now - SPAN[range] - (range === '1h' ? HOUR : 0));
  return {
    from: from.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    to: new Date(now + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    bucket: range === '7d' || range === '30d' ? 'day' : 'hour',
  } as const;
}

export function rangeStart(range: Range, now = Date.now()): string {
  return new Date(now - SPAN[range]).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
