/**
 * Zero-based index of the nearest-rank percentile `p` (0 < p ≤ 1) among `count` sorted values,
 * e.g. p95 of 20 values is the 19th (index 18). Undefined when there are no values.
 */
export function percentileIndex(count: number, p: number): number | undefined {
  if (count <= 0) return undefined;
  return Math.min(count, Math.max(1, Math.ceil(p * count))) - 1;
}
