import { useMemo } from 'preact/hooks';
import type { Timeseries } from '../../api/types.js';
import { Chart } from '../../components/chart.js';
import { fmtCompact, fmtInt, fmtMs } from '../../lib/format.js';
import { bucketAxis, seriesName, total, valuesOn } from '../../lib/series.js';

const TOP_MODELS = 6;

export function TrafficCharts({ totals, byModel }: { totals?: Timeseries; byModel?: Timeseries }) {
  const traffic = useMemo(() => {
    if (!totals) return undefined;
    const axis = bucketAxis(totals);
    const all = totals.series[0];
    const requests = valuesOn(axis, all, (p) => p.requests, 0);
    const errors = valuesOn(axis, all, (p) => p.failures, 0);
    const latency = valuesOn(axis, all, (p) => p.avgLatencyMs, null);
    const sum = (values: Array<number | null>) => values.reduce<number>((a, b) => a + (b ?? 0), 0);
    return { axis, requests, errors, latency, requestCount: sum(requests), errorCount: sum(errors) };
  }, [totals]);

  const models = useMemo(() => {
    if (!byModel) return undefined;
    const axis = bucketAxis(byModel);
    const ranked = [...byModel.series]
      .sort((a, b) => total(b, (p) => p.totalTokens) - total(a, (p) => p.totalTokens))
      .slice(0, TOP_MODELS);
    return {
      axis,
      series: ranked.map((series, i) => ({
        label: seriesName(series),
        values: valuesOn(axis, series, (p) => p.totalTokens, 0),
        color: i,
      })),
      summary: ranked
        .map((s) => `${seriesName(s)} ${fmtCompact(total(s, (p) => p.totalTokens))} tokens`)
        .join(', '),
    };
  }, [byModel]);

  return (
    <div class="charts">
      <div class="card chart-card">
        <Chart
          title="Requests and errors"
          x={traffic?.axis ?? []}
          series={[
            { label: 'Requests', values: traffic?.requests ?? [], color: 0 },
            { label: 'Errors', values: traffic?.errors ?? [], color: '--bad' },
          ]}
          yFormat={fmtCompact}
          summary={
            traffic
              ? `${fmtInt(traffic.requestCount)} requests, ${fmtInt(traffic.errorCount)} errors`
              : 'loading'
          }
        />
      </div>
      <div class="card chart-card">
        <Chart
          title="Average latency"
          x={traffic?.axis ?? []}
          series={[{ label: 'Latency', values: traffic?.latency ?? [], color: 2 }]}
          yFormat={fmtMs}
          summary="average latency per bucket"
        />
      </div>
      <div class="card chart-card chart-wide">
        <Chart
          title="Tokens by model"
          x={models?.axis ?? []}
          series={models?.series ?? []}
          yFormat={fmtCompact}
          summary={models?.summary || 'no tokens in this range'}
        />
      </div>
    </div>
  );
}
