import { useEffect, useState } from 'preact/hooks';
import { currentToken, onTokenChange } from './api/session.js';
import { Layout } from './components/layout.js';
import { PAGES } from './pages/index.js';
import { SignIn } from './pages/sign-in.js';
import { usePath } from './lib/router.js';

/** Signed out (or a 401 anywhere): Sign in in place, and the same page again afterwards. */
export function App() {
  const [token, setToken] = useState(currentToken());
  const [expired, setExpired] = useState(false);
  const path = usePath();

  useEffect(
    () =>
      onTokenChange((next, reason) => {
        setExpired(reason === 'expired');
        setToken(next);
      }),
    [],
  );

  if (!token) return <SignIn expired={expired} />;
  const page = PAGES.find((candidate) => candidate.path === path) ?? PAGES[0];
  const Page = page.component;
  return (
    <Layout path={page.path}>
      <Page />
    </Layout>
  );
}
