import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { setToken } from '../api/session.js';
import { ErrorMessage, Field } from '../components/ui.js';

interface TokenAnswer {
  access_token: string;
}

function describe(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 401)
    return new ApiError(401, 'Wrong username or password.', error.requestId, undefined, []);
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    const text = wait
      ? `Too many failed attempts. Try again in ${wait} seconds.`
      : 'Too many failed attempts. Try again later.';
    return new ApiError(429, text, error.requestId, wait, []);
  }
  return error;
}

export function SignIn({ expired }: { expired: boolean }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<TokenAnswer>('/admin/auth/login', {
        method: 'POST',
        body: { username, password },
        anonymous: true,
      });
      setToken(answer.access_token);
    } catch (caught) {
      setError(describe(caught));
      setBusy(false);
    }
  }

  return (
    <main class="signin" id="main">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Switchyard</h1>
        <p class="muted">Sign in to the gateway's dashboard.</p>
        {expired ? (
          <div class="alert alert-warn" role="status">
            Your session has ended. Sign in again to continue where you were.
          </div>
        ) : null}
        <Field label="Username">
          {(props) => (
            <input
              {...props}
              name="username"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" class="btn-primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
