import { existsSync, readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import {
  ALERT_DELIVERY_OPTIONS,
  AlertDeliveryOptions,
} from '../../src/health/alerts/alert-delivery.options.js';
import { AlertDispatcher } from '../../src/health/alerts/alert-dispatcher.service.js';
import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from '../support/engines.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { TEST_ADMIN, startTestApp, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// Distinctive values: if any shows up where it must not, the sweep names it.
const ADMIN_PASSWORD = 'canaryAdminPw5dK29xQmT';
const WRONG_PASSWORD = 'canaryWrongPw8Hs31LpZa';
const JWT_SECRET = 'canaryJwtSecret0123456789abcdefghijKLMNOP';
const UPSTREAM_KEYS = ['canaryUpA1x9Q7mZ2kR4', 'canaryUpB6t3W8nV5jH0', 'canaryUpC2p7L4sD9fG1'];

// A realistic session with secrets everywhere an operator or a client puts them, against upstreams
// that echo them back in every error; then every place text ends up is searched for them.
describeEachEngine('canary sweep', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let hook: WebhookReceiver;
  const received: string[] = [];
  const secrets: string[] = [ADMIN_PASSWORD, WRONG_PASSWORD, JWT_SECRET, ...UPSTREAM_KEYS];

  const keep = (res: Response): Response => {
    received.push(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
    return res;
  };

  beforeAll(async () => {
    mock = await MockUpstream.start();
    hook = await WebhookReceiver.start();
    sut = await startTestApp({
      engine,
      env: {
        ADMIN_PASSWORD,
        JWT_SECRET,
        REQUEST_LOGGING_DETAILED: 'true',
        BREAKER_FAILURE_THRESHOLD: '1',
        LOG_LEVEL: 'debug',
      },
    });
    Object.assign(sut.app.get<symbol, AlertDeliveryOptions>(ALERT_DELIVERY_OPTIONS), {
      baseDelayMs: 20,
      maxDelayMs: 50,
      timeoutMs: 1000,
    });
  });
  afterAll(async () => {
    await sut.close();
    await hook.stop();
    await mock.stop();
  });

  it('leaks no canary secret into logs, responses, webhooks or the database', async () => {
    const http = () => sut.http();
    keep(
      await http()
        .post('/admin/auth/login')
        .send({ username: TEST_ADMIN.username, password: WRONG_PASSWORD }),
    );
    const login = await http()
      .post('/admin/auth/login')
      .send({ username: TEST_ADMIN.username, password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const jwt = (login.body as { access_token: string }).access_token;
    secrets.push(jwt);
    const admin = {
      get: async (path: string) => keep(await http().get(path).set('Authorization', `Bearer ${jwt}`)),
      post: async (path: string, body?: object) =>
        keep(await http().post(path).set('Authorization', `Bearer ${jwt}`).send(body)),
      put: async (path: string, body: object) =>
        keep(await http().put(path).set('Authorization', `Bearer ${jwt}`).send(body)),
    };

    await admin.put('/admin/settings', { alerts: { webhooks: [{ url: hook.url, events: ['unhealthy'] }] } });
    const group = (
      await admin.post('/admin/groups', {
        groupName: 'g-canary',
        providerType: 'openai',
        baseUrl: mock.baseUrl,
        apiKeys: UPSTREAM_KEYS.slice(0, 2),
        models: ['m-canary'],
      })
    ).body as { id: number };
    await admin.post(`/admin/groups/${group.id}/keys`, { apiKeys: [UPSTREAM_KEYS[2]] });

    // The full proxy key is returned once on create and on rotate: those answers are the contract.
    const created = await http()
      .post('/admin/proxy-keys')
      .set('Authorization', `Bearer ${jwt}`)
      .send({ name: 'canary-client' });
    expect(created.status).toBe(201);
    const proxyKeyId = (created.body as { id: number }).id;
    const rotated = await http()
      .post(`/admin/proxy-keys/${proxyKeyId}/rotate`)
      .set('Authorization', `Bearer ${jwt}`);
    expect(rotated.status).toBeLessThan(300);
    secrets.push((created.body as { key: string }).key);
    const proxyKey = (rotated.body as { key: string }).key;
    secrets.push(proxyKey);

    const chat = async (content: string, stream = false) =>
      keep(
        await http()
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${proxyKey}`)
          .send({ model: 'm-canary', stream, messages: [{ role: 'user', content }] }),
      );
    await chat('hello'); // a success, bodies logged in detail
    await chat(`here is my key ${proxyKey} and theirs ${UPSTREAM_KEYS[0]}`);
    mock.script('*', { kind: 'echo-key', status: 400 });
    await chat(`echo ${proxyKey}`);
    mock.script('*', { kind: 'echo-key', status: 422, json: false });
    await chat('plain text echo');
    mock.script(
      '*',
      { kind: 'echo-key', status: 500 },
      { kind: 'echo-key', status: 429, headers: { 'retry-after': '1' } },
      { kind: 'echo-key', status: 401, json: false },
    );
    await chat('every key fails', true);

    // Health checks fail with echoes until a key goes unhealthy and the webhook hears of it.
    await admin.put('/api/health-check/config', { max_error_count: 1 });
    mock.setDefault('*', { kind: 'echo-key', status: 500 });
    await admin.post(`/api/health-check/force/${group.id}`);
    await admin.post(`/admin/groups/${group.id}/test`);
    await sut.app.get(AlertDispatcher).idle();
    await hook.waitFor((h) => h.delivered.some((call) => call.event === 'unhealthy'));
    mock.reset();

    await sut.app.get(UsageRecorder).flush();
    for (const path of [
      '/admin/auth/me',
      '/admin/groups',
      `/admin/groups/${group.id}`,
      '/admin/proxy-keys',
      `/admin/proxy-keys/${proxyKeyId}`,
      '/admin/settings',
      '/admin/audit-logs',
      '/admin/failover-events',
      '/admin/status',
      '/admin/stats/overview?range=1h',
      '/api/providers/health',
      `/api/providers/health/${group.id}`,
      '/metrics',
    ])
      await admin.get(path);
    const logList = await admin.get('/admin/logs?pageSize=100');
    for (const row of (logList.body as { items: Array<{ id: number }> }).items)
      await admin.get(`/admin/logs/${row.id}`);
    expect((logList.body as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(5);

    const places: Record<string, string> = {
      'log lines': sut.logs.text,
      responses: received.join('\n'),
      webhooks: hook.calls.map((call) => call.raw).join('\n'),
      database: await databaseText(sut, engine),
    };
    const leaks = Object.entries(places).flatMap(([place, text]) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${place}: ${secret}`),
    );
    expect(leaks).toEqual([]);
    // Controls: the sweep saw the echoes (redacted) in each place it searched.
    const echo = 'Incorrect API key provided: [redacted]';
    expect(places.responses).toContain(echo);
    expect(places.database).toContain(echo);
    expect(places.database).toContain('g-canary');
    expect(places.webhooks).toContain('[redacted]');
    expect(places['log lines']).toContain('proxy request');
  });
});

/** Every row of every table as text; on SQLite also the raw bytes of the file and its WAL. */
async function databaseText(sut: TestApp, engine: string): Promise<string> {
  const db = sut.app.get(DataSource);
  const tables: Array<{ name: string }> =
    engine === 'mysql'
      ? await db.query(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
        )
      : await db.query("SELECT name FROM sqlite_master WHERE type = 'table'");
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT * FROM ${engine === 'mysql' ? `\`${name}\`` : `"${name}"`}`,
    );
    for (const row of rows)
      for (const value of Object.values(row))
        parts.push(Buffer.isBuffer(value) ? value.toString('latin1') : String(value));
  }
  if (engine === 'sqlite') {
    const file = sut.config.database.path;
    for (const path of [file, `${file}-wal`])
      if (existsSync(path)) parts.push(readFileSync(path).toString('latin1'));
  }
  return parts.join('\n');
}
