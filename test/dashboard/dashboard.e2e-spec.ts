import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TEST_ADMIN, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import {
  DashboardBrowser,
  describeInBrowser,
  eventually,
  firstContentfulPaint,
  focusedName,
  msUntil,
  openBrowser,
  openPage,
  overflowsHorizontally,
  screenshot,
  signIn,
  tabTo,
  unnamedControls,
} from './support/browser.js';

// The dashboard in a real browser (system Chromium) against a real gateway and the mock upstream.
// The steps build on each other, like an operator's first session: one browser for the file.

jest.setTimeout(60_000);

const KEY_A = 'sk-browser-aaaa-1111';
const KEY_B = 'sk-browser-bbbb-2222';
const MODEL = 'gpt-4o-mini';
const XSS = '<img src=x onerror="window.__xss=1">';
const HEADER_SECRET = 'header-secret-value-7777';
const NEW_PASSWORD = 'a-changed-admin-password-456';
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describeInBrowser('dashboard in a browser [sqlite]', () => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let ui: DashboardBrowser;
  let page: Page;
  let proxyKey: string;
  let masked: { a: string; b: string };
  let groupId: number;

  const chat = (content = 'hello') =>
    gw.openai(proxyKey).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content }] });

  beforeAll(async () => {
    [mock, sut, ui] = await Promise.all([
      MockUpstream.start(),
      startTestApp({ engine: 'sqlite' }),
      openBrowser(),
    ]);
    gw = await GatewayFixture.for(sut);
    page = ui.page;
  });

  afterAll(async () => {
    await ui?.close();
    await sut?.close();
    await mock?.stop();
  });

  it('signs in: a wrong password shows the error, the right one lands on Overview', async () => {
    await page.goto(`${sut.url}/dashboard/`);
    await screenshot(page, 'sign-in');
    await signIn(page, 'not-the-password');
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('Wrong username or password.');

    await signIn(page);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    // First meaningful paint: from navigation start to the first frame showing the status cards
    // filled with the gateway's answers, timed by the browser itself; the median of three loads.
    const paints: number[] = [];
    const contentful: number[] = [];
    for (let load = 0; load < 3; load += 1) {
      await page.goto(`${sut.url}/dashboard/`, { waitUntil: 'commit' });
      paints.push(
        await msUntil(
          page,
          `/^Version: \\d+\\.\\d+\\.\\d+/.test(document.querySelector('[role=group][aria-label^="Version: "]')?.getAttribute('aria-label') ?? '')`,
        ),
      );
      contentful.push(await firstContentfulPaint(page));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
    console.log(
      `Overview first meaningful paint (status cards filled): ${paints.map(Math.round).join(', ')} ms, ` +
        `median ${Math.round(median(paints))} ms; first contentful paint median ${Math.round(median(contentful))} ms`,
    );
    expect(median(paints)).toBeLessThan(5000); // the goal is < 1 s; the bound leaves room for a loaded CI machine
  });

  it('creates a group against the mock with two keys and shows both healthy', async () => {
    await openPage(page, 'Groups');
    await page.getByText('No groups yet').waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Name', { exact: true }).fill('mock-primary');
    await dialog.getByLabel('Base URL').fill(mock.baseUrl);
    for (const key of [KEY_A, KEY_B]) {
      await dialog.getByLabel('API keys', { exact: true }).fill(key);
      await dialog.getByRole('button', { name: 'Add key' }).click();
    }
    await dialog.getByLabel('Models', { exact: true }).fill(MODEL);
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByLabel('Priority').fill('-1');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    // The server's validation message appears next to its field.
    await dialog.getByText('priority must not be less than 0').waitFor();
    await dialog.getByLabel('Priority').fill('1');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const groups = (await gw.admin().get('/admin/groups').expect(200)).body;
    groupId = groups[0].id;
    masked = { a: groups[0].keys[0].masked, b: groups[0].keys[1].masked };
    const keys = page.getByLabel('Keys of mock-primary');
    const text = await keys.innerText();
    expect(text).toContain(`${masked.a} healthy`);
    expect(text).toContain(`${masked.b} healthy`);

    await page.getByRole('button', { name: 'Test mock-primary' }).click();
    const results = page.getByRole('region', { name: 'Test results for mock-primary' });
    await results.getByText('Every key answered.').waitFor();
    expect(await results.getByRole('row').count()).toBe(3);
    await screenshot(page, 'groups');
  });

  it('creates a proxy key shown once, and its traffic shows in Logs and on Overview', async () => {
    await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sut.url });
    await openPage(page, 'Proxy keys');
    await page.getByRole('button', { name: 'New key' }).click();
    const form = page.getByRole('dialog', { name: 'New proxy key' });
    await form.getByLabel('Name', { exact: true }).fill('browser-app');
    await form.getByLabel('Token budget').fill('100000');
    await form.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Key browser-app created' });
    await shown.getByText('it is shown only this once').waitFor();
    proxyKey = await shown.getByLabel('New key').inputValue();
    expect(proxyKey).toMatch(/^sk-/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    const clipboard = () =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText();
    expect(await page.evaluate(clipboard)).toBe(proxyKey);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(proxyKey);
    await screenshot(page, 'proxy-keys');

    for (let i = 0; i < 3; i += 1) expect((await chat()).choices[0].message).toBeDefined();

    await openPage(page, 'Logs');
    await eventually(
      async () => (await page.getByRole('row').filter({ hasText: 'browser-app' }).count()) === 3,
      'three requests in Logs',
    );
    await screenshot(page, 'logs');

    await openPage(page, 'Overview');
    await page.getByRole('group', { name: 'Requests (24 h): 3' }).waitFor({ timeout: 20_000 });
    await page
      .getByRole('img', { name: 'Requests and errors: 3 requests, 0 errors' })
      .waitFor({ timeout: 20_000 });
    await page.getByRole('list', { name: 'Latest requests' }).getByRole('link').nth(2).waitFor();
    await screenshot(page, 'overview');
  });

  it('edits a group: only changed fields are saved, and a masked secret header is never written back', async () => {
    await openPage(page, 'Groups');
    const edit = async () => {
      await page.getByRole('button', { name: 'Edit mock-primary' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit mock-primary' });
      await dialog.waitFor();
      return dialog;
    };
    let dialog = await edit();
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 1', { exact: true }).fill('X-Upstream-Token');
    await dialog.getByLabel('Value 1', { exact: true }).fill(HEADER_SECRET);
    await dialog.getByRole('button', { name: 'Save group' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The secret comes back masked; changing only the weight leaves it as it is.
    dialog = await edit();
    expect(await dialog.getByLabel('Value 1', { exact: true }).inputValue()).toBe('…7777');
    await dialog.getByLabel('Weight', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Save group' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const audit = (await gw.admin().get('/admin/audit-logs?entity=group').expect(200)).body.items[0];
    expect(audit.changes).toEqual({ weight: { from: 1, to: 2 } });
    await chat();
    expect(mock.requests.at(-1)!.headers['x-upstream-token']).toBe(HEADER_SECRET);

    // Changing the headers while the secret still shows its mask is refused next to the field.
    dialog = await edit();
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 2', { exact: true }).fill('X-Env');
    await dialog.getByLabel('Value 2', { exact: true }).fill('prod');
    await dialog.getByRole('button', { name: 'Save group' }).click();
    await dialog.getByText('type the value of X-Upstream-Token again').waitFor();
    await screenshot(page, 'group-form');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it("shows a failing key's circuit open with countdown and reason, and Check now recovers it", async () => {
    mock.setDefault(KEY_B, { kind: 'status', status: 500 });
    await eventually(async () => {
      await chat(); // key B fails, the retry on key A answers
      const health = (await gw.admin().get(`/api/providers/health/${groupId}`).expect(200)).body.data;
      return health.keys.find((key: { masked: string }) => key.masked === masked.b).breaker_state === 'open';
    }, "key B's breaker to open");

    await openPage(page, 'Groups');
    const keys = page.getByLabel('Keys of mock-primary');
    await eventually(
      async () => new RegExp(`${escapeRe(masked.b)} open · [01]:\\d\\d`).test(await keys.innerText()),
      'the open dot with a countdown',
    );
    const dot = keys.getByTitle(new RegExp(`^${escapeRe(masked.b)}: open until`));
    const reason = await dot.getAttribute('title');
    expect(reason).toMatch(/3 failures/);
    expect(reason).toMatch(/500/);
    await screenshot(page, 'groups-key-open');

    mock.setDefault(KEY_B, { kind: 'ok' });
    await openPage(page, 'Health');
    const provider = page.getByRole('region', { name: 'Provider mock-primary' });
    expect(await provider.innerText()).toMatch(/open until/);
    await provider.getByRole('button', { name: 'Check now mock-primary' }).click();
    await provider.getByText('Checked mock-primary: 2 of 2 keys available, status healthy.').waitFor();
    await eventually(
      async () => (await provider.innerText()).includes(`${masked.b} healthy`),
      'key B healthy again',
    );
    await screenshot(page, 'health');
  });

  it('edits the health-check configuration and keeps it', async () => {
    const form = page.getByRole('form', { name: 'Health-check configuration' });
    await form.getByLabel('Interval (minutes)').fill('7');
    await form.getByLabel('Max error count').fill('4');
    await form.getByLabel('Retry after (hours)').fill('0.5');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form.getByText('Health-check configuration saved.').waitFor();

    await page.reload();
    const reloaded = page.getByRole('form', { name: 'Health-check configuration' });
    await reloaded.getByLabel('Interval (minutes)').waitFor();
    expect(await reloaded.getByLabel('Interval (minutes)').inputValue()).toBe('7');
    expect(await reloaded.getByLabel('Max error count').inputValue()).toBe('4');
    expect(await reloaded.getByLabel('Retry after (hours)').inputValue()).toBe('0.5');
    const stored = (await gw.admin().get('/api/health-check/config').expect(200)).body.data;
    expect(stored).toMatchObject({ interval_minutes: 7, max_error_count: 4, retry_after_hours: 0.5 });
  });

  it('shows a hostile request body as text in the log detail', async () => {
    await openPage(page, 'Settings');
    const logging = page.getByRole('form', { name: 'Request logging' });
    await logging.getByLabel('Keep request and response bodies (detailed logging)').check();
    await logging.getByRole('button', { name: 'Save request logging' }).click();
    await logging.getByText('Request logging saved.').waitFor();
    await screenshot(page, 'settings');

    const newestLog = async () => (await gw.admin().get('/admin/logs?pageSize=1').expect(200)).body.items[0];
    const before = (await newestLog()).id;
    await chat(XSS);
    const newest = await eventually(async () => {
      const log = await newestLog();
      return log.id > before && log;
    }, 'the log row of the hostile request');
    await openPage(page, 'Logs');
    await eventually(
      async () => (await page.getByRole('button', { name: `Open request ${newest.id}` }).count()) === 1,
      'the row',
    );
    await page.getByRole('button', { name: `Open request ${newest.id}` }).click();
    const detail = page.getByRole('dialog', { name: `Request ${newest.id}` });
    const body = detail.getByLabel('Request body');
    await body.waitFor();
    expect(await body.textContent()).toContain('<img src=x onerror=');
    expect(await detail.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    await screenshot(page, 'log-detail');
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('shows Usage, Failover events and the Audit log', async () => {
    await openPage(page, 'Usage');
    await page.getByRole('row').filter({ hasText: MODEL }).first().waitFor();
    await screenshot(page, 'usage');

    await openPage(page, 'Failover events');
    await page
      .getByRole('list', { name: 'Failover events, newest first' })
      .getByText('Circuit opened')
      .first()
      .waitFor();
    await screenshot(page, 'failover-events');

    await openPage(page, 'Audit log');
    await page.getByRole('row').filter({ hasText: 'proxy key' }).first().waitFor();
    expect(await page.content()).not.toContain(KEY_A);
    expect(await page.content()).not.toContain(HEADER_SECRET);
    await screenshot(page, 'audit-log');
  });

  it("shows a proxy key's spent budget and last use, edits its limits and rotates it", async () => {
    await openPage(page, 'Proxy keys');
    const row = page.getByRole('row').filter({ hasText: 'browser-app' });
    await eventually(async () => /\d+ of 100K/.test(await row.innerText()), 'the tokens spent of the budget');
    expect(await row.innerText()).toMatch(/\d+ (s|min) ago/);
    expect(Number(await row.getByRole('meter', { name: 'Budget spent' }).getAttribute('aria-valuenow'))).toBe(
      0, // a few hundred tokens of 100 000: under 1 %
    );

    await page.getByRole('button', { name: 'Edit browser-app' }).click();
    const form = page.getByRole('dialog', { name: 'Edit browser-app' });
    await form.getByLabel('Requests per minute').fill('600');
    await form.getByRole('button', { name: 'Save key' }).click();
    await form.waitFor({ state: 'hidden' });
    await row.getByText('600 rpm').waitFor();
    await screenshot(page, 'proxy-keys-used');

    await page.getByRole('button', { name: 'Rotate browser-app' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate proxy key' })
      .getByRole('button', { name: 'Rotate browser-app' })
      .click();
    const shown = page.getByRole('dialog', { name: 'New key for browser-app' });
    await shown.getByText('The previous key has stopped working.').waitFor();
    const rotated = await shown.getByLabel('New key').inputValue();
    expect(rotated).toMatch(/^sk-/);
    expect(rotated).not.toBe(proxyKey);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    await expect(chat()).rejects.toMatchObject({ status: 401 });
    proxyKey = rotated;
    expect((await chat()).choices[0].message).toBeDefined();
  });

  it('adds an alert webhook in Settings and sends it a test alert', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      await openPage(page, 'Settings');
      const alerts = page.getByRole('form', { name: 'Alert webhooks' });
      await alerts.getByRole('button', { name: 'Add webhook' }).click();
      await alerts.getByLabel('Webhook 1 URL').fill(receiver.url);
      await alerts.getByRole('button', { name: 'Save webhooks' }).click();
      await alerts.getByText('Alert webhooks saved.').waitFor();
      await alerts.getByRole('button', { name: 'Send test alert' }).click();
      await alerts.getByText(`delivered Webhook 1 ${new URL(receiver.url).host} HTTP 200`).waitFor();
      expect(receiver.calls).toHaveLength(1);
      expect(receiver.calls[0].body).toMatchObject({ event: 'test' });

      await alerts.getByRole('button', { name: 'Remove webhook 1' }).click();
      await alerts.getByRole('button', { name: 'Save webhooks' }).click();
      await alerts.getByText('Alert webhooks saved.').waitFor();
      expect((await gw.admin().get('/admin/settings').expect(200)).body.alerts.webhooks).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('names every control on every page (labels, accessible names)', async () => {
    const unnamed: Record<string, string[]> = {};
    const check = async (where: string) => {
      const found = await unnamedControls(page);
      if (found.length) unnamed[where] = found;
    };
    for (const name of ['Overview', 'Groups', 'Proxy keys', 'Health', 'Logs', 'Usage', 'Failover events']) {
      await openPage(page, name);
      await check(name);
    }
    await openPage(page, 'Settings');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await check('Settings');
    await openPage(page, 'Audit log');
    await check('Audit log');
    await openPage(page, 'Groups');
    await page.getByRole('button', { name: 'New group' }).click();
    await check('New group');
    await page.getByRole('dialog', { name: 'New group' }).getByRole('button', { name: 'Cancel' }).click();
    expect(unnamed).toEqual({});
  });

  it('works from the keyboard, with the focus visible and kept around dialogs', async () => {
    await page.goto(`${sut.url}/dashboard/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Skip to content');
    await tabTo(page, 'Groups');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await tabTo(page, 'New group');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.waitFor();
    expect(await page.evaluate<boolean>("document.activeElement?.closest('dialog') !== null")).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedName(page)).toBe('New group');
  });

  it('collapses the navigation on a narrow window, without a horizontal scroll bar', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('list', { name: 'Latest requests' }).getByRole('link').first().waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'overview-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('follows the system setting to the dark theme', async () => {
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).not.toBe(light);
    await page.getByRole('img', { name: /^Requests and errors: / }).waitFor();
    await screenshot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe(light);
  });

  it('changes the admin password in Settings and stays signed in', async () => {
    await openPage(page, 'Settings');
    const form = page.getByRole('form', { name: 'Admin password' });
    await form.getByLabel('Current password').fill(TEST_ADMIN.password);
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await form.getByLabel('Repeat new password').fill(NEW_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed.').waitFor();
    // The old token is refused from now on; the tab carries on with the one the change issued.
    await openPage(page, 'Groups');
    await page.getByLabel('Keys of mock-primary').waitFor();
    expect(await page.getByText('Your session has ended').count()).toBe(0);
  });

  it('returns to Sign in on a 401 mid-session and comes back to the page', async () => {
    // Another session changes the password back, which refuses every older token, this tab's too.
    const login = await sut
      .http()
      .post('/admin/auth/login')
      .send({ username: TEST_ADMIN.username, password: NEW_PASSWORD })
      .expect(200);
    await sut
      .http()
      .put('/admin/auth/password')
      .set('Authorization', `Bearer ${login.body.access_token}`)
      .send({ currentPassword: NEW_PASSWORD, newPassword: TEST_ADMIN.password })
      .expect(200);
    gw = await GatewayFixture.for(sut);
    // No reload: the page's next refresh meets the 401.
    await page.getByText('Your session has ended').waitFor({ timeout: 20_000 });
    await signIn(page);
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/groups');
  });

  it('signs out, and shows the wait time once sign-in attempts are throttled', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    const button = page.getByRole('button', { name: 'Sign in' });
    await button.waitFor();
    const alert = page.getByRole('alert');
    await page.getByLabel('Username').fill('intruder');
    await page.getByLabel('Password').fill('guess');
    // Five failures per username are allowed in the window; the sixth attempt is refused with Retry-After.
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await button.click();
      await alert.waitFor();
      await eventually(() => button.isEnabled(), 'the form to be ready again');
    }
    expect(await alert.textContent()).toMatch(/^Too many failed attempts\. Try again in \d+ seconds\./);
    expect(await alert.textContent()).toMatch(/request id [\w-]+/);
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    const real = ui.problems.filter((text) => !text.startsWith('Failed to load resource'));
    expect(real).toEqual([]);
  });
});
