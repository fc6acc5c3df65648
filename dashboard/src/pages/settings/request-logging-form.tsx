import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { RequestLoggingSettings } from '../../api/types.js';
import { Checkbox, ErrorMessage, Field, Notice } from '../../components/ui.js';

export function RequestLoggingForm({
  current,
  onSaved,
}: {
  current?: RequestLoggingSettings;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<{
    enabled: boolean;
    detailedContent: boolean;
    maxContentLength: string;
    retentionDays: string;
  }>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (current && !form)
      setForm({
        enabled: current.enabled,
        detailedContent: current.detailedContent,
        maxContentLength: String(current.maxContentLength),
        retentionDays: String(current.retentionDays),
      });
  }, [current]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!form) return;
    setError(undefined);
    setSaved(false);
    const number = (text: string) =>
      text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    try {
      await api('/admin/settings', {
        method: 'PUT',
        body: {
          requestLogging: {
            enabled: form.enabled,
            detailedContent: form.detailedContent,
            maxContentLength: number(form.maxContentLength),
            retentionDays: number(form.retentionDays),
          },
        },
      });
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }

  const set = (patch: Partial<NonNullable<typeof form>>) => {
    setSaved(false);
    setForm((f) => f && { ...f, ...patch });
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="logging-title">
      <h2 id="logging-title">Request logging</h2>
      {form ? (
        <>
          <Checkbox label="Log requests" checked={form.enabled} onChange={(enabled) => set({ enabled })} />
          <br />
          <Checkbox
            label="Keep request and response bodies (detailed logging)"
            checked={form.detailedContent}
            onChange={(detailedContent) => set({ detailedContent })}
          />
          <div class="form-grid">
            <Field label="Body cut-off (characters)">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.maxContentLength}
                  onInput={(e) => set({ maxContentLength: e.currentTarget.value })}
                />
              )}
            </Field>
            <Field label="Retention (days)">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.retentionDays}
                  onInput={(e) => set({ retentionDays: e.currentTarget.value })}
                />
              )}
            </Field>
          </div>
          <ErrorMessage error={error} />
          {saved ? <Notice>Request logging saved.</Notice> : null}
          <div class="form-actions">
            <button type="submit" class="btn-primary">
              Save request logging
            </button>
          </div>
        </>
      ) : (
        <div style={{ minHeight: '160px' }} aria-busy="true" />
      )}
    </form>
  );
}
