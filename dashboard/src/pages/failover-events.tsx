import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { FailoverEvent, GroupView, Page } from '../api/types.js';
import { Empty, ErrorMessage, Field, PageHeader, Pager } from '../components/ui.js';
import { fmtDateTime } from '../lib/format.js';
import { useLoad } from '../lib/hooks.js';

const TYPES: Record<string, { label: string; tone: string }> = {
  breaker_open: { label: 'Circuit opened', tone: 'ev-bad' },
  breaker_half_open: { label: 'Circuit half-open', tone: 'ev-warn' },
  breaker_closed: { label: 'Circuit closed', tone: 'ev-ok' },
  key_invalid: { label: 'Key invalidated', tone: 'ev-invalid' },
  key_valid: { label: 'Key valid again', tone: 'ev-ok' },
  unhealthy: { label: 'Unhealthy by checks', tone: 'ev-bad' },
  recovered: { label: 'Recovered', tone: 'ev-ok' },
  rate_limited: { label: '429 cooldown', tone: 'ev-warn' },
};
const PAGE_SIZE = 50;

export function FailoverEvents() {
  const [groupId, setGroupId] = useState('');
  const [keyId, setKeyId] = useState('');
  const [type, setType] = useState('');
  const [page, setPage] = useState(1);
  const groups = useLoad((signal) => api<GroupView[]>('/admin/groups', { signal }), []);
  const events = useLoad(
    (signal) =>
      api<Page<FailoverEvent>>('/admin/failover-events', {
        signal,
        query: { groupId, keyId, type, page, pageSize: PAGE_SIZE },
      }),
    [groupId, keyId, type, page],
    page === 1 ? 5000 : 0,
  );
  const keys =
    groups.data?.find((g) => String(g.id) === groupId)?.keys ?? groups.data?.flatMap((g) => g.keys) ?? [];
  const items = events.data?.items;

  return (
    <section>
      <PageHeader title="Failover events" />
      <form class="filters" role="search" aria-label="Event filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Group">
          {(p) => (
            <select
              {...p}
              value={groupId}
              onChange={(e) => {
                setGroupId(e.currentTarget.value);
                setKeyId('');
                setPage(1);
              }}
            >
              <option value="">Any group</option>
              {(groups.data ?? []).map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {g.groupName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Key">
          {(p) => (
            <select
              {...p}
              value={keyId}
              onChange={(e) => {
                setKeyId(e.currentTarget.value);
                setPage(1);
              }}
            >
              <option value="">Any key</option>
              {keys.map((k) => (
                <option key={k.id} value={String(k.id)}>
                  {k.masked}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Event">
          {(p) => (
            <select
              {...p}
              value={type}
              onChange={(e) => {
                setType(e.currentTarget.value);
                setPage(1);
              }}
            >
              <option value="">Any event</option>
              {Object.entries(TYPES).map(([value, t]) => (
                <option key={value} value={value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage error={events.error} />
      {items && items.length === 0 ? (
        <Empty>
          No failover events — every key has stayed in rotation. Breaker opens, invalid keys and cooldowns
          appear here.
        </Empty>
      ) : (
        <ol class="timeline" aria-label="Failover events, newest first" aria-busy={items === undefined}>
          {(items ?? []).map((event) => {
            const kind = TYPES[event.type] ?? { label: event.type, tone: '' };
            return (
              <li key={event.id} class={kind.tone}>
                <div>
                  <strong>{kind.label}</strong> · <span class="mono">{event.keyMasked}</span> of{' '}
                  {event.groupName}
                  <span class="muted"> · {fmtDateTime(event.at)}</span>
                </div>
                <div class="muted">
                  {event.from} → {event.to} ({event.reason.replaceAll('_', ' ')})
                  {event.consecutiveFailures ? ` · ${event.consecutiveFailures} failures` : ''}
                  {event.nextRetrySeconds !== null ? ` · retry in ${event.nextRetrySeconds} s` : ''}
                </div>
                {event.statusCode || event.error ? (
                  <div>
                    {event.statusCode ? `HTTP ${event.statusCode}` : ''}
                    {event.statusCode && event.error ? ': ' : ''}
                    {event.error ?? ''}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {events.data ? (
        <Pager page={page} pageSize={PAGE_SIZE} total={events.data.total} onPage={setPage} />
      ) : null}
    </section>
  );
}
