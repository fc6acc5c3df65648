import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { GroupView, Page, ProxyKeyView, RequestLog } from '../../api/types.js';
import { Empty, ErrorMessage, Field, PageHeader, Pager } from '../../components/ui.js';
import { fmtDateTime, fmtInt, fmtMs, statusClass } from '../../lib/format.js';
import { useLoad } from '../../lib/hooks.js';
import { rangeStart, RANGE_LABELS, RANGES, type Range } from '../../lib/ranges.js';
import { LogDetail } from './log-detail.js';

interface Filters {
  range: Range | 'all';
  status: string;
  model: string;
  groupId: string;
  proxyKeyId: string;
  pinned: string;
}

const STATUS_OPTIONS = [
  ['', 'Any status'],
  ['success', 'Success (< 400)'],
  ['error', 'Errors (≥ 400)'],
  ['2xx', '2xx'],
  ['4xx', '4xx'],
  ['429', '429 rate limited'],
  ['5xx', '5xx'],
] as const;

const PAGE_SIZE = 50;

function initialId(): number | undefined {
  const id = Number(new URLSearchParams(location.search).get('id'));
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

export function Logs() {
  const [filters, setFilters] = useState<Filters>({
    range: '24h',
    status: '',
    model: '',
    groupId: '',
    proxyKeyId: '',
    pinned: '',
  });
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<number | undefined>(initialId());
  const groups = useLoad((signal) => api<GroupView[]>('/admin/groups', { signal }), []);
  const keys = useLoad((signal) => api<ProxyKeyView[]>('/admin/proxy-keys', { signal }), []);
  const logs = useLoad(
    (signal) =>
      api<Page<RequestLog>>('/admin/logs', {
        signal,
        query: {
          from: filters.range === 'all' ? undefined : rangeStart(filters.range),
          status: filters.status,
          model: filters.model.trim(),
          groupId: filters.groupId,
          proxyKeyId: filters.proxyKeyId,
          pinned: filters.pinned,
          page,
          pageSize: PAGE_SIZE,
        },
      }),
    [filters, page],
    page === 1 ? 5000 : 0,
  );
  const set = (key: keyof Filters, value: string) => {
    setPage(1);
    setFilters((f) => ({ ...f, [key]: value }));
  };

  const items = logs.data?.items;
  return (
    <section>
      <PageHeader title="Logs" />
      <form class="filters" role="search" aria-label="Log filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Time range">
          {(p) => (
            <select {...p} value={filters.range} onChange={(e) => set('range', e.currentTarget.value)}>
              {RANGES.map((range) => (
                <option key={range} value={range}>
                  Last {RANGE_LABELS[range]}
                </option>
              ))}
              <option value="all">All kept</option>
            </select>
          )}
        </Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={filters.status} onChange={(e) => set('status', e.currentTarget.value)}>
              {STATUS_OPTIONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Model">
          {(p) => (
            <input
              {...p}
              value={filters.model}
              placeholder="exact name"
              onChange={(e) => set('model', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Group">
          {(p) => (
            <select {...p} value={filters.groupId} onChange={(e) => set('groupId', e.currentTarget.value)}>
              <option value="">Any group</option>
              {(groups.data ?? []).map((group) => (
                <option key={group.id} value={String(group.id)}>
                  {group.groupName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Proxy key">
          {(p) => (
            <select
              {...p}
              value={filters.proxyKeyId}
              onChange={(e) => set('proxyKeyId', e.currentTarget.value)}
            >
              <option value="">Any key</option>
              {(keys.data ?? []).map((key) => (
                <option key={key.id} value={String(key.id)}>
                  {key.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Pinned backend">
          {(p) => (
            <select {...p} value={filters.pinned} onChange={(e) => set('pinned', e.currentTarget.value)}>
              <option value="">Pinned or not</option>
              <option value="true">Pinned only</option>
              <option value="false">Not pinned</option>
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage error={logs.error} />
      {items && items.length === 0 ? (
        <Empty>No requests match these filters — widen the time range or clear a filter.</Empty>
      ) : (
        <div class="table-wrap" aria-busy={items === undefined}>
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col">Model</th>
                <th scope="col">Group</th>
                <th scope="col">Proxy key</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col" class="num">
                  Latency
                </th>
                <th scope="col" class="num">
                  Tokens
                </th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {(items ?? []).map((log) => (
                <tr key={log.id} class="clickable" onClick={() => setOpenId(log.id)}>
                  <td class="mono">{fmtDateTime(log.createdAt)}</td>
                  <td>
                    <span class={`pill tone-${statusClass(log.status)}`}>{log.status}</span>
                  </td>
                  <td>{log.model}</td>
                  <td>
                    {log.groupName ?? '–'}
                    {log.pinned ? <span class="badge">pinned</span> : null}
                  </td>
                  <td>{log.proxyKeyName ?? '–'}</td>
                  <td class="num">{log.attempts}</td>
                  <td class="num">{fmtMs(log.latencyMs)}</td>
                  <td class="num">{fmtInt(log.totalTokens)}</td>
                  <td>
                    <button
                      type="button"
                      class="btn-small"
                      aria-label={`Open request ${log.id}`}
                      onClick={() => setOpenId(log.id)}
                    >
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {logs.data ? <Pager page={page} pageSize={PAGE_SIZE} total={logs.data.total} onPage={setPage} /> : null}
      {openId !== undefined ? <LogDetail id={openId} onClose={() => setOpenId(undefined)} /> : null}
    </section>
  );
}
