import { useState } from 'preact/hooks';
import { api, ApiError, messagesFor } from '../../api/client.js';
import type { CreatedProxyKey, ProxyKeyView } from '../../api/types.js';
import { ChipsInput } from '../../components/chips-input.js';
import { Checkbox, ErrorMessage, Field } from '../../components/ui.js';

interface State {
  name: string;
  description: string;
  rpm: string;
  tpm: string;
  tokenBudget: string;
  expiresAt: string;
  allowedModels: string[];
  allowedGroups: string[];
  enabled: boolean;
}

/** `datetime-local` works in local time without a zone; the API wants ISO 8601. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function stateOf(key?: ProxyKeyView): State {
  return {
    name: key?.name ?? '',
    description: key?.description ?? '',
    rpm: key?.rpm?.toString() ?? '',
    tpm: key?.tpm?.toString() ?? '',
    tokenBudget: key?.tokenBudget?.toString() ?? '',
    expiresAt: toLocalInput(key?.expiresAt ?? null),
    allowedModels: key?.allowedModels ?? [],
    allowedGroups: key?.allowedGroups ?? [],
    enabled: key?.enabled ?? true,
  };
}

const numberOf = (text: string): number | string | null =>
  text.trim() === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text;

function bodyOf(state: State): Record<string, unknown> {
  return {
    name: state.name.trim(),
    description: state.description.trim() || null,
    rpm: numberOf(state.rpm),
    tpm: numberOf(state.tpm),
    tokenBudget: numberOf(state.tokenBudget),
    expiresAt: state.expiresAt ? new Date(state.expiresAt).toISOString() : null,
    allowedModels: state.allowedModels,
    allowedGroups: state.allowedGroups,
    enabled: state.enabled,
  };
}

const FIELDS = [
  'name',
  'description',
  'rpm',
  'tpm',
  'tokenBudget',
  'expiresAt',
  'allowedModels',
  'allowedGroups',
  'enabled',
];

export function ProxyKeyForm({
  proxyKey,
  onCreated,
  onSaved,
  onCancel,
}: {
  proxyKey?: ProxyKeyView;
  onCreated: (created: CreatedProxyKey) => void;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [state, setState] = useState(stateOf(proxyKey));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof State>(key: K, value: State[K]) => setState((s) => ({ ...s, [key]: value }));
  const msgs = (field: string) => messagesFor(error, field);
  const unclaimed =
    error instanceof ApiError && error.fieldMessages.length
      ? error.fieldMessages.filter((m) => !FIELDS.some((f) => msgs(f).includes(m)))
      : [];

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (proxyKey) {
        await api(`/admin/proxy-keys/${proxyKey.id}`, { method: 'PATCH', body: bodyOf(state) });
        onSaved();
      } else
        onCreated(await api<CreatedProxyKey>('/admin/proxy-keys', { method: 'POST', body: bodyOf(state) }));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  const general =
    error instanceof ApiError && error.fieldMessages.length
      ? new ApiError(
          error.status,
          unclaimed.join('; ') || 'Not saved: correct the fields marked above.',
          error.requestId,
          undefined,
          [],
        )
      : error;

  return (
    <form onSubmit={submit} noValidate>
      <div class="form-grid">
        <Field label="Name" messages={msgs('name')}>
          {(p) => (
            <input {...p} required value={state.name} onInput={(e) => set('name', e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Description" messages={msgs('description')}>
          {(p) => (
            <input
              {...p}
              value={state.description}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Requests per minute" messages={msgs('rpm')} hint="Empty: unlimited">
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.rpm}
              onInput={(e) => set('rpm', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Tokens per minute" messages={msgs('tpm')} hint="Empty: unlimited">
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.tpm}
              onInput={(e) => set('tpm', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label="Token budget"
          messages={msgs('tokenBudget')}
          hint="Total tokens this key may ever spend; empty: unlimited"
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={state.tokenBudget}
              onInput={(e) => set('tokenBudget', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Expires at" messages={msgs('expiresAt')} hint="Local time; empty: never">
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={state.expiresAt}
              onInput={(e) => set('expiresAt', e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="span-all">
          <ChipsInput
            label="Allowed models"
            addLabel="Add model"
            values={state.allowedModels}
            onChange={(v) => set('allowedModels', v)}
            messages={msgs('allowedModels')}
            hint="Names or globs; none: every model"
          />
        </div>
        <div class="span-all">
          <ChipsInput
            label="Allowed groups"
            addLabel="Add group"
            values={state.allowedGroups}
            onChange={(v) => set('allowedGroups', v)}
            messages={msgs('allowedGroups')}
            hint="Group names; none: every group"
          />
        </div>
        <div class="field">
          <Checkbox label="Enabled" checked={state.enabled} onChange={(checked) => set('enabled', checked)} />
        </div>
      </div>
      <ErrorMessage error={general} />
      <div class="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="btn-primary" disabled={busy}>
          {proxyKey ? 'Save key' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
