import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, messagesFor } from '../../api/client.js';
import { BALANCE_POLICIES, PROVIDER_TYPES, type GroupView } from '../../api/types.js';
import { ChipsInput } from '../../components/chips-input.js';
import { KvEditor } from '../../components/kv-editor.js';
import { Checkbox, ErrorMessage, Field } from '../../components/ui.js';
import {
  emptyGroupForm,
  FormFieldError,
  groupBody,
  groupFormOf,
  groupPatch,
  type GroupFormState,
} from './group-form-state.js';

const FIELDS = [
  'groupName',
  'providerType',
  'baseUrl',
  'apiKeys',
  'models',
  'modelMap',
  'balancePolicy',
  'priority',
  'weight',
  'retryCount',
  'timeout',
  'enabled',
  'parameters',
  'headers',
  'probe',
  'apiVersion',
];

/** Messages no field claims (conflicts, unknown fields) go above the buttons. */
function generalError(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.fieldMessages.length === 0) return error;
  const rest = error.fieldMessages.filter(
    (message) => !FIELDS.some((field) => messagesFor(error, field).includes(message)),
  );
  const message = rest.length ? rest.join('; ') : 'Not saved: correct the fields marked above.';
  return new ApiError(error.status, message, error.requestId, undefined, rest);
}

/** New group (no `group`) or Edit: every field of the group body, the server's messages beside each. */
export function GroupForm({
  group,
  onSaved,
  onCancel,
}: {
  group?: GroupView;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const original = useMemo(() => (group ? groupFormOf(group) : emptyGroupForm()), [group]);
  const [state, setState] = useState<GroupFormState>(original);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof GroupFormState>(key: K, value: GroupFormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));
  const msgs = (field: string) => messagesFor(error, field);
  const keptKeys = group?.keys.filter((key) => !state.removedKeyIds.includes(key.id)) ?? [];

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (!group) await api('/admin/groups', { method: 'POST', body: groupBody(state, true) });
      else {
        const patch = groupPatch(original, state);
        if (Object.keys(patch).length)
          await api(`/admin/groups/${group.id}`, { method: 'PATCH', body: patch });
        if (state.apiKeys.length)
          await api(`/admin/groups/${group.id}/keys`, { method: 'POST', body: { apiKeys: state.apiKeys } });
        for (const keyId of state.removedKeyIds)
          await api(`/admin/groups/${group.id}/keys/${keyId}`, { method: 'DELETE' });
      }
      onSaved();
    } catch (caught) {
      setError(
        caught instanceof FormFieldError
          ? new ApiError(400, caught.message, undefined, undefined, [caught.message])
          : caught,
      );
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <div class="form-grid">
        <Field
          label="Name"
          messages={msgs('groupName')}
          hint="Letters, digits, . _ -; the name a request's backend field pins"
        >
          {(p) => (
            <input
              {...p}
              required
              value={state.groupName}
              onInput={(e) => set('groupName', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Provider type" messages={msgs('providerType')}>
          {(p) => (
            <select
              {...p}
              value={state.providerType}
              onChange={(e) => set('providerType', e.currentTarget.value as GroupFormState['providerType'])}
            >
              {PROVIDER_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="span-all">
          <Field
            label="Base URL"
            messages={msgs('baseUrl')}
            hint="Empty: the provider's default (required for azure and openai-compatible)"
          >
            {(p) => (
              <input
                {...p}
                type="url"
                value={state.baseUrl}
                onInput={(e) => set('baseUrl', e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <div class="span-all">
          {group ? (
            <div class="field">
              <span class="label-like strong">Current keys</span>
              <ul class="chips" aria-label="Current keys">
                {keptKeys.map((key) => (
                  <li class="chip" key={key.id}>
                    {key.masked}
                    <button
                      type="button"
                      aria-label={`Remove ${key.masked}`}
                      onClick={() => set('removedKeyIds', [...state.removedKeyIds, key.id])}
                    >
                      ×
                    </button>
                  </li>
                ))}
                {keptKeys.length === 0 ? <li class="muted">none</li> : null}
              </ul>
            </div>
          ) : null}
          <ChipsInput
            label={group ? 'Add API keys' : 'API keys'}
            addLabel="Add key"
            type="password"
            masked
            values={state.apiKeys}
            onChange={(values) => set('apiKeys', values)}
            messages={msgs('apiKeys').concat(msgs('apiKey'))}
            hint="Stored encrypted and only ever shown masked"
          />
        </div>
        <div class="span-all">
          <ChipsInput
            label="Models"
            addLabel="Add model"
            values={state.models}
            onChange={(values) => set('models', values)}
            messages={msgs('models')}
            hint="Exact names or globs such as gpt-4*"
          />
        </div>
        <div class="span-all">
          <KvEditor
            legend="Model map"
            keyLabel="Alias"
            valueLabel="Upstream model"
            pairs={state.modelMap}
            onChange={(pairs) => set('modelMap', pairs)}
            messages={msgs('modelMap')}
          />
        </div>
        <Field label="Balance policy" messages={msgs('balancePolicy')}>
          {(p) => (
            <select
              {...p}
              value={state.balancePolicy}
              onChange={(e) => set('balancePolicy', e.currentTarget.value as GroupFormState['balancePolicy'])}
            >
              {BALANCE_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority" messages={msgs('priority')} hint="Lower is preferred">
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.priority}
              onInput={(e) => set('priority', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Weight" messages={msgs('weight')}>
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={state.weight}
              onInput={(e) => set('weight', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label="Retry count"
          messages={msgs('retryCount')}
          hint="Extra attempts within this group (0–10)"
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.retryCount}
              onInput={(e) => set('retryCount', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Timeout (seconds)" messages={msgs('timeout')}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.timeout}
              onInput={(e) => set('timeout', e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="field">
          <Checkbox label="Enabled" checked={state.enabled} onChange={(checked) => set('enabled', checked)} />
        </div>
        <div class="span-all">
          <Field
            label="Default parameters (JSON)"
            messages={msgs('parameters')}
            hint='Applied when the client leaves them out, e.g. {"temperature": 0.7}'
          >
            {(p) => (
              <textarea
                {...p}
                value={state.parameters}
                onInput={(e) => set('parameters', e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Health-check probe" messages={msgs('probe')} hint="How scheduled checks try each key">
          {(p) => (
            <select
              {...p}
              value={state.probeKind}
              onChange={(e) => set('probeKind', e.currentTarget.value as GroupFormState['probeKind'])}
            >
              <option value="models">models: list the models</option>
              <option value="chat">chat: a 1-token completion</option>
            </select>
          )}
        </Field>
        {state.probeKind === 'chat' ? (
          <Field label="Probe model" hint="Empty: the first of Models (required when it is a glob)">
            {(p) => (
              <input
                {...p}
                value={state.probeModel}
                onInput={(e) => set('probeModel', e.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        {state.providerType === 'azure' ? (
          <Field
            label="API version"
            messages={msgs('apiVersion')}
            hint="Azure api-version; empty: 2024-10-21"
          >
            {(p) => (
              <input
                {...p}
                placeholder="2024-10-21"
                value={state.apiVersion}
                onInput={(e) => set('apiVersion', e.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        <div class="span-all">
          <KvEditor
            legend="Headers"
            keyLabel="Header"
            valueLabel="Value"
            pairs={state.headers}
            onChange={(pairs) => set('headers', pairs)}
            messages={msgs('headers')}
          />
        </div>
      </div>
      <ErrorMessage error={generalError(error)} />
      <div class="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="btn-primary" disabled={busy}>
          {group ? 'Save group' : 'Create group'}
        </button>
      </div>
    </form>
  );
}
