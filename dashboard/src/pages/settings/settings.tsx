import { api } from '../../api/client.js';
import type { Settings as SettingsShape } from '../../api/types.js';
import { ErrorMessage, PageHeader } from '../../components/ui.js';
import { useLoad } from '../../lib/hooks.js';
import { BASE, followLink } from '../../lib/router.js';
import { AlertsForm } from './alerts-form.js';
import { PasswordForm } from './password-form.js';
import { RequestLoggingForm } from './request-logging-form.js';

export function Settings() {
  const settings = useLoad((signal) => api<SettingsShape>('/admin/settings', { signal }), []);
  return (
    <section class="settings">
      <PageHeader title="Settings" />
      <ErrorMessage error={settings.error} />
      <RequestLoggingForm current={settings.data?.requestLogging} onSaved={settings.reload} />
      <AlertsForm current={settings.data?.alerts?.webhooks} onSaved={settings.reload} />
      <div class="card">
        <h2>Health checks</h2>
        <p>
          How often keys are probed and when they count as unhealthy:{' '}
          <a
            href={`${BASE}/health#health-check-config`}
            onClick={(e) => followLink(e, '/health#health-check-config')}
          >
            Health-check configuration
          </a>
          .
        </p>
      </div>
      <PasswordForm />
    </section>
  );
}
