import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Page, RequestLog, Status, StatsOverview, Timeseries } from '../api/types.js';
import { LiveStrip } from './overview/live-strip.js';
import { StatusCards } from './overview/status-cards.js';
import { TrafficCharts } from './overview/traffic-charts.js';
import { ErrorMessage, PageHeader, Segmented } from '../components/ui.js';
import { useLoad } from '../lib/hooks.js';
import { RANGE_LABELS, RANGES, timeseriesQuery, type Range } from '../lib/ranges.js';

const RANGE_OPTIONS = RANGES.map((value) => ({ value, label: RANGE_LABELS[value] }));

export function Overview() {
  const [range, setRange] = useState<Range>('24h');
  const status = useLoad((signal) => api<Status>('/admin/status', { signal }), [], 5000);
  const overview = useLoad(
    (signal) => api<StatsOverview>('/admin/stats/overview', { query: { range: '24h' }, signal }),
    [],
    5000,
  );
  const totals = useLoad(
    (signal) => api<Timeseries>('/admin/stats/timeseries', { query: timeseriesQuery(range), signal }),
    [range],
    10_000,
  );
  const byModel = useLoad(
    (signal) =>
      api<Timeseries>('/admin/stats/timeseries', {
        query: { ...timeseriesQuery(range), groupBy: 'model' },
        signal,
      }),
    [range],
    15_000,
  );
  const recent = useLoad(
    (signal) => api<Page<RequestLog>>('/admin/logs', { query: { pageSize: 12 }, signal }),
    [],
    3000,
  );

  return (
    <section aria-labelledby="page-title">
      <PageHeader title="Overview" />
      <ErrorMessage error={status.error ?? overview.error} />
      <StatusCards status={status.data} overview={overview.data} />
      <div class="section-head">
        <h2>Traffic</h2>
        <Segmented label="Time range" options={RANGE_OPTIONS} value={range} onChange={setRange} />
      </div>
      <ErrorMessage error={totals.error ?? byModel.error} />
      <TrafficCharts totals={totals.data} byModel={byModel.data} />
      <h2>Latest requests</h2>
      <ErrorMessage error={recent.error} />
      <LiveStrip logs={recent.data?.items} />
    </section>
  );
}
