import { useState } from 'preact/hooks';
import { api, messagesFor } from '../../api/client.js';
import { setToken } from '../../api/session.js';
import { ErrorMessage, Field, Notice } from '../../components/ui.js';

/**
 * PUT /admin/auth/password. Every token issued before answers 401 afterwards, this tab's included;
 * the answer carries a fresh one, which this tab keeps, so only the other sessions sign in again.
 */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setDone(false);
    if (next !== repeat) {
      setError(new Error('The new password and its repetition differ.'));
      return;
    }
    setError(undefined);
    try {
      const answer = await api<{ access_token: string }>('/admin/auth/password', {
        method: 'PUT',
        body: { currentPassword: current, newPassword: next },
      });
      setToken(answer.access_token);
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Admin password</h2>
      <div class="form-grid">
        <Field label="Current password" messages={messagesFor(error, 'currentPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autocomplete="current-password"
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="New password" messages={messagesFor(error, 'newPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autocomplete="new-password"
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Repeat new password">
          {(p) => (
            <input
              {...p}
              type="password"
              autocomplete="new-password"
              value={repeat}
              onInput={(e) => setRepeat(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      {done ? <Notice>Password changed. Other sessions must sign in again.</Notice> : null}
      <div class="form-actions">
        <button type="submit" class="btn-primary" disabled={!current || !next}>
          Change password
        </button>
      </div>
    </form>
  );
}
