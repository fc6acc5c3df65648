import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { HealthCheckConfig } from '../../api/types.js';
import { Checkbox, ErrorMessage, Field, Notice } from '../../components/ui.js';
import { useLoad } from '../../lib/hooks.js';

interface Envelope<T> {
  data: T;
}

/** GET/PUT /api/health-check/config; the job is rescheduled by the server on save. */
export function HealthConfigForm() {
  const loaded = useLoad(
    (signal) => api<Envelope<HealthCheckConfig>>('/api/health-check/config', { signal }),
    [],
  );
  const [form, setForm] = useState<Record<keyof HealthCheckConfig, string | boolean>>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const config = loaded.data?.data;
    if (config)
      setForm({
        enabled: config.enabled,
        interval_minutes: String(config.interval_minutes),
        max_error_count: String(config.max_error_count),
        retry_after_hours: String(config.retry_after_hours),
      });
  }, [loaded.data]);

  // Settings links here (`/health#health-check-config`); the form only exists once loaded.
  const shown = form !== undefined;
  useEffect(() => {
    if (shown && location.hash === '#health-check-config')
      document.getElementById('health-check-config')?.scrollIntoView({ block: 'start' });
  }, [shown]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!form) return;
    setError(undefined);
    setSaved(false);
    const number = (value: string | boolean) =>
      Number.isFinite(Number(value)) && value !== '' ? Number(value) : value;
    try {
      await api('/api/health-check/config', {
        method: 'PUT',
        body: {
          enabled: form.enabled,
          interval_minutes: number(form.interval_minutes),
          max_error_count: number(form.max_error_count),
          retry_after_hours: number(form.retry_after_hours),
        },
      });
      setSaved(true);
      loaded.reload();
    } catch (caught) {
      setError(caught);
    }
  }

  const set = (key: keyof HealthCheckConfig, value: string | boolean) => {
    setSaved(false);
    setForm((f) => f && { ...f, [key]: value });
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="hc-config-title" id="health-check-config">
      <h2 id="hc-config-title">Health-check configuration</h2>
      <ErrorMessage error={loaded.error} />
      {form ? (
        <>
          <Checkbox
            label="Scheduled health checks enabled"
            checked={form.enabled === true}
            onChange={(v) => set('enabled', v)}
          />
          <div class="form-grid">
            <Field label="Interval (minutes)" hint="1 to 1440">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.interval_minutes as string}
                  onInput={(e) => set('interval_minutes', e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label="Max error count" hint="Failed checks in a row before a key is unhealthy">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.max_error_count as string}
                  onInput={(e) => set('max_error_count', e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label="Retry after (hours)" hint="Fractions allowed: 0.5 is 30 minutes">
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.retry_after_hours as string}
                  onInput={(e) => set('retry_after_hours', e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
          <ErrorMessage error={error} />
          {saved ? <Notice>Health-check configuration saved.</Notice> : null}
          <div class="form-actions">
            <button type="submit" class="btn-primary">
              Save configuration
            </button>
          </div>
        </>
      ) : (
        <div class="page-loading" style={{ minHeight: '180px' }} aria-busy="true" />
      )}
    </form>
  );
}
