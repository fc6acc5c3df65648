import { toNumber } from '../db-values.js';

/** Sums of provider_usage_stats rows, the unit every stats response is made of. */
export interface UsageTotals {
  requests: number;
  successes: number;
  failures: number;
  /** Successes / requests, 0..1; null without requests. */
  successRate: number | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  avgLatencyMs: number | null;
}

/** SELECT list over provider_usage_stats aliased `s` (raw aliases), shared by every aggregate query. */
export const SUM_SELECTS: ReadonlyArray<[string, string]> = [
  ['SUM(s.requests)', 'requests'],
  ['SUM(s.successes)', 'successes'],
  ['SUM(s.failures)', 'failures'],
  ['SUM(s.promptTokens)', 'promptTokens'],
  ['SUM(s.completionTokens)', 'completionTokens'],
  ['SUM(s.totalTokens)', 'totalTokens'],
  ['SUM(s.latencyMsSum)', 'latencyMsSum'],
];

export type RawSums = Record<string, unknown>;

/** Running sums before the derived rates; `add` folds raw SQL rows (strings on MySQL). */
export class TotalsAccumulator {
  private requests = 0;
  private successes = 0;
  private failures = 0;
  private promptTokens = 0;
  private completionTokens = 0;
  private totalTokens = 0;
  private latencyMsSum = 0;

  add(raw: RawSums): this {
    this.requests += toNumber(raw.requests);
    this.successes += toNumber(raw.successes);
    this.failures += toNumber(raw.failures);
    this.promptTokens += toNumber(raw.promptTokens);
    this.completionTokens += toNumber(raw.completionTokens);
    this.totalTokens += toNumber(raw.totalTokens);
    this.latencyMsSum += toNumber(raw.latencyMsSum);
    return this;
  }

  totals(): UsageTotals {
    const { requests, successes } = this;
    return {
      requests,
      successes,
      failures: this.failures,
      successRate: requests === 0 ? null : successes / requests,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      totalTokens: this.totalTokens,
      avgLatencyMs: requests === 0 ? null : Math.round(this.latencyMsSum / requests),
    };
  }
}

/** Groups rows by `keyOf`, sums each group, busiest first; `describe` names a group from its first row. */
export function breakdown<R extends RawSums, D extends object>(
  rows: readonly R[],
  keyOf: (row: R) => string,
  describe: (row: R) => D,
): Array<D & UsageTotals> {
  const groups = new Map<string, { descriptor: D; totals: TotalsAccumulator }>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key) ?? { descriptor: describe(row), totals: new TotalsAccumulator() };
    groups.set(key, group);
    group.totals.add(row);
  }
  return [...groups.values()]
    .map(({ descriptor, totals }) => ({ ...descriptor, ...totals.totals() }))
    .sort((a, b) => b.requests - a.requests);
}
