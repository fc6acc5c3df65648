import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { GroupTest, GroupView, KeyHealth, ProviderHealth } from '../../api/types.js';
import { KeyDot, StatusBadge } from '../../components/key-dot.js';
import { Confirm, Dialog, EnableToggle, Empty, ErrorMessage, PageHeader } from '../../components/ui.js';
import { useAction, useLoad, useNow } from '../../lib/hooks.js';
import { GroupForm } from './group-form.js';
import { TestResults } from './test-results.js';

type Editing = { mode: 'new' } | { mode: 'edit'; group: GroupView } | undefined;

async function loadGroups(signal: AbortSignal) {
  const [groups, health] = await Promise.all([
    api<GroupView[]>('/admin/groups', { signal }),
    api<{ data: ProviderHealth[] }>('/api/providers/health', { signal }).catch(() => ({
      data: [] as ProviderHealth[],
    })),
  ]);
  const keyHealth = new Map<number, KeyHealth>(
    health.data.flatMap((row) => row.keys.map((key) => [key.id, key])),
  );
  return { groups, keyHealth };
}

export function Groups() {
  const { data, error, reload } = useLoad(loadGroups, [], 5000);
  const now = useNow();
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<GroupView>();
  const [tests, setTests] = useState<Record<number, GroupTest | 'running' | { error: unknown }>>({});

  const { act, actionError } = useAction(reload);

  async function runTest(group: GroupView) {
    setTests((t) => ({ ...t, [group.id]: 'running' }));
    try {
      const result = await api<GroupTest>(`/admin/groups/${group.id}/test`, { method: 'POST' });
      setTests((t) => ({ ...t, [group.id]: result }));
    } catch (caught) {
      setTests((t) => ({ ...t, [group.id]: { error: caught } }));
    }
  }

  const groups = data?.groups;
  return (
    <section>
      <PageHeader title="Groups">
        <button type="button" class="btn-primary" onClick={() => setEditing({ mode: 'new' })}>
          New group
        </button>
      </PageHeader>
      <ErrorMessage error={error ?? actionError} />
      {groups && groups.length === 0 ? (
        <Empty>
          No groups yet — <strong>New group</strong> adds an upstream provider and its keys.
        </Empty>
      ) : (
        <div class="table-wrap" aria-busy={groups === undefined}>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Models</th>
                <th scope="col">Policy</th>
                <th scope="col" class="num">
                  Priority
                </th>
                <th scope="col">Enabled</th>
                <th scope="col">Keys</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(groups ?? []).map((group) => {
                const test = tests[group.id];
                return (
                  <Fragment key={group.id}>
                    <tr>
                      <th scope="row" class="nowrap">
                        {group.groupName}
                      </th>
                      <td>{group.providerType}</td>
                      <td class="mono">
                        {group.models.map((model, i) => (
                          <Fragment key={model}>
                            {i ? ', ' : ''}
                            <span class="nowrap">{model}</span>
                          </Fragment>
                        ))}
                      </td>
                      <td>{group.balancePolicy}</td>
                      <td class="num">{group.priority}</td>
                      <td>
                        <StatusBadge status={group.enabled ? 'enabled' : 'disabled'} />
                      </td>
                      <td>
                        <div class="key-dots" aria-label={`Keys of ${group.groupName}`}>
                          {group.keys.length === 0 ? <span class="muted">no keys</span> : null}
                          {group.keys.map((key) => {
                            const health = data?.keyHealth.get(key.id);
                            return (
                              <KeyDot
                                key={key.id}
                                name={key.masked}
                                now={now}
                                facts={{
                                  enabled: key.enabled,
                                  reason: key.health.reason,
                                  availableAt: key.health.availableAt,
                                  lastError: health?.last_error,
                                  lastStatusCode: health?.last_status_code,
                                  consecutiveFailures: health?.consecutive_failures,
                                }}
                              />
                            );
                          })}
                        </div>
                      </td>
                      <td>
                        <div class="row-actions">
                          <button
                            type="button"
                            class="btn-small"
                            aria-label={`Edit ${group.groupName}`}
                            onClick={() => setEditing({ mode: 'edit', group })}
                          >
                            Edit
                          </button>
                          <EnableToggle
                            name={group.groupName}
                            enabled={group.enabled}
                            path={`/admin/groups/${group.id}`}
                            act={act}
                          />
                          <button
                            type="button"
                            class="btn-small"
                            aria-label={`Test ${group.groupName}`}
                            disabled={test === 'running'}
                            onClick={() => runTest(group)}
                          >
                            Test
                          </button>
                          <button
                            type="button"
                            class="btn-small btn-danger"
                            aria-label={`Delete ${group.groupName}`}
                            onClick={() => setDeleting(group)}
                          >
                            Delete
                          </button>
                        </div>
                      </td>
                    </tr>
                    {test ? (
                      <tr>
                        <td colSpan={8}>
                          <TestResults
                            group={group.groupName}
                            test={test}
                            onClose={() => setTests((t) => ({ ...t, [group.id]: undefined! }))}
                          />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <Dialog
          title={editing.mode === 'new' ? 'New group' : `Edit ${editing.group.groupName}`}
          onClose={() => setEditing(undefined)}
          wide
        >
          <GroupForm
            group={editing.mode === 'edit' ? editing.group : undefined}
            onCancel={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              reload();
            }}
          />
        </Dialog>
      ) : null}
      {deleting ? (
        <Confirm
          title="Delete group"
          message={
            <>
              Delete the group <strong>{deleting.groupName}</strong> and its {deleting.keys.length} keys?
              Requests for its models will go to other groups, or fail if none serves them.
            </>
          }
          action={`Delete ${deleting.groupName}`}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            if (await act(() => api(`/admin/groups/${deleting.id}`, { method: 'DELETE' })))
              setDeleting(undefined);
          }}
          error={actionError}
        />
      ) : null}
    </section>
  );
}
