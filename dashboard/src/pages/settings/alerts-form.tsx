import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { AlertTestResult, AlertWebhook } from '../../api/types.js';
import { ErrorMessage, Notice } from '../../components/ui.js';
import { fmtMs } from '../../lib/format.js';

const EVENTS = ['unhealthy', 'recovered'] as const;

export function AlertsForm({ current, onSaved }: { current?: AlertWebhook[]; onSaved: () => void }) {
  const [hooks, setHooks] = useState<AlertWebhook[]>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [test, setTest] = useState<AlertTestResult | 'running' | { error: unknown }>();

  useEffect(() => {
    if (current && !hooks) setHooks(current.map((hook) => ({ url: hook.url, events: [...hook.events] })));
  }, [current]);

  const update = (index: number, patch: Partial<AlertWebhook>) => {
    setSaved(false);
    setHooks((list) => list?.map((hook, i) => (i === index ? { ...hook, ...patch } : hook)));
  };

  async function submit(event: Event) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api('/admin/settings', { method: 'PUT', body: { alerts: { webhooks: hooks ?? [] } } });
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }

  async function sendTest() {
    setTest('running');
    try {
      setTest(await api<AlertTestResult>('/admin/settings/alerts/test', { method: 'POST' }));
    } catch (caught) {
      setTest({ error: caught });
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alert webhooks</h2>
      <p class="muted">
        A JSON POST (Slack-compatible) when a key goes out of rotation and when it recovers.
      </p>
      {(hooks ?? []).map((hook, index) => (
        <fieldset key={index}>
          <legend>Webhook {index + 1}</legend>
          <div class="field">
            <label for={`hook-url-${index}`}>Webhook {index + 1} URL</label>
            <input
              id={`hook-url-${index}`}
              type="url"
              value={hook.url}
              onInput={(e) => update(index, { url: e.currentTarget.value })}
            />
          </div>
          {EVENTS.map((name) => (
            <label class="checkbox" key={name} style={{ marginRight: '16px' }}>
              <input
                type="checkbox"
                checked={hook.events.includes(name)}
                onChange={(e) =>
                  update(index, {
                    events: e.currentTarget.checked
                      ? [...hook.events, name]
                      : hook.events.filter((v) => v !== name),
                  })
                }
              />
              on {name}
            </label>
          ))}
          <button
            type="button"
            class="btn-small btn-danger"
            onClick={() => setHooks((list) => list?.filter((_, i) => i !== index))}
          >
            Remove webhook {index + 1}
          </button>
        </fieldset>
      ))}
      {hooks && hooks.length === 0 ? <p class="muted">No webhooks — Add webhook, then save.</p> : null}
      <ErrorMessage error={error} />
      {saved ? <Notice>Alert webhooks saved.</Notice> : null}
      <div class="form-actions">
        <button
          type="button"
          onClick={() => setHooks((list) => [...(list ?? []), { url: '', events: [...EVENTS] }])}
        >
          Add webhook
        </button>
        <button type="button" onClick={sendTest} disabled={test === 'running'}>
          Send test alert
        </button>
        <button type="submit" class="btn-primary">
          Save webhooks
        </button>
      </div>
      {test === 'running' ? <p role="status">Sending a test alert…</p> : null}
      {test && test !== 'running' && 'error' in test ? (
        <ErrorMessage error={test.error} prefix="Test alert failed" />
      ) : null}
      {test && test !== 'running' && 'results' in test ? (
        <div role="status">
          {test.results.length === 0 ? <p>No saved webhooks to test — add one and save first.</p> : null}
          <ul>
            {test.results.map((result) => (
              <li key={result.index}>
                <span class={`badge badge-${result.ok ? 'ok' : 'failed'}`}>
                  {result.ok ? 'delivered' : 'failed'}
                </span>{' '}
                Webhook {result.index + 1} <span class="mono">{result.host}</span>{' '}
                {result.status ? `HTTP ${result.status}` : ''} {result.error ?? ''} ·{' '}
                {fmtMs(result.latencyMs)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
