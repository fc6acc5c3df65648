import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { StatsOverview, Timeseries, UsageTotals } from '../api/types.js';
import { Chart } from '../components/chart.js';
import { Empty, ErrorMessage, PageHeader, Segmented } from '../components/ui.js';
import { fmtCompact, fmtInt, fmtMs, fmtRate } from '../lib/format.js';
import { useLoad } from '../lib/hooks.js';
import { RANGE_LABELS, RANGES, timeseriesQuery, type Range } from '../lib/ranges.js';
import { bucketAxis, seriesName, total, valuesOn } from '../lib/series.js';

type Dimension = 'model' | 'group' | 'proxyKey';
type Metric = 'totalTokens' | 'requests' | 'failures' | 'avgLatencyMs';

const DIMENSIONS = [
  { value: 'model', label: 'Model' },
  { value: 'group', label: 'Group' },
  { value: 'proxyKey', label: 'Proxy key' },
] as const;
const METRICS = [
  { value: 'totalTokens', label: 'Tokens' },
  { value: 'requests', label: 'Requests' },
  { value: 'failures', label: 'Errors' },
  { value: 'avgLatencyMs', label: 'Latency' },
] as const;
const TOP = 8;

interface Row extends UsageTotals {
  name: string;
}

function rowsOf(overview: StatsOverview, dimension: Dimension): Row[] {
  if (dimension === 'model') return overview.byModel.map((r) => ({ ...r, name: r.model }));
  if (dimension === 'group') return overview.byGroup.map((r) => ({ ...r, name: r.groupName ?? 'no group' }));
  return overview.byProxyKey.map((r) => ({ ...r, name: r.proxyKeyName ?? 'no key' }));
}

const COLUMNS: Array<{ key: keyof Row; label: string; format: (row: Row) => string }> = [
  { key: 'name', label: 'Name', format: (r) => r.name },
  { key: 'requests', label: 'Requests', format: (r) => fmtInt(r.requests) },
  { key: 'failures', label: 'Errors', format: (r) => fmtInt(r.failures) },
  { key: 'successRate', label: 'Success rate', format: (r) => fmtRate(r.successRate) },
  { key: 'promptTokens', label: 'Prompt tokens', format: (r) => fmtInt(r.promptTokens) },
  { key: 'completionTokens', label: 'Completion tokens', format: (r) => fmtInt(r.completionTokens) },
  { key: 'totalTokens', label: 'Total tokens', format: (r) => fmtInt(r.totalTokens) },
  { key: 'avgLatencyMs', label: 'Avg latency', format: (r) => fmtMs(r.avgLatencyMs) },
];

export function Usage() {
  const [range, setRange] = useState<Range>('24h');
  const [dimension, setDimension] = useState<Dimension>('model');
  const [metric, setMetric] = useState<Metric>('totalTokens');
  const [sort, setSort] = useState<{ key: keyof Row; descending: boolean }>({
    key: 'totalTokens',
    descending: true,
  });
  const series = useLoad(
    (signal) =>
      api<Timeseries>('/admin/stats/timeseries', {
        signal,
        query: { ...timeseriesQuery(range), groupBy: dimension },
      }),
    [range, dimension],
    30_000,
  );
  const overview = useLoad(
    (signal) => api<StatsOverview>('/admin/stats/overview', { signal, query: { range } }),
    [range],
    30_000,
  );

  const chart = useMemo(() => {
    if (!series.data) return undefined;
    const axis = bucketAxis(series.data);
    const pick = (p: UsageTotals) => p[metric];
    const ranked = [...series.data.series]
      .sort((a, b) => total(b, (p) => p.requests) - total(a, (p) => p.requests))
      .slice(0, TOP);
    return {
      axis,
      series: ranked.map((s, i) => ({
        label: seriesName(s),
        values: valuesOn(axis, s, pick, metric === 'avgLatencyMs' ? null : 0),
        color: i,
      })),
    };
  }, [series.data, metric]);

  const rows = useMemo(() => {
    if (!overview.data) return undefined;
    const list = rowsOf(overview.data, dimension);
    const direction = sort.descending ? -1 : 1;
    return list.sort((a, b) => {
      const x = a[sort.key] ?? -1;
      const y = b[sort.key] ?? -1;
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
  }, [overview.data, dimension, sort]);

  const metricLabel = METRICS.find((m) => m.value === metric)!.label;
  return (
    <section>
      <PageHeader title="Usage">
        <Segmented
          label="Time range"
          options={RANGES.map((value) => ({ value, label: RANGE_LABELS[value] }))}
          value={range}
          onChange={setRange}
        />
      </PageHeader>
      <div class="section-head">
        <Segmented label="Break down by" options={DIMENSIONS} value={dimension} onChange={setDimension} />
        <Segmented label="Metric" options={METRICS} value={metric} onChange={setMetric} />
      </div>
      <ErrorMessage error={series.error ?? overview.error} />
      <div class="card chart-card" style={{ marginTop: '12px' }}>
        <Chart
          title={`${metricLabel} by ${DIMENSIONS.find((d) => d.value === dimension)!.label.toLowerCase()}`}
          x={chart?.axis ?? []}
          series={chart?.series ?? []}
          height={260}
          yFormat={metric === 'avgLatencyMs' ? fmtMs : fmtCompact}
          summary={chart?.series.map((s) => s.label).join(', ') || 'no traffic in this range'}
        />
      </div>
      <h2>Totals</h2>
      {rows && rows.length === 0 ? (
        <Empty>No traffic in this range — pick a longer range, or send requests with a proxy key.</Empty>
      ) : (
        <div class="table-wrap" aria-busy={rows === undefined}>
          <table>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    scope="col"
                    key={column.key}
                    class={column.key === 'name' ? '' : 'num'}
                    aria-sort={
                      sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : undefined
                    }
                  >
                    <button
                      type="button"
                      class="sort"
                      onClick={() =>
                        setSort((s) => ({
                          key: column.key,
                          descending: s.key === column.key ? !s.descending : column.key !== 'name',
                        }))
                      }
                    >
                      {column.label}
                      {sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((row) => (
                <tr key={row.name}>
                  {COLUMNS.map((column) =>
                    column.key === 'name' ? (
                      <th scope="row" key="name">
                        {row.name}
                      </th>
                    ) : (
                      <td class="num" key={column.key}>
                        {column.format(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
