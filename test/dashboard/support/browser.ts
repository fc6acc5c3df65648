import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TEST_ADMIN } from '../../support/test-app.js';

// The system Chromium, driven headless by playwright-core (no browser download).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');

// Like the MySQL half: mandatory under CI, skipped with a note on a machine without Chromium.
export function describeInBrowser(name: string, body: () => void): void {
  if (process.env.CI === 'true' || process.env.CI === '1' || existsSync(CHROMIUM))
    return describe(name, body);
  process.stderr.write(`\n[switchyard tests] no Chromium at ${CHROMIUM}: skipping "${name}"\n`);
  describe.skip(name, body);
}

export interface DashboardBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here). */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<DashboardBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { browser, context, page, problems, close: () => browser.close() };
}

export async function signIn(page: Page, password = TEST_ADMIN.password): Promise<void> {
  await page.getByLabel('Username').fill(TEST_ADMIN.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Follows a link of the main navigation and waits for the page's heading. */
export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls `probe` until it returns a truthy value (the dashboard refreshes itself every few seconds). */
export async function eventually<T>(probe: () => Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Browser-side checks are written as expressions: the test project is compiled without DOM types.

/**
 * Milliseconds from navigation start to the first frame in which `condition` (an expression) holds.
 * A requestAnimationFrame loop started by evaluate: waitForFunction would eval the condition in the
 * page, which the dashboard's Content-Security-Policy refuses.
 */
export async function msUntil(page: Page, condition: string): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    const frame = () => ((${condition}) ? resolve(performance.now()) : requestAnimationFrame(frame));
    frame();
  })`);
}

/** The page's first contentful paint (ms after navigation start), waiting for its entry to be queued. */
export async function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (entry) resolve(entry.startTime);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolve(-1), 5000);
  })`);
}

/** The visible buttons, links and form controls that have no accessible name (outer HTML, cut). */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const text = (el) => (el?.textContent ?? '').trim();
    const nameOf = (el) =>
      (el.getAttribute('aria-label') ?? '').trim() ||
      (el.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => text(document.getElementById(id))).join(' ').trim() ||
      [...(el.labels ?? [])].map(text).join(' ').trim() ||
      (el.matches('button, a') ? text(el) : '') ||
      (el.getAttribute('title') ?? '').trim();
    return [...document.querySelectorAll('button, a[href], input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0 && !nameOf(el))
      .map((el) => el.outerHTML.slice(0, 160));
  })()`);
}

/** The accessible name (aria-label or text) of the focused element. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    return ((el && (el.getAttribute('aria-label') || el.textContent)) || '').trim();
  })()`);
}

/** Presses Tab until the element named `name` has the focus (at most `limit` presses). */
export async function tabTo(page: Page, name: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return;
  }
  throw new Error(`Tab never reached "${name}" in ${limit} presses`);
}

/** Whether the page is wider than the window (a horizontal scroll bar). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
}
