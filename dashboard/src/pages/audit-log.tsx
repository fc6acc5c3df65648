import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { AuditEntry, Page } from '../api/types.js';
import { Empty, ErrorMessage, Field, PageHeader, Pager } from '../components/ui.js';
import { fmtDateTime } from '../lib/format.js';
import { useLoad } from '../lib/hooks.js';

const PAGE_SIZE = 50;
// Every entity the gateway audits (the API accepts any name; these are the ones it writes).
const ENTITIES = ['group', 'upstream_key', 'proxy_key', 'setting', 'health_check_config', 'admin_password'];
const entityName = (entity: string) => entity.replaceAll('_', ' ');

function show(value: unknown): string {
  if (value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `changes` is `{field: {from, to}}` for updates, or the fields themselves on create/delete. */
function Changes({ changes }: { changes: Record<string, unknown> }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return <span class="muted">no field changes</span>;
  return (
    <ul class="changes">
      {entries.map(([field, change]) => {
        const diff = change as { from?: unknown; to?: unknown } | null;
        const isDiff = typeof diff === 'object' && diff !== null && ('from' in diff || 'to' in diff);
        return (
          <li key={field}>
            <span class="mono strong">{field}</span>:{' '}
            {isDiff ? (
              <>
                <span class="mono">{show(diff.from)}</span> → <span class="mono">{show(diff.to)}</span>
              </>
            ) : (
              <span class="mono">{show(change)}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function AuditLog() {
  const [entity, setEntity] = useState('');
  const [page, setPage] = useState(1);
  const audit = useLoad(
    (signal) =>
      api<Page<AuditEntry>>('/admin/audit-logs', { signal, query: { entity, page, pageSize: PAGE_SIZE } }),
    [entity, page],
    page === 1 ? 10_000 : 0,
  );
  const items = audit.data?.items;
  return (
    <section>
      <PageHeader title="Audit log" />
      <form class="filters" role="search" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Entity">
          {(p) => (
            <select
              {...p}
              value={entity}
              onChange={(e) => {
                setEntity(e.currentTarget.value);
                setPage(1);
              }}
            >
              <option value="">Everything</option>
              {ENTITIES.map((name) => (
                <option key={name} value={name}>
                  {entityName(name)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage error={audit.error} />
      {items && items.length === 0 ? (
        <Empty>
          No changes recorded yet — every change made here or through the admin API appears in this log.
        </Empty>
      ) : (
        <div class="table-wrap" aria-busy={items === undefined}>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {(items ?? []).map((entry) => (
                <tr key={entry.id}>
                  <td class="mono">{fmtDateTime(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>
                    {entityName(entry.entity)} {entry.entityId ?? ''}
                  </td>
                  <td>
                    <Changes changes={entry.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.data ? (
        <Pager page={page} pageSize={PAGE_SIZE} total={audit.data.total} onPage={setPage} />
      ) : null}
    </section>
  );
}
