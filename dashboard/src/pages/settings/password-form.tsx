import { useState } from 'preact/hooks';
import { api, messagesFor } from '../../api/client.js';
import { ErrorMessage, Field, Notice } from '../../components/ui.js';

/** PUT /admin/auth/password; tokens issued before answer 401 afterwards, this one included. */
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
      await api('/admin/auth/password', {
        method: 'PUT',
        body: { currentPassword: current, newPassword: next },
      });
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
