import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { accessFromEnv, fetchProvidersHealth } from '../src/cli/gateway-client.js';
import { formatHealthReport } from '../src/cli/health-format.js';
import type { KeyHealthDto, ProviderHealthDto } from '../src/health/dto/provider-health.dto.js';
import { FailoverEventsService } from '../src/health/failover-events.service.js';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from './support/engines.js';
import { GatewayFixture } from './support/gateway-fixture.js';
import { MockUpstream } from './support/mock-upstream.js';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

// Long enough that a loaded machine still sees the breaker open right after the failures; the
// test then waits for half-open on the condition, not the clock.
const BACKOFF_MS = 2000;
const KEYS = {
  ok: ['sk-health-ok-0001', 'sk-health-ok-0002'],
  failing: ['sk-health-500-0003'],
  auth: ['sk-health-401-0004'],
  limited: ['sk-health-429-0005'],
  checks: ['sk-health-chk-0006'],
  off: ['sk-health-off-0007'],
  keyOff: ['sk-health-kof-0008', 'sk-health-kof-0009'],
};
const ALL_SECRETS = Object.values(KEYS).flat();
const execFileAsync = promisify(execFile);

describeEachEngine('health API', (engine) => {
  let sut: TestApp;
  let mock: MockUpstream;
  let gw: GatewayFixture;
  let proxyKey: string;
  const ids = new Map<string, { id: number; keys: Array<{ id: number; masked: string }> }>();

  const chat = (model: string) =>
    sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`)
      .send({ model, messages: [{ role: 'user', content: 'hi' }] });
  const health = async (): Promise<ProviderHealthDto[]> =>
    (await gw.admin().get('/api/providers/health').expect(200)).body.data;
  const rowOf = (rows: ProviderHealthDto[], name: keyof typeof KEYS) =>
    rows.find((row) => row.provider_id === ids.get(name)!.id)!;
  const keyRow = (rows: ProviderHealthDto[], name: keyof typeof KEYS, index = 0): KeyHealthDto =>
    rowOf(rows, name).keys[index];
  const msFromNow = (iso: string | null) => Date.parse(iso!) - Date.now();

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({
      engine,
      env: { BREAKER_BASE_BACKOFF_MS: String(BACKOFF_MS), BREAKER_JITTER_PERCENT: '0' },
    });
    gw = await GatewayFixture.for(sut);
    for (const [name, apiKeys] of Object.entries(KEYS))
      ids.set(
        name,
        await gw.createGroup({
          groupName: `g-${name}`,
          baseUrl: mock.baseUrl,
          apiKeys,
          models: [`m-${name}`],
          retryCount: 0,
        }),
      );
    await gw
      .admin()
      .patch(`/admin/groups/${ids.get('off')!.id}`)
      .send({ enabled: false })
      .expect(200);
    await gw
      .admin()
      .patch(`/admin/groups/${ids.get('keyOff')!.id}/keys/${ids.get('keyOff')!.keys[0].id}`)
      .send({ enabled: false })
      .expect(200);
    proxyKey = (await gw.createProxyKey({ name: 'health' })).key;
    // One failed check makes a key unhealthy, for two hours.
    await gw
      .admin()
      .put('/api/health-check/config')
      .send({ max_error_count: 1, retry_after_hours: 2 })
      .expect(200);
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('lists every group with seed 000’s fields and 24 h of real traffic', async () => {
    await chat('m-ok').expect(200);
    await chat('m-ok').expect(200);
    await sut.app.get(UsageRecorder).flush();

    const row = rowOf(await health(), 'ok');
    expect(Object.keys(row).sort()).toEqual(
      [
        'provider_id',
        'provider_name',
        'status',
        'is_healthy',
        'error_count',
        'consecutive_successes',
        'consecutive_failures',
        'last_error',
        'last_failure',
        'last_failure_at',
        'last_status_code',
        'last_check_at',
        'next_retry_at',
        'success_rate_24h',
        'total_requests_24h',
        'keys',
      ].sort(),
    );
    expect(row).toMatchObject({
      provider_name: 'g-ok',
      status: 'healthy',
      is_healthy: true,
      total_requests_24h: 2,
      success_rate_24h: 100,
      next_retry_at: null,
    });
    expect(row.keys.map((key) => key.total_requests_24h)).toEqual([1, 1]);
    expect(row.keys[0]).toMatchObject({
      id: ids.get('ok')!.keys[0].id,
      masked: 'sk-…0001',
      reason: 'ok',
      available: true,
      available_at: null,
      status: 'healthy',
    });
  });

  it('answers one group, and 404 in the {code, message} envelope for an unknown one', async () => {
    const one = await gw
      .admin()
      .get(`/api/providers/health/${ids.get('ok')!.id}`)
      .expect(200);
    expect(one.body).toMatchObject({ code: 200, data: { provider_name: 'g-ok' } });
    const missing = await gw.admin().get('/api/providers/health/999999').expect(404);
    expect(missing.body).toEqual({ code: 404, message: expect.stringContaining('999999') });
    await gw.admin().post('/api/health-check/force/999999').expect(404);
  });

  it('forces a check of every key of a group: GET /v1/models with each key', async () => {
    mock.reset();
    const res = await gw
      .admin()
      .post(`/api/health-check/force/${ids.get('ok')!.id}`)
      .expect(200);

    const probes = mock.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models');
    expect(probes.map((r) => r.key).sort()).toEqual(KEYS.ok);
    expect(res.body.data.keys).toEqual([
      expect.objectContaining({
        consecutive_successes: 1,
        error_count: 0,
        last_status_code: 200,
        last_check_at: expect.any(String),
      }),
      expect.objectContaining({
        consecutive_successes: 1,
        error_count: 0,
        last_status_code: 200,
        last_check_at: expect.any(String),
      }),
    ]);
  });

  it('explains why each key is or is not taking traffic, and until when', async () => {
    mock.setDefault(KEYS.failing[0], { kind: 'status', status: 500 });
    mock.setDefault(KEYS.auth[0], { kind: 'status', status: 401 });
    mock.setDefault(KEYS.limited[0], { kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    mock.setDefault(KEYS.checks[0], { kind: 'status', status: 503 });
    for (let i = 0; i < 3; i += 1) await chat('m-failing');
    await chat('m-auth');
    await chat('m-limited');
    await gw
      .admin()
      .post(`/api/health-check/force/${ids.get('checks')!.id}`)
      .expect(200); // max_error_count is 1 now

    const rows = await health();
    expect(keyRow(rows, 'ok')).toMatchObject({ reason: 'ok', status: 'healthy', available: true });
    expect(keyRow(rows, 'failing')).toMatchObject({
      reason: 'breaker_open',
      status: 'unhealthy',
      breaker_state: 'open',
      available: false,
      consecutive_failures: 3,
    });
    expect(msFromNow(keyRow(rows, 'failing').available_at)).toBeLessThanOrEqual(BACKOFF_MS);
    expect(keyRow(rows, 'auth')).toMatchObject({
      reason: 'invalid_credentials',
      status: 'unhealthy',
      available_at: null,
      last_status_code: 401,
    });
    expect(keyRow(rows, 'limited')).toMatchObject({
      reason: 'cooling_down_429',
      status: 'healthy',
      available: false,
    });
    expect(msFromNow(keyRow(rows, 'limited').available_at)).toBeGreaterThan(25_000);
    expect(keyRow(rows, 'checks')).toMatchObject({
      reason: 'unhealthy_by_checks',
      status: 'unhealthy',
      error_count: 1,
      last_status_code: 503,
    });
    expect(keyRow(rows, 'checks').last_error).toContain('503');
    expect(msFromNow(keyRow(rows, 'checks').available_at)).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(rowOf(rows, 'checks')).toMatchObject({
      status: 'unhealthy',
      is_healthy: false,
      next_retry_at: keyRow(rows, 'checks').available_at,
    });
    expect(keyRow(rows, 'off')).toMatchObject({ reason: 'group_disabled', status: 'disabled' });
    expect(rowOf(rows, 'off').status).toBe('disabled');
    expect(rowOf(rows, 'keyOff').keys.map((key) => [key.reason, key.status])).toEqual([
      ['disabled', 'disabled'],
      ['ok', 'healthy'],
    ]);

    await waitFor(
      async () => keyRow(await health(), 'failing').reason === 'half_open',
      5000,
      'the failing key to turn half-open',
    );
    expect(keyRow(await health(), 'failing')).toMatchObject({
      reason: 'half_open',
      status: 'recovering',
      available: true,
    });
  });

  it('tests a group’s keys without touching their health', async () => {
    const res = await gw
      .admin()
      .post(`/admin/groups/${ids.get('keyOff')!.id}/test`)
      .expect(200);
    expect(res.body).toMatchObject({ groupName: 'g-keyOff', ok: true });
    expect(res.body.results).toEqual([
      {
        keyId: ids.get('keyOff')!.keys[0].id,
        masked: 'sk-…0008',
        ok: false,
        status: null,
        latencyMs: null,
        error: 'not probed: key disabled',
      },
      {
        keyId: ids.get('keyOff')!.keys[1].id,
        masked: 'sk-…0009',
        ok: true,
        status: 200,
        latencyMs: expect.any(Number),
        error: null,
      },
    ]);

    const failing = await gw
      .admin()
      .post(`/admin/groups/${ids.get('checks')!.id}/test`)
      .expect(200);
    expect(failing.body.ok).toBe(false);
    expect(failing.body.results[0]).toMatchObject({
      ok: false,
      status: 503,
      error: expect.stringContaining('503'),
    });
    expect(keyRow(await health(), 'checks').error_count).toBe(1);
    await gw.admin().post('/admin/groups/999999/test').expect(404);
  });

  it('lists failover events with filters and pages', async () => {
    const page = (query: string) =>
      gw
        .admin()
        .get(`/admin/failover-events?${query}`)
        .expect(200)
        .then((res) => res.body);
    const opened = await page(`type=breaker_open&groupId=${ids.get('failing')!.id}`);
    expect(opened.items[0]).toMatchObject({
      groupName: 'g-failing',
      keyMasked: 'sk-…0003',
      type: 'breaker_open',
      from: 'closed',
      to: 'open',
      statusCode: 500,
      consecutiveFailures: 3,
      nextRetrySeconds: Math.ceil(BACKOFF_MS / 1000),
    });
    await expect(page(`type=key_invalid&keyId=${ids.get('auth')!.keys[0].id}`)).resolves.toMatchObject({
      total: 1,
      items: [{ statusCode: 401 }],
    });
    await expect(page(`type=rate_limited&groupId=${ids.get('limited')!.id}`)).resolves.toMatchObject({
      total: 1,
      items: [{ statusCode: 429, nextRetrySeconds: 30 }],
    });
    await expect(page(`type=unhealthy&groupId=${ids.get('checks')!.id}`)).resolves.toMatchObject({
      total: 1,
      items: [{ nextRetrySeconds: 7200 }],
    });
    const all = await page('pageSize=2&page=1');
    expect(all).toMatchObject({ page: 1, pageSize: 2 });
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(4);
    await expect(page(`from=${new Date(Date.now() + 60_000).toISOString()}`)).resolves.toMatchObject({
      total: 0,
      items: [],
    });
    await gw.admin().get('/admin/failover-events?type=exploded').expect(400);
  });

  it('sets the Prometheus breaker and backend gauges on transitions', async () => {
    const text = (await sut.http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/circuit_breaker_state\{group="g-failing",key="sk-…0003"\} [12]/);
    expect(text).toMatch(/backend_health\{backend="g-checks",model="m-checks"\} 0/);
    expect(text).toMatch(/backend_health\{backend="g-ok",model="m-ok"\} 1/);
  });

  it('never shows an upstream key', async () => {
    const bodies = await Promise.all([
      gw.admin().get('/api/providers/health'),
      gw.admin().get('/admin/failover-events?pageSize=200'),
      gw.admin().post(`/admin/groups/${ids.get('checks')!.id}/test`),
    ]);
    for (const res of bodies) for (const secret of ALL_SECRETS) expect(res.text).not.toContain(secret);
  });

  it('feeds the CLI’s health view', async () => {
    const rows = await fetchProvidersHealth({ ...accessFromEnv({}), url: sut.url, ...TEST_ADMIN });
    const report = formatHealthReport(rows, Date.now());
    expect(report).toMatch(/^g-ok\s+Healthy$/m);
    expect(report).toMatch(/sk-…0006 \(#\d+\)\s+Unhealthy \(1 failure, retry in 2h\)/);
    expect(report).toMatch(/sk-…0004 \(#\d+\)\s+Unhealthy \(invalid credentials, HTTP 401/);
    expect(report.trim().split('\n').at(-1)).toMatch(
      /^\d+\/\d+ healthy, \d+ recovering, \d+ down, 2 disabled$/,
    );
  });

  it('prints the stats view from the built CLI: states, 24 h traffic and the summary line', async () => {
    const { stdout } = await execFileAsync(process.execPath, ['dist/cli/main.js', 'stats'], {
      env: {
        PATH: process.env.PATH,
        SWITCHYARD_URL: sut.url,
        ADMIN_USERNAME: TEST_ADMIN.username,
        ADMIN_PASSWORD: TEST_ADMIN.password,
      },
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^g-ok\s+Healthy\s+\d+ req\/24h, 100% ok$/m);
    expect(stdout).toMatch(/sk-…0006 \(#\d+\)\s+Unhealthy \(1 failure, retry in 2h\)\s+0 req\/24h$/m);
    const [summary, traffic] = stdout.trim().split('\n').slice(-2);
    expect(summary).toMatch(/^\d+\/\d+ healthy, \d+ recovering, \d+ down, 2 disabled$/);
    expect(traffic).toMatch(/^\d+ requests in the last 24 h, [\d.]+% succeeded$/);
  });

  // Last: it deletes the events the tests above read.
  it('deletes failover events older than the retention period, in batches', async () => {
    const events = sut.app.get(FailoverEventsService);
    const count = async () =>
      (await gw.admin().get('/admin/failover-events').expect(200)).body.total as number;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await expect(events.purge(new Date())).resolves.toBe(0);
    await expect(events.purge(new Date(Date.now() + 31 * 86_400_000))).resolves.toBe(before);
    await expect(count()).resolves.toBe(0);
  });
});
