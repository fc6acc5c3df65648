import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { CreatedProxyKey, ProxyKeyView } from '../../api/types.js';
import { StatusBadge } from '../../components/key-dot.js';
import { Confirm, Dialog, EnableToggle, Empty, ErrorMessage, PageHeader } from '../../components/ui.js';
import { DASH, fmtAgo, fmtCompact, fmtDateTime, fmtInt } from '../../lib/format.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { withUsage, type ProxyKeyUsage } from './key-usage.js';
import { ProxyKeyForm } from './proxy-key-form.js';
import { ShownOnce } from './shown-once.js';

type Pending = { kind: 'delete' | 'rotate'; key: ProxyKeyView } | undefined;

async function loadKeys(signal: AbortSignal): Promise<ProxyKeyView[]> {
  const [keys, usage] = await Promise.all([
    api<ProxyKeyView[]>('/admin/proxy-keys', { signal }),
    api<ProxyKeyUsage[]>('/admin/stats/proxy-keys', { signal }).catch(() => undefined),
  ]);
  return withUsage(keys, usage);
}

function Budget({ proxyKey }: { proxyKey: ProxyKeyView }) {
  const used = proxyKey.tokensUsed;
  if (proxyKey.tokenBudget === null)
    return (
      <span class="nowrap">{used === undefined ? 'unlimited' : `${fmtCompact(used)} used · unlimited`}</span>
    );
  const share = used === undefined ? 0 : Math.min(1, used / Math.max(1, proxyKey.tokenBudget));
  return (
    <div>
      <span class="nowrap">
        {used === undefined ? '' : `${fmtCompact(used)} of `}
        {fmtCompact(proxyKey.tokenBudget)}
      </span>
      <div
        class={`meter${share >= 1 ? ' over' : ''}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        aria-label="Budget spent"
      >
        <span style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

export function ProxyKeys() {
  const { data: keys, error, reload } = useLoad(loadKeys, [], 10_000);
  const [editing, setEditing] = useState<ProxyKeyView | 'new'>();
  const [shown, setShown] = useState<{ created: CreatedProxyKey; rotated: boolean }>();
  const [pending, setPending] = useState<Pending>();

  const { act, actionError } = useAction(reload);

  return (
    <section>
      <PageHeader title="Proxy keys">
        <button type="button" class="btn-primary" onClick={() => setEditing('new')}>
          New key
        </button>
      </PageHeader>
      <ErrorMessage error={error ?? (pending ? undefined : actionError)} />
      {keys && keys.length === 0 ? (
        <Empty>
          No proxy keys yet — <strong>New key</strong> creates one for your applications.
        </Empty>
      ) : (
        <div class="table-wrap" aria-busy={keys === undefined}>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Limits</th>
                <th scope="col">Allowed</th>
                <th scope="col">Expires</th>
                <th scope="col">Budget</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(keys ?? []).map((key) => (
                <tr key={key.id}>
                  <th scope="row">
                    <span class="nowrap">{key.name}</span>
                    {key.description ? <div class="muted">{key.description}</div> : null}
                  </th>
                  <td class="mono nowrap">{key.keyPrefix}</td>
                  <td class="nowrap">
                    {key.rpm ? `${fmtInt(key.rpm)} rpm` : 'no rpm limit'}
                    <br />
                    {key.tpm ? `${fmtCompact(key.tpm)} tpm` : 'no tpm limit'}
                  </td>
                  <td>
                    <div class={key.allowedModels.length ? '' : 'nowrap'}>
                      models: {key.allowedModels.length ? key.allowedModels.join(', ') : 'all'}
                    </div>
                    <div class={key.allowedGroups.length ? '' : 'nowrap'}>
                      groups: {key.allowedGroups.length ? key.allowedGroups.join(', ') : 'all'}
                    </div>
                  </td>
                  <td>{key.expiresAt ? fmtDateTime(key.expiresAt) : 'never'}</td>
                  <td>
                    <Budget proxyKey={key} />
                  </td>
                  <td>{key.lastUsedAt === undefined ? DASH : fmtAgo(key.lastUsedAt)}</td>
                  <td>
                    <StatusBadge status={key.expired ? 'unhealthy' : key.enabled ? 'enabled' : 'disabled'} />
                    {key.expired ? <span class="visually-hidden"> expired</span> : null}
                  </td>
                  <td>
                    <div class="row-actions">
                      <button
                        type="button"
                        class="btn-small"
                        aria-label={`Edit ${key.name}`}
                        onClick={() => setEditing(key)}
                      >
                        Edit
                      </button>
                      <EnableToggle
                        name={key.name}
                        enabled={key.enabled}
                        path={`/admin/proxy-keys/${key.id}`}
                        act={act}
                      />
                      <button
                        type="button"
                        class="btn-small"
                        aria-label={`Rotate ${key.name}`}
                        onClick={() => setPending({ kind: 'rotate', key })}
                      >
                        Rotate
                      </button>
                      <button
                        type="button"
                        class="btn-small btn-danger"
                        aria-label={`Delete ${key.name}`}
                        onClick={() => setPending({ kind: 'delete', key })}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <Dialog
          title={editing === 'new' ? 'New proxy key' : `Edit ${editing.name}`}
          onClose={() => setEditing(undefined)}
          wide
        >
          <ProxyKeyForm
            proxyKey={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              reload();
            }}
            onCreated={(created) => {
              setEditing(undefined);
              setShown({ created, rotated: false });
              reload();
            }}
          />
        </Dialog>
      ) : null}
      {shown ? (
        <ShownOnce created={shown.created} rotated={shown.rotated} onClose={() => setShown(undefined)} />
      ) : null}
      {pending ? (
        <Confirm
          title={pending.kind === 'delete' ? 'Delete proxy key' : 'Rotate proxy key'}
          message={
            pending.kind === 'delete' ? (
              <>
                Delete the key <strong>{pending.key.name}</strong>? Applications using it get 401 at once.
              </>
            ) : (
              <>
                Issue a new key for <strong>{pending.key.name}</strong>? The current key stops working at
                once.
              </>
            )
          }
          action={pending.kind === 'delete' ? `Delete ${pending.key.name}` : `Rotate ${pending.key.name}`}
          error={actionError}
          onClose={() => setPending(undefined)}
          onConfirm={async () => {
            const { kind, key } = pending;
            if (kind === 'delete') {
              if (await act(() => api(`/admin/proxy-keys/${key.id}`, { method: 'DELETE' })))
                setPending(undefined);
              return;
            }
            let created: CreatedProxyKey | undefined;
            if (
              await act(
                async () =>
                  (created = await api<CreatedProxyKey>(`/admin/proxy-keys/${key.id}/rotate`, {
                    method: 'POST',
                  })),
              )
            ) {
              setPending(undefined);
              if (created) setShown({ created, rotated: true });
            }
          }}
        />
      ) : null}
    </section>
  );
}
