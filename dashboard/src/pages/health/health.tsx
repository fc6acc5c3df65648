import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { ProviderHealth } from '../../api/types.js';
import { KeyDot, StatusBadge } from '../../components/key-dot.js';
import { Empty, ErrorMessage, Notice, PageHeader } from '../../components/ui.js';
import { fmtAgo, fmtInt } from '../../lib/format.js';
import { useLoad, useNow } from '../../lib/hooks.js';
import { explain } from '../../lib/key-state.js';
import { HealthConfigForm } from './health-config-form.js';

type CheckResult = { running: true } | { done: ProviderHealth } | { error: unknown };

function checkSummary(row: ProviderHealth): string {
  const healthy = row.keys.filter((key) => key.available).length;
  return `Checked ${row.provider_name}: ${healthy} of ${row.keys.length} keys available, status ${row.status}.`;
}

export function Health() {
  const { data, error, reload } = useLoad(
    (signal) => api<{ data: ProviderHealth[] }>('/api/providers/health', { signal }),
    [],
    5000,
  );
  const [checks, setChecks] = useState<Record<number, CheckResult>>({});
  const now = useNow();

  async function checkNow(row: ProviderHealth) {
    setChecks((c) => ({ ...c, [row.provider_id]: { running: true } }));
    try {
      const fresh = await api<{ data: ProviderHealth }>(`/api/health-check/force/${row.provider_id}`, {
        method: 'POST',
      });
      setChecks((c) => ({ ...c, [row.provider_id]: { done: fresh.data } }));
      reload();
    } catch (caught) {
      setChecks((c) => ({ ...c, [row.provider_id]: { error: caught } }));
    }
  }

  const rows = data?.data;
  return (
    <section>
      <PageHeader title="Health">
        <a href="#health-check-config">Health-check configuration</a>
      </PageHeader>
      <ErrorMessage error={error} />
      {rows && rows.length === 0 ? (
        <Empty>No groups yet — add one under Groups and its keys show up here.</Empty>
      ) : null}
      {(rows ?? []).map((row) => {
        const check = checks[row.provider_id];
        return (
          <div
            class="card provider-card"
            key={row.provider_id}
            role="region"
            aria-label={`Provider ${row.provider_name}`}
          >
            <div class="section-head">
              <h2>
                {row.provider_name} <StatusBadge status={row.status} />
              </h2>
              <div class="page-actions">
                <span class="muted">
                  {row.success_rate_24h === null
                    ? 'no traffic in 24 h'
                    : `${row.success_rate_24h.toFixed(1)} % of ${fmtInt(row.total_requests_24h)} requests ok (24 h)`}
                </span>
                <button
                  type="button"
                  aria-label={`Check now ${row.provider_name}`}
                  disabled={check !== undefined && 'running' in check}
                  onClick={() => checkNow(row)}
                >
                  Check now
                </button>
              </div>
            </div>
            {check && 'running' in check ? <p role="status">Checking {row.provider_name}…</p> : null}
            {check && 'done' in check ? <Notice>{checkSummary(check.done)}</Notice> : null}
            {check && 'error' in check ? <ErrorMessage error={check.error} prefix="Check failed" /> : null}
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Routability</th>
                    <th scope="col" class="num">
                      Consecutive failures
                    </th>
                    <th scope="col" class="num">
                      Failed checks
                    </th>
                    <th scope="col">Last check</th>
                    <th scope="col">Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {row.keys.map((key) => {
                    const facts = {
                      enabled: key.enabled,
                      reason: key.reason,
                      availableAt: key.available_at,
                      lastError: key.last_error,
                      lastStatusCode: key.last_status_code,
                      consecutiveFailures: key.consecutive_failures,
                    };
                    return (
                      <tr key={key.id}>
                        <td>
                          <KeyDot facts={facts} name={key.masked} now={now} />
                        </td>
                        <td>{explain(facts)}</td>
                        <td class="num">{key.consecutive_failures}</td>
                        <td class="num">{key.error_count}</td>
                        <td>{fmtAgo(key.last_check_at, now)}</td>
                        <td>
                          {key.last_error
                            ? `${key.last_status_code ? `HTTP ${key.last_status_code}: ` : ''}${key.last_error}`
                            : '–'}
                        </td>
                      </tr>
                    );
                  })}
                  {row.keys.length === 0 ? (
                    <tr>
                      <td colSpan={6} class="muted">
                        No keys — add one in Groups.
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
      <HealthConfigForm />
    </section>
  );
}
