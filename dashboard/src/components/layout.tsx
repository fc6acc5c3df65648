import type { ComponentChildren } from 'preact';
import { Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { setToken } from '../api/session.js';
import { PAGES } from '../pages/index.js';
import { BASE, followLink } from '../lib/router.js';

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const page = PAGES.find((candidate) => candidate.path === path);

  const firstRender = useRef(true);
  useEffect(() => {
    document.title = `${page?.name ?? 'Dashboard'} · Switchyard`;
    setMenuOpen(false);
    // After in-app navigation, start screen readers and the keyboard at the new page's content.
    if (!firstRender.current) main.current?.focus({ preventScroll: true });
    firstRender.current = false;
  }, [path]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <span class="brand">Switchyard</span>
        <button type="button" class="signout" onClick={() => setToken(undefined)}>
          Sign out
        </button>
      </header>
      <nav id="main-nav" class={menuOpen ? 'sidenav open' : 'sidenav'} aria-label="Main">
        <ul>
          {PAGES.map((entry) => (
            <li key={entry.path}>
              <a
                href={BASE + (entry.path === '/' ? '/' : entry.path)}
                aria-current={entry.path === path ? 'page' : undefined}
                onClick={(event) => followLink(event, entry.path)}
              >
                {entry.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<div class="page-loading" aria-busy="true" />}>{children}</Suspense>
      </main>
    </div>
  );
}
